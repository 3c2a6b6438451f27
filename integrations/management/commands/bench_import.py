"""Measure the bulk import of workers against the naive way (one API request per
worker), on the configured database. Prints figures; asserts nothing.

    DATABASE_URL=postgres://... python manage.py bench_import --workers 100000
"""

import datetime
import json
import random
import resource
import time
import uuid

from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from exchange.choices import LicenceStatus, Role
from exchange.models import Agency, Occupation, User
from integrations import imports
from integrations.models import ImportJob
from integrations.services import create_api_key

FIRST = ["Jasur", "Timur", "Aziz", "Bekzod", "Sardor", "Farrukh", "Dilshod", "Rustam"]
FIRST_CYR = ["Жасур", "Тимур", "Азиз", "Бекзод", "Сардор", "Фаррух", "Дилшод", "Рустам"]
LAST = ["Karimov", "Yusupov", "Rahimov", "Aliev", "Nazarov", "Saidov", "Tursunov", "Ergashev"]
LAST_CYR = ["Каримов", "Юсупов", "Рахимов", "Алиев", "Назаров", "Саидов", "Турсунов", "Эргашев"]


def synthetic_rows(count: int, token: str, rng: random.Random) -> list[dict]:
    today = timezone.localdate()
    occupations = list(Occupation.objects.filter(level=4).values_list("code", flat=True))
    rows = []
    for i in range(count):
        name = rng.randrange(len(FIRST))
        family = rng.randrange(len(LAST))
        rows.append(
            {
                "external_id": f"bench-{token}-{i}",
                "first_name_latin": FIRST[name],
                "last_name_latin": LAST[family],
                "first_name_cyrillic": FIRST_CYR[name],
                "last_name_cyrillic": LAST_CYR[family],
                "birth_date": (
                    datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randrange(12000))
                ).isoformat(),
                "gender": "male",
                "citizenship": rng.choice(["UZ", "TJ", "KG"]),
                "passport_number": f"B{token[-6:].upper()}{i:08d}",
                "passport_expiry": (today + datetime.timedelta(days=400 + i % 900)).isoformat(),
                "phone": f"+99890{i % 10_000_000:07d}",
                "preferred_language": "uz",
                "consent_method": "in_person",
                "consent_obtained_on": today.isoformat(),
                "consent_confirmed": True,
                "occupations": [
                    {"occupation": rng.choice(occupations), "years_experience": rng.randrange(15)}
                ],
                "languages": [{"language": "ru", "level": rng.choice(["A1", "A2", "B1"])}],
                "education": "secondary",
                "min_salary": rng.randrange(50_000, 150_000, 1000),
                "anywhere_in_russia": True,
            }
        )
    return rows


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Bulk import of N synthetic workers vs one API request per worker (on a sample)."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=100_000)
        parser.add_argument("--sample", type=int, default=300, help="naive requests to time")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, workers, sample, seed, **options):
        rng = random.Random(seed)
        agency, _ = Agency.objects.get_or_create(
            country="UZ",
            licence_number="BENCH-IMPORT",
            defaults={"name": "Bench import agency", "licence_status": LicenceStatus.VALID},
        )
        member, _ = User.objects.get_or_create(
            email="bench-import@bench.invalid",
            defaults={"role": Role.AGENCY, "agency": agency, "full_name": "Bench"},
        )
        token = uuid.uuid4().hex[:8]
        self.stdout.write(f"database: {connection.vendor}; run {token}")

        rows = synthetic_rows(workers, token, rng)
        body = json.dumps(rows).encode()
        del rows
        rss_before = peak_rss_mb()
        counter = QueryCounter()
        job = ImportJob.objects.create(
            agency=agency, created_by=member, mode="partial", source_format="json"
        )
        started, cpu_started = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(counter):
            parsed = imports.parse(body, "json")
            imports.import_rows(job=job, by=member, rows=parsed)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        job.refresh_from_db()
        bulk_rate = job.created_count / seconds
        self.stdout.write(
            f"bulk import: {job.created_count:,} created, {job.error_count} errors of "
            f"{workers:,} rows in {seconds:.1f} s = {bulk_rate:,.0f} rows/s validated and stored "
            f"({job.created_count / cpu_seconds:,.0f} rows per CPU-second of this process; "
            f"the rest is PostgreSQL and waiting for a shared core); "
            f"{counter.count:,} queries; peak RSS {peak_rss_mb():,.0f} MB "
            f"(before the import {rss_before:,.0f} MB)"
        )
        del parsed, body

        # The naive way: one POST /api/v1/workers/ per worker, through the API stack.
        _key, raw = create_api_key(by=member, name=f"bench {token}", scope="write")
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en", SERVER_NAME="localhost")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        naive_rows = synthetic_rows(sample, token + "naive", rng)
        counter = QueryCounter()
        started, cpu_started = time.perf_counter(), time.process_time()
        created = 0
        with connection.execute_wrapper(counter):
            for row in naive_rows:
                created += client.post("/api/v1/workers/", row, format="json").status_code == 201
        naive_seconds = time.perf_counter() - started
        naive_cpu = time.process_time() - cpu_started
        naive_rate = created / naive_seconds
        self.stdout.write(
            f"naive, one request per worker (sample of {sample}): {created} created in "
            f"{naive_seconds:.1f} s = {naive_rate:,.0f} rows/s "
            f"({created / naive_cpu:,.0f} per CPU-second); "
            f"{counter.count / max(sample, 1):.0f} queries per worker"
        )
        if naive_rate:
            self.stdout.write(f"ratio: bulk import is {bulk_rate / naive_rate:,.1f}× the naive way")
