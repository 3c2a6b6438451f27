"""The full rematch: in one process, or split by occupation blocks over Celery workers."""

import time
from collections.abc import Callable

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from matching import engine
from matching.encoding import (
    Vocabulary,
    block_worker_rows,
    encode,
    open_vacancies,
    open_workers,
)
from matching.models import Match, MatchRun
from matching.selection_facts import selection_facts
from matching.services.scoring import K_PER_VACANCY, K_PER_WORKER, weights
from matching.services.storing import _StageTimer, _write_block_workers, _write_rows
from migrants.models import MigrantOccupation, MigrantProfile
from vacancies.models import Vacancy


def rematch_all(*, progress: Callable[[str], None] | None = None) -> MatchRun:
    """Score every open vacancy against every open worker and store the top lists."""
    started = time.perf_counter()
    timer = _StageTimer(progress or (lambda stage: None))
    run = MatchRun.objects.create(engine_version=engine.ENGINE_VERSION)
    snapshot_at = timezone.now()
    postgres = connection.vendor == "postgresql"
    try:
        with timer.stage("load"):
            vocabulary = Vocabulary.load()
            encoded = encode(open_workers(), open_vacancies(), vocabulary, parallel=True)
            run.skill_vocabulary = vocabulary.as_codes()
            run.save(update_fields=["skill_vocabulary"])
        with timer.stage("score"):
            w = weights()
            result = engine.top_k(
                encoded.workers,
                encoded.vacancies,
                k_per_vacancy=K_PER_VACANCY,
                k_per_worker=K_PER_WORKER,
                weights=w,
            )

        def finish() -> None:
            MatchRun.objects.filter(pk=run.pk).update(
                status=MatchRun.Status.FINISHED,
                finished_at=timezone.now(),
                workers=len(encoded.workers),
                vacancies=len(encoded.vacancies),
                pairs_scored=int(result.pairs_scored),
                matches_stored=written,
                seconds=round(time.perf_counter() - started, 3),
                stages=timer.so_far(),
                block_workers_written=True,
            )

        if postgres:
            from matching import bulk_store

            with timer.stage("store"):
                for table in bulk_store.TABLE, bulk_store.BLOCK_WORKER_TABLE:
                    bulk_store.create_next_table(table)
            written = _write_rows(run, encoded, result, w, timer, block_workers=True)
            with timer.stage("index"):
                bulk_store.swap(finish, (bulk_store.TABLE, bulk_store.BLOCK_WORKER_TABLE))
        else:
            with transaction.atomic():
                written = _write_rows(run, encoded, result, w, timer, block_workers=True)
                finish()
                # The previous runs' rows are no longer read.
                Match.objects.exclude(run=run).delete()
    except BaseException:
        MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.FAILED)
        Match.objects.filter(run=run).delete()
        raise
    _rescore_changed_since(snapshot_at)
    run.refresh_from_db()
    return run


def _rescore_changed_since(moment) -> None:
    """Vacancies and workers edited while the rematch ran were scored from the snapshot:
    rescore them incrementally so their lists (and BlockWorker rows) reflect the edit.
    A worker placed meanwhile counts as edited: placement leaves the profile as it is."""
    from matching.scheduling import schedule_vacancy_rematch, schedule_worker_rematch

    for pk in Vacancy.objects.filter(updated_at__gt=moment).values_list("pk", flat=True):
        schedule_vacancy_rematch(pk)
    edited = MigrantProfile.objects.filter(updated_at__gt=moment).values_list("pk", flat=True)
    moved = selection_facts().profiles_moved_since(moment)
    for pk in sorted({*edited, *moved}):
        schedule_worker_rematch(pk)


# --- A full rematch split by occupation blocks over several Celery workers ----------


def split_parts(parts: int) -> list[list[str]]:
    """ISCO major groups dealt into `parts` groups of similar size (by open vacancies).
    A vacancy's block (its minor group) lies within one major group, so every pair is
    scored in exactly one part."""
    counts = dict.fromkeys("0123456789", 0)
    for code in open_vacancies().values_list("occupation_id", flat=True).iterator():
        counts[code[0]] += 1
    shares: list[list[str]] = [[] for _ in range(max(1, min(parts, 10)))]
    sizes = [0] * len(shares)
    for major, count in sorted(counts.items(), key=lambda item: -item[1]):
        smallest = sizes.index(min(sizes))
        shares[smallest].append(major)
        sizes[smallest] += count
    return [sorted(share) for share in shares if share]


