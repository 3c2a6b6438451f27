"""Reading the database into the engine's arrays (and back to names for explanations).

One bulk query per table; no per-row queries, so a million workers load in seconds.
See docs/decisions/0005-matching-engine.md for the encoding itself.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.db.models import F, QuerySet
from django.utils import timezone

from exchange.choices import CEFR_RANK
from exchange.models import Region, Skill
from matching.engine import LANGS, Vacancies, Workers
from migrants.choices import Regime
from migrants.models import CountryRegime, MigrantLanguage, MigrantOccupation, MigrantProfile
from vacancies.models import Vacancy, VacancyLanguage

EPOCH = datetime.date(2000, 1, 1).toordinal()
LANG_INDEX = {code: index for index, code in enumerate(LANGS)}
MAX_SKILLS_PER_GROUP = 64


def day_number(day: datetime.date | None, default: int) -> int:
    return default if day is None else max(1, day.toordinal() - EPOCH)


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

    def bits(self, unit: int, skill_ids) -> int:
        vocabulary = self.by_unit.get(unit, [])
        position = {skill_id: bit for bit, skill_id in enumerate(vocabulary)}
        value = 0
        for skill_id in skill_ids:
            if skill_id in position:
                value |= 1 << position[skill_id]
        return value

    def skill_codes(self, unit: int, bits: int) -> list[str]:
        """The codes of the skills whose bits are set (only set bits are visited)."""
        codes, bit = [], 0
        vocabulary = self.by_unit.get(unit, [])
        while bits:
            if bits & 1:
                codes.append(self.codes[vocabulary[bit]])
            bits >>= 1
            bit += 1
        return codes


def _all_units() -> set[str]:
    from exchange.models import Occupation

    return set(Occupation.objects.filter(level=4).values_list("code", flat=True))


@dataclass
class Encoded:
    workers: Workers
    vacancies: Vacancies
    profile_ids: np.ndarray
    vacancy_ids: np.ndarray
    vocabulary: Vocabulary


def open_vacancies() -> QuerySet:
    """Vacancies matching may propose: published, unexpired, with open positions."""
    return Vacancy.objects.visible_to_public().filter(positions_filled__lt=F("positions_total"))


def encode(
    profiles: QuerySet, vacancies: QuerySet, vocabulary: Vocabulary | None = None
) -> Encoded:
    vocabulary = vocabulary or Vocabulary.load()
    region_index = {
        code: i for i, code in enumerate(sorted(Region.objects.values_list("code", flat=True)))
    }
    today = day_number(timezone.localdate(), 1)
    workers, profile_ids = _encode_workers(profiles, vocabulary, region_index, today)
    encoded_vacancies, vacancy_ids = _encode_vacancies(vacancies, vocabulary, region_index)
    return Encoded(workers, encoded_vacancies, profile_ids, vacancy_ids, vocabulary)


def _encode_workers(profiles: QuerySet, vocabulary: Vocabulary, region_index: dict, today: int):
    rows = list(
        profiles.order_by("pk").values_list(
            "pk", "citizenship", "anywhere_in_russia", "min_salary", "available_from"
        )
    )
    n = len(rows)
    position = {row[0]: i for i, row in enumerate(rows)}
    ids = list(position)
    w = Workers(
        occ=np.zeros((n, 3), np.int32),
        exp=np.zeros((n, 3), np.float32),
        skills=np.zeros((n, 3), np.uint64),
        lang=np.zeros((n, len(LANGS)), np.uint8),
        regions=np.zeros((n, 2), np.uint64),
        anywhere=np.zeros(n, np.bool_),
        min_salary=np.zeros(n, np.float32),
        available=np.zeros(n, np.int32),
        ok=np.ones(n, np.bool_),
        needs_foreign_ok=np.zeros(n, np.bool_),
        needs_quota=np.zeros(n, np.bool_),
    )
    regimes = dict(CountryRegime.objects.values_list("country", "regime"))
    for i, (_pk, citizenship, anywhere, min_salary, available_from) in enumerate(rows):
        w.anywhere[i] = anywhere
        w.min_salary[i] = min_salary or 0
        w.available[i] = day_number(available_from, today)
        w.needs_foreign_ok[i] = (citizenship or "").upper() != "RU"
        regime = regimes.get((citizenship or "").upper(), Regime.WORK_PERMIT)
        w.needs_quota[i] = w.needs_foreign_ok[i] and regime == Regime.WORK_PERMIT

    skills_of = defaultdict(list)
    through = MigrantProfile.skills.through
    for profile_id, skill_id in _of(through.objects, "migrantprofile_id", profiles).values_list(
        "migrantprofile_id", "skill_id"
    ):
        skills_of[profile_id].append(skill_id)
    filled = defaultdict(int)
    for profile_id, code, years in (
        _of(MigrantOccupation.objects, "profile_id", profiles)
        .order_by("pk")
        .values_list("profile_id", "occupation_id", "years_experience")
    ):
        i, slot = position[profile_id], filled[profile_id]
        if slot >= 3:
            continue
        filled[profile_id] += 1
        w.occ[i, slot] = int(code)
        w.exp[i, slot] = years or 0
        w.skills[i, slot] = vocabulary.bits(int(code), skills_of.get(profile_id, ()))
    for profile_id, language, level in _of(
        MigrantLanguage.objects, "profile_id", profiles
    ).values_list("profile_id", "language", "level"):
        if language in LANG_INDEX:
            w.lang[position[profile_id], LANG_INDEX[language]] = CEFR_RANK.get(level, 0)
    regions_through = MigrantProfile.desired_regions.through
    for profile_id, region_id in _of(
        regions_through.objects, "migrantprofile_id", profiles
    ).values_list("migrantprofile_id", "region_id"):
        index = region_index[region_id]
        w.regions[position[profile_id], index // 64] |= np.uint64(1 << (index % 64))
    # A worker without any occupation cannot be matched.
    w.ok &= w.occ[:, 0] > 0
    return w, np.array(ids, dtype=np.int64)


def _encode_vacancies(vacancies: QuerySet, vocabulary: Vocabulary, region_index: dict):
    rows = list(
        vacancies.order_by("pk").values_list(
            "pk",
            "occupation_id",
            "region_id",
            "salary_top",
            "start_date",
            "experience_years",
            "open_to_foreign_workers",
        )
    )
    m = len(rows)
    position = {row[0]: j for j, row in enumerate(rows)}
    ids = list(position)
    v = Vacancies(
        occ=np.zeros(m, np.int32),
        skills=np.zeros(m, np.uint64),
        lang_req=np.zeros((m, len(LANGS)), np.uint8),
        region=np.zeros(m, np.int16),
        salary=np.zeros(m, np.float32),
        start=np.zeros(m, np.int32),
        exp_req=np.zeros(m, np.float32),
        ok=np.ones(m, np.bool_),
        foreign_ok=np.zeros(m, np.bool_),
        # The quota ledger comes with the selection issue; until then every
        # quota-bound vacancy counts as having quota left.
        quota_left=np.ones(m, np.bool_),
    )
    skills_of = defaultdict(list)
    through = Vacancy.skills.through
    for vacancy_id, skill_id in _of(through.objects, "vacancy_id", vacancies).values_list(
        "vacancy_id", "skill_id"
    ):
        skills_of[vacancy_id].append(skill_id)
    for j, (pk, code, region, salary, start, experience, foreign_ok) in enumerate(rows):
        v.occ[j] = int(code)
        v.region[j] = region_index[region]
        v.salary[j] = salary or 0
        v.start[j] = day_number(start, 0)
        v.exp_req[j] = experience or 0
        v.foreign_ok[j] = foreign_ok
        v.skills[j] = vocabulary.bits(int(code), skills_of.get(pk, ()))
    for vacancy_id, language, level in _of(
        VacancyLanguage.objects, "vacancy_id", vacancies
    ).values_list("vacancy_id", "language", "min_level"):
        if language in LANG_INDEX:
            v.lang_req[position[vacancy_id], LANG_INDEX[language]] = CEFR_RANK.get(level, 0)
    return v, np.array(ids, dtype=np.int64)


def _of(manager, field: str, queryset: QuerySet):
    """Rows of `manager` belonging to `queryset`, as one query with a subquery."""
    return manager.filter(**{f"{field}__in": queryset.order_by().values("pk")})
