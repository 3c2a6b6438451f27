"""The workers' side: which workers are open, the reads behind their arrays, and the arrays."""

import numpy as np
from django.db.models import Case, F, QuerySet, When

from exchange.choices import CEFR_RANK
from matching.encoding.codebook import LANG_INDEX, _choice_number, _Codebook
from matching.engine import LANGS, Workers
from matching.selection_facts import selection_facts
from migrants.choices import Regime
from migrants.models import CountryRegime, MigrantLanguage, MigrantOccupation, MigrantProfile


def open_workers() -> QuerySet:
    """Workers matching may propose: verified, visible, not erased, not placed."""
    placed = selection_facts().placed_profiles()
    return MigrantProfile.objects.matchable().exclude(pk__in=placed)


def _worker_reads(profiles: QuerySet, owners: QuerySet) -> list[tuple[QuerySet, dict]]:
    """The reads behind the workers' arrays: the profiles, then one per related table."""
    not_quota = list(
        CountryRegime.objects.exclude(regime=Regime.WORK_PERMIT).values_list("country", flat=True)
    )
    return [
        (
            profiles.order_by("pk"),
            {
                "pk": ("int", F("pk")),
                "anywhere": ("bool", F("anywhere_in_russia")),
                "min_salary": ("int", F("min_salary")),
                "available": ("date", F("available_from")),
                "foreign": ("bool", Case(When(citizenship="RU", then=False), default=True)),
                "quota": (
                    "bool",
                    Case(
                        When(citizenship="RU", then=False),
                        When(citizenship__in=not_quota, then=False),
                        default=True,
                    ),
                ),
            },
        ),
        # Occupations: the first three per worker (in the order they were added) are slots.
        (
            _owned(MigrantOccupation.objects, "profile_id", owners).order_by("profile_id", "pk"),
            {
                "owner": ("int", F("profile_id")),
                "code": ("int", F("occupation_id")),
                "years": ("int", F("years_experience")),
            },
        ),
        (
            _owned(MigrantProfile.skills.through.objects, "migrantprofile_id", owners),
            {"owner": ("int", F("migrantprofile_id")), "skill": ("int", F("skill_id"))},
        ),
        (
            _owned(MigrantLanguage.objects, "profile_id", owners).filter(language__in=LANGS),
            {
                "owner": ("int", F("profile_id")),
                "lang": ("int", _choice_number("language", LANG_INDEX)),
                "level": ("int", _choice_number("level", CEFR_RANK)),
            },
        ),
        (
            _owned(MigrantProfile.desired_regions.through.objects, "migrantprofile_id", owners),
            {"owner": ("int", F("migrantprofile_id")), "region": ("int", F("region_id"))},
        ),
    ]


def _encode_workers(results: list, book: _Codebook):
    """The workers' arrays, their ids, and their availability days (0: now)."""
    skill_bit, region_bit = book.skill_bit, book.region_bit
    profile_columns, *related = results
    pk, anywhere, min_salary, available, foreign, quota = profile_columns
    occupations, skills, languages, regions = (_of_profiles(pk, columns) for columns in related)
    n = len(pk)
    w = Workers(
        occ=np.zeros((n, 3), np.int32),
        exp=np.zeros((n, 3), np.float32),
        skills=np.zeros((n, 3), np.uint64),
        lang=np.zeros((n, len(LANGS)), np.uint8),
        regions=np.zeros((n, 2), np.uint64),
        anywhere=anywhere,
        min_salary=min_salary.astype(np.float32),
        available=np.where(available > 0, available, book.today).astype(np.int32),
        ok=np.ones(n, np.bool_),
        needs_foreign_ok=foreign,
        needs_quota=quota,
    )
    if n == 0:
        return w, pk, available

    owner, code, years = occupations
    i = np.searchsorted(pk, owner)
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else owner
    slot = np.arange(len(owner)) - np.repeat(starts, np.diff(np.r_[starts, len(owner)]))
    keep = slot < 3
    w.occ[i[keep], slot[keep]] = code[keep]
    w.exp[i[keep], slot[keep]] = years[keep]

    owner, skill = skills
    i = np.searchsorted(pk, owner)
    for s in range(3):
        np.bitwise_or.at(w.skills[:, s], i, skill_bit.bits(w.occ[i, s].astype(np.int64), skill))

    owner, lang, level = languages
    w.lang[np.searchsorted(pk, owner), lang] = level

    owner, region = regions
    bit = region_bit[region]
    np.bitwise_or.at(
        w.regions,
        (np.searchsorted(pk, owner), bit // 64),
        np.uint64(1) << (bit % 64).astype(np.uint64),
    )
    # A worker without any occupation cannot be matched.
    w.ok &= w.occ[:, 0] > 0
    return w, pk, available


def _of_profiles(pk: np.ndarray, columns: list[np.ndarray]) -> list[np.ndarray]:
    """Related rows (owner first) of the profiles `pk` (sorted) only, in their order."""
    mine = positions(pk, columns[0]) >= 0
    return columns if mine.all() else [column[mine] for column in columns]


def positions(sorted_values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where each wanted value sits in sorted_values, -1 where it is absent."""
    if len(sorted_values) == 0:
        return np.full(len(wanted), -1, np.int64)
    at = np.minimum(np.searchsorted(sorted_values, wanted), len(sorted_values) - 1)
    return np.where(sorted_values[at] == wanted, at, -1)


def _owned(manager, field: str, owners: QuerySet):
    """Rows of `manager` whose `field` is among the ids `owners` selects."""
    return manager.filter(**{f"{field}__in": owners})
