"""Capacity-aware many-to-one assignment on the per-worker top-K graph.

Input is what ``matching.engine.top_k`` returns for workers: ``prefs`` (n, K) vacancy
indices, best first, -1 padded, and ``scores`` (n, K) the matching pair scores.
A vacancy ranks the workers who propose to it by the same pair score (ties: the lower
worker index first), and takes at most ``capacity[j]`` of them.

- ``deferred_acceptance``: worker-proposing Gale-Shapley for hospitals/residents.
  Stable: no worker and vacancy both prefer each other to what they got, which is
  what lets us explain a result ("everyone kept at that vacancy scored higher").
  Linear in the edges: each worker proposes down its list at most once.
- ``greedy``: the plain baseline, pairs by descending score.

No Django import.
"""

from __future__ import annotations

import numpy as np
from numba import njit


def _check(prefs: np.ndarray, scores: np.ndarray, capacity: np.ndarray):
    prefs = np.ascontiguousarray(prefs, dtype=np.int32)
    scores = np.ascontiguousarray(scores, dtype=np.float32)
    capacity = np.ascontiguousarray(capacity, dtype=np.int64)
    if prefs.ndim != 2 or prefs.shape != scores.shape:
        raise ValueError("prefs and scores must be (n, K) arrays of the same shape")
    if prefs.size and (prefs.max() >= capacity.shape[0] or prefs.min() < -1):
        raise ValueError("prefs hold vacancy indices into capacity, or -1")
    return prefs, scores, np.maximum(capacity, 0)


@njit(inline="always")
def _worse(s_a, i_a, s_b, i_b):
    # The vacancy's order: lower score is worse; on a tie the higher worker index.
    return s_a < s_b or (s_a == s_b and i_a > i_b)


@njit(cache=True)
def _sift_down(heap_s, heap_w, base, size, q):
    # Min-heap by the vacancy's order: the root is the worst worker it holds.
    while True:
        left = 2 * q + 1
        if left >= size:
            return
        child = left
        right = left + 1
        if right < size and _worse(
            heap_s[base + right], heap_w[base + right], heap_s[base + left], heap_w[base + left]
        ):
            child = right
        if not _worse(
            heap_s[base + child], heap_w[base + child], heap_s[base + q], heap_w[base + q]
        ):
            return
        heap_s[base + q], heap_s[base + child] = heap_s[base + child], heap_s[base + q]
        heap_w[base + q], heap_w[base + child] = heap_w[base + child], heap_w[base + q]
        q = child


@njit(cache=True)
def _sift_up(heap_s, heap_w, base, q):
    while q > 0:
        parent = (q - 1) // 2
        if not _worse(
            heap_s[base + q], heap_w[base + q], heap_s[base + parent], heap_w[base + parent]
        ):
            return
        heap_s[base + q], heap_s[base + parent] = heap_s[base + parent], heap_s[base + q]
        heap_w[base + q], heap_w[base + parent] = heap_w[base + parent], heap_w[base + q]
        q = parent


@njit(cache=True)
def _deferred_acceptance(prefs, scores, capacity):
    n, k = prefs.shape
    m = capacity.shape[0]
    offset = np.zeros(m + 1, np.int64)
    for j in range(m):
        offset[j + 1] = offset[j] + capacity[j]
    heap_s = np.empty(offset[m], np.float32)
    heap_w = np.empty(offset[m], np.int32)
    held = np.zeros(m, np.int64)
    next_choice = np.zeros(n, np.int64)
    assigned = np.full(n, -1, np.int32)
    free = np.arange(n - 1, -1, -1).astype(np.int32)  # a stack of workers to propose
    top = n
    while top > 0:
        top -= 1
        i = free[top]
        while next_choice[i] < k:
            r = next_choice[i]
            next_choice[i] += 1
            j = prefs[i, r]
            if j < 0:
                next_choice[i] = k  # padding: the list is over
                break
            s = scores[i, r]
            if capacity[j] == 0:
                continue
            base = offset[j]
            if held[j] < capacity[j]:
                heap_s[base + held[j]] = s
                heap_w[base + held[j]] = i
                _sift_up(heap_s, heap_w, base, held[j])
                held[j] += 1
                assigned[i] = j
                break
            if _worse(heap_s[base], heap_w[base], s, i):
                # The vacancy trades its worst holder for i; that worker proposes again.
                rejected = heap_w[base]
                heap_s[base] = s
                heap_w[base] = i
                _sift_down(heap_s, heap_w, base, held[j], 0)
                assigned[rejected] = -1
                assigned[i] = j
                free[top] = rejected
                top += 1
                break
    return assigned


def deferred_acceptance(
    worker_prefs: np.ndarray, worker_scores: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    """Stable many-to-one assignment, workers proposing down their lists.

    Returns the assigned vacancy per worker, -1 for none. Each vacancy ``j`` keeps at
    most ``capacity[j]`` workers, preferring higher pair scores (ties: lower index).
    """
    prefs, scores, capacity = _check(worker_prefs, worker_scores, capacity)
    return _deferred_acceptance(prefs, scores, capacity)


@njit(cache=True)
def _greedy(order, prefs, capacity):
    n, k = prefs.shape
    left = capacity.copy()
    assigned = np.full(n, -1, np.int32)
    for edge in order:
        i = edge // k
        j = prefs[i, edge % k]
        if assigned[i] < 0 and left[j] > 0:
            assigned[i] = j
            left[j] -= 1
    return assigned


def greedy(worker_prefs: np.ndarray, worker_scores: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """The baseline: take pairs by descending score (ties: lower worker, then the
    worker's earlier choice) while the worker is free and the vacancy has room."""
    prefs, scores, capacity = _check(worker_prefs, worker_scores, capacity)
    edges = np.flatnonzero(prefs.reshape(-1) >= 0)
    # Stable sort of edges (already in worker, rank order) by score descending.
    order = edges[np.argsort(-scores.reshape(-1)[edges], kind="stable")]
    return _greedy(order, prefs, capacity)
