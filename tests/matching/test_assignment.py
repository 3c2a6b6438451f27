"""Capacity-aware assignment: positions respected, one job per worker, stability."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.assignment import deferred_acceptance, greedy


def make_graph(seed: int, n: int = 60, m: int = 15, k: int = 5):
    """Random top-K lists (best first, -1 padded) with many score ties."""
    rng = np.random.default_rng(seed)
    prefs = np.full((n, k), -1, dtype=np.int32)
    scores = np.zeros((n, k), dtype=np.float32)
    for i in range(n):
        length = int(rng.integers(0, k + 1))
        chosen = rng.choice(m, size=length, replace=False)
        values = np.sort(np.round(rng.random(length), 1))[::-1] + 0.05
        prefs[i, :length] = chosen
        scores[i, :length] = values
    capacity = rng.integers(0, 4, m)
    return prefs, scores, capacity


def check_feasible(assigned, prefs, capacity):
    assert assigned.shape == (prefs.shape[0],)
    for i, j in enumerate(assigned):
        if j >= 0:
            assert j in prefs[i]  # matched only along an edge of the graph
    taken = np.bincount(assigned[assigned >= 0], minlength=capacity.shape[0])
    assert (taken <= capacity).all()


def blocking_pairs(assigned, prefs, scores, capacity):
    """Every (worker, vacancy) that would both rather have each other: exhaustive."""
    score_of = {
        (i, int(j)): float(s)
        for i in range(prefs.shape[0])
        for j, s in zip(prefs[i], scores[i], strict=True)
        if j >= 0
    }
    holders = {
        j: [i for i in range(len(assigned)) if assigned[i] == j] for j in range(len(capacity))
    }
    found = []
    for i in range(prefs.shape[0]):
        for j in prefs[i]:
            j = int(j)
            if j < 0 or j == assigned[i]:
                break  # the rest of the list is worse than what i has
            s = score_of[i, j]
            if capacity[j] == 0:
                continue
            if len(holders[j]) < capacity[j]:
                found.append((i, j))
                continue
            worst = min(holders[j], key=lambda h: (score_of[h, j], -h))
            if (score_of[worst, j], -worst) < (s, -i):
                found.append((i, j))
    return found


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_deferred_acceptance_respects_positions_and_leaves_no_blocking_pair(seed):
    prefs, scores, capacity = make_graph(seed)
    assigned = deferred_acceptance(prefs, scores, capacity)
    check_feasible(assigned, prefs, capacity)
    assert blocking_pairs(assigned, prefs, scores, capacity) == []


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_greedy_never_exceeds_positions(seed):
    prefs, scores, capacity = make_graph(seed)
    check_feasible(greedy(prefs, scores, capacity), prefs, capacity)


def test_strong_workers_are_spread_over_vacancies_by_capacity():
    # Both workers rank vacancy 0 first; it has one position and prefers worker 1.
    prefs = np.array([[0, 1], [0, 1], [1, -1]], dtype=np.int32)
    scores = np.array([[0.9, 0.8], [0.95, 0.7], [0.6, 0]], dtype=np.float32)
    capacity = np.array([1, 1])
    assert deferred_acceptance(prefs, scores, capacity).tolist() == [1, 0, -1]
    assert greedy(prefs, scores, capacity).tolist() == [1, 0, -1]


def test_a_graph_pointing_outside_the_vacancies_is_refused():
    prefs = np.array([[3]], dtype=np.int32)
    with pytest.raises(ValueError, match="vacancy indices"):
        deferred_acceptance(prefs, np.ones((1, 1), np.float32), np.array([1, 1]))
