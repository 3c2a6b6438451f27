"""Reading the database into the engine's arrays (and back to names for explanations).

One bulk query per table; no per-row queries, so a million workers load in seconds.
See docs/decisions/0005-matching-engine.md for the encoding itself.
"""

import datetime
import io
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BinaryField,
    BooleanField,
    Case,
    DateField,
    F,
    FloatField,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from exchange.choices import CEFR_RANK
from exchange.models import Region, Skill
from matching.engine import LANGS, Vacancies, Workers
from matching.selection_facts import selection_facts
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


@dataclass
class Encoded:
    workers: Workers
    vacancies: Vacancies
    profile_ids: np.ndarray
    vacancy_ids: np.ndarray
    vocabulary: Vocabulary
    # Workers.available before "now" is filled in: 0 where the worker gave no date.
    # BlockWorker rows keep it so that "now" is the day they are read.
    available_day: np.ndarray | None = None


def open_vacancies() -> QuerySet:
    """Vacancies matching may propose: published, unexpired, with open positions."""
    return Vacancy.objects.visible_to_public().filter(positions_filled__lt=F("positions_total"))


def open_workers() -> QuerySet:
    """Workers matching may propose: verified, visible, not erased, not placed."""
    placed = selection_facts().placed_profiles()
    return MigrantProfile.objects.matchable().exclude(pk__in=placed)


def encode(
    profiles: QuerySet,
    vacancies: QuerySet,
    vocabulary: Vocabulary | None = None,
    *,
    owners: QuerySet | None = None,
    parallel: bool = False,
) -> Encoded:
    """The engine's arrays for `profiles` and `vacancies`.

    `owners`, a query of profile ids (any superset of `profiles`), narrows the reads
    of the workers' related tables instead of `profiles` itself: a block's workers are
    cheaper to name by their occupations than through the whole profile table, and
    rows of profiles outside `profiles` are dropped here.

    `parallel` (the full rematch): read over several connections from one snapshot
    (see `fetch_all`). One vacancy or worker reads on its own connection: there the
    server already reads each table with parallel workers, and extra connections per
    request or task would only crowd the server.
    """
    vocabulary = vocabulary or Vocabulary.load()
    book = _Codebook(vocabulary)
    owners = owners if owners is not None else profiles.order_by().values("pk")
    worker_reads, vacancy_reads = _worker_reads(profiles, owners), _vacancy_reads(vacancies)
    reads = [*worker_reads, *vacancy_reads]
    results = fetch_all(*reads) if parallel else [fetch_columns(q, **c) for q, c in reads]
    workers, profile_ids, available_day = _encode_workers(results[: len(worker_reads)], book)
    encoded_vacancies, vacancy_ids = _encode_vacancies(results[len(worker_reads) :], book)
    return Encoded(workers, encoded_vacancies, profile_ids, vacancy_ids, vocabulary, available_day)


def encode_vacancies(vacancies: QuerySet, vocabulary: Vocabulary) -> tuple[Vacancies, np.ndarray]:
    """The vacancies' arrays and their ids (sorted), alone."""
    results = [fetch_columns(q, **c) for q, c in _vacancy_reads(vacancies)]
    return _encode_vacancies(results, _Codebook(vocabulary))


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


def _vacancy_reads(vacancies: QuerySet) -> list[tuple[QuerySet, dict]]:
    """The reads behind the vacancies' arrays: the vacancies, their skills, languages."""
    # The quota places left, as selection counts them (selection/facts.py).
    quota_left = GreaterThan(Coalesce(selection_facts().quota_left(), 0), 0)
    return [
        (
            vacancies.order_by("pk"),
            {
                "pk": ("int", F("pk")),
                "code": ("int", F("occupation_id")),
                "region": ("int", F("region_id")),
                "salary": ("int", F("salary_top")),
                "start": ("date", F("start_date")),
                "experience": ("int", F("experience_years")),
                "foreign_ok": ("bool", F("open_to_foreign_workers")),
                "quota_left": (
                    "bool",
                    Case(When(quota_bound=False, then=True), default=quota_left),
                ),
            },
        ),
        (
            _of(Vacancy.skills.through.objects, "vacancy_id", vacancies),
            {"owner": ("int", F("vacancy_id")), "skill": ("int", F("skill_id"))},
        ),
        (
            _of(VacancyLanguage.objects, "vacancy_id", vacancies).filter(language__in=LANGS),
            {
                "owner": ("int", F("vacancy_id")),
                "lang": ("int", _choice_number("language", LANG_INDEX)),
                "level": ("int", _choice_number("min_level", CEFR_RANK)),
            },
        ),
    ]


