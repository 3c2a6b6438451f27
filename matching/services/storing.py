"""Writing scored pairs as Match and BlockWorker rows: explained, packed, stored in chunks."""

import time
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial

import numpy as np
from django.db import connection

from matching import engine
from matching.encoding import (
    Encoded,
    block_worker_rows,
)
from matching.engine import Weights
from matching.models import BlockWorker, Match


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


def _store_live(run, encoded: Encoded, rows: StoredRows, in_vacancy_top, in_worker_top) -> None:
    """Append rows to the live Match table (PostgreSQL: one binary COPY)."""
    if connection.vendor == "postgresql":
        from matching import bulk_store

        bulk_store.copy_rows(
            run, encoded, rows, in_vacancy_top, in_worker_top, table=Match._meta.db_table
        )
    else:
        _store_orm(run, encoded, rows, in_vacancy_top, in_worker_top)
