"""The fast matching engine: top-K per vacancy and per worker over blocked arrays.

Pure numpy + numba, no Django import. ``matching.reference`` is the specification
of the score; this package computes the same numbers (float32, to 1e-6) for the
pairs that share an ISCO minor group, and keeps the K best of each side.

Usage::

    result = top_k(workers, vacancies, k_per_vacancy=50, k_per_worker=20)
    result.vacancy_idx[j]  # best workers for vacancy j, -1 padded
    explain(workers, vacancies, i, j)  # the breakdown of one pair

Both cores are used by numba's ``prange`` (threads; set NUMBA_NUM_THREADS to limit).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numba
import numpy as np

from matching.engine import kernels
from matching.engine.blocks import (
    N_BLOCKS,
    BlockIndex,
    build_index,
    params,
    vacancy_coefficients,
    worker_entries,
)
from matching.engine.explain import explain_pairs
from matching.engine.model import (
    DEFAULT_WEIGHTS,
    ENGINE_VERSION,
    LANGS,
    N_LANGS,
    N_REGIONS,
    N_SLOTS,
    Vacancies,
    Weights,
    Workers,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "ENGINE_VERSION",
    "LANGS",
    "N_LANGS",
    "N_REGIONS",
    "N_SLOTS",
    "BlockIndex",
    "TopK",
    "Vacancies",
    "Weights",
    "Workers",
    "build_index",
    "explain",
    "explain_pairs",
    "score_one_vacancy",
    "score_one_worker",
    "top_k",
    "warm_up",
]

TASKS_PER_THREAD = 64  # ranges of equal work per pass; more than threads for balance
# Entries each vacancy is first scored against for its floor (kernels.vacancy_floors):
# without floors every task's part row of a vacancy relearns its K-th best from
# nothing, and 12% of all pairs were offered to a vacancy's list; with them 4.5%.
FLOOR_SAMPLE = 1024


@dataclass(eq=False)
class TopK:
    """Both sides' best lists, sorted by score desc (then index asc), -1/0 padded."""

    vacancy_idx: np.ndarray  # (m, k_per_vacancy) int32 worker indices
    vacancy_scores: np.ndarray  # (m, k_per_vacancy) float32
    worker_idx: np.ndarray  # (n, k_per_worker) int32 vacancy indices
    worker_scores: np.ndarray  # (n, k_per_worker) float32
    pairs_scored: int  # pairs in shared blocks (each scored once per side)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    engine_version: str = ENGINE_VERSION


def _threads() -> int:
    import numba

    return numba.get_num_threads()


def _pair_tasks(index: BlockIndex, n_tasks: int):
    """Split the blocks into tasks of about equal work for ``kernels.pair_pass``.

    A task is a range of one block's entries (at least a tile, unless the block is
    smaller) against all the block's vacancies. Returns the tasks, biggest first (with
    tasks handed out one at a time, the threads then finish together), each task's
    first part row, and each block's tasks as (block_ptr, block_tasks).
    """
    sizes_e = (index.e_hi - index.e_lo).astype(np.int64)
    sizes_v = (index.v_hi - index.v_lo).astype(np.int64)
    work = sizes_e * sizes_v
    target = max(work.sum() / max(n_tasks, 1), 1.0)
    tasks = []
    for g in np.flatnonzero(work > 0).tolist():  # at most 1000 blocks
        pieces = int(min(np.ceil(work[g] / target), np.ceil(sizes_e[g] / kernels.TILE)))
        bounds = np.linspace(index.e_lo[g], index.e_hi[g], pieces + 1).astype(np.int64)
        tasks += [(g, bounds[k], bounds[k + 1]) for k in range(pieces)]
    tasks = np.array(tasks, dtype=np.int64).reshape(-1, 3)
    task_work = (tasks[:, 2] - tasks[:, 1]) * sizes_v[tasks[:, 0]]
    tasks = tasks[np.argsort(-task_work, kind="stable")]
    rows = sizes_v[tasks[:, 0]]
    part_base = np.zeros(len(tasks), dtype=np.int64)
    np.cumsum(rows[:-1], out=part_base[1:])
    block_tasks = np.argsort(tasks[:, 0], kind="stable").astype(np.int64)
    block_ptr = np.zeros(N_BLOCKS + 1, dtype=np.int64)
    np.cumsum(np.bincount(tasks[:, 0], minlength=N_BLOCKS), out=block_ptr[1:])
    return tasks, part_base, block_ptr, block_tasks


