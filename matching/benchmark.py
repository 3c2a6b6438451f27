"""The matching benchmark against the database (`manage.py bench_matching`).

Writes a seeded synthetic market (matching.engine.synthetic) into PostgreSQL as real
rows (worker profiles with occupations, skills, languages and regions; employers'
vacancies with skills and languages), then measures the full rematch from
PostgreSQL back to PostgreSQL, the incremental path, the assignment step and the
plain per-pair reference scorer on a sample. Generation uses COPY into a staging
table and one INSERT ... SELECT per table, so a million workers load in about a
minute; it is not part of the measured figures.
"""

from __future__ import annotations

import datetime
import io
import time

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from exchange.choices import CEFRLevel, LicenceStatus, VerificationStatus
from exchange.models import Agency, Employer, Region
from matching.encoding import Vocabulary
from matching.engine import LANGS
from matching.engine.synthetic import TODAY, generate

BENCH_TAG = "bench-matching"  # the bench employer's name starts with it
# A citizenship per regime: Russian, patent (no quota), visa country (quota).
CITIZENSHIP = {"ru": "RU", "patent": "UZ", "visa": "VN"}

# Zero values for NOT NULL columns the generator does not set, by SQL type.
ZERO = {
    "character varying": "''",
    "text": "''",
    "boolean": "false",
    "smallint": "0",
    "integer": "0",
    "bigint": "0",
    "double precision": "0",
    "jsonb": "'[]'::jsonb",
    "timestamp with time zone": "now()",
    "date": "current_date",
}


