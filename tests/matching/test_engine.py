"""The fast engine agrees with the plain reference scorer, and the score behaves.

No database: plain pytest functions over numpy arrays.
"""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import matching.engine as engine
from matching.engine import (
    N_LANGS,
    Vacancies,
    Weights,
    Workers,
    build_index,
    explain,
    kernels,
    score_one_vacancy,
    score_one_worker,
    top_k,
)
from matching.engine.blocks import params
from matching.reference import passes_hard_filters, same_block, score_pair
from tests.matching.markets import CODES, WEIGHT_SETS, make_market


def reference_scores(workers, vacancies, weights):
    """{(i, j): total} for every blocked pair that passes the filters and scores > 0."""
    scores = {}
    for j in range(len(vacancies)):
        for i in range(len(workers)):
            if same_block(workers, vacancies, i, j):
                breakdown = score_pair(workers, vacancies, i, j, weights)
                if breakdown is not None and breakdown.total > 0:
                    scores[i, j] = breakdown.total
    return scores


def assert_row_matches(idx, scores, candidates, k):
    """One top-K row against the reference: same length, same score list to 1e-6,
    each returned pair scored as the reference does, and no better pair left out."""
    expected = sorted(candidates.items(), key=lambda item: (-item[1], item[0]))[:k]
    returned = [(int(a), float(s)) for a, s in zip(idx, scores, strict=True) if a >= 0]
    assert len(returned) == len(expected)
    assert (idx[len(returned) :] == -1).all()
    np.testing.assert_allclose([s for _, s in returned], [s for _, s in expected], atol=1e-6)
    for other, score in returned:
        assert abs(candidates[other] - score) <= 1e-6
    if len(returned) == k:  # whatever was left out is not better than the last kept
        kept = {other for other, _ in returned}
        left_out = [s for other, s in candidates.items() if other not in kept]
        assert max(left_out, default=0) <= returned[-1][1] + 1e-6
    assert [s for _, s in returned] == sorted((s for _, s in returned), reverse=True)


@pytest.mark.parametrize(
    ("seed", "weights"), [(1, WEIGHT_SETS[0]), (2, WEIGHT_SETS[1]), (3, WEIGHT_SETS[0])]
)
def test_fast_engine_returns_the_reference_top_k_on_both_sides(seed, weights):
    workers, vacancies = make_market(seed, n=1500, m=150)
    result = top_k(workers, vacancies, k_per_vacancy=25, k_per_worker=4, weights=weights)
    reference = reference_scores(workers, vacancies, weights)
    assert result.pairs_scored >= len(reference)

    by_vacancy = {j: {} for j in range(len(vacancies))}
    by_worker = {i: {} for i in range(len(workers))}
    for (i, j), score in reference.items():
        by_vacancy[j][i] = score
        by_worker[i][j] = score
    for j, candidates in by_vacancy.items():
        row = result.vacancy_idx[j], result.vacancy_scores[j]
        assert_row_matches(*row, candidates, k=25)
    for i, candidates in by_worker.items():
        assert_row_matches(result.worker_idx[i], result.worker_scores[i], candidates, k=4)


