"""The skill vocabulary: each unit group's skills in bit order, loaded or as a run stored it."""

from collections import defaultdict
from dataclasses import dataclass

from exchange.models import Skill

MAX_SKILLS_PER_GROUP = 64


@dataclass
class Vocabulary:
    """Each unit group's skills, in bit order (a skill's bit is its position)."""

    by_unit: dict[int, list[int]]  # unit code -> skill ids
    codes: dict[int, str]  # skill id -> skill code

    @classmethod
    def load(cls) -> "Vocabulary":
        links = defaultdict(set)  # linked group code -> skill ids
        for skill_id, code in Skill.objects.filter(is_active=True).values_list(
            "pk", "occupations__code"
        ):
            if code:
                links[code].add(skill_id)
        by_unit = {}
        for unit in {c for c in links if len(c) == 4} | _all_units():
            ids = set().union(*(links.get(unit[:length], set()) for length in range(1, 5)))
            by_unit[int(unit)] = sorted(ids)[:MAX_SKILLS_PER_GROUP]
        codes = dict(Skill.objects.values_list("pk", "code"))
        return cls(by_unit=by_unit, codes=codes)

    def as_codes(self) -> dict[str, list[str]]:
        """The vocabulary by skill code, as a run stores it (MatchRun.skill_vocabulary)."""
        return {
            f"{unit:04d}": [self.codes[skill_id] for skill_id in ids]
            for unit, ids in sorted(self.by_unit.items())
            if ids
        }

    @classmethod
    def for_run(cls, run) -> "Vocabulary":
        """The vocabulary a run was scored with, so that incremental updates set the
        same bits; skills deleted since then keep their place but match nothing."""
        if not run.skill_vocabulary:
            return cls.load()
        codes = dict(Skill.objects.values_list("pk", "code"))
        id_of = {code: skill_id for skill_id, code in codes.items()}
        by_unit = {
            int(unit): [id_of.get(code, 0) for code in skill_codes]
            for unit, skill_codes in run.skill_vocabulary.items()
        }
        return cls(by_unit=by_unit, codes=codes)


def _all_units() -> set[str]:
    from exchange.models import Occupation

    return set(Occupation.objects.filter(level=4).values_list("code", flat=True))