def load_market(n: int, m: int, seed: int, corr: str, say=print) -> dict:
    """Replace every worker, vacancy and match in the database with a generated market.
    Returns what was generated (for the report)."""
    if connection.vendor != "postgresql":
        raise RuntimeError("bench_matching needs PostgreSQL (set DATABASE_URL)")
    started = time.perf_counter()
    workers, vacancies, positions = generate(n, m, seed, corr)
    say(f"generated arrays in {time.perf_counter() - started:.1f} s")
    vocabulary = Vocabulary.load()
    regions = sorted(Region.objects.values_list("code", flat=True))
    today = timezone.localdate()

    def date_of(day: np.ndarray) -> np.ndarray:
        base = np.datetime64(today) - np.timedelta64(TODAY, "D")
        return (base + day.astype("timedelta64[D]")).astype(str)

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE matching_match, matching_application, migrants_migrantprofile, "
            "vacancies_vacancy RESTART IDENTITY CASCADE"
        )
    employer, agency = _bench_employer(), _bench_agency()
    ids = np.arange(1, n + 1)
    citizenship = np.where(
        ~workers.needs_foreign_ok,
        CITIZENSHIP["ru"],
        np.where(workers.needs_quota, CITIZENSHIP["visa"], CITIZENSHIP["patent"]),
    )
    min_salary = np.round(workers.min_salary).astype(np.int64)
    _insert(
        "migrants_migrantprofile",
        id=ids,
        citizenship=citizenship,
        phone=np.char.add("+99890", np.char.zfill(ids.astype(str), 7)),
        verification_status=np.where(
            workers.ok, VerificationStatus.VERIFIED, VerificationStatus.PENDING
        ),
        is_visible=np.full(n, "t"),
        anywhere_in_russia=np.where(workers.anywhere, "t", "f"),
        min_salary=np.where(min_salary > 0, min_salary.astype(str), r"\N"),
        available_from=date_of(workers.available),
        preferred_language=np.full(n, "ru"),
        registered_by_id=np.full(n, agency.pk),
    )
    say(f"workers: {n:,} profiles")
    slot_worker, slot = np.nonzero(workers.occ > 0)
    _insert(
        "migrants_migrantoccupation",
        profile_id=ids[slot_worker],
        occupation_id=np.char.zfill(workers.occ[slot_worker, slot].astype(str), 4),
        years_experience=np.round(workers.exp[slot_worker, slot]).astype(np.int64),
    )
    # Skill bits -> skill ids of the real vocabulary (bits beyond it are dropped).
    owner, skill = _skill_links(vocabulary, workers.occ, workers.skills, ids)
    _insert("migrants_migrantprofile_skills", migrantprofile_id=owner, skill_id=skill)
    who, lang = np.nonzero(workers.lang > 0)
    levels = np.array(CEFRLevel.values)
    _insert(
        "migrants_migrantlanguage",
        profile_id=ids[who],
        language=np.array(LANGS)[lang],
        level=levels[workers.lang[who, lang] - 1],
    )
    bits = np.arange(len(regions))
    held = (workers.regions[:, bits // 64] >> (bits % 64).astype(np.uint64)) & np.uint64(1)
    who, region = np.nonzero(held)
    _insert(
        "migrants_migrantprofile_desired_regions",
        migrantprofile_id=ids[who],
        region_id=np.array(regions)[region],
    )
    say(f"workers: {len(slot):,} occupations, {len(skill):,} skills, {len(who):,} regions")

    vacancy_ids = np.arange(1, m + 1)
    salary = np.round(vacancies.salary).astype(np.int64)
    _insert(
        "vacancies_vacancy",
        id=vacancy_ids,
        employer_id=np.full(m, employer.pk),
        occupation_id=np.char.zfill(vacancies.occ.astype(str), 4),
        title=np.full(m, "Synthetic vacancy"),
        description=np.full(m, "Generated by bench_matching."),
        region_id=np.array(regions)[vacancies.region],
        city=np.full(m, "—"),
        positions_total=positions,
        salary_max=np.where(salary > 0, salary.astype(str), r"\N"),
        currency=np.full(m, "RUB"),
        start_date=np.where(vacancies.start > 0, date_of(vacancies.start), r"\N"),
        experience_years=np.ceil(vacancies.exp_req).astype(np.int64),
        open_to_foreign_workers=np.where(vacancies.foreign_ok, "t", "f"),
        # No quota rows exist, so a quota-bound vacancy has no quota left.
        quota_bound=np.where(vacancies.quota_left, "f", "t"),
        status=np.where(vacancies.ok, "published", "closed"),
        expires_on=np.full(m, str(today + datetime.timedelta(days=60))),
        published_at=np.full(m, timezone.now().isoformat()),
        contact_name=np.full(m, "HR"),
    )
    owner, skill = _skill_links(
        vocabulary, vacancies.occ[:, None], vacancies.skills[:, None], vacancy_ids
    )
    _insert("vacancies_vacancy_skills", vacancy_id=owner, skill_id=skill)
    which, lang = np.nonzero(vacancies.lang_req > 0)
    _insert(
        "vacancies_vacancylanguage",
        vacancy_id=vacancy_ids[which],
        language=np.array(LANGS)[lang],
        min_level=levels[vacancies.lang_req[which, lang] - 1],
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(
        f"vacancies: {m:,} with {len(skill):,} skills; loaded in {time.perf_counter() - started:.0f} s"
    )
    return {"workers": n, "vacancies": m, "seed": seed, "corr": corr}


def _bench_employer() -> Employer:
    employer, _ = Employer.objects.get_or_create(
        legal_name=f"{BENCH_TAG} employer",
        defaults={
            "inn": "7707083893",
            "ogrn": "1027700132195",
            "region_id": "77",
            "address": "—",
            "contact_name": "HR",
            "verification_status": VerificationStatus.VERIFIED,
        },
    )
    return employer


def _bench_agency() -> Agency:
    agency, _ = Agency.objects.get_or_create(
        licence_number=f"{BENCH_TAG}-agency",
        defaults={
            "name": f"{BENCH_TAG} agency",
            "country": "UZ",
            "licence_status": LicenceStatus.VALID,
            "countries_served": ["UZ"],
        },
    )
    return agency


def _skill_links(vocabulary: Vocabulary, occ: np.ndarray, skills: np.ndarray, ids: np.ndarray):
    """(owner id, skill id) for every set skill bit that the real vocabulary has."""
    owners, skill_ids = [], []
    for unit in np.unique(occ[occ > 0]):
        known = np.array(vocabulary.by_unit.get(int(unit), []), dtype=np.int64)
        if not len(known):
            continue
        row, slot = np.nonzero(occ == unit)
        bits = skills[row, slot]
        for bit in range(len(known)):
            has = (bits >> np.uint64(bit)) & np.uint64(1) == 1
            owners.append(ids[row[has]])
            skill_ids.append(np.full(int(has.sum()), known[bit]))
    if not owners:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    owner, skill = np.concatenate(owners), np.concatenate(skill_ids)
    unique = np.unique(
        np.stack([owner, skill], axis=1), axis=0
    )  # a worker's slots may share skills
    return unique[:, 0], unique[:, 1]


def _insert(table: str, **columns: np.ndarray) -> None:
    """COPY the given columns into a staging table, then INSERT ... SELECT into `table`
    with zero values for every other NOT NULL column (defaults are Django's, not SQL's)."""
    names = list(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, is_nullable, column_default IS NOT NULL "
            "FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
            [table],
        )
        schema = cursor.fetchall()
        types = {name: kind for name, kind, _, _ in schema}
        fill = {
            name: ZERO[kind]
            for name, kind, nullable, has_default in schema
            if nullable == "NO" and not has_default and name not in names and name != "id"
        }
        staging = f"staging_{table}"
        cursor.execute(f"DROP TABLE IF EXISTS {staging}")
        cursor.execute(
            f"CREATE TEMP TABLE {staging} ("
            + ", ".join(f"{name} {types[name]}" for name in names)
            + ")"
        )
        text = io.StringIO()
        count = len(next(iter(columns.values())))
        strings = [np.asarray(values).astype(str) for values in columns.values()]
        for start in range(0, count, 200_000):
            text.seek(0)
            text.truncate()
            chunk = [column[start : start + 200_000] for column in strings]
            text.write("\n".join("\t".join(row) for row in zip(*chunk, strict=True)))
            text.write("\n")
            text.seek(0)
            cursor.cursor.copy_expert(f"COPY {staging} FROM STDIN WITH (FORMAT text)", text)
        targets = names + list(fill)
        values = names + list(fill.values())
        # Table and column names come from this module and the schema, never from input.
        with transaction.atomic():
            # Generated rows are consistent by construction: skip the per-row foreign
            # key triggers (they would take longer than the load itself).
            cursor.execute("SET LOCAL session_replication_role = replica")
            insert = f"INSERT INTO {table} ({', '.join(targets)}) SELECT {', '.join(values)}"
            cursor.execute(f"{insert} FROM {staging}")
        cursor.execute(f"DROP TABLE {staging}")
        if "id" in names:
            highest = f"SELECT coalesce(max(id), 1) FROM {table}"  # noqa: S608 (our table name)
            cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({highest}))", [table])
