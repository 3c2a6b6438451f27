"""The reference breakdown of many pairs at once, vectorised in numpy.

``explain_pairs(workers, vacancies, worker_index, vacancy_index)`` computes, for each
pair ``(worker_index[k], vacancy_index[k])``, what ``matching.reference.score_pair``
computes for it: the total, the seven components, the chosen slot, the missing skill
bits and the language levels behind the shortfalls. It follows the reference step by
step in float64 (same tie rule for the slot, same order of additions, the same
summation as Python's ``sum``), so the numbers are the reference's, not the fast
engine's float32 ones. No loop over pairs: loops run over slots and languages, and
over chunks of pairs to bound the temporaries.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from matching.engine.model import (
    AVAILABILITY_WINDOW_DAYS,
    DEFAULT_WEIGHTS,
    N_LANGS,
    N_SLOTS,
    Vacancies,
    Weights,
    Workers,
)

CHUNK = 1 << 17  # pairs per pass: the temporaries of one pass stay in cache

# Python's ``sum`` of floats is compensated (Neumaier) from 3.12 on, plain before.
_COMPENSATED_SUM = sys.version_info >= (3, 12)


@dataclass(eq=False)
class PairExplanations:
    """P pairs' breakdowns, row k for ``(worker_index[k], vacancy_index[k])``.

    Excluded pairs (a hard filter fails: the reference returns None) have every
    number zeroed: total, components, slot, missing bits and both language levels.
    """

    worker_index: np.ndarray  # (P,) int64
    vacancy_index: np.ndarray  # (P,) int64
    excluded: np.ndarray  # (P,) bool
    total: np.ndarray  # (P,) float64
    components: np.ndarray  # (P, 7) float64, columns in Weights.COMPONENTS order
    slot: np.ndarray  # (P,) int8, the worker's slot used for skills and experience
    missing_skill_bits: np.ndarray  # (P,) uint64, required skills the worker lacks
    lang_held: np.ndarray  # (P, 8) uint8 level held, in LANGS order
    lang_required: np.ndarray  # (P, 8) uint8 level required, 0 = not required

    def __len__(self) -> int:
        return int(self.total.shape[0])

    def component(self, name: str) -> np.ndarray:
        """One component's column, e.g. ``component("skills")``."""
        return self.components[:, Weights.COMPONENTS.index(name)]

    def shortfall_mask(self) -> np.ndarray:
        """(P, 8) bool: the required languages held below the required level."""
        return (self.lang_held < self.lang_required) & (self.lang_required > 0)

    def shortfalls(self, k: int) -> list[tuple[int, int, int]]:
        """Pair k's ``(lang_index, held, required)`` list, as the reference's
        ``language_shortfalls`` (empty for an excluded pair)."""
        held, required = self.lang_held[k], self.lang_required[k]
        return [
            (lang, int(held[lang]), int(required[lang]))
            for lang in range(N_LANGS)
            if required[lang] > 0 and held[lang] < required[lang]
        ]

    def breakdown(self, k: int):
        """Pair k as the reference's ``Breakdown``, or None when excluded."""
        from matching.reference import Breakdown

        if self.excluded[k]:
            return None
        parts = {
            name: float(x) for name, x in zip(Weights.COMPONENTS, self.components[k], strict=True)
        }
        return Breakdown(
            total=float(self.total[k]),
            slot=int(self.slot[k]),
            missing_skill_bits=int(self.missing_skill_bits[k]),
            language_shortfalls=self.shortfalls(k),
            **parts,
        )


class _PySum:
    """Python's ``sum(terms)`` (start 0) over arrays, term by term in the same order."""

    def __init__(self, shape):
        self.total = np.zeros(shape)
        self.comp = np.zeros(shape) if _COMPENSATED_SUM else None

    def add(self, x: np.ndarray) -> None:
        if self.comp is None:
            self.total += x
            return
        t = self.total + x
        big = np.abs(self.total) >= np.abs(x)
        self.comp += np.where(big, (self.total - t) + x, (x - t) + self.total)
        self.total = t

    def result(self) -> np.ndarray:
        return self.total if self.comp is None else self.total + self.comp


def _indices(values, size: int, name: str) -> np.ndarray:
    index = np.asarray(values)
    if index.ndim != 1 or not (index.size == 0 or np.issubdtype(index.dtype, np.integer)):
        raise ValueError(f"{name} must be a 1-D integer array")
    index = index.astype(np.int64, copy=False)
    if index.size and (index.min() < 0 or index.max() >= size):
        raise IndexError(f"{name} holds indices outside 0..{size - 1}")
    return index


def explain_pairs(
    workers: Workers,
    vacancies: Vacancies,
    worker_index,
    vacancy_index,
    weights: Weights = DEFAULT_WEIGHTS,
) -> PairExplanations:
    """The reference breakdown of every pair ``(worker_index[k], vacancy_index[k])``.

    Equal to ``score_pair`` pair by pair (float64, the same operations in the same
    order). Blocking is not applied: any pair gets its score.
    """
    wi = _indices(worker_index, len(workers), "worker_index")
    vj = _indices(vacancy_index, len(vacancies), "vacancy_index")
    if wi.shape != vj.shape:
        raise ValueError("worker_index and vacancy_index must have the same length")
    n_pairs = wi.shape[0]
    out = PairExplanations(
        worker_index=wi,
        vacancy_index=vj,
        excluded=np.empty(n_pairs, dtype=bool),
        total=np.empty(n_pairs),
        components=np.empty((n_pairs, len(Weights.COMPONENTS))),
        slot=np.empty(n_pairs, dtype=np.int8),
        missing_skill_bits=np.empty(n_pairs, dtype=np.uint64),
        lang_held=np.empty((n_pairs, N_LANGS), dtype=np.uint8),
        lang_required=np.empty((n_pairs, N_LANGS), dtype=np.uint8),
    )
    for lo in range(0, n_pairs, CHUNK):
        _explain_chunk(
            workers, vacancies, wi[lo : lo + CHUNK], vj[lo : lo + CHUNK], weights, out, lo
        )
    return out


