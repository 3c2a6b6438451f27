"""How database values become engine numbers: days, languages, levels, skill and region bits."""

import datetime

import numpy as np
from django.db.models import BigIntegerField, Case, Value, When
from django.utils import timezone

from exchange.models import Region
from matching.encoding.vocabulary import Vocabulary
from matching.engine import LANGS

EPOCH = datetime.date(2000, 1, 1).toordinal()
LANG_INDEX = {code: index for index, code in enumerate(LANGS)}


def day_number(day: datetime.date | None, default: int) -> int:
    return default if day is None else max(1, day.toordinal() - EPOCH)


class _Codebook:
    """How database values become engine numbers: skill bits, region bits, today."""

    def __init__(self, vocabulary: Vocabulary):
        codes = sorted(Region.objects.values_list("code", flat=True))
        if not all(code.isdigit() for code in codes):
            raise ValueError("region codes must be numeric (federal subject codes)")
        # Region code (as a number) -> its bit in the engine's region masks.
        self.region_bit = np.full(max((int(c) for c in codes), default=0) + 1, -1, np.int64)
        self.region_bit[[int(c) for c in codes]] = np.arange(len(codes))
        self.skill_bit = _SkillBits(vocabulary)
        self.today = day_number(timezone.localdate(), 1)


class _SkillBits:
    """(unit group, skill id) -> the skill's bit in that group's vocabulary, -1 if none,
    as one dense table so millions of links are looked up without a Python loop."""

    def __init__(self, vocabulary: Vocabulary):
        units = sorted(vocabulary.by_unit)
        max_skill = max((max(ids, default=0) for ids in vocabulary.by_unit.values()), default=0)
        self.row_of_unit = np.full(10_000, -1, np.int64)
        self.row_of_unit[units] = np.arange(len(units))
        self.table = np.full((len(units) + 1, max_skill + 2), -1, np.int8)
        for row, unit in enumerate(units):
            ids = vocabulary.by_unit[unit]
            self.table[row, ids] = np.arange(len(ids))

    def bits(self, units: np.ndarray, skill_ids: np.ndarray) -> np.ndarray:
        """For each (unit, skill) link, the bit as a uint64 mask (0 when not in the vocabulary)."""
        rows = self.row_of_unit[np.clip(units, 0, 9999)]
        rows = np.where(units > 0, rows, -1)
        ids = np.clip(skill_ids, 0, self.table.shape[1] - 1)
        bit = np.where(
            (rows >= 0) & (skill_ids < self.table.shape[1] - 1), self.table[rows, ids], -1
        )
        return np.where(bit >= 0, np.uint64(1) << bit.clip(0).astype(np.uint64), np.uint64(0))


def _choice_number(field: str, numbers: dict[str, int]):
    """A text choice as its number, computed by the database."""
    return Case(
        *(When(**{field: value}, then=Value(number)) for value, number in numbers.items()),
        default=Value(0),
        output_field=BigIntegerField(),
    )
