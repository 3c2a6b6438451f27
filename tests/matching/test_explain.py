"""``explain_pairs`` computes, for many pairs at once, what the reference computes for each.

No database: plain pytest functions over numpy arrays.
"""

import functools
import importlib
import operator

import numpy as np
import pytest

from matching.engine import Weights, explain_pairs
from matching.reference import score_pair
from tests.matching.markets import WEIGHT_SETS, make_market

# Odd partial credits and weights, so that the order of additions shows in the last bits.
ODD_WEIGHTS = Weights(
    occupation=0.13,
    skills=0.29,
    languages=0.11,
    region=0.07,
    salary=0.17,
    experience=0.19,
    availability=0.03,
    occ_minor=0.35,
    occ_submajor=0.1,
    lang_one_below=0.3,
    salary_unknown=0.7,
)


# ``matching.engine.explain`` as an attribute is the one-pair function, not this module.
explain_module = importlib.import_module("matching.engine.explain")


def random_pairs(seed: int, n: int, m: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, count), rng.integers(0, m, count)


def assert_matches_reference(workers, vacancies, wi, vj, weights):
    result = explain_pairs(workers, vacancies, wi, vj, weights)
    assert len(result) == len(wi)
    assert result.total.dtype == np.float64 and result.components.shape == (len(wi), 7)
    assert result.slot.dtype == np.int8 and result.missing_skill_bits.dtype == np.uint64
    assert result.lang_held.dtype == result.lang_required.dtype == np.uint8
    for k, (i, j) in enumerate(zip(wi.tolist(), vj.tolist(), strict=True)):
        expected = score_pair(workers, vacancies, i, j, weights)
        if expected is None:
            assert result.excluded[k]
            assert result.total[k] == 0 and not result.components[k].any()
            assert result.shortfalls(k) == [] and result.breakdown(k) is None
            continue
        assert not result.excluded[k]
        assert abs(result.total[k] - expected.total) <= 1e-9
        for c, name in enumerate(Weights.COMPONENTS):
            assert abs(result.components[k, c] - getattr(expected, name)) <= 1e-9, name
            assert result.component(name)[k] == result.components[k, c]
        assert int(result.slot[k]) == expected.slot
        assert int(result.missing_skill_bits[k]) == expected.missing_skill_bits
        assert result.shortfalls(k) == expected.language_shortfalls
        mask = result.shortfall_mask()[k]
        assert np.flatnonzero(mask).tolist() == [s[0] for s in expected.language_shortfalls]
        breakdown = result.breakdown(k)
        assert breakdown.slot == expected.slot
        assert breakdown.total == pytest.approx(expected.total, abs=1e-9)
    return result


@pytest.mark.parametrize(
    ("seed", "weights"),
    [(1, WEIGHT_SETS[0]), (2, WEIGHT_SETS[1]), (3, ODD_WEIGHTS), (4, WEIGHT_SETS[0])],
)
def test_explain_pairs_equals_the_reference_on_random_pairs(seed, weights):
    n, m = 600, 300
    workers, vacancies = make_market(seed, n=n, m=m)
    wi, vj = random_pairs(seed, n, m, 4000)
    result = assert_matches_reference(workers, vacancies, wi, vj, weights)
    # The sample visits what matters: exclusions, every slot, misses and shortfalls.
    assert 0.2 < result.excluded.mean() < 0.8
    kept = ~result.excluded
    assert set(result.slot[kept].tolist()) == {0, 1, 2}
    assert (result.missing_skill_bits[kept] != 0).any()
    assert result.shortfall_mask().any()
    multi = (workers.occ[wi] != 0).sum(axis=1) >= 2
    assert (multi & kept).sum() > 500