def top_k(
    workers: Workers,
    vacancies: Vacancies,
    *,
    k_per_vacancy: int = 50,
    k_per_worker: int = 20,
    weights: Weights = DEFAULT_WEIGHTS,
    index: BlockIndex | None = None,
) -> TopK:
    """Score every blocked pair and keep the best ``k`` of each vacancy and each worker.

    Pairs failing a hard filter, or scoring 0, are never returned. Pass ``index``
    (from ``build_index``) to reuse the blocking of an unchanged snapshot.
    """
    if k_per_vacancy < 1 or k_per_worker < 1:
        raise ValueError("k must be ≥ 1")
    timings = {}
    started = time.perf_counter()
    if index is None:
        index = build_index(workers, vacancies)
    timings["block"] = time.perf_counter() - started
    P = params(weights)
    n, m = len(workers), len(vacancies)
    E, V = index.E, index.V

    started = time.perf_counter()
    tasks, part_base, block_ptr, block_tasks = _pair_tasks(index, TASKS_PER_THREAD * _threads())
    entry_idx = np.full((index.n_entries, k_per_worker), -1, dtype=np.int32)
    entry_scores = np.zeros((index.n_entries, k_per_worker), dtype=np.float32)
    n_parts = int(part_base[-1] + (index.v_hi - index.v_lo)[tasks[-1, 0]]) if len(tasks) else 0
    part_idx = np.empty((n_parts, k_per_vacancy), dtype=np.int32)
    part_scores = np.empty((n_parts, k_per_vacancy), dtype=np.float32)
    floors = np.zeros(len(V[kernels.V_INDEX]), dtype=np.float32)  # per vacancy position
    kernels.vacancy_floors(
        V, E, index.e_lo, index.e_mid, index.e_hi, P, k_per_vacancy, FLOOR_SAMPLE, floors
    )
    previous_chunk_size = numba.set_parallel_chunksize(1)  # tasks handed out one at a time
    try:
        kernels.pair_pass(
            tasks,
            part_base,
            V,
            E,
            index.v_lo,
            index.v_hi,
            index.e_mid,
            P,
            k_per_vacancy,
            k_per_worker,
            entry_idx,
            entry_scores,
            np.empty(index.n_entries, dtype=np.float32),  # each entry's K-th best score
            part_idx,
            part_scores,
            floors,
        )
    finally:
        numba.set_parallel_chunksize(previous_chunk_size)
    timings["score_pairs"] = time.perf_counter() - started

    started = time.perf_counter()
    vacancy_idx = np.full((m, k_per_vacancy), -1, dtype=np.int32)
    vacancy_scores = np.zeros((m, k_per_vacancy), dtype=np.float32)
    kernels.merge_parts(
        V,
        index.v_lo,
        block_ptr,
        block_tasks,
        part_base,
        part_idx,
        part_scores,
        k_per_vacancy,
        vacancy_idx,
        vacancy_scores,
    )
    del part_idx, part_scores
    timings["merge_vacancies"] = time.perf_counter() - started

    started = time.perf_counter()
    worker_idx = np.empty((n, k_per_worker), dtype=np.int32)
    worker_scores = np.empty((n, k_per_worker), dtype=np.float32)
    kernels.merge_pass(
        index.entry_ptr,
        index.entry_of,
        entry_idx,
        entry_scores,
        k_per_worker,
        worker_idx,
        worker_scores,
    )
    timings["merge_workers"] = time.perf_counter() - started
    return TopK(
        vacancy_idx,
        vacancy_scores,
        worker_idx,
        worker_scores,
        index.pairs(),
        timings,
    )


