"""Compiled (numba) scoring kernels over block-sorted arrays.

Layout (built by ``matching.engine.blocks``):

- ``V`` is a tuple of per-vacancy coefficient arrays in block order: every branch
  that depends only on the vacancy (no skills required, no language required, pay
  not stated, any start date, ...) is turned into a coefficient here, once per
  vacancy, so the per-pair arithmetic has no branches and vectorises.
- ``E`` is a tuple of per-entry arrays: one entry per (worker, ISCO minor group of
  one of its occupations), in block order; within a block the "simple" entries (one
  occupation slot in the group) come before the "multi" ones (two or three), so the
  hot loop never has to choose a slot.

Scores are float32 and computed by one inline function, ``_pair``, used by both
directions, so a pair gets bit-identical scores in the per-vacancy and per-worker
lists. No fastmath: IEEE order of operations keeps results reproducible between the
vectorised loop body and its scalar remainder.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from matching.engine.bits import _L8, _count_high_bits, _popcount

# Entries of E and V, by position (tuples keep the kernel signatures short).
(
    E_WORKER,
    E_MINOR,
    E_CODE,
    E_SKILLS,
    E_EXP,
    E_CODE2,
    E_SKILLS2,
    E_EXP2,
    E_CODE3,
    E_SKILLS3,
    E_EXP3,
    E_FLAGS,
    E_LANG,
    E_REG0,
    E_REG1,
    E_MIN,
    E_INVMIN,
    E_AVAIL,
) = range(18)
(
    V_INDEX,
    V_MINOR,
    V_CODE,
    V_SKILLS,
    V_INVREQ,
    V_SKNONE,
    V_LANG,
    V_LANGH,
    V_INVL,
    V_LANGNONE,
    V_M0,
    V_M1,
    V_SAL,
    V_SALZERO,
    V_EXPINV,
    V_EXPNONE,
    V_START,
    V_FORBID,
) = range(18)

CHUNK = 256  # scores computed into a small buffer, then scanned against the top-K gate
NO_INDEX = np.int32(2**31 - 1)  # sorts after every real index on score ties

_H8 = np.uint64(0x8080808080808080)
_ZERO64 = np.uint64(0)
_ONE = np.float32(1.0)
_ZERO = np.float32(0.0)
_MINUS_ONE = np.float32(-1.0)
_INV60 = np.float32(1.0 / 60.0)


@njit(inline="always")
def _vacancy(V, p):
    """Vacancy position ``p``'s coefficients as scalars. Loaded once per vacancy, not
    once per pair: the compiler cannot prove that the score buffer does not alias the
    coefficient arrays, and reloading them cost a quarter of the scoring time."""
    return (
        V[V_SKILLS][p],
        V[V_INVREQ][p],
        V[V_SKNONE][p],
        V[V_LANG][p],
        V[V_LANGH][p],
        V[V_INVL][p],
        V[V_LANGNONE][p],
        V[V_M0][p],
        V[V_M1][p],
        V[V_SAL][p],
        V[V_SALZERO][p],
        V[V_EXPINV][p],
        V[V_EXPNONE][p],
        V[V_START][p],
        V[V_FORBID][p],
    )


@njit(inline="always")
def _weights(P):
    """The parameter vector as scalars (see ``_vacancy``)."""
    return (P[0], P[1], P[2], P[3], P[4], P[5], P[6], P[7], P[8], P[9])


@njit(inline="always")
def _pair(same, w_sk, w_exp, E, e, V, p, P):
    """Score entry ``e`` (with the chosen slot's skills and experience) against
    vacancy position ``p``; -1 when a hard filter excludes the pair."""
    return _pair_with(same, w_sk, w_exp, E, e, _vacancy(V, p), _weights(P))


@njit(inline="always")
def _pair_with(same, w_sk, w_exp, E, e, vacancy, weights):
    """``_pair`` with the vacancy's coefficients and the weights already loaded."""
    (
        v_skills,
        inv_required,
        no_skills,
        required,
        mask,
        inv_langs,
        no_langs,
        m0,
        m1,
        offer,
        pay_unknown,
        inv_exp,
        no_exp,
        start,
        forbid,
    ) = vacancy
    w0, w1, w2, w3, w4, w5, w6, occ_minor, lang_one_below, salary_unknown = weights
    occ = _ONE if same else occ_minor
    matched = np.float32(_popcount(v_skills & w_sk))
    skills = (matched * inv_required + no_skills) if same else no_skills

    # Languages, all eight at once: one byte per language (levels 0..7).
    # (held | 0x80) - required keeps bit 7 iff held >= required; no byte borrows.
    # mask has bit 7 set in each required language's byte.
    held = E[E_LANG][e]
    full = ((held | _H8) - required) & mask
    # held + 1 == required: the xor byte is zero; ((x | 0x80) - 1) keeps bit 7 iff x != 0.
    x = (held + _L8) ^ required
    partial = ~((x | _H8) - _L8) & mask
    languages = (
        np.float32(_count_high_bits(full)) + lang_one_below * np.float32(_count_high_bits(partial))
    ) * inv_langs + no_langs

    wished = (E[E_REG0][e] & m0) | (E[E_REG1][e] & m1)
    region = _ONE if wished != _ZERO64 else _ZERO

    partial_pay = salary_unknown if pay_unknown else offer * E[E_INVMIN][e]
    salary = _ONE if E[E_MIN][e] <= offer else partial_pay

    experience = min(_ONE, w_exp * inv_exp + no_exp)
    late = max(0, E[E_AVAIL][e] - start)
    availability = max(_ZERO, _ONE - np.float32(late) * _INV60)

    total = (
        w0 * occ
        + w1 * skills
        + w2 * languages
        + w3 * region
        + w4 * salary
        + w5 * experience
        + w6 * availability
    )
    return total if (E[E_FLAGS][e] & forbid) == 0 else _MINUS_ONE


@njit(inline="always")
def _tile(E, a, b):
    """Rows a..b of each of the 18 entry arrays (or vacancy arrays). Indexed from 0 by
    a ``range`` counter, which the compiler knows is never negative, they are read
    with plain vector loads; indexed by a position of unknown sign, each read went
    through numba's negative-index wrap-around, which the vectoriser made gathers."""
    return (
        E[0][a:b],
        E[1][a:b],
        E[2][a:b],
        E[3][a:b],
        E[4][a:b],
        E[5][a:b],
        E[6][a:b],
        E[7][a:b],
        E[8][a:b],
        E[9][a:b],
        E[10][a:b],
        E[11][a:b],
        E[12][a:b],
        E[13][a:b],
        E[14][a:b],
        E[15][a:b],
        E[16][a:b],
        E[17][a:b],
    )


@njit(inline="always")
def _multi_slot(E, e, code):
    """The slot of a multi entry used against a vacancy of unit ``code``: the first
    exact match, else the first slot in the block (the entry's primary)."""
    if E[E_CODE][e] == code:
        return True, E[E_SKILLS][e], E[E_EXP][e]
    if E[E_CODE2][e] == code:
        return True, E[E_SKILLS2][e], E[E_EXP2][e]
    if E[E_CODE3][e] == code:
        return True, E[E_SKILLS3][e], E[E_EXP3][e]
    return False, E[E_SKILLS][e], E[E_EXP][e]


@njit(inline="always")
def _offer(ts, ti, K, s, idx):
    """Insert (s, idx) into the top-K kept sorted by score desc, index asc."""
    q = K - 1
    while q > 0 and (s > ts[q - 1] or (s == ts[q - 1] and idx < ti[q - 1])):
        ts[q] = ts[q - 1]
        ti[q] = ti[q - 1]
        q -= 1
    ts[q] = s
    ti[q] = idx


@njit(inline="always")
def _scan(buf, n, ids, base, ts, ti, K):
    """Offer the buffered scores that pass the gate (the current K-th best)."""
    for q in range(n):
        s = buf[q]
        if s > _ZERO and s >= ts[K - 1]:
            idx = ids[base + q]
            if s > ts[K - 1] or idx < ti[K - 1]:
                _offer(ts, ti, K, s, idx)


@njit(cache=True)
def vacancy_row(p, V, E, e_lo, e_mid, e_hi, P, K, buf, ts, ti):
    """Top-K entries of the block for vacancy position ``p`` into (ts, ti)."""
    ts[:] = _ZERO
    ti[:] = NO_INDEX
    code = V[V_CODE][p]
    workers = E[E_WORKER]
    vacancy, weights = _vacancy(V, p), _weights(P)
    for c0 in range(e_lo, e_mid, CHUNK):
        c1 = min(c0 + CHUNK, e_mid)
        T = _tile(E, c0, c1)  # read from 0: vector loads (see _tile)
        for q in range(c1 - c0):
            buf[q] = _pair_with(
                T[E_CODE][q] == code, T[E_SKILLS][q], T[E_EXP][q], T, q, vacancy, weights
            )
        _scan(buf, c1 - c0, workers, c0, ts, ti, K)
    for c0 in range(e_mid, e_hi, CHUNK):
        c1 = min(c0 + CHUNK, e_hi)
        for e in range(c0, c1):
            same, sk, ex = _multi_slot(E, e, code)
            buf[e - c0] = _pair_with(same, sk, ex, E, e, vacancy, weights)
        _scan(buf, c1 - c0, workers, c0, ts, ti, K)


@njit(cache=True)
def entry_row(e, V, E, v_lo, v_hi, multi, P, K, buf, ts, ti):
    """Top-K vacancies of entry ``e``'s block for that entry into (ts, ti)."""
    ts[:] = _ZERO
    ti[:] = NO_INDEX
    vacancy_ids = V[V_INDEX]
    codes = V[V_CODE]
    for c0 in range(v_lo, v_hi, CHUNK):
        c1 = min(c0 + CHUNK, v_hi)
        if multi:
            for p in range(c0, c1):
                same, sk, ex = _multi_slot(E, e, codes[p])
                buf[p - c0] = _pair(same, sk, ex, E, e, V, p, P)
        else:
            code = E[E_CODE][e]
            sk = E[E_SKILLS][e]
            ex = E[E_EXP][e]
            T = _tile(V, c0, c1)  # read from 0: vector loads (see _tile)
            for q in range(c1 - c0):
                buf[q] = _pair(T[V_CODE][q] == code, sk, ex, E, e, T, q, P)
        _scan(buf, c1 - c0, vacancy_ids, c0, ts, ti, K)


@njit(inline="always")
def _store(ts, ti, out_idx, out_score, row):
    for q in range(ts.shape[0]):
        if ti[q] == NO_INDEX:
            out_idx[row, q] = -1
            out_score[row, q] = _ZERO
        else:
            out_idx[row, q] = ti[q]
            out_score[row, q] = ts[q]


@njit(cache=True)
def merge_rows(rows, entry_idx, entry_score, K, out_idx, out_score, out_row):
    """Merge the per-entry lists ``rows`` of one worker (disjoint vacancy sets, one per
    block) into its top-K, by score desc then vacancy index asc."""
    ts = np.zeros(K, np.float32)
    ti = np.full(K, NO_INDEX, np.int32)
    for r in rows:
        for q in range(entry_idx.shape[1]):
            idx = entry_idx[r, q]
            if idx < 0:
                break
            s = entry_score[r, q]
            if s > ts[K - 1] or (s == ts[K - 1] and idx < ti[K - 1]):
                _offer(ts, ti, K, s, idx)
    _store(ts, ti, out_idx, out_score, out_row)


@njit(parallel=True, cache=True)
def merge_pass(entry_ptr, entry_of, entry_idx, entry_score, K, out_idx, out_score):
    """Per-worker top-K from its entries' lists; most workers have one entry (a copy)."""
    n = entry_ptr.shape[0] - 1
    for i in prange(n):
        a, b = entry_ptr[i], entry_ptr[i + 1]
        if b - a == 1 and entry_idx.shape[1] == K:
            r = entry_of[a]
            for q in range(K):
                out_idx[i, q] = entry_idx[r, q]
                out_score[i, q] = entry_score[r, q]
        else:
            merge_rows(entry_of[a:b], entry_idx, entry_score, K, out_idx, out_score, i)


TILE = 256  # entries scored against each vacancy of their block at a time (stay in cache)


@njit(inline="always")
def _offer_row(scores, idx, row, K, s, i):
    """``_offer`` into row ``row`` of 2-D lists, when (s, i) beats the row's K-th."""
    last_s, last_i = scores[row, K - 1], idx[row, K - 1]
    if s > last_s or (s == last_s and i < last_i):
        q = K - 1
        while q > 0 and (
            s > scores[row, q - 1] or (s == scores[row, q - 1] and i < idx[row, q - 1])
        ):
            scores[row, q] = scores[row, q - 1]
            idx[row, q] = idx[row, q - 1]
            q -= 1
        scores[row, q] = s
        idx[row, q] = i


@njit(parallel=True, cache=True)
def pair_pass(
    tasks,
    part_base,
    V,
    E,
    v_lo,
    v_hi,
    e_mid,
    P,
    KV,
    KE,
    entry_idx,
    entry_scores,
    entry_gate,
    part_idx,
    part_scores,
    floors,
):
    """Score every pair once and feed both sides' lists with it.

    Task t is entries tasks[t, 1]..tasks[t, 2] of block tasks[t, 0] against all of the
    block's vacancies. Entries belong to one task, so each entry's top-KE goes straight
    into its row of (entry_idx, entry_scores). A vacancy meets several tasks of its
    block: each task keeps the vacancy's top-KV over its own entries in a part row
    (part_base[t] + the vacancy's position in the block), merged by ``merge_parts``.
    Entries are taken TILE at a time and scored against every vacancy of the block, so
    the tile's arrays stay in cache while the vacancies stream past. A pair scoring
    below the vacancy's floor (``vacancy_floors``) is not offered to the vacancy: it
    cannot be among the vacancy's best, and each task's part row would otherwise
    relearn that from nothing.
    """
    workers = E[E_WORKER]
    weights = _weights(P)
    for t in prange(tasks.shape[0]):
        g, a, b = tasks[t, 0], tasks[t, 1], tasks[t, 2]
        lo, hi, mid, base = v_lo[g], v_hi[g], e_mid[g], part_base[t]
        for row in range(base, base + hi - lo):
            part_scores[row, :] = _ZERO
            part_idx[row, :] = NO_INDEX
        for e in range(a, b):
            entry_scores[e, :] = _ZERO
            entry_idx[e, :] = NO_INDEX
            entry_gate[e] = _ZERO
        buf = np.empty(TILE, np.float32)
        hit = np.empty(TILE, np.int32)  # the tile's entries that pass a gate
        for c0 in range(a, b, TILE):
            c1 = min(c0 + TILE, b)
            T = _tile(E, c0, c1)
            gates = entry_gate[c0:c1]
            simple = max(0, min(c1, mid) - c0)  # the tile's simple entries come first
            for p in range(lo, hi):
                code = V[V_CODE][p]
                vacancy = _vacancy(V, p)
                for q in range(simple):
                    buf[q] = _pair_with(
                        T[E_CODE][q] == code, T[E_SKILLS][q], T[E_EXP][q], T, q, vacancy, weights
                    )
                for e in range(max(c0, mid), c1):
                    same, sk, ex = _multi_slot(E, e, code)
                    buf[e - c0] = _pair_with(same, sk, ex, E, e, vacancy, weights)
                row = base + p - lo
                floor = floors[p]
                # Gates, branch-free: note the entries whose score may enter the
                # vacancy's list (at or above its floor, past its K-th best) or their
                # own, and offer only those below (most entries of a tile pass
                # neither). Ties are broken by the lower index: vacancies come in
                # index order, and so do the workers of a block's simple entries, so
                # a tie with the K-th best never enters there and those gates can be
                # strict (with scores taking few distinct values, ties are common).
                v_gate = part_scores[row, KV - 1]
                hits = 0
                for q in range(simple):
                    s = buf[q]
                    hit[hits] = q
                    hits += ((s > v_gate) & (s >= floor)) | (s > gates[q])
                for q in range(simple, c1 - c0):
                    s = buf[q]
                    hit[hits] = q
                    hits += ((s >= v_gate) & (s >= floor)) | (s > gates[q])
                j = V[V_INDEX][p]
                for h in range(hits):
                    q = hit[h]
                    s = buf[q]
                    if s <= _ZERO:
                        continue
                    e = c0 + q
                    v_gate = part_scores[row, KV - 1]
                    if s >= floor and (s > v_gate or (e >= mid and s == v_gate)):
                        _offer_row(part_scores, part_idx, row, KV, s, workers[e])
                    if s > entry_gate[e]:
                        _offer_row(entry_scores, entry_idx, e, KE, s, j)
                        entry_gate[e] = entry_scores[e, KE - 1]
        for e in range(a, b):  # -1 marks an empty place, as merge_rows expects
            for q in range(KE):
                if entry_idx[e, q] == NO_INDEX:
                    entry_idx[e, q] = -1
        for row in range(base, base + hi - lo):
            for q in range(KV):
                if part_idx[row, q] == NO_INDEX:
                    part_idx[row, q] = -1


@njit(parallel=True, cache=True)
def vacancy_floors(V, E, e_lo, e_mid, e_hi, P, K, sample, floors):
    """A lower bound on each vacancy's K-th best score in its block, for ``pair_pass``:
    the K-th best over ``sample`` entries spread evenly over the block (the K-th best
    of a subset is never above that of the whole). 0 for blocks under 8 samples' worth
    of entries, where the sample would cost more than it saves."""
    weights = _weights(P)
    minors = V[V_MINOR]
    for p in prange(minors.shape[0]):
        g = minors[p]
        lo, mid, n = e_lo[g], e_mid[g], e_hi[g] - e_lo[g]
        floors[p] = _ZERO
        if n < 8 * sample or sample < K:
            continue
        step = n // sample
        code = V[V_CODE][p]
        vacancy = _vacancy(V, p)
        buf = np.empty(sample, np.float32)
        for q in range(sample):
            e = lo + q * step
            if e < mid:
                buf[q] = _pair_with(
                    E[E_CODE][e] == code, E[E_SKILLS][e], E[E_EXP][e], E, e, vacancy, weights
                )
            else:
                same, sk, ex = _multi_slot(E, e, code)
                buf[q] = _pair_with(same, sk, ex, E, e, vacancy, weights)
        floors[p] = max(_ZERO, np.partition(buf, sample - K)[sample - K])


@njit(parallel=True, cache=True)
def merge_parts(
    V, v_lo, block_ptr, block_tasks, part_base, part_idx, part_scores, K, out_idx, out_score
):
    """Each vacancy's top-K from the part rows of its block's tasks."""
    minors, index = V[V_MINOR], V[V_INDEX]
    for p in prange(minors.shape[0]):
        g = minors[p]
        tasks = block_tasks[block_ptr[g] : block_ptr[g + 1]]
        if tasks.shape[0] == 0:
            continue  # a block without workers: the list stays empty
        rows = part_base[tasks] + (p - v_lo[g])
        merge_rows(rows, part_idx, part_scores, K, out_idx, out_score, index[p])
