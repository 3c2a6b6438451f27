"""Benchmark the full rematch from PostgreSQL back to PostgreSQL, and the rest.

    DATABASE_URL=postgres://…/exchange_bench manage.py bench_matching \\
        --workers 1000000 --vacancies 100000 --seed 1 --corr typical

WIPES every worker, vacancy and match of that database first (use a database of its
own; --reuse keeps a market already loaded with the same size). Prints the time per
stage of `manage.py rematch` run as a child process (its own peak memory), pairs per
second per core, JIT apart, the reference per-pair scorer on a sample of the same
data with the ratio, the incremental path and the assignment step; the last line is
the same as JSON. With CELERY_BROKER_URL set and a worker consuming
matching_incremental on the same database, it also times an edited vacancy from the
commit to its new rows, through the broker and the worker.
"""

import json
import os
import resource
import subprocess
import sys
import time

import numba
import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from matching import assignment, engine, services
from matching.benchmark import load_market
from matching.encoding import encode, fetch_columns, open_vacancies, open_workers
from matching.management.commands.rematch import STAGES
from matching.models import BlockWorker, Match, MatchRun
from matching.reference import score_pair
from migrants.models import MigrantOccupation, MigrantProfile
from vacancies.models import Vacancy


def _block(code: str):
    """The open workers of an occupation's block (its ISCO minor group)."""
    return open_workers().filter(
        pk__in=MigrantOccupation.objects.filter(occupation__code__startswith=code[:3]).values(
            "profile_id"
        )
    )


