"""A seeded synthetic labor market in the engine's arrays (no Django), for benchmarks.

Distributions follow shared/reference/performance.md §4: Zipf over the 436 ISCO-08
unit groups for supply and demand (with a knob for how strongly they favour the same
occupations), skills drawn from each group's vocabulary, a CEFR mix, lognormal pay.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from matching import engine

N_LANGS = engine.N_LANGS
N_REGIONS = engine.N_REGIONS
ISCO_CSV = Path(__file__).resolve().parents[2] / "exchange" / "data" / "isco08.csv"

TODAY = 20_000  # a day number; availability dates sit around it


def unit_codes() -> np.ndarray:
    """The 436 ISCO-08 unit groups (level 4) from the reference data."""
    with open(ISCO_CSV, encoding="utf-8") as f:
        codes = [int(row["code"]) for row in csv.DictReader(f) if row["level"] == "4"]
    return np.array(codes, dtype=np.int32)


def zipf(size: int, s: float = 1.0) -> np.ndarray:
    p = 1.0 / np.arange(1, size + 1) ** s
    return p / p.sum()


def generate(n: int, m: int, seed: int, corr: str):
    """A seeded market with the distributions of reference/performance.md §4.

    ``corr``: "typical" shuffles 30% of the demand popularity ranking against the
    supply one; "worst" uses the identical ranking (the most pairs per block).
    Returns (workers, vacancies, positions).
    """
    rng = np.random.default_rng(seed)
    codes = unit_codes()
    u = codes.shape[0]
    popularity = zipf(u)
    supply_rank = rng.permutation(u)  # supply_rank[r] = unit index with rank r
    demand_rank = supply_rank.copy()
    if corr == "typical":
        moved = rng.choice(u, size=int(0.3 * u), replace=False)
        demand_rank[moved] = demand_rank[rng.permutation(moved)]
    p_supply = np.empty(u)
    p_supply[supply_rank] = popularity
    p_demand = np.empty(u)
    p_demand[demand_rank] = popularity
    # Each unit group's 64-skill vocabulary has its own popularity order.
    skill_order = np.argsort(rng.random((u, 64)), axis=1).astype(np.uint64)
    p_skill = zipf(64, 0.8)

    def skill_sets(units, draws):
        bits = np.zeros(units.shape, dtype=np.uint64)
        for _ in range(draws):
            local = rng.choice(64, size=units.shape, p=p_skill)
            bits |= np.left_shift(np.uint64(1), skill_order[units, local])
        return bits

    region_order = rng.permutation(N_REGIONS)
    p_region = np.empty(N_REGIONS)
    p_region[region_order] = zipf(N_REGIONS, 1.1)

    # Workers: 1-3 occupations, skills per occupation, mostly A1-B1 Russian.
    unit = rng.choice(u, size=(n, 3), p=p_supply)
    n_occ = rng.choice([1, 2, 3], size=n, p=[0.7, 0.2, 0.1])
    used = np.arange(3)[None, :] < n_occ[:, None]
    used[:, 1] &= unit[:, 1] != unit[:, 0]
    used[:, 2] &= (unit[:, 2] != unit[:, 0]) & (unit[:, 2] != unit[:, 1])
    occ = np.where(used, codes[unit], 0).astype(np.int32)
    skills = np.where(used, skill_sets(unit, 10), np.uint64(0)).astype(np.uint64)
    exp = np.where(used, rng.gamma(2.0, 2.5, (n, 3)), 0).astype(np.float32)
    lang = np.zeros((n, N_LANGS), dtype=np.uint8)
    lang[:, 0] = rng.choice(8, size=n, p=[0.08, 0.22, 0.3, 0.22, 0.1, 0.05, 0.02, 0.01])
    native = rng.integers(2, 6, n)
    has_native = rng.random(n) < 0.85
    lang[np.flatnonzero(has_native), native[has_native]] = 7
    lang[:, 1] = rng.choice(5, size=n, p=[0.5, 0.25, 0.15, 0.07, 0.03])
    regions = np.zeros((n, 2), dtype=np.uint64)
    n_regions = rng.integers(1, 4, n)
    for r in range(3):
        region = rng.choice(N_REGIONS, size=n, p=p_region)
        take = np.flatnonzero(n_regions > r)
        word, bit = region[take] // 64, (region[take] % 64).astype(np.uint64)
        regions[take, word] |= np.left_shift(np.uint64(1), bit)
    min_salary = np.where(rng.random(n) < 0.35, 0, rng.lognormal(np.log(60_000), 0.3, n))
    workers = engine.Workers(
        occ=occ,
        exp=exp,
        skills=skills,
        lang=lang,
        regions=regions,
        anywhere=rng.random(n) < 0.3,
        min_salary=min_salary.astype(np.float32),
        available=(TODAY + rng.gamma(1.5, 20, n)).astype(np.int32),
        ok=rng.random(n) < 0.92,
        needs_foreign_ok=rng.random(n) < 0.85,
        needs_quota=rng.random(n) < 0.3,
    )

    # Vacancies: one unit group, 3-6 required skills, Russian mostly required.
    v_unit = rng.choice(u, size=m, p=p_demand)
    v_skills = np.where(rng.random(m) < 0.1, np.uint64(0), skill_sets(v_unit, 6))
    lang_req = np.zeros((m, N_LANGS), dtype=np.uint8)
    lang_req[:, 0] = np.where(
        rng.random(m) < 0.75, rng.choice([1, 2, 3, 4], size=m, p=[0.3, 0.4, 0.25, 0.05]), 0
    )
    lang_req[:, 1] = np.where(rng.random(m) < 0.05, rng.choice([2, 3], size=m), 0)
    salary = np.where(rng.random(m) < 0.1, 0, rng.lognormal(np.log(70_000), 0.35, m))
    start = np.where(rng.random(m) < 0.3, 0, TODAY + rng.integers(0, 120, m))
    exp_req = np.where(rng.random(m) < 0.4, 0, np.round(rng.gamma(2.0, 1.0, m) * 2) / 2)
    vacancies = engine.Vacancies(
        occ=codes[v_unit].astype(np.int32),
        skills=v_skills.astype(np.uint64),
        lang_req=lang_req,
        region=rng.choice(N_REGIONS, size=m, p=p_region).astype(np.int16),
        salary=salary.astype(np.float32),
        start=start.astype(np.int32),
        exp_req=exp_req.astype(np.float32),
        ok=rng.random(m) < 0.95,
        foreign_ok=rng.random(m) < 0.9,
        quota_left=rng.random(m) < 0.85,
    )
    positions = np.minimum(rng.geometric(0.15, m), 200).astype(np.int64)
    return workers, vacancies, positions
