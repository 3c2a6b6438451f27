"""Blocking: encode workers and vacancies into block-sorted, contiguous arrays.

A block is an ISCO-08 minor group (the unit code's first three digits, code // 10).
A worker appears once in each block of its occupations (an "entry"); a vacancy sits in
the block of its unit code. Since a vacancy is in exactly one block, a pair meets in
at most one block: no de-duplication is needed afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from matching.engine import kernels as K
from matching.engine.model import Vacancies, Weights, Workers

N_BLOCKS = 1000  # minor groups are code // 10 of a 4-digit code: 0..999
ANY_TIME = 2**30  # a vacancy start of "any time": nobody is ever late for it

FLAG_FOREIGN = 2  # bits of E_FLAGS / V_FORBID: a pair is excluded if they share a bit
FLAG_QUOTA = 4


@dataclass(eq=False)
class BlockIndex:
    """Block-sorted arrays for both sides, built once per snapshot.

    The incremental functions take it to avoid re-blocking a million workers per call;
    rebuild it (or build a fresh one) after changing the arrays it was built from.
    """

    E: tuple  # per-entry arrays, see kernels.E_*
    V: tuple  # per-vacancy coefficient arrays, see kernels.V_*
    e_lo: np.ndarray  # (N_BLOCKS,) first entry of each block
    e_mid: np.ndarray  # first multi-slot entry of each block
    e_hi: np.ndarray  # end of each block
    v_lo: np.ndarray  # (N_BLOCKS,) first vacancy position of each block
    v_hi: np.ndarray
    entry_ptr: np.ndarray  # (n + 1,) worker i's entries are entry_of[entry_ptr[i]:entry_ptr[i+1]]
    entry_of: np.ndarray
    v_pos: np.ndarray  # (m,) position of vacancy j in block order, -1 if not eligible

    @property
    def n_entries(self) -> int:
        return int(self.E[K.E_WORKER].shape[0])

    def pairs(self) -> int:
        """Pairs scored: Σ over blocks of entries × vacancies."""
        sizes_e = (self.e_hi - self.e_lo).astype(np.int64)
        sizes_v = (self.v_hi - self.v_lo).astype(np.int64)
        return int((sizes_e * sizes_v).sum())


def params(weights: Weights) -> np.ndarray:
    """The kernel's parameter vector: 7 normalised weights, then the partial credits."""
    return np.array(
        [
            *weights.normalised(),
            weights.occ_minor,
            weights.lang_one_below,
            weights.salary_unknown,
        ],
        dtype=np.float32,
    )


def _pack_bytes(levels: np.ndarray) -> np.ndarray:
    """(k, 8) uint8 → (k,) uint64, byte l holding column l (little-endian view)."""
    return np.ascontiguousarray(levels, dtype=np.uint8).view("<u8").reshape(-1).astype(np.uint64)


