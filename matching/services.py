"""Matching workflows: the full rematch and the incremental updates, with storage.

Stored rows are the union of every vacancy's top list and every worker's top list,
each row flagged with the list(s) it belongs to. A full rematch writes a new run and
switches to it in one short transaction; incremental updates keep the touched
entity's own list exact and re-score its pairs in other lists (their membership is
refreshed by the nightly rematch). See docs/decisions/0005-matching-engine.md.
"""

import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from matching import engine
from matching.encoding import (
    Encoded,
    Vocabulary,
    block_worker_rows,
    encode,
    encode_vacancies,
    fetch_columns,
    open_vacancies,
    open_workers,
    positions,
    read_block,
)
from matching.engine import Weights
from matching.models import BlockWorker, Match, MatchRun
from matching.selection_facts import selection_facts
from migrants.models import MigrantOccupation, MigrantProfile
from vacancies.models import Vacancy

K_PER_VACANCY = 50
K_PER_WORKER = 20


def weights() -> Weights:
    return Weights(**settings.MATCHING_WEIGHTS)


@dataclass
class StoredRows:
    """The Match columns of P explained pairs (kept pairs only: hard filters passed
    and a positive score), as arrays."""

    worker_at: np.ndarray  # (P,) worker index into the encoding
    vacancy_at: np.ndarray  # (P,) vacancy index
    score: np.ndarray  # (P,) float64
    components: np.ndarray  # (P, 7) float64, Weights.COMPONENTS order
    missing_skills: np.ndarray  # (P,) int64 bits
    language_gaps: np.ndarray  # (P,) int64, one byte per language

    def __len__(self) -> int:
        return int(self.score.shape[0])

    def subset(self, which: np.ndarray) -> "StoredRows":
        return StoredRows(
            self.worker_at[which],
            self.vacancy_at[which],
            self.score[which],
            self.components[which],
            self.missing_skills[which],
            self.language_gaps[which],
        )


def _explain(
    encoded: Encoded, worker_at: np.ndarray, vacancy_at: np.ndarray, w: Weights
) -> tuple[StoredRows, np.ndarray]:
    """Explain pairs with the engine's vectorised reference (no Python per pair) and
    pack them into Match columns. Returns the rows and the mask of kept input pairs."""
    explained = engine.explain_pairs(encoded.workers, encoded.vacancies, worker_at, vacancy_at, w)
    keep = ~explained.excluded & (explained.total > 0)
    gaps = np.zeros(len(explained), np.uint64)
    short = explained.shortfall_mask()
    for lang in range(short.shape[1]):
        byte = explained.lang_held[:, lang].astype(np.uint64) << np.uint64(
            4
        ) | explained.lang_required[:, lang].astype(np.uint64)
        gaps |= np.where(short[:, lang], byte << np.uint64(8 * lang), np.uint64(0))
    rows = StoredRows(
        worker_at=worker_at[keep],
        vacancy_at=vacancy_at[keep],
        score=explained.total[keep],
        components=np.round(explained.components[keep], 6),
        missing_skills=explained.missing_skill_bits[keep].view(np.int64),
        language_gaps=gaps[keep].view(np.int64),
    )
    return rows, keep


EXPLAIN_CHUNK = 1_000_000  # pairs explained and written at a time: bounds the memory


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


def _write_rows(
    run,
    encoded: Encoded,
    result,
    w: Weights,
    timer: "_StageTimer",
    *,
    block_workers: bool = False,
    majors: list[str] | None = None,
) -> int:
    """Explain the stored pairs a chunk at a time and write each chunk at once
    (PostgreSQL: into the next table by COPY, over two connections while the next
    chunk is explained), so that memory stays bounded whatever the size. With
    `block_workers`, the encoded workers' BlockWorker rows are written first (those of
    the ISCO major groups `majors` only, if given). Returns the match rows written."""
    with timer.stage("explain"):
        worker_at, vacancy_at, in_vacancy_top, in_worker_top = _stored_pairs(result)
    written = 0
    # "store" counts only the time spent waiting for the writers.
    with ExitStack() as writing:
        with timer.stage("store"):
            write = writing.enter_context(_writer())
            if block_workers:
                write(partial(_write_block_workers, block_worker_rows(encoded, majors)))
        for start in range(0, len(worker_at), EXPLAIN_CHUNK):
            part = slice(start, start + EXPLAIN_CHUNK)
            with timer.stage("explain"):
                rows, keep = _explain(encoded, worker_at[part], vacancy_at[part], w)
                flags = in_vacancy_top[part][keep], in_worker_top[part][keep]
            with timer.stage("store"):
                write(partial(_store_rows, run, encoded, rows, *flags))
            written += len(rows)
        with timer.stage("store"):
            writing.close()
    return written


