"""The reference breakdown of many pairs at once, compiled.

``explain_pairs(workers, vacancies, worker_index, vacancy_index)`` computes, for each
pair ``(worker_index[k], vacancy_index[k])``, what ``matching.reference.score_pair``
computes for it: the total, the seven components, the chosen slot, the missing skill
bits and the language levels behind the shortfalls. It follows the reference step by
step in float64 (same tie rule for the slot, same order of additions, the same
summation as Python's ``sum``), so the numbers are the reference's, not the fast
engine's float32 ones. A full rematch explains its ~22 M stored pairs here: a numba
loop over pairs on every core (a numpy version, array op by array op, took 93 s for
them; its gathers from million-row arrays were repeated for every step)."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

from matching.engine.bits import _popcount
from matching.engine.model import (
    AVAILABILITY_WINDOW_DAYS,
    DEFAULT_WEIGHTS,
    N_LANGS,
    N_SLOTS,
    Vacancies,
    Weights,
    Workers,
)

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
    _explain_kernel(
        wi,
        vj,
        workers.occ,
        workers.exp,
        workers.skills,
        workers.lang,
        workers.regions,
        workers.anywhere,
        workers.min_salary,
        workers.available,
        workers.ok,
        workers.needs_foreign_ok,
        workers.needs_quota,
        vacancies.occ,
        vacancies.skills,
        vacancies.lang_req,
        vacancies.region,
        vacancies.salary,
        vacancies.start,
        vacancies.exp_req,
        vacancies.ok,
        vacancies.foreign_ok,
        vacancies.quota_left,
        _parameters(weights),
        _COMPENSATED_SUM,
        out.excluded,
        out.total,
        out.components,
        out.slot,
        out.missing_skill_bits,
        out.lang_held,
        out.lang_required,
    )
    return out


def _parameters(weights: Weights) -> np.ndarray:
    """The weights the kernel reads, as Python computes them (float64)."""
    return np.array(
        [
            *(getattr(weights, name) for name in Weights.COMPONENTS),
            weights.weight_sum(),
            weights.occ_minor,
            weights.occ_submajor,
            weights.lang_one_below,
            weights.salary_unknown,
        ],
        dtype=np.float64,
    )


_WEIGHT_SUM, _OCC_MINOR, _OCC_SUBMAJOR, _LANG_ONE_BELOW, _SALARY_UNKNOWN = range(7, 12)


@njit(inline="always")
def _python_sum_add(total, comp, x, compensated):
    """One step of Python's ``sum`` of floats: plain before 3.12, Neumaier from 3.12."""
    t = total + x
    if compensated:
        if abs(total) >= abs(x):
            comp += (total - t) + x
        else:
            comp += (x - t) + total
    return t, comp


@njit(parallel=True, cache=True)
def _explain_kernel(
    wi,
    vj,
    w_occ,
    w_exp,
    w_skills,
    w_lang,
    w_regions,
    w_anywhere,
    w_min_salary,
    w_available,
    w_ok,
    w_needs_foreign_ok,
    w_needs_quota,
    v_occ,
    v_skills,
    v_lang_req,
    v_region,
    v_salary,
    v_start,
    v_exp_req,
    v_ok,
    v_foreign_ok,
    v_quota_left,
    P,
    compensated,
    excluded,
    total_out,
    components,
    slot_out,
    missing_out,
    held_out,
    required_out,
):
    """The reference's steps, pair by pair, in float64 and in the reference's order."""
    for k in prange(wi.shape[0]):
        i, j = wi[k], vj[k]
        if not (
            w_ok[i]
            and v_ok[j]
            and not (w_needs_foreign_ok[i] and not v_foreign_ok[j])
            and not (w_needs_quota[i] and not v_quota_left[j])
        ):
            excluded[k] = True
            total_out[k] = 0.0
            components[k, :] = 0.0
            slot_out[k] = 0
            missing_out[k] = 0
            held_out[k, :] = 0
            required_out[k, :] = 0
            continue
        excluded[k] = False

        # Occupation: the best slot wins, the first one on ties.
        v_code = np.int64(v_occ[j])
        slot, occupation = 0, -1.0
        for s in range(N_SLOTS):
            code = np.int64(w_occ[i, s])
            level = 0.0
            if code != 0:
                if code // 100 == v_code // 100:
                    level = P[_OCC_SUBMAJOR]
                if code // 10 == v_code // 10:
                    level = P[_OCC_MINOR]
                if code == v_code:
                    level = 1.0
            if level > occupation:
                slot, occupation = s, level

        # Skills: comparable only within the vacancy's unit group.
        required = v_skills[j]
        held = w_skills[i, slot] if np.int64(w_occ[i, slot]) == v_code else np.uint64(0)
        n_required = _popcount(required)
        skills = (
            np.float64(_popcount(required & held)) / np.float64(n_required) if n_required else 1.0
        )
        missing_out[k] = required & ~held

        # Languages: mean credit over the required ones, summed in language order.
        credit_sum, credit_comp, n_credits = 0.0, 0.0, 0
        for lang in range(N_LANGS):
            h = np.int64(w_lang[i, lang])
            r = np.int64(v_lang_req[j, lang])
            held_out[k, lang] = w_lang[i, lang]
            required_out[k, lang] = v_lang_req[j, lang]
            credit = 0.0
            if r > 0:
                credit = 1.0 if h >= r else (P[_LANG_ONE_BELOW] if h == r - 1 else 0.0)
                n_credits += 1
            credit_sum, credit_comp = _python_sum_add(credit_sum, credit_comp, credit, compensated)
        languages = (credit_sum + credit_comp) / n_credits if n_credits else 1.0

        # Region: a wished region, or willing to go anywhere.
        region_index = np.int64(v_region[j])
        word = w_regions[i, region_index >> 6]
        bit = (word >> np.uint64(region_index & 63)) & np.uint64(1)
        region = 1.0 if w_anywhere[i] or bit != 0 else 0.0

        # Salary: meets the minimum, or partial below it; unknown pay gets a fixed credit.
        offer = np.float64(v_salary[j])
        minimum = np.float64(w_min_salary[i])
        if minimum == 0 or offer >= minimum:
            salary = 1.0
        elif offer == 0:
            salary = P[_SALARY_UNKNOWN]
        else:
            salary = offer / minimum

        # Experience in the chosen slot's occupation against the requirement.
        exp_required = np.float64(v_exp_req[j])
        experience = (
            1.0 if exp_required == 0 else min(1.0, np.float64(w_exp[i, slot]) / exp_required)
        )

        # Availability: on time, or linearly less up to the window's end.
        start = np.int64(v_start[j])
        available = np.int64(w_available[i])
        if start == 0 or available <= start:
            availability = 1.0
        else:
            availability = max(0.0, 1.0 - (available - start) / AVAILABILITY_WINDOW_DAYS)

        parts = (occupation, skills, languages, region, salary, experience, availability)
        total, comp = 0.0, 0.0
        for c in range(7):
            components[k, c] = parts[c]
            total, comp = _python_sum_add(total, comp, P[c] * parts[c], compensated)
        total_out[k] = (total + comp) / P[_WEIGHT_SUM]
        slot_out[k] = slot