def start_split_rematch() -> MatchRun:
    run = MatchRun.objects.create(
        engine_version=engine.ENGINE_VERSION, skill_vocabulary=Vocabulary.load().as_codes()
    )
    if connection.vendor == "postgresql":
        from matching import bulk_store

        for table in bulk_store.TABLE, bulk_store.BLOCK_WORKER_TABLE:
            bulk_store.create_next_table(table)
    return run


def rematch_part(run_id: int, majors: list[str]) -> int:
    """Score the blocks of the given ISCO major groups and write their rows for the run:
    every vacancy's top list is exact; workers' lists are the best among this part's
    vacancies and are merged by finish_split_rematch. Returns the pairs scored."""
    run = MatchRun.objects.get(pk=run_id)
    in_part = Q()
    for major in majors:
        in_part |= Q(occupation__code__startswith=major)
    workers = open_workers().filter(
        pk__in=MigrantOccupation.objects.filter(in_part).values("profile_id")
    )
    encoded = encode(
        workers, open_vacancies().filter(in_part), Vocabulary.for_run(run), parallel=True
    )
    w = weights()
    result = engine.top_k(
        encoded.workers,
        encoded.vacancies,
        k_per_vacancy=K_PER_VACANCY,
        k_per_worker=K_PER_WORKER,
        weights=w,
    )
    _write_rows(
        run,
        encoded,
        result,
        w,
        _StageTimer(lambda stage: None),
        # The embedded database writes the BlockWorker rows at the finish.
        block_workers=connection.vendor == "postgresql",
        majors=majors,
    )
    return int(result.pairs_scored)


def finish_split_rematch(run_id: int, pairs_per_part: list[int]) -> MatchRun:
    run = MatchRun.objects.get(pk=run_id)
    started = run.started_at

    def finish() -> None:
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRun.Status.FINISHED,
            finished_at=timezone.now(),
            workers=open_workers().count(),
            vacancies=open_vacancies().count(),
            pairs_scored=sum(pairs_per_part),
            matches_stored=Match.objects.filter(run_id=run_id).count(),
            seconds=round((timezone.now() - started).total_seconds(), 3),
            block_workers_written=True,
        )

    if connection.vendor == "postgresql":
        from matching import bulk_store

        bulk_store.keep_best_worker_lists(K_PER_WORKER)
        bulk_store.swap(finish, (bulk_store.TABLE, bulk_store.BLOCK_WORKER_TABLE))
    else:
        # Small data: the parts wrote no BlockWorker rows, all are written here.
        workers = encode(open_workers(), Vacancy.objects.none(), Vocabulary.for_run(run))
        with transaction.atomic():
            _keep_best_worker_lists_orm(run_id)
            _write_block_workers(block_worker_rows(workers))
            finish()
            Match.objects.exclude(run_id=run_id).delete()
    _rescore_changed_since(started)
    run.refresh_from_db()
    return run


def fail_run(run_id: int) -> None:
    MatchRun.objects.filter(pk=run_id, status=MatchRun.Status.RUNNING).update(
        status=MatchRun.Status.FAILED
    )
    Match.objects.filter(run_id=run_id).delete()


def _keep_best_worker_lists_orm(run_id: int) -> None:
    """bulk_store.keep_best_worker_lists for the embedded database (small data)."""
    seen: dict[int, int] = {}
    demote = []
    for pk, profile_id in (
        Match.objects.filter(run_id=run_id, in_worker_top=True)
        .order_by("profile_id", "-score", "vacancy_id")
        .values_list("pk", "profile_id")
    ):
        seen[profile_id] = seen.get(profile_id, 0) + 1
        if seen[profile_id] > K_PER_WORKER:
            demote.append(pk)
    Match.objects.filter(pk__in=demote).update(in_worker_top=False)
    Match.objects.filter(run_id=run_id, in_worker_top=False, in_vacancy_top=False).delete()
