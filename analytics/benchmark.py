# SQL here interpolates only fixed subqueries and table names; values are parameters.
# ruff: noqa: S608
"""Synthetic labour market for `manage.py bench_analytics`: workers, vacancies,
applications and quotas loaded with COPY (PostgreSQL only), seeded, reusable.

Every generated row is tied to benchmark agencies and one benchmark employer, so
`--clean` removes exactly them. Columns the generator does not set get the model
field's default, so a new NOT NULL field on a model does not break the loader.
"""

import datetime
import io
import json
import random
from collections.abc import Callable, Iterable

from django.db import connection, models
from django.utils import timezone

from exchange.choices import LicenceStatus, VerificationStatus
from exchange.models import Agency, Employer, Occupation, Region
from migrants.models import MigrantOccupation, MigrantProfile
from selection.models import Application, Quota, Stage
from vacancies.models import Vacancy

BENCH_INN = "7702070139"  # valid checksum; the employer is marked in its name
BENCH_OGRN = "1027739609391"
BENCH_AGENCY_PREFIX = "BENCH-"
AGENCIES = 40
CITIZENSHIPS = (
    ["UZ"] * 45 + ["TJ"] * 25 + ["KG"] * 15 + ["KZ", "AM", "AZ", "MD", "IN", "VN"] * 2 + ["BY"] * 3
)
STAGE_WEIGHTS = {
    Stage.APPLIED: 16,
    Stage.PROPOSED: 10,
    Stage.SHORTLISTED: 8,
    Stage.APPROVED: 7,
    Stage.REJECTED: 14,
    Stage.SELECTED: 4,
    Stage.DECLINED_BY_EMPLOYER: 6,
    Stage.OFFERED: 4,
    Stage.DECLINED_BY_WORKER: 4,
    Stage.PLACED: 10,
    Stage.ARRIVED: 7,
    Stage.WITHDRAWN: 10,
}


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        value = json.dumps(value)
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")


def copy_rows(
    model: type[models.Model], columns: list[str], rows: Iterable[tuple], chunk: int = 100_000
) -> int:
    """COPY `rows` (tuples in the order of `columns`) into the model's table; the other
    concrete columns get the field default. Returns the row count."""
    fields = {f.column: f for f in model._meta.concrete_fields}
    rest = [
        column
        for column, f in fields.items()
        if column not in columns
        and not f.primary_key
        and not getattr(f, "generated", False)
        and not (f.null and not f.has_default())
    ]
    now = timezone.now()
    fill = []
    for column in rest:
        f = fields[column]
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        fill.append(_copy_value(now if auto else f.get_default()))
    all_columns = columns + rest
    sql = f"COPY {model._meta.db_table} ({', '.join(all_columns)}) FROM STDIN WITH (FORMAT text)"
    total, pending = 0, 0
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for row in rows:
            buffer.write("\t".join([*map(_copy_value, row), *fill]) + "\n")
            pending += 1
            if pending == chunk:
                buffer.seek(0)
                raw.copy_expert(sql, buffer)
                total, pending, buffer = total + pending, 0, io.StringIO()
        if pending:
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
            total += pending
    return total


def bench_agencies() -> list[Agency]:
    agencies = []
    for index in range(AGENCIES):
        country = ["UZ", "TJ", "KG"][index % 3]
        agency, _ = Agency.objects.get_or_create(
            country=country,
            licence_number=f"{BENCH_AGENCY_PREFIX}{index:03d}",
            defaults={
                "name": f"Benchmark agency {index:03d}",
                "licence_status": LicenceStatus.VALID,
                "countries_served": [country],
            },
        )
        agencies.append(agency)
    return agencies


def bench_employer() -> Employer:
    employer, _ = Employer.objects.get_or_create(
        inn=BENCH_INN,
        defaults={
            "legal_name": "ANALYTICS BENCHMARK DATA (delete me)",
            "ogrn": BENCH_OGRN,
            "region_id": "77",
            "address": "-",
            "contact_name": "-",
            "contact_email": "bench@example.invalid",
            "contact_phone": "+74950000000",
            "verification_status": VerificationStatus.VERIFIED,
        },
    )
    return employer


