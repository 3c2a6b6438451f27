"""Random markets for the engine tests, and the weight sets they are scored with: plain numpy."""

import numpy as np

from matching.engine import N_LANGS, Vacancies, Weights, Workers

# Few codes over few minor and sub-major groups, so that blocks are crowded and
# workers often hold two occupations of one minor group (the engine's slow path).
CODES = np.array(
    [7112, 7113, 7115, 7119, 7121, 7122, 7126, 7212, 7213, 7411, 110, 210, 5120, 5131, 5132],
    dtype=np.int32,
)
REGION_MASK = np.array([2**64 - 1, 2**25 - 1], dtype=np.uint64)  # 89 regions


def make_market(seed: int, n: int, m: int) -> tuple[Workers, Vacancies]:
    """A random market that visits every branch of the score often."""
    rng = np.random.default_rng(seed)
    occ = rng.choice(CODES, size=(n, 3)).astype(np.int32)
    occ[rng.random((n, 3)) < 0.45] = 0
    few_bits = rng.integers(0, 2**8, size=(n, 3), dtype=np.uint64)
    workers = Workers(
        occ=occ,
        exp=np.where(rng.random((n, 3)) < 0.2, 0, rng.gamma(2, 2, (n, 3))).astype(np.float32),
        skills=np.where(
            rng.random((n, 3)) < 0.5, few_bits, rng.integers(0, 2**64 - 1, (n, 3), dtype=np.uint64)
        ),
        lang=rng.integers(0, 8, (n, N_LANGS)).astype(np.uint8),
        regions=rng.integers(0, 2**64 - 1, (n, 2), dtype=np.uint64)
        & rng.integers(0, 2**64 - 1, (n, 2), dtype=np.uint64)
        & REGION_MASK,
        anywhere=rng.random(n) < 0.3,
        min_salary=np.where(rng.random(n) < 0.3, 0, rng.lognormal(10, 0.4, n)).astype(np.float32),
        available=rng.integers(0, 150, n).astype(np.int32),
        ok=rng.random(n) < 0.9,
        needs_foreign_ok=rng.random(n) < 0.5,
        needs_quota=rng.random(n) < 0.3,
    )
    vacancies = Vacancies(
        occ=rng.choice(CODES, m).astype(np.int32),
        skills=np.where(rng.random(m) < 0.15, 0, rng.integers(0, 2**8, m, dtype=np.uint64)).astype(
            np.uint64
        ),
        lang_req=(rng.integers(1, 8, (m, N_LANGS)) * (rng.random((m, N_LANGS)) < 0.2)).astype(
            np.uint8
        ),
        region=rng.integers(0, 89, m).astype(np.int16),
        salary=np.where(rng.random(m) < 0.3, 0, rng.lognormal(10, 0.4, m)).astype(np.float32),
        start=np.where(rng.random(m) < 0.3, 0, rng.integers(1, 150, m)).astype(np.int32),
        exp_req=np.where(rng.random(m) < 0.3, 0, rng.gamma(2, 2, m)).astype(np.float32),
        ok=rng.random(m) < 0.9,
        foreign_ok=rng.random(m) < 0.7,
        quota_left=rng.random(m) < 0.8,
    )
    return workers, vacancies


WEIGHT_SETS = [
    Weights(),
    Weights(
        occupation=1,
        skills=0,
        languages=2,
        region=0.3,
        salary=0,
        experience=1,
        availability=3,
        occ_minor=0.7,
        occ_submajor=0,
        lang_one_below=0,
        salary_unknown=1,
    ),
]