@pytest.mark.parametrize("floor_sample", [64, 1024])
def test_big_blocks_split_over_tasks_and_tiles_give_the_one_row_kernels_lists(
    monkeypatch, floor_sample
):
    """A crowded block is scored in several tasks of several tiles each, with and
    without the vacancies' floors; every list equals the one the single-row kernels
    compute, index for index (ties included: few distinct scores, so many pairs tie at
    the K-th place, and at the floor)."""
    workers, vacancies = make_market(11, n=3000, m=40)
    workers.occ[:, 0] = np.where(np.arange(3000) % 2, 7112, 7113)  # one block of 3000 entries
    workers.occ[:100, 1] = 7115  # some multi-slot entries, in the block's second run
    workers.skills[:] = 0  # scores then take few values: ties everywhere
    vacancies.occ[:] = np.where(np.arange(40) % 3, 7112, 7115)
    index = build_index(workers, vacancies)
    monkeypatch.setattr(engine, "FLOOR_SAMPLE", floor_sample)
    floors = np.zeros(len(vacancies), np.float32)
    kernels.vacancy_floors(
        index.V,
        index.E,
        index.e_lo,
        index.e_mid,
        index.e_hi,
        params(Weights()),
        25,
        floor_sample,
        floors,
    )
    assert (floors > 0).sum() > 10 if floor_sample == 64 else not floors.any()
    for tasks_per_thread in (1, 64):
        monkeypatch.setattr(engine, "TASKS_PER_THREAD", tasks_per_thread)
        tasks, *_ = engine._pair_tasks(index, tasks_per_thread * 2)
        assert tasks_per_thread == 1 or len(tasks) >= 3
        result = top_k(workers, vacancies, k_per_vacancy=25, k_per_worker=4, index=index)
        for j in range(len(vacancies)):
            idx, scores = score_one_vacancy(workers, vacancies, j, k=25, index=index)
            np.testing.assert_array_equal(result.vacancy_idx[j], idx)
            np.testing.assert_array_equal(result.vacancy_scores[j], scores)
        for i in range(0, len(workers), 7):
            idx, scores = score_one_worker(workers, vacancies, i, k=4, index=index)
            np.testing.assert_array_equal(result.worker_idx[i], idx)
            np.testing.assert_array_equal(result.worker_scores[i], scores)
        assert (result.vacancy_scores[:, -1] > 0).sum() > 10  # lists are full


def test_a_vacancys_floor_keeps_the_workers_who_tie_with_it(monkeypatch):
    """Workers all alike: every score of a vacancy ties, so its floor is its K-th best
    score itself, and its list must still be the K lowest worker indices."""
    workers, vacancies = make_market(12, n=2000, m=12)
    for array in vars(workers).values():
        array[:] = array[0]
    workers.occ[:] = [7112, 0, 0]
    workers.ok[:], workers.needs_foreign_ok[:], workers.needs_quota[:] = True, False, False
    vacancies.occ[:] = 7112
    vacancies.ok[:] = True
    monkeypatch.setattr(engine, "FLOOR_SAMPLE", 64)
    result = top_k(workers, vacancies, k_per_vacancy=25, k_per_worker=4)
    for j in range(len(vacancies)):
        assert result.vacancy_scores[j, 0] > 0
        np.testing.assert_array_equal(result.vacancy_idx[j], np.arange(25))