def _explain_chunk(w, v, wi, vj, weights, out, lo) -> None:
    n = wi.shape[0]
    rows = slice(lo, lo + n)
    excluded = ~(
        w.ok[wi]
        & v.ok[vj]
        & ~(w.needs_foreign_ok[wi] & ~v.foreign_ok[vj])
        & ~(w.needs_quota[wi] & ~v.quota_left[vj])
    )
    kept = ~excluded

    # Occupation: the best slot wins, the first one on ties (argmax keeps the first).
    v_code = v.occ[vj].astype(np.int64)
    w_occ = w.occ[wi]
    levels = np.empty((n, N_SLOTS))
    for s in range(N_SLOTS):
        code = w_occ[:, s].astype(np.int64)
        level = np.where(code // 100 == v_code // 100, weights.occ_submajor, 0.0)
        level = np.where(code // 10 == v_code // 10, weights.occ_minor, level)
        level = np.where(code == v_code, 1.0, level)
        levels[:, s] = np.where(code == 0, 0.0, level)
    slot = levels.argmax(axis=1)
    occupation = np.take_along_axis(levels, slot[:, None], axis=1)[:, 0]

    # Skills: comparable only within the vacancy's unit group.
    required = v.skills[vj]
    in_unit = w_occ[np.arange(n), slot] == v_code
    held = np.where(in_unit, w.skills[wi, slot], np.uint64(0))
    n_required = np.bitwise_count(required).astype(np.int64)
    n_held = np.bitwise_count(required & held).astype(np.int64)
    skills = np.where(n_required > 0, n_held / np.maximum(n_required, 1), 1.0)
    missing = required & ~held

    # Languages: mean credit over the required ones, summed in language order.
    lang_held, lang_required = w.lang[wi], v.lang_req[vj]
    credit_sum, n_credits = _PySum(n), np.zeros(n, dtype=np.int64)
    for lang in range(N_LANGS):
        h = lang_held[:, lang].astype(np.int16)
        r = lang_required[:, lang].astype(np.int16)
        credit = np.where(h == r - 1, weights.lang_one_below, 0.0)
        credit = np.where(h >= r, 1.0, credit)
        credit_sum.add(np.where(r > 0, credit, 0.0))
        n_credits += r > 0
    languages = np.where(n_credits > 0, credit_sum.result() / np.maximum(n_credits, 1), 1.0)

    # Region: a wished region, or willing to go anywhere.
    r = v.region[vj].astype(np.int64)
    word = w.regions[wi, r >> 6]
    region_bit = (word >> (r & 63).astype(np.uint64)) & np.uint64(1)
    region = np.where(w.anywhere[wi] | (region_bit != 0), 1.0, 0.0)

    # Salary: meets the minimum, or partial below it; unknown pay gets a fixed credit.
    offer = v.salary[vj].astype(np.float64)
    minimum = w.min_salary[wi].astype(np.float64)
    salary = np.where(
        offer == 0, weights.salary_unknown, offer / np.where(minimum == 0, 1, minimum)
    )
    salary = np.where((minimum == 0) | (offer >= minimum), 1.0, salary)

    # Experience in the chosen slot's occupation against the requirement.
    exp_required = v.exp_req[vj].astype(np.float64)
    exp = w.exp[wi, slot].astype(np.float64)
    ratio = exp / np.where(exp_required == 0, 1.0, exp_required)
    experience = np.where(exp_required == 0, 1.0, np.minimum(1.0, ratio))

    # Availability: on time, or linearly less up to the window's end.
    start = v.start[vj].astype(np.int64)
    available = w.available[wi].astype(np.int64)
    late = np.maximum(0.0, 1.0 - (available - start) / AVAILABILITY_WINDOW_DAYS)
    availability = np.where((start == 0) | (available <= start), 1.0, late)

    parts = (occupation, skills, languages, region, salary, experience, availability)
    total = _PySum(n)
    for name, part in zip(Weights.COMPONENTS, parts, strict=True):
        total.add(getattr(weights, name) * part)

    components = out.components[rows]
    for c, part in enumerate(parts):
        components[:, c] = part
    components[excluded] = 0.0
    out.total[rows] = np.where(kept, total.result() / weights.weight_sum(), 0.0)
    out.excluded[rows] = excluded
    out.slot[rows] = np.where(kept, slot, 0)
    out.missing_skill_bits[rows] = np.where(kept, missing, np.uint64(0))
    out.lang_held[rows] = np.where(kept[:, None], lang_held, np.uint8(0))
    out.lang_required[rows] = np.where(kept[:, None], lang_required, np.uint8(0))