def worker_entries(w: Workers, rows: np.ndarray | None = None, minor: int | None = None):
    """Entries for workers ``rows`` (default: all), optionally only in block ``minor``.

    Returns the entry tuple E in block order (minor, simple before multi, worker).
    """
    if rows is None and minor is not None:
        return _block_entries(
            w.occ,
            w.exp,
            w.skills,
            w.lang,
            w.regions,
            w.anywhere,
            w.min_salary,
            w.available,
            w.ok,
            w.needs_foreign_ok,
            w.needs_quota,
            minor,
        )
    occ = w.occ if rows is None else w.occ[rows]
    ok = w.ok if rows is None else w.ok[rows]
    valid = (occ > 0) & ok[:, None]
    if minor is not None:
        valid &= occ // 10 == minor
    local, slot = np.nonzero(valid)  # row-major: by worker, then slot
    codes = occ[local, slot]
    minors = codes // 10
    order = np.lexsort((slot, local, minors))
    local, slot, codes, minors = local[order], slot[order], codes[order], minors[order]

    # One entry per (worker, minor group): the group's first slot is the primary one.
    new = np.ones(local.shape[0], dtype=bool)
    new[1:] = (minors[1:] != minors[:-1]) | (local[1:] != local[:-1])
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, local.shape[0]))
    multi = counts > 1
    order = np.lexsort((local[starts], multi, minors[starts]))
    starts, counts, multi = starts[order], counts[order], multi[order]

    worker = local[starts] if rows is None else np.asarray(rows)[local[starts]]
    worker = worker.astype(np.int32)

    def slot_arrays(offset: int, present: np.ndarray):
        # Slot offset within the entry's group, or "no such slot" (code -1 never matches).
        pos = np.minimum(starts + offset, max(local.shape[0] - 1, 0))
        i, s = worker[present.nonzero()[0]], slot[pos][present]
        code = np.full(starts.shape[0], -1, dtype=np.int32)
        skills = np.zeros(starts.shape[0], dtype=np.uint64)
        exp = np.zeros(starts.shape[0], dtype=np.float32)
        code[present] = w.occ[i, s]
        skills[present] = w.skills[i, s]
        exp[present] = w.exp[i, s]
        return code, skills, exp

    all_present = np.ones(starts.shape[0], dtype=bool)
    code1, skills1, exp1 = slot_arrays(0, all_present)
    code2, skills2, exp2 = slot_arrays(1, counts >= 2)
    code3, skills3, exp3 = slot_arrays(2, counts >= 3)

    flags = (w.needs_foreign_ok[worker] * FLAG_FOREIGN | w.needs_quota[worker] * FLAG_QUOTA).astype(
        np.uint8
    )
    everywhere = np.uint64(2**64 - 1)
    anywhere = w.anywhere[worker]
    reg0 = np.where(anywhere, everywhere, w.regions[worker, 0]).astype(np.uint64)
    reg1 = np.where(anywhere, everywhere, w.regions[worker, 1]).astype(np.uint64)
    min_salary = w.min_salary[worker]
    with np.errstate(divide="ignore"):
        inv_min = np.where(min_salary > 0, np.float32(1) / min_salary, 0).astype(np.float32)

    return (
        worker,
        minors[starts].astype(np.int32),
        code1,
        skills1,
        exp1,
        code2,
        skills2,
        exp2,
        code3,
        skills3,
        exp3,
        flags,
        _pack_bytes(w.lang[worker]),
        reg0,
        reg1,
        min_salary.astype(np.float32),
        inv_min,
        w.available[worker].astype(np.int64),
    )


@njit(parallel=True, cache=True)
def _block_entries(
    occ, exp, skills, lang, regions, anywhere, min_salary, available, ok, foreign, quota, minor
):
    """``worker_entries(w, minor=minor)`` in compiled passes over the workers (one
    vacancy scored without an index: numpy's sorts took 23 ms for a block of 200,000
    workers, this 2-3 ms)."""
    n = occ.shape[0]
    count = np.zeros(n, np.int8)  # each worker's slots in the block
    for i in prange(n):
        if ok[i]:
            for s in range(3):
                if occ[i, s] > 0 and occ[i, s] // 10 == minor:
                    count[i] += 1
    # Each worker's entry position: simple entries first, then multi, each by worker.
    at = np.empty(n, np.int64)
    simple = 0
    for i in range(n):
        simple += count[i] == 1
    at_simple, at_multi = 0, simple
    for i in range(n):
        if count[i] == 1:
            at[i] = at_simple
            at_simple += 1
        elif count[i] > 1:
            at[i] = at_multi
            at_multi += 1
    entries = at_multi
    worker = np.empty(entries, np.int32)
    codes = np.full((3, entries), -1, np.int32)
    slot_skills = np.zeros((3, entries), np.uint64)
    slot_exp = np.zeros((3, entries), np.float32)
    flags = np.empty(entries, np.uint8)
    packed = np.empty(entries, np.uint64)
    reg0 = np.empty(entries, np.uint64)
    reg1 = np.empty(entries, np.uint64)
    pay = np.empty(entries, np.float32)
    inv_pay = np.empty(entries, np.float32)
    avail = np.empty(entries, np.int64)
    for i in prange(n):
        if count[i] == 0:
            continue
        k = at[i]
        worker[k] = i
        t = 0
        for s in range(3):
            if occ[i, s] > 0 and occ[i, s] // 10 == minor:
                codes[t, k] = occ[i, s]
                slot_skills[t, k] = skills[i, s]
                slot_exp[t, k] = exp[i, s]
                t += 1
        flags[k] = FLAG_FOREIGN * foreign[i] | FLAG_QUOTA * quota[i]
        word = np.uint64(0)
        for b in range(8):
            word |= np.uint64(lang[i, b]) << np.uint64(8 * b)
        packed[k] = word
        everywhere = np.uint64(0xFFFFFFFFFFFFFFFF)
        reg0[k] = everywhere if anywhere[i] else regions[i, 0]
        reg1[k] = everywhere if anywhere[i] else regions[i, 1]
        pay[k] = min_salary[i]
        inv_pay[k] = np.float32(1) / min_salary[i] if min_salary[i] > 0 else np.float32(0)
        avail[k] = available[i]
    return (
        worker,
        np.full(entries, minor, np.int32),
        codes[0],
        slot_skills[0],
        slot_exp[0],
        codes[1],
        slot_skills[1],
        slot_exp[1],
        codes[2],
        slot_skills[2],
        slot_exp[2],
        flags,
        packed,
        reg0,
        reg1,
        pay,
        inv_pay,
        avail,
    )