@contextmanager
def _writer():
    """``write(job)``: on PostgreSQL a job runs on one of the COPY streams, otherwise
    at once in the caller's transaction."""
    if connection.vendor == "postgresql":
        from matching import bulk_store

        with bulk_store.parallel_copy() as write:
            yield write
    else:
        yield lambda job: job()


def _store_rows(run, encoded: Encoded, rows: StoredRows, in_vacancy_top, in_worker_top) -> None:
    """A full rematch's match rows (PostgreSQL: into the next table)."""
    if connection.vendor == "postgresql":
        from matching import bulk_store

        bulk_store.copy_rows(run, encoded, rows, in_vacancy_top, in_worker_top)
    else:
        _store_orm(run, encoded, rows, in_vacancy_top, in_worker_top)


def _write_block_workers(columns: dict[str, np.ndarray]) -> None:
    """A full rematch's BlockWorker rows: on PostgreSQL into the next table, swapped in
    with the matches; on the embedded database in place of all others (the caller's
    transaction makes that one step)."""
    if connection.vendor == "postgresql":
        from matching import bulk_store

        bulk_store.copy_columns(bulk_store.next_table(bulk_store.BLOCK_WORKER_TABLE), columns)
    else:
        BlockWorker.objects.all().delete()
        _store_block_workers_orm(columns)


def _store_block_workers_orm(columns: dict[str, np.ndarray]) -> None:
    names = list(columns)
    rows = zip(*(columns[name].tolist() for name in names), strict=True)
    BlockWorker.objects.bulk_create(
        (BlockWorker(**dict(zip(names, row, strict=True))) for row in rows), batch_size=2000
    )


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


class _StageTimer:
    """Seconds per stage, summed over the stage's pieces; announces each stage once."""

    def __init__(self, say: Callable[[str], None]):
        self.say, self.seconds, self.open_since = say, {}, {}

    @contextmanager
    def stage(self, name: str):
        if name not in self.seconds:
            self.seconds[name] = 0.0
            self.say(name)
        self.open_since[name] = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - self.open_since.pop(name)

    def so_far(self) -> dict[str, float]:
        """Seconds per stage, counting the open stages up to now."""
        now = time.perf_counter()
        return {
            name: round(seconds + now - self.open_since.get(name, now), 3)
            for name, seconds in self.seconds.items()
        }


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


def _stored_pairs(result) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The union of every vacancy's and every worker's top list, as index arrays sorted
    by worker then vacancy, with a flag per list (numpy: no Python loop over pairs)."""
    m, k_v = result.vacancy_idx.shape
    width = max(m, 1)
    # Worker lists: sorting each row by vacancy makes the keys sorted as a whole.
    by_worker = np.sort(result.worker_idx, axis=1).astype(np.int64)
    workers_w = np.repeat(np.arange(by_worker.shape[0], dtype=np.int64), by_worker.shape[1])
    key_w = (workers_w * width + by_worker.ravel())[by_worker.ravel() >= 0]
    workers_v = result.vacancy_idx.ravel().astype(np.int64)
    vacancies_v = np.repeat(np.arange(m, dtype=np.int64), k_v)
    key_v = np.sort((workers_v * width + vacancies_v)[workers_v >= 0])
    # Two sorted runs: a stable sort merges them in one pass (numpy 2.3+'s union1d and
    # isin took ~30 s each on these 20 M keys). A key is in each list at most once,
    # so a duplicate is a pair of neighbours, the vacancy list's copy first.
    keys = np.concatenate((key_v, key_w))
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    from_vacancy_list = order < len(key_v)
    twice = keys[1:] == keys[:-1]
    first = np.concatenate(([True], ~twice))[: len(keys)]
    also_next = np.concatenate((twice, [False]))[: len(keys)]
    keys, in_vacancy_top = keys[first], from_vacancy_list[first]
    in_worker_top = ~in_vacancy_top | also_next[first]
    return keys // width, keys % width, in_vacancy_top, in_worker_top


def _match_objects(run, encoded: Encoded, rows: StoredRows, **flags) -> list[Match]:
    profile_ids = encoded.profile_ids[rows.worker_at].tolist()
    vacancy_ids = encoded.vacancy_ids[rows.vacancy_at].tolist()
    columns = [rows.components[:, c].tolist() for c in range(len(Weights.COMPONENTS))]
    scores, skills, gaps = (
        rows.score.tolist(),
        rows.missing_skills.tolist(),
        rows.language_gaps.tolist(),
    )
    flag_lists = {name: np.broadcast_to(value, len(rows)).tolist() for name, value in flags.items()}
    return [
        Match(
            run=run,
            profile_id=profile_ids[k],
            vacancy_id=vacancy_ids[k],
            score=scores[k],
            missing_skills=skills[k],
            language_gaps=gaps[k],
            engine_version=engine.ENGINE_VERSION,
            **{name: column[k] for name, column in zip(Weights.COMPONENTS, columns, strict=True)},
            **{name: values[k] for name, values in flag_lists.items()},
        )
        for k in range(len(rows))
    ]


def _store_orm(run, encoded, rows: StoredRows, in_vacancy_top, in_worker_top) -> None:
    """The embedded database's way: bulk inserts (PostgreSQL uses matching.bulk_store)."""
    Match.objects.bulk_create(
        _match_objects(
            run, encoded, rows, in_vacancy_top=in_vacancy_top, in_worker_top=in_worker_top
        ),
        batch_size=2000,
    )


