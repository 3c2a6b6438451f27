"""The score of one worker-vacancy pair, written plainly: the specification.

The fast engine (``matching.engine``) must agree with this module (tests check it to
1e-6); when the two disagree, this one is right. Plain Python, one pair at a time,
in float64.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matching.engine.model import (
    AVAILABILITY_WINDOW_DAYS,
    DEFAULT_WEIGHTS,
    Vacancies,
    Weights,
    Workers,
)


@dataclass(frozen=True)
class Breakdown:
    """A pair's total and each component (all in [0, 1]), plus what the worker lacks.

    ``slot`` is the worker's occupation slot used for skills and experience.
    ``missing_skill_bits`` is a bitmask of the vacancy's required skills the worker
    lacks (all of them when the slot is in another unit group: the bit spaces differ).
    ``language_shortfalls`` lists ``(lang_index, held, required)`` where held < required.
    """

    total: float
    occupation: float
    skills: float
    languages: float
    region: float
    salary: float
    experience: float
    availability: float
    slot: int
    missing_skill_bits: int
    language_shortfalls: list[tuple[int, int, int]] = field(default_factory=list)

    def components(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in Weights.COMPONENTS}


def passes_hard_filters(w: Workers, v: Vacancies, i: int, j: int) -> bool:
    """Whether the pair may be matched at all, before any scoring."""
    if not (w.ok[i] and v.ok[j]):
        return False
    if w.needs_foreign_ok[i] and not v.foreign_ok[j]:
        return False
    return not (w.needs_quota[i] and not v.quota_left[j])


def same_block(w: Workers, v: Vacancies, i: int, j: int) -> bool:
    """Whether the engine scores this pair: some worker occupation shares the vacancy's
    ISCO minor group (the first three digits)."""
    minor = int(v.occ[j]) // 10
    return any(int(code) != 0 and int(code) // 10 == minor for code in w.occ[i])


def occupation_level(worker_code: int, vacancy_code: int, weights: Weights) -> float:
    """1 for the same unit group, occ_minor for the same minor group, occ_submajor for
    the same sub-major group, else 0. An empty slot (0) scores 0."""
    if worker_code == 0:
        return 0.0
    if worker_code == vacancy_code:
        return 1.0
    if worker_code // 10 == vacancy_code // 10:
        return weights.occ_minor
    if worker_code // 100 == vacancy_code // 100:
        return weights.occ_submajor
    return 0.0


def language_credit(held: int, required: int, weights: Weights) -> float:
    """Full credit at or above the required level, partial one level below, else none."""
    if held >= required:
        return 1.0
    if held == required - 1:
        return weights.lang_one_below
    return 0.0


def score_pair(
    w: Workers, v: Vacancies, i: int, j: int, weights: Weights = DEFAULT_WEIGHTS
) -> Breakdown | None:
    """Score worker ``i`` against vacancy ``j``; None when a hard filter excludes the pair.

    Blocking is not applied here: any pair gets its score (see ``same_block``).
    """
    if not passes_hard_filters(w, v, i, j):
        return None
    v_code = int(v.occ[j])

    # Occupation: the best slot wins, the first one on ties.
    slot, occupation = 0, -1.0
    for s in range(len(w.occ[i])):
        level = occupation_level(int(w.occ[i][s]), v_code, weights)
        if level > occupation:
            slot, occupation = s, level

    # Skills: the share of required skills held, comparable only within one unit group.
    required = int(v.skills[j])
    n_required = required.bit_count()
    held = int(w.skills[i][slot]) if int(w.occ[i][slot]) == v_code else 0
    skills = (required & held).bit_count() / n_required if n_required else 1.0
    missing = required & ~held

    # Languages: mean credit over the required ones.
    credits, shortfalls = [], []
    for lang, (held_level, required_level) in enumerate(zip(w.lang[i], v.lang_req[j], strict=True)):
        held_level, required_level = int(held_level), int(required_level)
        if required_level == 0:
            continue
        credits.append(language_credit(held_level, required_level, weights))
        if held_level < required_level:
            shortfalls.append((lang, held_level, required_level))
    languages = sum(credits) / len(credits) if credits else 1.0

    # Region: a wished region, or willing to go anywhere.
    r = int(v.region[j])
    region_bit = (int(w.regions[i][r // 64]) >> (r % 64)) & 1
    region = 1.0 if w.anywhere[i] or region_bit else 0.0

    # Salary: meets the minimum, or partial below it; unknown pay gets a fixed credit.
    offer, minimum = float(v.salary[j]), float(w.min_salary[i])
    if minimum == 0 or offer >= minimum:
        salary = 1.0
    elif offer == 0:
        salary = weights.salary_unknown
    else:
        salary = offer / minimum

    # Experience in the chosen slot's occupation against the requirement.
    exp_required = float(v.exp_req[j])
    experience = 1.0 if exp_required == 0 else min(1.0, float(w.exp[i][slot]) / exp_required)

    # Availability: on time, or linearly less up to 60 days late.
    start, available = int(v.start[j]), int(w.available[i])
    if start == 0 or available <= start:
        availability = 1.0
    else:
        availability = max(0.0, 1.0 - (available - start) / AVAILABILITY_WINDOW_DAYS)

    parts = {
        "occupation": occupation,
        "skills": skills,
        "languages": languages,
        "region": region,
        "salary": salary,
        "experience": experience,
        "availability": availability,
    }
    total = sum(getattr(weights, name) * parts[name] for name in parts) / weights.weight_sum()
    return Breakdown(
        total=total,
        slot=slot,
        missing_skill_bits=missing,
        language_shortfalls=shortfalls,
        **parts,
    )