def vacancy_coefficients(v: Vacancies, rows: np.ndarray | None = None):
    """Coefficients for eligible vacancies ``rows`` (default: all), in block order.

    Every vacancy-only branch of the score becomes a number here (see kernels._pair).
    """
    index = np.arange(len(v), dtype=np.int32) if rows is None else np.asarray(rows, np.int32)
    index = index[v.ok[index]]
    index = index[np.argsort(v.occ[index] // 10, kind="stable")]

    code = v.occ[index].astype(np.int32)
    skills = v.skills[index]
    n_required = np.bitwise_count(skills).astype(np.float32)
    with np.errstate(divide="ignore"):
        inv_required = np.where(n_required > 0, np.float32(1) / n_required, 0).astype(np.float32)
    lang_req = v.lang_req[index]
    n_langs = (lang_req > 0).sum(axis=1).astype(np.float32)
    with np.errstate(divide="ignore"):
        inv_langs = np.where(n_langs > 0, np.float32(1) / n_langs, 0).astype(np.float32)
    region = v.region[index].astype(np.int64)
    bit = np.left_shift(np.uint64(1), (region % 64).astype(np.uint64))
    exp_req = v.exp_req[index]
    with np.errstate(divide="ignore", over="ignore"):
        inv_exp = np.where(exp_req > 0, np.float32(1) / exp_req, 0).astype(np.float32)
    # A vanishingly small requirement (a subnormal float) overflows to inf, and 0 × inf
    # is NaN: cap at the largest float32, so that no experience still scores 0.
    inv_exp = np.minimum(inv_exp, np.finfo(np.float32).max)
    start = v.start[index].astype(np.int64)
    forbid = (~v.foreign_ok[index] * FLAG_FOREIGN | ~v.quota_left[index] * FLAG_QUOTA).astype(
        np.uint8
    )
    return (
        index,
        (code // 10).astype(np.int32),
        code,
        skills,
        inv_required,
        (n_required == 0).astype(np.float32),
        _pack_bytes(lang_req),
        _pack_bytes(np.where(lang_req > 0, 0x80, 0)),
        inv_langs,
        (n_langs == 0).astype(np.float32),
        np.where(region < 64, bit, 0).astype(np.uint64),
        np.where(region >= 64, bit, 0).astype(np.uint64),
        v.salary[index].astype(np.float32),
        v.salary[index] == 0,
        inv_exp,
        (exp_req == 0).astype(np.float32),
        np.where(start == 0, ANY_TIME, start),
        forbid,
    )


def block_bounds(minors: np.ndarray, multi: np.ndarray | None = None):
    """Start and end of each block (and of its simple run) in a block-sorted array."""
    blocks = np.arange(N_BLOCKS)
    lo = np.searchsorted(minors, blocks, "left").astype(np.int64)
    hi = np.searchsorted(minors, blocks, "right").astype(np.int64)
    if multi is None:
        return lo, hi
    key = minors.astype(np.int64) * 2 + multi
    mid = np.searchsorted(key, blocks * 2 + 1, "left").astype(np.int64)
    return lo, mid, hi


def build_index(w: Workers, v: Vacancies) -> BlockIndex:
    """Validate and encode both sides into block-sorted arrays."""
    w.validate()
    v.validate()
    E = worker_entries(w)
    V = vacancy_coefficients(v)
    multi = E[K.E_CODE2] >= 0
    e_lo, e_mid, e_hi = block_bounds(E[K.E_MINOR], multi)
    v_lo, v_hi = block_bounds(V[K.V_MINOR])
    entry_of = np.argsort(E[K.E_WORKER], kind="stable").astype(np.int64)
    counts = np.bincount(E[K.E_WORKER], minlength=len(w))
    entry_ptr = np.zeros(len(w) + 1, dtype=np.int64)
    np.cumsum(counts, out=entry_ptr[1:])
    v_pos = np.full(len(v), -1, dtype=np.int64)
    v_pos[V[K.V_INDEX]] = np.arange(V[K.V_INDEX].shape[0])
    return BlockIndex(E, V, e_lo, e_mid, e_hi, v_lo, v_hi, entry_ptr, entry_of, v_pos)