def existing_counts() -> tuple[int, int, int]:
    agencies = Agency.objects.filter(licence_number__startswith=BENCH_AGENCY_PREFIX)
    workers = MigrantProfile.objects.filter(registered_by__in=agencies).count()
    vacancies = Vacancy.objects.filter(employer__inn=BENCH_INN).count()
    applications = Application.objects.filter(vacancy__employer__inn=BENCH_INN).count()
    return workers, vacancies, applications


def clean() -> None:
    """Delete the benchmark rows and what refers to them (plain SQL: millions of rows)."""
    employer = Employer.objects.filter(inn=BENCH_INN).first()
    agencies = list(
        Agency.objects.filter(licence_number__startswith=BENCH_AGENCY_PREFIX).values_list(
            "pk", flat=True
        )
    )
    profiles = "SELECT id FROM migrants_migrantprofile WHERE registered_by_id = ANY(%s)"
    vacancies = "SELECT id FROM vacancies_vacancy WHERE employer_id = %s"
    employer_id = employer.pk if employer else 0
    applications = (
        f"SELECT id FROM matching_application WHERE profile_id IN ({profiles}) "
        f"OR vacancy_id IN ({vacancies})"
    )
    with connection.cursor() as cursor:
        for sql, params in [
            (
                f"DELETE FROM matching_applicationtransition WHERE application_id IN "
                f"({applications})",
                [agencies, employer_id],
            ),
            (
                f"DELETE FROM matching_application WHERE id IN ({applications})",
                [agencies, employer_id],
            ),
            (
                "DELETE FROM migrants_migrantprofile_desired_regions "
                f"WHERE migrantprofile_id IN ({profiles})",
                [agencies],
            ),
            (
                f"DELETE FROM migrants_migrantoccupation WHERE profile_id IN ({profiles})",
                [agencies],
            ),
            ("DELETE FROM migrants_migrantprofile WHERE registered_by_id = ANY(%s)", [agencies]),
            ("DELETE FROM vacancies_vacancy WHERE employer_id = %s", [employer_id]),
        ]:
            cursor.execute(sql, params)
    if employer:
        employer.delete()
    Agency.objects.filter(pk__in=agencies).delete()