def _encode_vacancies(results: list, book: _Codebook):
    skill_bit, region_bit = book.skill_bit, book.region_bit
    vacancy_columns, skills, languages = results
    pk, code, region, salary, start, experience, foreign_ok, has_quota = vacancy_columns
    m = len(pk)
    v = Vacancies(
        occ=code.astype(np.int32),
        skills=np.zeros(m, np.uint64),
        lang_req=np.zeros((m, len(LANGS)), np.uint8),
        region=region_bit[region].astype(np.int16),
        salary=salary.astype(np.float32),
        start=start.astype(np.int32),  # 0: no start date
        exp_req=experience.astype(np.float32),
        ok=np.ones(m, np.bool_),
        foreign_ok=foreign_ok,
        quota_left=has_quota,
    )
    if m == 0:
        return v, pk
    owner, skill = skills
    j = np.searchsorted(pk, owner)
    np.bitwise_or.at(v.skills, j, skill_bit.bits(v.occ[j].astype(np.int64), skill))
    owner, lang, level = languages
    v.lang_req[np.searchsorted(pk, owner), lang] = level
    return v, pk


# --- The encoded workers of each block (matching.models.BlockWorker) ---------------

# One worker's engine row as BlockWorker.row stores it: packed, little-endian.
WORKER_ROW = np.dtype(
    [
        ("occ", "<i2", 3),
        ("years", "<i2", 3),
        ("skills", "<u8", 3),
        ("lang", "u1", len(LANGS)),
        ("regions", "<u8", 2),
        ("anywhere", "?"),
        ("min_salary", "<i4"),
        ("available_day", "<i4"),  # days since 2000-01-01, 0 = now
        ("needs_foreign_ok", "?"),
        ("needs_quota", "?"),
    ]
)