@pytest.mark.parametrize("weights", [WEIGHT_SETS[0], WEIGHT_SETS[1], ODD_WEIGHTS])
def test_explain_pairs_equals_the_reference_in_crowded_blocks(weights):
    """Pairs that share a minor group, with ties between slots of one worker."""
    workers, vacancies = make_market(5, n=400, m=100)
    rng = np.random.default_rng(5)
    workers.occ[:100, 1] = workers.occ[:100, 0]  # two slots of one code: the first wins
    workers.occ[100:200, 2] = workers.occ[100:200, 0] // 10 * 10 + 9  # same minor group
    vacancies.lang_req[:20] = rng.integers(0, 8, (20, 8))  # many languages required
    wi, vj = np.meshgrid(np.arange(400), np.arange(100), indexing="ij")
    wi, vj = wi.ravel(), vj.ravel()
    same_minor = (workers.occ[wi] // 10 == (vacancies.occ[vj] // 10)[:, None]).any(axis=1)
    wi, vj = wi[same_minor], vj[same_minor]
    assert len(wi) > 2000
    assert_matches_reference(workers, vacancies, wi, vj, weights)


def test_explain_pairs_gives_each_pair_its_own_row_in_any_order():
    """The kernel runs over pairs on every core: no pair may see another's state."""
    workers, vacancies = make_market(6, n=300, m=200)
    wi, vj = random_pairs(6, 300, 200, 3000)
    whole = explain_pairs(workers, vacancies, wi, vj, ODD_WEIGHTS)
    order = np.random.default_rng(6).permutation(len(wi))
    shuffled = explain_pairs(workers, vacancies, wi[order], vj[order], ODD_WEIGHTS)
    for name in (
        "excluded",
        "total",
        "components",
        "slot",
        "missing_skill_bits",
        "lang_held",
        "lang_required",
    ):
        np.testing.assert_array_equal(getattr(whole, name)[order], getattr(shuffled, name))


def _neumaier_sum(values) -> float:
    """Python 3.12's ``sum`` of floats, written out (this suite also runs on 3.11)."""
    total = compensation = 0.0
    for x in values:
        t = total + x
        if abs(total) >= abs(x):
            compensation += (total - t) + x
        else:
            compensation += (x - t) + total
        total = t
    return total + compensation


def _plain_sum(values) -> float:
    """Python 3.11's ``sum`` of floats: left to right, no compensation."""
    return functools.reduce(operator.add, values, 0.0)


def test_explain_pairs_sums_as_the_running_python_does(monkeypatch):
    """The total follows Python's own summation, whichever version runs the reference:
    plain before 3.12, compensated from 3.12 on."""
    workers, vacancies = make_market(8, n=300, m=200)
    wi, vj = random_pairs(8, 300, 200, 2000)
    totals = {}
    for compensated in (False, True):
        monkeypatch.setattr(explain_module, "_COMPENSATED_SUM", compensated)
        result = explain_pairs(workers, vacancies, wi, vj, ODD_WEIGHTS)
        kept = np.flatnonzero(~result.excluded)
        assert len(kept) > 100
        add = _neumaier_sum if compensated else _plain_sum
        for k in kept.tolist():
            terms = [
                getattr(ODD_WEIGHTS, name) * result.components[k, c]
                for c, name in enumerate(Weights.COMPONENTS)
            ]
            assert result.total[k] == add(terms) / ODD_WEIGHTS.weight_sum()
        totals[compensated] = result.total
    # The two summations differ in the last bits somewhere, so each branch is checked.
    assert (totals[False] != totals[True]).any()


def test_explain_pairs_on_no_pairs_and_bad_indices():
    workers, vacancies = make_market(7, n=10, m=5)
    empty = explain_pairs(workers, vacancies, np.array([], dtype=np.int64), np.array([], int))
    assert len(empty) == 0 and empty.components.shape == (0, 7)
    one = explain_pairs(workers, vacancies, [3], [4])  # lists are fine
    assert len(one) == 1
    with pytest.raises(IndexError):
        explain_pairs(workers, vacancies, np.array([10]), np.array([0]))
    with pytest.raises(IndexError):
        explain_pairs(workers, vacancies, np.array([-1]), np.array([0]))
    with pytest.raises(ValueError, match="same length"):
        explain_pairs(workers, vacancies, np.array([0, 1]), np.array([0]))
    with pytest.raises(ValueError, match="integer"):
        explain_pairs(workers, vacancies, np.array([0.5]), np.array([0]))