def score_one_vacancy(
    workers: Workers,
    vacancies: Vacancies,
    j: int,
    weights: Weights = DEFAULT_WEIGHTS,
    k: int = 50,
    *,
    index: BlockIndex | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k workers for vacancy ``j`` alone: the same row as ``top_k`` would return.

    With ``index`` the worker block is already sorted (sub-millisecond for 150k
    workers); without it the block is found by scanning the worker arrays.
    """
    out_idx = np.full((1, k), -1, dtype=np.int32)
    out_scores = np.zeros((1, k), dtype=np.float32)
    buf = np.empty(kernels.CHUNK, np.float32)
    ts, ti = np.empty(k, np.float32), np.empty(k, np.int32)
    P = params(weights)
    if index is not None:
        p = int(index.v_pos[j])
        if p < 0:
            return out_idx[0], out_scores[0]
        g = int(index.V[kernels.V_MINOR][p])
        E, V = index.E, index.V
        lo, mid, hi = int(index.e_lo[g]), int(index.e_mid[g]), int(index.e_hi[g])
    else:
        V = vacancy_coefficients(vacancies, np.array([j]))
        if V[kernels.V_INDEX].shape[0] == 0:
            return out_idx[0], out_scores[0]
        p = 0
        E = worker_entries(workers, minor=int(vacancies.occ[j]) // 10)
        lo, hi = 0, E[kernels.E_WORKER].shape[0]
        mid = int(np.searchsorted(E[kernels.E_CODE2] >= 0, True))
    kernels.vacancy_row(p, V, E, lo, mid, hi, P, k, buf, ts, ti)
    valid = ti != kernels.NO_INDEX
    out_idx[0, valid] = ti[valid]
    out_scores[0, valid] = ts[valid]
    return out_idx[0], out_scores[0]


def score_one_worker(
    workers: Workers,
    vacancies: Vacancies,
    i: int,
    weights: Weights = DEFAULT_WEIGHTS,
    k: int = 20,
    *,
    index: BlockIndex | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Top-k vacancies for worker ``i`` alone: the same row as ``top_k`` would return."""
    P = params(weights)
    if index is not None:
        E, V = index.E, index.V
        rows = index.entry_of[index.entry_ptr[i] : index.entry_ptr[i + 1]]
        v_lo, v_hi = index.v_lo, index.v_hi
    else:
        E = worker_entries(workers, rows=np.array([i]))
        rows = np.arange(E[kernels.E_WORKER].shape[0])
        minors = np.unique(E[kernels.E_MINOR])
        in_blocks = np.flatnonzero(np.isin(vacancies.occ // 10, minors))
        V = vacancy_coefficients(vacancies, in_blocks)
        from matching.engine.blocks import block_bounds

        v_lo, v_hi = block_bounds(V[kernels.V_MINOR])
    entry_idx = np.empty((len(rows), k), dtype=np.int32)
    entry_scores = np.empty((len(rows), k), dtype=np.float32)
    buf = np.empty(kernels.CHUNK, np.float32)
    ts, ti = np.empty(k, np.float32), np.empty(k, np.int32)
    for r, e in enumerate(rows):
        g = int(E[kernels.E_MINOR][e])
        multi = bool(E[kernels.E_CODE2][e] >= 0)
        kernels.entry_row(int(e), V, E, int(v_lo[g]), int(v_hi[g]), multi, P, k, buf, ts, ti)
        valid = ti != kernels.NO_INDEX
        entry_idx[r] = np.where(valid, ti, -1)
        entry_scores[r] = np.where(valid, ts, 0)
    out_idx = np.empty((1, k), dtype=np.int32)
    out_scores = np.empty((1, k), dtype=np.float32)
    kernels.merge_rows(
        np.arange(len(rows), dtype=np.int64), entry_idx, entry_scores, k, out_idx, out_scores, 0
    )
    return out_idx[0], out_scores[0]


def explain(
    workers: Workers, vacancies: Vacancies, i: int, j: int, weights: Weights = DEFAULT_WEIGHTS
):
    """The full breakdown of one pair (the reference scorer: one pair is cheap)."""
    from matching.reference import score_pair

    return score_pair(workers, vacancies, i, j, weights)


def warm_up() -> float:
    """Compile (or load from numba's cache) every kernel on a tiny input; seconds taken.

    Call it at worker start so the first real request does not pay for the JIT.
    """
    started = time.perf_counter()
    w = Workers(
        occ=np.array([[7112, 7113, 0], [7112, 0, 0]], dtype=np.int32),
        exp=np.ones((2, N_SLOTS), dtype=np.float32),
        skills=np.ones((2, N_SLOTS), dtype=np.uint64),
        lang=np.full((2, N_LANGS), 3, dtype=np.uint8),
        regions=np.ones((2, 2), dtype=np.uint64),
        anywhere=np.array([False, True]),
        min_salary=np.zeros(2, dtype=np.float32),
        available=np.zeros(2, dtype=np.int32),
        ok=np.ones(2, dtype=bool),
        needs_foreign_ok=np.zeros(2, dtype=bool),
        needs_quota=np.zeros(2, dtype=bool),
    )
    v = Vacancies(
        occ=np.array([7112], dtype=np.int32),
        skills=np.ones(1, dtype=np.uint64),
        lang_req=np.full((1, N_LANGS), 2, dtype=np.uint8),
        region=np.zeros(1, dtype=np.int16),
        salary=np.ones(1, dtype=np.float32),
        start=np.zeros(1, dtype=np.int32),
        exp_req=np.ones(1, dtype=np.float32),
        ok=np.ones(1, dtype=bool),
        foreign_ok=np.ones(1, dtype=bool),
        quota_left=np.ones(1, dtype=bool),
    )
    index = build_index(w, v)
    top_k(w, v, k_per_vacancy=2, k_per_worker=2, index=index)
    for prebuilt in (index, None):
        score_one_vacancy(w, v, 0, k=2, index=prebuilt)
        score_one_worker(w, v, 0, k=2, index=prebuilt)
    explain_pairs(w, v, np.array([0, 1]), np.array([0, 0]), DEFAULT_WEIGHTS)
    return time.perf_counter() - started
