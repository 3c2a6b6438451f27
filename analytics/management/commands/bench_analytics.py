"""Benchmark the analytics: refresh time, dashboard latency, and the naive way beside it."""

import datetime
import os
import resource
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from analytics import benchmark, opendata
from analytics.refresh import month_start, refresh
from exchange.choices import Role
from exchange.models import User

DASHBOARD_URLS = [
    "/staff/analytics/",
    "/staff/analytics/?region=77",
    "/staff/analytics/?occupation=7",
    "/staff/analytics/?occupation=71&region=50",
    "/staff/analytics/?citizenship=UZ",
    "/staff/analytics/?occupation=7112",
]
PUBLIC_URL = "/balance/"


def _percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = (
        "Generate a synthetic market once on PostgreSQL (reused by later runs), then print the "
        "full and incremental refresh times, dashboard p50/p95 through the test client, the "
        "naive way (aggregating live in each request) with the ratio, and peak memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=1_000_000)
        parser.add_argument("--vacancies", type=int, default=100_000)
        parser.add_argument("--applications", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=8)
        parser.add_argument("--requests", type=int, default=60, help="dashboard requests timed")
        parser.add_argument("--naive-requests", type=int, default=3)
        parser.add_argument("--full-runs", type=int, default=2, help="timed full refreshes")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="use the data already generated (fails if there is none of the asked size)",
        )
        parser.add_argument("--clean", action="store_true", help="delete the benchmark data")
        parser.add_argument("--generate-only", action="store_true", help="load the data and stop")

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Run it on PostgreSQL (set DATABASE_URL): COPY loads the data.")
        settings.DEBUG = False  # no query log growing during the run
        if options["clean"]:
            benchmark.clean()
            self.say("benchmark data deleted")
            return
        wanted = (options["workers"], options["vacancies"], options["applications"])
        have = benchmark.existing_counts()
        if have != wanted:
            if options["reuse"] and any(have):
                raise CommandError(f"--reuse: the database holds {have}, not {wanted}")
            if any(have):
                self.say(f"replacing benchmark data {have}")
                benchmark.clean()
            started = time.perf_counter()
            benchmark.generate(
                workers=wanted[0],
                vacancies=wanted[1],
                applications=wanted[2],
                seed=options["seed"],
                say=lambda text: self.say(f"  generating {text}"),
            )
            self.say(f"generated in {time.perf_counter() - started:.1f} s")
        else:
            self.say(
                f"reusing {have[0]:,} workers, {have[1]:,} vacancies, {have[2]:,} applications"
            )
        if options["generate_only"]:
            return
        memory_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        # The previous month's snapshot first, so the dashboard shows trends; it is a full
        # refresh too and timed with the others.
        last_month_end = month_start(timezone.localdate()) - datetime.timedelta(days=1)
        fulls = [refresh(full=True, as_of=last_month_end).seconds]
        for _run in range(options["full_runs"]):
            fulls.append(refresh(full=True).seconds)
        incremental_idle = refresh(full=False).seconds
        with connection.cursor() as cursor:  # 100 of this month's applications move on
            cursor.execute(
                "UPDATE matching_application SET stage = 'withdrawn', stage_changed_at = now() "
                "WHERE id IN (SELECT id FROM matching_application "
                "WHERE created_at >= date_trunc('month', now()) ORDER BY id DESC LIMIT 100)"
            )
        incremental_changed = refresh(full=False)

        admin, _ = User.objects.get_or_create(
            email="bench-analytics@example.invalid",
            defaults={"role": Role.ADMINISTRATOR, "is_staff": True, "is_superuser": True},
        )
        client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(admin)
        for url in DASHBOARD_URLS:  # warm up: templates, reference data caches
            assert client.get(url).status_code == 200, url
        samples = []
        for index in range(options["requests"]):
            url = DASHBOARD_URLS[index % len(DASHBOARD_URLS)]
            started = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200
        public = []
        for _i in range(max(10, options["requests"] // 4)):
            started = time.perf_counter()
            client.get(PUBLIC_URL)
            public.append(time.perf_counter() - started)

        naive = []
        for index in range(options["naive_requests"]):
            url = DASHBOARD_URLS[index % len(DASHBOARD_URLS)]
            started = time.perf_counter()
            with transaction.atomic():
                refresh(full=True, record=False)  # every aggregate computed for this request
                response = client.get(url)
                transaction.set_rollback(True)
            naive.append(time.perf_counter() - started)
        # Open data: writing every file once (the daily task) against serving a file.
        started = time.perf_counter()
        opendata.write_all()
        write_seconds = time.perf_counter() - started
        sizes = {
            f"{name}.{fmt}": opendata.file_path(name, fmt).stat().st_size
            for name in opendata.DATASETS
            for fmt in opendata.FORMATS
        }
        served = []
        for _i in range(5):
            started = time.perf_counter()
            response = client.get("/open-data/vacancies.csv")
            b"".join(response.streaming_content)
            served.append(time.perf_counter() - started)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        p50, p95 = _percentile(samples, 50), _percentile(samples, 95)
        naive_p50 = statistics.median(naive) if naive else float("nan")
        self.say("")
        self.say(f"data: {have if have == wanted else wanted} (workers, vacancies, applications)")
        self.say(
            "full refresh (last month's snapshot, then this month's): "
            + ", ".join(f"{s:.2f} s" for s in fulls)
            + "  (target < 60 s)"
        )
        self.say(f"incremental refresh, nothing changed: {incremental_idle:.2f} s")
        self.say(
            f"incremental refresh, 100 of this month's applications changed: "
            f"{incremental_changed.seconds:.2f} s "
            f"(flows from {incremental_changed.flows_from})"
        )
        self.say(
            f"dashboard ({len(samples)} requests over {len(DASHBOARD_URLS)} filter sets): "
            f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {max(samples) * 1000:.0f} ms "
            "(target p95 < 300 ms)"
        )
        self.say(
            f"public page: p50 {_percentile(public, 50) * 1000:.0f} ms, "
            f"p95 {_percentile(public, 95) * 1000:.0f} ms"
        )
        if naive:
            self.say(
                f"naive (aggregating live in each request, {len(naive)} requests): "
                f"p50 {naive_p50 * 1000:.0f} ms, max {max(naive) * 1000:.0f} ms; "
                f"ratio naive/summary p50 = {naive_p50 / p50:.0f}x"
            )
        self.say(
            f"open data: all {len(sizes)} files written in {write_seconds:.1f} s "
            f"(vacancies.csv {sizes['vacancies.csv'] / 2**20:.1f} MiB, "
            f"balance.csv {sizes['balance.csv'] / 2**20:.1f} MiB); "
            f"vacancies.csv served from the file in p50 {statistics.median(served) * 1000:.0f} ms"
        )
        load = os.getloadavg()
        self.say(
            f"machine load average during the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
            f"on {os.cpu_count()} cores"
        )
        self.say(
            f"peak memory of this process: {peak / 1024:.0f} MiB "
            f"({memory_before / 1024:.0f} MiB before the measurements)"
        )