def _dense(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(values, return_inverse=True) by one argsort (numpy 2.4's unique takes
    ~30 s on these 18 M ids)."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.concatenate(([True], ordered[1:] != ordered[:-1])) if len(values) else ordered
    inverse = np.empty(len(values), np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=1_000_000)
        parser.add_argument("--vacancies", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--corr", choices=["typical", "worst"], default="typical")
        parser.add_argument("--reuse", action="store_true", help="keep a loaded market")
        parser.add_argument("--sample", type=int, default=20_000, help="pairs for the reference")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_matching needs PostgreSQL: set DATABASE_URL.")
        n, m = options["workers"], options["vacancies"]
        say = self.stdout.write
        loaded = MigrantProfile.objects.count() == n and Vacancy.objects.count() == m
        if not (options["reuse"] and loaded):
            load_market(n, m, options["seed"], options["corr"], say=say)
        report = {"workers": n, "vacancies": m, "seed": options["seed"], "corr": options["corr"]}
        report["threads"] = numba.get_num_threads()

        started = time.perf_counter()
        report["jit_seconds"] = round(engine.warm_up(), 2)
        say(f"JIT (numba cache): {report['jit_seconds']} s")

        # The full rematch, end to end, in its own process so its peak memory is its own.
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "rematch"],
            check=True,
            env=os.environ,
        )
        report["end_to_end_seconds"] = round(time.perf_counter() - started, 2)
        child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        run = MatchRun.current()
        score = run.stages.get("score", 0)
        report.update(
            run_seconds=run.seconds,
            stages=run.stages,
            pairs_scored=run.pairs_scored,
            pairs_without_blocking=run.workers * run.vacancies,
            matches_stored=run.matches_stored,
            pairs_per_second=round(run.pairs_scored / max(score, 1e-9)),
            pairs_per_second_per_core=round(
                run.pairs_scored / max(score, 1e-9) / report["threads"]
            ),
            peak_rss_mib=round(child_rss),
        )
        say(
            f"full rematch: {run.workers:,} workers × {run.vacancies:,} vacancies, "
            f"{run.pairs_scored:,} pairs after blocking (of {report['pairs_without_blocking']:,}), "
            f"{run.matches_stored:,} stored; end to end {report['end_to_end_seconds']} s "
            f"(run {run.seconds} s: "
            + ", ".join(f"{name} {run.stages[name]} s" for name in STAGES if name in run.stages)
            + f"); scoring {report['pairs_per_second'] / 1e6:.0f} M pairs/s "
            f"({report['pairs_per_second_per_core'] / 1e6:.0f} M per core); "
            f"peak RSS {report['peak_rss_mib']} MiB"
        )

        vacancy_id, block = self._largest_block()
        report.update(self._reference(vacancy_id, block, options["sample"], report))
        report.update(self._incremental(vacancy_id))
        report.update(self._live(vacancy_id))
        report.update(self._assignment())
        say(json.dumps(report))

    def _largest_block(self):
        """A vacancy in the most crowded occupation block, and that block's workers."""
        # Blocks by their open workers (BlockWorker rows, which the rematch just wrote),
        # most first: the first with an open vacancy.
        for row in (
            BlockWorker.objects.values("block")
            .annotate(workers=Count("profile"))
            .order_by("-workers")
        ):
            vacancy = (
                open_vacancies()
                .filter(occupation__code__startswith=f"{row['block']:03d}")
                .order_by("pk")
                .first()
            )
            if vacancy is not None:
                return vacancy.pk, _block(vacancy.occupation_id)
        raise CommandError("no open vacancy has workers in its block: nothing to measure")

    def _reference(self, vacancy_id, block, sample: int, report) -> dict:
        """The plain per-pair Python scorer on random pairs of one block of the same data."""
        code = Vacancy.objects.get(pk=vacancy_id).occupation_id
        encoded = encode(block, open_vacancies().filter(occupation__code__startswith=code[:3]))
        w = services.weights()
        rng = np.random.default_rng(0)
        workers = rng.integers(0, len(encoded.workers), sample)
        vacancies = rng.integers(0, len(encoded.vacancies), sample)
        started = time.perf_counter()
        for i, j in zip(workers.tolist(), vacancies.tolist(), strict=True):
            score_pair(encoded.workers, encoded.vacancies, i, j, w)
        seconds = time.perf_counter() - started
        rate = sample / max(seconds, 1e-9)
        ratio = report["pairs_per_second_per_core"] / max(rate, 1e-9)
        self.stdout.write(
            f"reference scorer: {sample:,} pairs in {seconds:.2f} s = {rate:,.0f} pairs/s; "
            f"the engine is {ratio:,.0f}× faster per core"
        )
        return {
            "reference_pairs_per_second": round(rate),
            "engine_vs_reference_per_core": round(ratio),
        }

    def _incremental(self, vacancy_id) -> dict:
        """One vacancy against its block, and one worker against the open vacancies."""
        times = []
        for _ in range(5):
            started = time.perf_counter()
            services.rematch_vacancy(vacancy_id)
            times.append(time.perf_counter() - started)
        profile_id = (
            Match.objects.filter(vacancy_id=vacancy_id).values_list("profile_id", flat=True).first()
        )
        worker_times = []
        for _ in range(5):
            started = time.perf_counter()
            services.rematch_worker(profile_id)
            worker_times.append(time.perf_counter() - started)
        # Scoring alone, without loading: the engine's share of the incremental path.
        vacancy = Vacancy.objects.filter(pk=vacancy_id)
        encoded = encode(_block(vacancy[0].occupation_id), vacancy)
        block = len(encoded.workers)
        score_times = []
        for _ in range(20):
            started = time.perf_counter()
            engine.score_one_vacancy(encoded.workers, encoded.vacancies, 0, services.weights(), 50)
            score_times.append(time.perf_counter() - started)
        figures = {
            "incremental_block_workers": block,
            "incremental_vacancy_ms": round(float(np.median(times)) * 1000, 1),
            "incremental_vacancy_score_ms": round(float(np.median(score_times)) * 1000, 2),
            "incremental_worker_ms": round(float(np.median(worker_times)) * 1000, 1),
        }
        self.stdout.write(
            f"incremental: one vacancy against its block of {block:,} workers "
            f"{figures['incremental_vacancy_ms']} ms end to end (scoring "
            f"{figures['incremental_vacancy_score_ms']} ms); one worker "
            f"{figures['incremental_worker_ms']} ms end to end"
        )
        return figures

    def _live(self, vacancy_id) -> dict:
        """From the commit of an edit to the vacancy's new rows being readable, through
        the broker and a running worker (the path a real edit takes). Needs
        CELERY_BROKER_URL and a worker on the matching_incremental queue."""
        from exchange.celery import app
        from matching.scheduling import schedule_vacancy_rematch

        if app.conf.task_always_eager:
            self.stdout.write("live: skipped (set CELERY_BROKER_URL and start a worker)")
            return {}
        latencies = []
        for _ in range(5):
            time.sleep(settings.MATCHING_DEBOUNCE_SECONDS + 0.2)  # each edit a burst of its own
            with transaction.atomic():
                Vacancy.objects.filter(pk=vacancy_id).update(updated_at=timezone.now())
                schedule_vacancy_rematch(vacancy_id)
            committed = timezone.now()
            deadline = time.perf_counter() + 30
            while not Match.objects.filter(
                vacancy_id=vacancy_id, computed_at__gte=committed
            ).exists():
                if time.perf_counter() > deadline:
                    raise CommandError("no rows 30 s after the commit: is a worker running?")
                time.sleep(0.005)
            latencies.append((timezone.now() - committed).total_seconds())
        figures = {
            "live_vacancy_visible_ms_p50": round(float(np.median(latencies)) * 1000, 1),
            "live_vacancy_visible_ms_max": round(max(latencies) * 1000, 1),
        }
        self.stdout.write(
            "live: an edited vacancy's new candidates readable "
            f"{figures['live_vacancy_visible_ms_p50']} ms after the commit (median of 5, "
            f"slowest {figures['live_vacancy_visible_ms_max']} ms), through the broker and "
            "a worker"
        )
        return figures

    def _assignment(self) -> dict:
        """Deferred acceptance and greedy on the stored worker-side candidate graph."""
        started = time.perf_counter()
        profile, vacancy, score = fetch_columns(
            Match.objects.filter(in_worker_top=True, run=MatchRun.current()).order_by(
                "profile_id", "-score"
            ),
            profile=("int", "profile_id"),
            vacancy=("int", "vacancy_id"),
            score=("float", "score"),
        )
        vacancy_ids, vacancy_at = _dense(vacancy)
        worker_ids, worker_at = _dense(profile)
        k = services.K_PER_WORKER
        rank = np.arange(len(worker_at)) - np.searchsorted(worker_at, worker_at)
        prefs = np.full((len(worker_ids), k), -1, np.int32)
        scores = np.zeros((len(worker_ids), k), np.float32)
        prefs[worker_at, rank] = vacancy_at
        scores[worker_at, rank] = score
        positions = dict(
            open_vacancies()
            .filter(pk__in=vacancy_ids.tolist())
            .values_list("pk", "positions_total")
        )
        capacity = np.array([positions.get(int(pk), 0) for pk in vacancy_ids], np.int64)
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        assigned = assignment.deferred_acceptance(prefs, scores, capacity)
        da_seconds = time.perf_counter() - started
        started = time.perf_counter()
        greedy = assignment.greedy(prefs, scores, capacity)
        greedy_seconds = time.perf_counter() - started
        figures = {
            "assignment_edges": len(profile),
            "assignment_load_seconds": round(load_seconds, 2),
            "deferred_acceptance_seconds": round(da_seconds, 3),
            "deferred_acceptance_matched": int((assigned >= 0).sum()),
            "greedy_seconds": round(greedy_seconds, 3),
            "greedy_matched": int((greedy >= 0).sum()),
        }
        self.stdout.write(
            f"assignment on {len(profile):,} stored candidate edges ({len(worker_ids):,} "
            f"workers): deferred acceptance {da_seconds:.2f} s "
            f"({figures['deferred_acceptance_matched']:,} placed), greedy "
            f"{greedy_seconds:.2f} s ({figures['greedy_matched']:,}); reading the graph "
            f"{load_seconds:.1f} s"
        )
        return figures
