"""Benchmark the vacancy search against the naive way, on the configured database."""

import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from rest_framework.throttling import AnonRateThrottle
from rich.progress import Progress

from vacancies import benchmark
from vacancies.models import Vacancy
from vacancies.search import search_vacancies


class Command(BaseCommand):
    help = (
        "Load synthetic vacancies (once) and report p50/p95/p99 latency of the search function "
        "and the API for typical queries, beside the naive icontains/OFFSET way, with the ratio. "
        "Use PostgreSQL (DATABASE_URL) for meaningful figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("--vacancies", type=int, default=100_000)
        parser.add_argument("--repeat", type=int, default=100, help="samples per query class")
        parser.add_argument("--naive-repeat", type=int, default=10)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--http", action="store_true", help="also load-test gunicorn on loopback"
        )
        parser.add_argument("--http-seconds", type=int, default=20)
        parser.add_argument(
            "--clean", action="store_true", help="delete the benchmark rows and stop"
        )

    def handle(self, *args, **options):
        settings.DEBUG = False  # no query log growing in memory during the run
        employer = benchmark.bench_employer()
        existing = Vacancy.objects.filter(employer=employer)
        if options["clean"]:
            deleted, _ = existing.delete()
            self.stdout.write(f"deleted {deleted} benchmark rows")
            return
        have, want = existing.count(), options["vacancies"]
        if have != want:
            if have:
                self.stdout.write(f"replacing {have} benchmark rows ...")
                existing.delete()
            with Progress(transient=True) as progress:
                task = progress.add_task(f"loading {want:,} vacancies", total=want)
                seconds = benchmark.load(
                    want, seed=options["seed"], progress=lambda n: progress.advance(task, n)
                )
            self.stdout.write(
                f"loaded {want:,} vacancies in {seconds:.1f} s ({want / seconds:,.0f} rows/s)"
            )
        else:
            self.stdout.write(f"reusing {have:,} benchmark vacancies")

        seed = options["seed"]
        common, mid, rare = (benchmark.word_by_rank(seed, rank) for rank in (1, 120, 4000))
        repeat, naive_repeat = options["repeat"], options["naive_repeat"]
        deep_cursor = self._cursor_after_pages(50)
        cases = [
            ("filter occupation 7, newest", {"occupation": "7"}, None),
            (
                "region + pay >= 100k, by pay",
                {"region": "77", "salary_from": "100000", "sort": "salary"},
                None,
            ),
            (f"text rare ({rare})", {"q": rare}, None),
            (f"text mid ({mid}) + region", {"q": mid, "region": "77"}, None),
            (f"text common ({common})", {"q": common}, None),
            (f"text mid ({mid}), relevance", {"q": mid, "sort": "relevance"}, None),
            ("page 51 by cursor, newest", {}, deep_cursor),
        ]
        naive = {
            "filter occupation 7, newest": lambda: benchmark.naive_search(occupation="7"),
            "region + pay >= 100k, by pay": lambda: benchmark.naive_search(
                region="77", min_pay=100000
            ),
            f"text rare ({rare})": lambda: benchmark.naive_search(rare),
            f"text mid ({mid}) + region": lambda: benchmark.naive_search(mid, region="77"),
            f"text common ({common})": lambda: benchmark.naive_search(common),
            f"text mid ({mid}), relevance": lambda: benchmark.naive_search(mid),
            "page 51 by cursor, newest": lambda: benchmark.naive_search(page=51),
        }
        self.stdout.write(self._environment(Vacancy.objects.count()))

        # The public API's anonymous throttle would answer 429 to a benchmark; lift it here only.
        AnonRateThrottle.rate = "1000000000/minute"
        client = Client(HTTP_HOST="127.0.0.1", REMOTE_ADDR="127.0.0.9")
        rows = []
        for name, params, cursor in cases:
            matches = search_vacancies(_query(params), cursor=cursor)
            fast = benchmark.measure(
                name,
                lambda p=params, c=cursor: search_vacancies(_query(p), cursor=c),
                repeat,
                matches=f"matches {matches.count_display}",
            )
            url = "/api/v1/vacancies/?" + "&".join(f"{k}={quote(v)}" for k, v in params.items())
            if cursor:
                url += ("&" if params else "") + f"cursor={cursor}"
            api = benchmark.measure(f"  API {name}", lambda u=url: _ok(client.get(u)), repeat)
            slow = benchmark.measure(f"  naive {name}", naive[name], naive_repeat)
            rows.append((fast, api, slow))

        self.stdout.write(
            "\nsearch function / API in process / naive (icontains, OFFSET, exact count):"
        )
        for fast, api, slow in rows:
            ratio = slow.percentile(50) / max(fast.percentile(50), 1e-6)
            self.stdout.write(fast.row())
            self.stdout.write(api.row())
            self.stdout.write(slow.row() + f"  -> fast is {ratio:,.1f}x faster at p50")
        all_fast = [s for fast, _, _ in rows for s in fast.samples]
        all_api = [s for _, api, _ in rows for s in api.samples]
        summary = {
            "search_p95_ms": round(benchmark.Timing("all", all_fast, 0).percentile(95), 2),
            "api_p95_ms": round(benchmark.Timing("all", all_api, 0).percentile(95), 2),
            "naive_p50_over_fast_p50": {
                fast.name: round(slow.percentile(50) / max(fast.percentile(50), 1e-6), 1)
                for fast, _, slow in rows
            },
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
        if options["http"]:
            summary["http"] = self._http_load(cases, deep_cursor, options["http_seconds"])
        self.stdout.write("\n" + json.dumps(summary, ensure_ascii=False, indent=2))

    def _cursor_after_pages(self, pages: int) -> str | None:
        cursor = None
        for _ in range(pages):
            cursor = search_vacancies(_query({}), cursor=cursor).next_cursor
            if cursor is None:
                break
        return cursor

    def _environment(self, total: int) -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT version()"
                if connection.vendor == "postgresql"
                else "SELECT sqlite_version()"
            )
            version = cursor.fetchone()[0].split(",")[0]
        published = Vacancy.objects.visible_to_public().count()
        return (
            f"\ndatabase: {connection.vendor} ({version}); vacancies {total:,}, searchable {published:,}; "
            f"python {platform.python_version()}; cpus {os.cpu_count()}"
        )

    def _http_load(self, cases, cursor, seconds: int) -> dict:
        """Start gunicorn on a free loopback port and hit the API from 8 threads for `seconds`."""
        port = _free_port()
        env = {
            **os.environ,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-" + "x" * 50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_STATIC_MANIFEST": "false",
            "API_ANON_RATE": "100000000/minute",
            "MIGRANTS_PASSPORT_KEYS": settings.MIGRANTS_PASSPORT_KEYS[0],
            "MIGRANTS_PASSPORT_HASH_KEY": settings.MIGRANTS_PASSPORT_HASH_KEY,
        }
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "exchange.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "3",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=settings.BASE_DIR,
        )
        try:
            _wait_for_port(port)
            paths = []
            for _, params, case_cursor in cases:
                url = "/api/v1/vacancies/?" + "&".join(f"{k}={quote(v)}" for k, v in params.items())
                if case_cursor:
                    url += ("&" if params else "") + f"cursor={case_cursor}"
                paths.append(url)
            if shutil.which("wrk"):
                return _wrk(port, paths, seconds)
            return _python_load(port, paths, seconds)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def _wrk(port: int, paths: list[str], seconds: int) -> dict:
    """wrk (a C load generator, `apt-get install wrk`) on each query class in turn."""
    per_path = max(2, seconds // len(paths))
    total_requests, classes = 0, []
    for path in paths:
        output = subprocess.run(  # noqa: S603
            ["wrk", "-t2", "-c8", f"-d{per_path}s", "--latency", f"http://127.0.0.1:{port}{path}"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if "Non-2xx" in output:
            raise RuntimeError(f"errors under load for {path}:\n{output}")
        requests = int(re.search(r"(\d+) requests in", output).group(1))
        latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.M))
        total_requests += requests
        classes.append(
            {
                "path": path[:60],
                "rps": round(requests / per_path),
                "p50": latency.get("50"),
                "p99": latency.get("99"),
            }
        )
    return {
        "load_generator": "wrk -t2 -c8",
        "requests_per_s": round(total_requests / (per_path * len(paths))),
        "classes": classes,
        "gunicorn_workers": 3,
    }


def _python_load(port: int, paths: list[str], seconds: int) -> dict:
    """Fallback without wrk: 8 threads with keep-alive connections (the client's own
    CPU use lowers the figure on a 2-core machine)."""
    deadline = time.monotonic() + seconds

    def worker(offset: int) -> list[float]:
        conn, latencies, i = HTTPConnection("127.0.0.1", port, timeout=10), [], offset
        while time.monotonic() < deadline:
            started = time.perf_counter()
            conn.request("GET", paths[i % len(paths)])
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status} for {paths[i % len(paths)]}")
            latencies.append(time.perf_counter() - started)
            i += 1
        conn.close()
        return latencies

    with ThreadPoolExecutor(8) as pool:
        latencies = [x for r in pool.map(worker, range(8)) for x in r]
    timing = benchmark.Timing("http", latencies, 0)
    return {
        "load_generator": "python threads x8",
        "requests_per_s": round(len(latencies) / seconds),
        "p50_ms": round(timing.percentile(50), 2),
        "p95_ms": round(timing.percentile(95), 2),
        "gunicorn_workers": 3,
    }


def _ok(response):
    if response.status_code != 200:
        raise RuntimeError(f"API answered {response.status_code}: {response.content[:300]!r}")
    return response


def _query(params: dict):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    query.update(params)
    return query


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")