def block_worker_rows(encoded: Encoded, majors: list[str] | None = None) -> dict[str, np.ndarray]:
    """BlockWorker rows of the encoded workers, as columns in (block, profile) order:
    one row per distinct block of a worker's slots (of the ISCO major groups `majors`
    only, if given)."""
    w = encoded.workers
    rows, blocks = [], []
    minors = w.occ // 10
    for slot in range(w.occ.shape[1]):
        # A slot's block gets a row unless an earlier slot already gave it one.
        new = (w.occ[:, slot] > 0) & w.ok
        for earlier in range(slot):
            new &= minors[:, slot] != minors[:, earlier]
        rows.append(np.flatnonzero(new))
        blocks.append(minors[new, slot])
    at, block = np.concatenate(rows), np.concatenate(blocks)
    if majors is not None:
        wanted = np.isin(block // 100, [int(major) for major in majors])
        at, block = at[wanted], block[wanted]
    order = np.lexsort((at, block))  # profile ids are sorted, so `at` orders them
    at, block = at[order], block[order]
    packed = np.empty(len(at), WORKER_ROW)
    packed["occ"] = w.occ[at]
    packed["years"] = w.exp[at]
    packed["skills"] = w.skills[at]
    packed["lang"] = w.lang[at]
    packed["regions"] = w.regions[at]
    packed["min_salary"] = w.min_salary[at]
    packed["available_day"] = encoded.available_day[at]
    for name in ("anywhere", "needs_foreign_ok", "needs_quota"):
        packed[name] = getattr(w, name)[at]
    return {
        "block": block.astype(np.int16),
        "profile_id": encoded.profile_ids[at],
        "row": packed.view(f"V{WORKER_ROW.itemsize}"),
    }


def read_block(minor: int) -> tuple[Workers, np.ndarray]:
    """The open workers of block `minor` (an ISCO minor group as a number) from their
    BlockWorker rows: the arrays, and the profile ids (sorted)."""
    from matching.models import BlockWorker

    profile_ids, rows = fetch_columns(
        BlockWorker.objects.filter(block=minor).order_by("profile_id"),
        profile_id=("int", F("profile_id")),
        row=(WORKER_ROW, F("row")),
    )
    day = rows["available_day"]
    workers = Workers(
        occ=rows["occ"].astype(np.int32),
        exp=rows["years"].astype(np.float32),
        skills=rows["skills"].astype(np.uint64),
        lang=rows["lang"].astype(np.uint8),
        regions=rows["regions"].astype(np.uint64),
        anywhere=rows["anywhere"].copy(),
        min_salary=rows["min_salary"].astype(np.float32),
        available=np.where(day > 0, day, day_number(timezone.localdate(), 1)).astype(np.int32),
        ok=np.ones(len(rows), np.bool_),
        needs_foreign_ok=rows["needs_foreign_ok"].copy(),
        needs_quota=rows["needs_quota"].copy(),
    )
    return workers, profile_ids


def _choice_number(field: str, numbers: dict[str, int]):
    """A text choice as its number, computed by the database."""
    return Case(
        *(When(**{field: value}, then=Value(number)) for value, number in numbers.items()),
        default=Value(0),
        output_field=BigIntegerField(),
    )


def _owned(manager, field: str, owners: QuerySet):
    """Rows of `manager` whose `field` is among the ids `owners` selects."""
    return manager.filter(**{f"{field}__in": owners})


def _of(manager, field: str, queryset: QuerySet):
    """Rows of `manager` belonging to `queryset`, as one query with a subquery."""
    return manager.filter(**{f"{field}__in": queryset.order_by().values("pk")})


# --- Bulk reading ---------------------------------------------------------------------

EPOCH_DATE = datetime.date(2000, 1, 1)  # PostgreSQL's binary dates count days from here
_KINDS = {
    # kind: (binary COPY type, numpy type, value for NULL, Django output field)
    "int": (">i8", np.int64, 0, BigIntegerField()),
    "float": (">f8", np.float64, 0.0, FloatField()),
    "bool": ("?", np.bool_, False, BooleanField()),
    "date": (">i4", np.int32, EPOCH_DATE, DateField()),
}


def _kind(kind) -> tuple:
    """_KINDS[kind]; a numpy record dtype is a fixed-width binary column (NOT NULL)."""
    if isinstance(kind, np.dtype):
        return (f"V{kind.itemsize}", kind, None, BinaryField())
    return _KINDS[kind]


def _column(expression, kind):
    """The expression, cast to the kind's type, NULL as the kind's value for NULL."""
    _, _, null, field = _kind(kind)
    if null is None:
        return Cast(expression, field)
    return Coalesce(Cast(expression, field), Value(null), output_field=field)


READ_STREAMS = 2  # reads at once: the server reads and sends each on a core of its own


def fetch_all(*reads: tuple[QuerySet, dict]) -> list[list[np.ndarray]]:
    """``fetch_columns(queryset, **columns)`` for each read, in order, all from one
    snapshot of the database.

    On PostgreSQL outside a transaction, READ_STREAMS reads run at once, each over a
    connection of its own that imports this connection's snapshot (so a worker edited
    meanwhile is read either before or after the edit in every table). Inside a
    transaction other connections could not see what the caller has not committed:
    the reads then run one after another in the caller's transaction.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block or len(reads) < 2:
        return [fetch_columns(queryset, **columns) for queryset, columns in reads]

    def read(snapshot: str, job: tuple[QuerySet, dict]) -> list[np.ndarray]:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                return fetch_columns(job[0], **job[1])
        finally:
            connection.close()  # this thread's own connection

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        with ThreadPoolExecutor(max_workers=READ_STREAMS) as pool:
            return list(pool.map(lambda job: read(snapshot, job), reads))


def fetch_columns(queryset: QuerySet, **columns) -> list[np.ndarray]:
    """Columns of `queryset`, each given as name=(kind, expression), as numpy arrays.

    Kinds: "int", "float", "bool", "date" (days since 2000-01-01), or a numpy record
    dtype for a binary column holding such records. NULL reads as 0, False or day 0.
    On PostgreSQL the rows come as one binary COPY read straight into a numpy record
    array, with no Python object per value; elsewhere through the ORM.
    """
    names = [f"_column_{name}" for name in columns]
    kinds = [kind for kind, _ in columns.values()]
    annotated = queryset.annotate(
        **{
            name: _column(expression, kind)
            for name, (kind, expression) in zip(names, columns.values(), strict=True)
        }
    ).values_list(*names)
    if connection.vendor != "postgresql":
        rows = list(annotated)
        return [
            _native([row[position] for row in rows], kind) for position, kind in enumerate(kinds)
        ]
    # Only annotations are selected, in the order they were added: the SELECT's order.
    sql, params = annotated.query.sql_with_params()
    dtype = [("fields", ">i2")]
    for position, kind in enumerate(kinds):
        dtype += [(f"size{position}", ">i4"), (f"value{position}", _kind(kind)[0])]
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        query = cursor.mogrify(sql, params).decode()
        cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT binary)", buffer)
    data = buffer.getbuffer()[19:-2]  # the file header and trailer
    if len(data) and int.from_bytes(data[:2], "big") != len(kinds):
        raise ValueError(f"the query selects other columns than asked: {query}")
    records = np.frombuffer(data, dtype=np.dtype(dtype))
    for position, kind in enumerate(kinds):
        if (records[f"size{position}"] != np.dtype(_kind(kind)[0]).itemsize).any():
            raise ValueError(f"column {list(columns)[position]!r} is not a {kind}")
    return [_typed(records[f"value{position}"], kind) for position, kind in enumerate(kinds)]


def _typed(values: np.ndarray, kind) -> np.ndarray:
    if isinstance(kind, np.dtype):  # bytes of a record each: reinterpret them
        return np.ascontiguousarray(values).view(kind)
    return values.astype(_KINDS[kind][1])


def _native(column: list, kind) -> np.ndarray:
    if isinstance(kind, np.dtype):
        if any(len(value) != kind.itemsize for value in column):
            raise ValueError(f"a value is not a record of {kind.itemsize} bytes")
        return np.frombuffer(b"".join(column), kind).copy()
    if kind == "date":
        return np.fromiter((day.toordinal() - EPOCH for day in column), np.int32, len(column))
    return np.array(column, dtype=_KINDS[kind][1])