def generate(
    *, workers: int, vacancies: int, applications: int, seed: int, say: Callable[[str], None]
) -> None:
    """Load the synthetic market. Zipf-like skews: a few occupations and regions hold
    most of the demand, as on a real exchange; workers want 1-3 regions or anywhere."""
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    units = list(Occupation.objects.filter(level=4).order_by("code").values_list("code", flat=True))
    regions = list(Region.objects.order_by("code").values_list("code", flat=True))
    unit_weights = _cumulative([1 / (rank**0.9) for rank in range(1, len(units) + 1)])
    region_weights = _cumulative([1 / (rank**0.8) for rank in range(1, len(regions) + 1)])
    rng.shuffle(units)  # which occupations are common is random, but seeded

    agencies = [a.pk for a in bench_agencies()]
    employer = bench_employer()

    # Workers: registered over two years, 70 % verified, 90 % visible.
    say(f"workers: {workers:,}")
    first_id = (MigrantProfile.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
    profile_columns = [
        "id",
        "registered_by_id",
        "first_name_latin",
        "last_name_latin",
        "citizenship",
        "verification_status",
        "verified_at",
        "is_visible",
        "anywhere_in_russia",
        "available_from",
        "created_at",
        "updated_at",
    ]
    anywhere = bytearray(workers)  # 1 where the worker will go anywhere

    def profile_rows():
        for index in range(workers):
            pk = first_id + index
            created = now - datetime.timedelta(seconds=rng.randint(0, 730 * 86400))
            verified = rng.random() < 0.7
            any_region = rng.random() < 0.2
            anywhere[index] = any_region
            yield (
                pk,
                rng.choice(agencies),
                f"Bench{index}",
                "Worker",
                rng.choice(CITIZENSHIPS),
                VerificationStatus.VERIFIED if verified else VerificationStatus.PENDING,
                created + datetime.timedelta(days=rng.randint(1, 20)) if verified else None,
                rng.random() < 0.9,
                any_region,
                today + datetime.timedelta(days=rng.randint(-300, 90)),
                created,
                created,
            )

    copy_rows(MigrantProfile, profile_columns, profile_rows())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('migrants_migrantprofile', 'id'), "
            "(SELECT max(id) FROM migrants_migrantprofile))"
        )

    say("worker occupations and desired regions")
    by_minor: dict[str, list[str]] = {}
    for code in units:
        by_minor.setdefault(code[:3], []).append(code)

    def occupation_rows():
        for index in range(workers):
            pk = first_id + index
            main = rng.choices(units, cum_weights=unit_weights)[0]
            chosen = {main}
            if rng.random() < 0.5:  # a second occupation, often in the same minor group
                near = [u for u in by_minor[main[:3]] if u != main]
                chosen.add(rng.choice(near) if near and rng.random() < 0.6 else rng.choice(units))
            for code in chosen:
                yield (pk, code, rng.randint(0, 15))

    copy_rows(
        MigrantOccupation, ["profile_id", "occupation_id", "years_experience"], occupation_rows()
    )
    through = MigrantProfile.desired_regions.through

    def region_rows():
        for index in range(workers):
            pk = first_id + index
            if anywhere[index]:
                continue
            for code in {
                rng.choices(regions, cum_weights=region_weights)[0]
                for _ in range(rng.randint(1, 3))
            }:
                yield (pk, code)

    copy_rows(through, ["migrantprofile_id", "region_id"], region_rows())

    # Vacancies: published over a year; most still open, some filled, closed or expired.
    say(f"vacancies: {vacancies:,}")
    first_vacancy = (Vacancy.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1
    vacancy_columns = [
        "id",
        "employer_id",
        "occupation_id",
        "title",
        "description",
        "region_id",
        "city",
        "positions_total",
        "positions_filled",
        "status",
        "published_at",
        "expires_on",
        "contact_name",
    ]
    open_positions = {}

    def vacancy_rows():
        for index in range(vacancies):
            pk = first_vacancy + index
            published = now - datetime.timedelta(seconds=rng.randint(0, 365 * 86400))
            total = 1 + int(rng.expovariate(0.2))
            status = rng.choices(["published", "filled", "closed", "expired"], [70, 10, 10, 10])[0]
            expires = published.date() + datetime.timedelta(days=rng.randint(30, 400))
            filled = total if status == "filled" else rng.randint(0, total - 1)
            open_positions[pk] = total - filled
            yield (
                pk,
                employer.pk,
                rng.choices(units, cum_weights=unit_weights)[0],
                f"Benchmark vacancy {index}",
                "Synthetic vacancy for the analytics benchmark.",
                rng.choices(regions, cum_weights=region_weights)[0],
                "Город",
                total,
                filled,
                status,
                published,
                expires,
                "Bench HR",
            )

    copy_rows(Vacancy, vacancy_columns, vacancy_rows())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('vacancies_vacancy', 'id'), "
            "(SELECT max(id) FROM vacancies_vacancy))"
        )

    say(f"applications: {applications:,}")
    stages, stage_weights = list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values())

    def application_rows():
        seen = set()
        made = 0
        while made < applications:
            vacancy = first_vacancy + rng.randrange(vacancies)
            profile = first_id + rng.randrange(workers)
            if (vacancy, profile) in seen:
                continue
            seen.add((vacancy, profile))
            made += 1
            created = now - datetime.timedelta(seconds=rng.randint(0, 365 * 86400))
            stage = rng.choices(stages, stage_weights)[0]
            placed = None
            if stage in (Stage.PLACED, Stage.ARRIVED):
                placed = min(created + datetime.timedelta(days=rng.randint(3, 60)), now)
            changed = placed or min(created + datetime.timedelta(days=rng.randint(0, 20)), now)
            yield (vacancy, profile, "matching", stage, changed, created, placed)

    copy_rows(
        Application,
        [
            "vacancy_id",
            "profile_id",
            "origin",
            "stage",
            "stage_changed_at",
            "created_at",
            "placed_at",
        ],
        application_rows(),
    )

    say("quotas")
    year = today.year
    majors = list(Occupation.objects.filter(level=1).values_list("code", flat=True))
    Quota.objects.bulk_create(
        [
            Quota(
                year=year,
                region_id=region,
                occupation_id=major,
                allotted=(allotted := rng.randrange(100, 5000, 10)),
                used=(used := rng.randrange(0, allotted // 2)),
                reserved=rng.randrange(0, (allotted - used) // 3),
            )
            for region in regions
            for major in majors
        ],
        ignore_conflicts=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _cumulative(weights: list[float]) -> list[float]:
    total, result = 0.0, []
    for weight in weights:
        total += weight
        result.append(total)
    return result