@pytest.mark.parametrize("seed", [4, 5])
def test_one_blocks_entries_built_in_one_pass_equal_the_general_ones(seed):
    from matching.engine.blocks import worker_entries

    workers, _ = make_market(seed, n=800, m=10)
    workers.occ[::5, 1] = workers.occ[::5, 0] + 1  # some workers twice in a block
    for minor in np.unique(workers.occ[workers.occ > 0] // 10):
        one_pass = worker_entries(workers, minor=int(minor))
        general = worker_entries(workers, rows=np.arange(len(workers)), minor=int(minor))
        assert len(one_pass[0]) > 0
        for position, (fast, slow) in enumerate(zip(one_pass, general, strict=True)):
            assert fast.dtype == slow.dtype, position
            np.testing.assert_array_equal(fast, slow, err_msg=str(position))


def test_incremental_rows_equal_the_full_run_with_and_without_an_index():
    workers, vacancies = make_market(7, n=800, m=80)
    index = build_index(workers, vacancies)
    result = top_k(workers, vacancies, k_per_vacancy=10, k_per_worker=5, index=index)
    for j in range(len(vacancies)):
        for idx in (index, None):
            got, scores = score_one_vacancy(workers, vacancies, j, Weights(), 10, index=idx)
            np.testing.assert_array_equal(got, result.vacancy_idx[j])
            np.testing.assert_array_equal(scores, result.vacancy_scores[j])
    for i in range(0, len(workers), 7):
        for idx in (index, None):
            got, scores = score_one_worker(workers, vacancies, i, Weights(), 5, index=idx)
            np.testing.assert_array_equal(got, result.worker_idx[i])
            np.testing.assert_array_equal(scores, result.worker_scores[i])


def test_incremental_rows_after_random_edits_equal_a_full_rematch():
    workers, vacancies = make_market(8, n=600, m=60)
    fresh_w, fresh_v = make_market(9, n=600, m=60)
    rng = np.random.default_rng(8)
    touched_w, touched_v = set(), set()
    for _ in range(100):  # copy rows of another market in, field by field
        if rng.random() < 0.5:
            i = int(rng.integers(600))
            field = rng.choice([f.name for f in dataclasses.fields(Workers)])
            getattr(workers, field)[i] = getattr(fresh_w, field)[i]
            touched_w.add(i)
        else:
            j = int(rng.integers(60))
            field = rng.choice([f.name for f in dataclasses.fields(Vacancies)])
            getattr(vacancies, field)[j] = getattr(fresh_v, field)[j]
            touched_v.add(j)
    result = top_k(workers, vacancies, k_per_vacancy=10, k_per_worker=5)
    for j in touched_v:
        got, scores = score_one_vacancy(workers, vacancies, j, Weights(), 10)
        np.testing.assert_array_equal(got, result.vacancy_idx[j])
        np.testing.assert_array_equal(scores, result.vacancy_scores[j])
    for i in touched_w:
        got, scores = score_one_worker(workers, vacancies, i, Weights(), 5)
        np.testing.assert_array_equal(got, result.worker_idx[i])
        np.testing.assert_array_equal(scores, result.worker_scores[i])


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_engine_never_returns_a_pair_a_hard_filter_excludes(seed):
    workers, vacancies = make_market(seed, n=120, m=20)
    result = top_k(workers, vacancies, k_per_vacancy=200, k_per_worker=30)
    for j, row in enumerate(result.vacancy_idx):
        for i in row[row >= 0]:
            assert passes_hard_filters(workers, vacancies, i, j)
            assert same_block(workers, vacancies, i, j)
    for i, row in enumerate(result.worker_idx):
        for j in row[row >= 0]:
            assert passes_hard_filters(workers, vacancies, i, j)
    assert (result.vacancy_scores[result.vacancy_idx >= 0] > 0).all()


def test_explain_lists_missing_skills_and_language_shortfalls():
    workers, vacancies = make_market(0, n=1, m=1)
    workers.occ[0] = [7112, 0, 0]
    workers.skills[0] = [0b0110, 0, 0]
    workers.lang[0] = [2, 0, 0, 0, 0, 0, 0, 7]
    workers.ok[0], workers.needs_foreign_ok[0], workers.needs_quota[0] = True, False, False
    vacancies.occ[0], vacancies.skills[0], vacancies.ok[0] = 7112, 0b1011, True
    vacancies.lang_req[0] = [3, 2, 0, 0, 0, 0, 0, 0]
    breakdown = explain(workers, vacancies, 0, 0)
    assert breakdown.skills == pytest.approx(1 / 3)
    assert breakdown.missing_skill_bits == 0b1001
    assert breakdown.language_shortfalls == [(0, 2, 3), (1, 0, 2)]
    assert breakdown.languages == pytest.approx(0.25)  # B1 wanted, A2 held: half; none of 1


def test_bad_arrays_and_weights_are_refused():
    workers, vacancies = make_market(0, n=3, m=2)
    workers.lang = workers.lang.astype(np.int32)
    with pytest.raises(ValueError, match="lang"):
        workers.validate()
    vacancies.region[0] = 89
    with pytest.raises(ValueError, match="region"):
        vacancies.validate()
    with pytest.raises(ValueError, match="occ_submajor"):
        Weights(occ_minor=0.2, occ_submajor=0.3)
    with pytest.raises(ValueError):
        Weights(skills=-1)


# --- properties of the score, on single pairs -------------------------------------------

levels = st.integers(0, 7)


@st.composite
def pairs(draw):
    """One worker and one vacancy, every field drawn, as 1-row arrays."""
    code = st.sampled_from([0, *CODES.tolist()])
    occ = np.array([[draw(code), draw(code), draw(code)]], dtype=np.int32)
    bits = st.integers(0, 2**64 - 1)
    money = st.sampled_from([0.0]) | st.floats(1, 1e6, width=32)
    years = st.sampled_from([0.0]) | st.floats(0, 40, width=32)
    day = st.integers(0, 400)
    workers = Workers(
        occ=occ,
        exp=np.array([[draw(years) for _ in range(3)]], dtype=np.float32),
        skills=np.array([[draw(bits) for _ in range(3)]], dtype=np.uint64),
        lang=np.array([[draw(levels) for _ in range(N_LANGS)]], dtype=np.uint8),
        regions=np.array([[draw(bits), draw(st.integers(0, 2**25 - 1))]], dtype=np.uint64),
        anywhere=np.array([draw(st.booleans())]),
        min_salary=np.array([draw(money)], dtype=np.float32),
        available=np.array([draw(day)], dtype=np.int32),
        ok=np.array([draw(st.booleans())]),
        needs_foreign_ok=np.array([draw(st.booleans())]),
        needs_quota=np.array([draw(st.booleans())]),
    )
    vacancies = Vacancies(
        occ=np.array([draw(st.sampled_from(CODES.tolist()))], dtype=np.int32),
        skills=np.array([draw(bits)], dtype=np.uint64),
        lang_req=np.array([[draw(levels) for _ in range(N_LANGS)]], dtype=np.uint8),
        region=np.array([draw(st.integers(0, 88))], dtype=np.int16),
        salary=np.array([draw(money)], dtype=np.float32),
        start=np.array([draw(day)], dtype=np.int32),
        exp_req=np.array([draw(years)], dtype=np.float32),
        ok=np.array([draw(st.booleans())]),
        foreign_ok=np.array([draw(st.booleans())]),
        quota_left=np.array([draw(st.booleans())]),
    )
    return workers, vacancies


def fast_score(workers, vacancies):
    """The engine's score for the only pair, or None if it is not returned."""
    idx, scores = score_one_vacancy(workers, vacancies, 0, Weights(), 1)
    return float(scores[0]) if idx[0] == 0 else None


@settings(max_examples=300, deadline=None)
@given(pairs())
def test_total_and_every_component_stay_within_zero_and_one(pair):
    workers, vacancies = pair
    breakdown = score_pair(workers, vacancies, 0, 0)
    if breakdown is None:
        return
    assert 0 <= breakdown.total <= 1
    for name, value in breakdown.components().items():
        assert 0 <= value <= 1, name
    fast = fast_score(workers, vacancies)
    if same_block(workers, vacancies, 0, 0) and breakdown.total > 0:
        assert fast == pytest.approx(breakdown.total, abs=1e-6)
    else:
        assert fast is None


@settings(max_examples=300, deadline=None)
@given(pairs(), st.integers(0, 63), st.integers(0, 2))
def test_gaining_a_required_skill_never_lowers_the_score(pair, bit, slot):
    workers, vacancies = pair
    before = score_pair(workers, vacancies, 0, 0)
    workers.skills[0, slot] |= np.uint64(1) << np.uint64(bit)
    after = score_pair(workers, vacancies, 0, 0)
    if before is None:
        assert after is None
    else:
        assert after.total >= before.total


@settings(max_examples=300, deadline=None)
@given(pairs(), st.integers(0, N_LANGS - 1))
def test_gaining_a_language_level_never_lowers_the_score(pair, lang):
    workers, vacancies = pair
    if workers.lang[0, lang] == 7:
        return
    before = score_pair(workers, vacancies, 0, 0)
    workers.lang[0, lang] += 1
    after = score_pair(workers, vacancies, 0, 0)
    if before is not None:
        assert after.total >= before.total
        fast = fast_score(workers, vacancies)
        assert fast is None or fast == pytest.approx(after.total, abs=1e-6)


@settings(max_examples=300, deadline=None)
@given(pairs())
def test_hard_filters_always_exclude(pair):
    workers, vacancies = pair
    excluded = (
        not workers.ok[0]
        or not vacancies.ok[0]
        or (workers.needs_foreign_ok[0] and not vacancies.foreign_ok[0])
        or (workers.needs_quota[0] and not vacancies.quota_left[0])
    )
    assert (score_pair(workers, vacancies, 0, 0) is None) == excluded
    if excluded:
        assert fast_score(workers, vacancies) is None
        idx, _ = score_one_worker(workers, vacancies, 0, Weights(), 1)
        assert idx[0] == -1