def _current_run() -> MatchRun:
    """The run incremental updates write into (an empty one before the first rematch)."""
    run = MatchRun.current()
    if run is None:
        run = MatchRun.objects.create(
            engine_version=engine.ENGINE_VERSION,
            status=MatchRun.Status.FINISHED,
            finished_at=timezone.now(),
        )
    return run


def rematch_vacancy(vacancy_id: int) -> int:
    """Re-score one vacancy against the workers of its occupation block; returns rows stored."""
    run = _current_run()
    vacancy = open_vacancies().filter(pk=vacancy_id).only("occupation_id").first()
    if vacancy is None:  # closed, filled, expired or deleted: it proposes no one
        Match.objects.filter(run=run, vacancy_id=vacancy_id).delete()
        return 0
    vocabulary = Vocabulary.for_run(run)
    if run.block_workers_written:
        # The block's workers as the run and their own updates encoded them.
        workers, profile_ids = read_block(int(vacancy.occupation_id) // 10)
        vacancies, vacancy_ids = encode_vacancies(Vacancy.objects.filter(pk=vacancy_id), vocabulary)
        encoded = Encoded(workers, vacancies, profile_ids, vacancy_ids, vocabulary)
    else:  # before the first full rematch
        in_block = MigrantOccupation.objects.filter(
            occupation__code__startswith=vacancy.occupation_id[:3]
        ).values("profile_id")
        encoded = encode(
            open_workers().filter(pk__in=in_block),
            Vacancy.objects.filter(pk=vacancy_id),
            vocabulary,
            owners=in_block,  # the related rows by occupation, not through every profile
        )
    w = weights()
    indices, _scores = engine.score_one_vacancy(
        encoded.workers, encoded.vacancies, 0, w, K_PER_VACANCY
    )
    top = {int(i) for i in indices if i >= 0}
    with transaction.atomic():
        return _apply(run, encoded, w, top=top, side="vacancy")


def rematch_worker(profile_id: int) -> int:
    """Re-score one worker against the vacancies of its occupation blocks; returns rows stored."""
    run = _current_run()
    profile = open_workers().filter(pk=profile_id).first()
    if profile is None:  # unverified, hidden, erased, placed or deleted
        with transaction.atomic():
            Match.objects.filter(run=run, profile_id=profile_id).delete()
            BlockWorker.objects.filter(profile_id=profile_id).delete()
        return 0
    minors = {code[:3] for code in profile.occupations.values_list("occupation_id", flat=True)}
    in_blocks = Q()
    for minor in minors:
        in_blocks |= Q(occupation__code__startswith=minor)
    vacancies = open_vacancies().filter(in_blocks) if minors else Vacancy.objects.none()
    encoded = encode(
        MigrantProfile.objects.filter(pk=profile_id), vacancies, Vocabulary.for_run(run)
    )
    w = weights()
    if len(encoded.vacancies):
        indices, _scores = engine.score_one_worker(
            encoded.workers, encoded.vacancies, 0, w, K_PER_WORKER
        )
        top = {int(j) for j in indices if j >= 0}
    else:
        top = set()
    with transaction.atomic():
        stored = _apply(run, encoded, w, top=top, side="worker")
        # Vacancies scored from now on read the worker as encoded here.
        BlockWorker.objects.filter(profile_id=profile_id).delete()
        _store_block_workers_orm(block_worker_rows(encoded))
        return stored


def _apply(run, encoded: Encoded, w: Weights, *, top: set[int], side: str) -> int:
    """Store the touched entity's new top list and re-score its pairs in other lists.

    `side` is "vacancy" (the entity is encoded vacancy 0; the others are workers) or
    "worker" (worker 0; the others are vacancies). Call inside a transaction.
    """
    if side == "vacancy":
        own, other, own_list, other_list = (
            "vacancy_id",
            "profile_id",
            "in_vacancy_top",
            "in_worker_top",
        )
        other_ids, entity = encoded.profile_ids, int(encoded.vacancy_ids[0])
    else:
        own, other, own_list, other_list = (
            "profile_id",
            "vacancy_id",
            "in_worker_top",
            "in_vacancy_top",
        )
        other_ids, entity = encoded.vacancy_ids, int(encoded.profile_ids[0])
    stored = Match.objects.filter(run=run, **{own: entity})
    # The entity's stored pairs, and whether each is in the other side's list.
    stored_pk, in_other_list = fetch_columns(
        stored.select_for_update().order_by(other),
        other=("int", F(other)),
        flag=("bool", F(other_list)),
    )
    # Encoded ids are sorted: find the stored pairs' others among them (an other that
    # is no longer open, or outside the block, is not re-scored and its pair goes).
    stored_at, stored_flag = positions(other_ids, stored_pk), in_other_list
    stored_flag = stored_flag[stored_at >= 0]
    stored_at = stored_at[stored_at >= 0]
    top_at = np.fromiter(top, np.int64, len(top))
    others = np.union1d(top_at, stored_at)
    fixed_at = np.zeros(len(others), np.int64)
    worker_at, vacancy_at = (others, fixed_at) if side == "vacancy" else (fixed_at, others)
    rows, keep = _explain(encoded, worker_at, vacancy_at, w)
    kept = others[keep]
    in_own_list = np.isin(kept, top_at)
    was_in_other_list = np.zeros(len(kept), bool)
    at = positions(kept, stored_at)
    was_in_other_list[at[at >= 0]] = stored_flag[at >= 0]
    # A pair stays stored while it is in either list. Whether the entity should now
    # enter other lists is left to the nightly rematch (ADR 0005).
    stays = in_own_list | was_in_other_list
    flags = {own_list: in_own_list[stays], other_list: was_in_other_list[stays]}
    rows = rows.subset(stays)
    # The entity's rows are replaced whole (delete, then one bulk write): a popular
    # vacancy sits in thousands of workers' lists, and an UPDATE per row would not do.
    stored.delete()
    _store_live(run, encoded, rows, flags["in_vacancy_top"], flags["in_worker_top"])
    return len(rows)


def _store_live(run, encoded: Encoded, rows: StoredRows, in_vacancy_top, in_worker_top) -> None:
    """Append rows to the live Match table (PostgreSQL: one binary COPY)."""
    if connection.vendor == "postgresql":
        from matching import bulk_store

        bulk_store.copy_rows(
            run, encoded, rows, in_vacancy_top, in_worker_top, table=Match._meta.db_table
        )
    else:
        _store_orm(run, encoded, rows, in_vacancy_top, in_worker_top)


def matches_for_vacancy(vacancy_id: int):
    run = MatchRun.current()
    if run is None:
        return Match.objects.none()
    return (
        Match.objects.filter(run=run, vacancy_id=vacancy_id, in_vacancy_top=True)
        .select_related("run", "vacancy")  # Match.missing decodes with both
        .order_by("-score", "profile_id")
    )


def matches_for_worker_any(profile_id: int):
    """Every stored match of the worker (their own list and vacancies' lists)."""
    run = MatchRun.current()
    if run is None:
        return Match.objects.none()
    return Match.objects.filter(run=run, profile_id=profile_id)


def matches_for_worker(profile_id: int):
    run = MatchRun.current()
    if run is None:
        return Match.objects.none()
    return (
        Match.objects.filter(run=run, profile_id=profile_id, in_worker_top=True)
        .select_related("run", "vacancy")  # Match.missing decodes with both
        .order_by("-score", "vacancy_id")
    )
