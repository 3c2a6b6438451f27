"""The matching model's inputs: workers and vacancies as numpy arrays, and the weights.

No Django import here or anywhere in ``matching.engine``: the Django side encodes the
database into these arrays, the engine scores them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

ENGINE_VERSION = "1.0"

# Language codes in index order. Index 0 is Russian, the language every vacancy is
# most likely to require. The order is part of the encoding: do not reorder.
LANGS = ("ru", "en", "uz", "tg", "ky", "kk", "zh", "tr")
N_LANGS = len(LANGS)
N_SLOTS = 3  # occupations per worker
N_REGIONS = 89  # region index 0..88, a worker's wishes as a 2-word bitset
MAX_CEFR = 7  # 0 none, A1=1 … C2=6, native=7
AVAILABILITY_WINDOW_DAYS = 60  # credit falls linearly to 0 over 60 days late


@dataclass(frozen=True)
class Weights:
    """Component weights and partial-credit parameters of the score.

    The total is ``Σ weight·component / Σ weights``, so weights need not sum to 1.
    The occupation levels must satisfy ``0 ≤ occ_submajor < occ_minor < 1``: strictly
    ordered levels make "the best-matching occupation slot" unambiguous, and they let
    the engine look only at the slots inside the vacancy's minor group.
    """

    occupation: float = 0.25
    skills: float = 0.25
    languages: float = 0.15
    region: float = 0.1
    salary: float = 0.1
    experience: float = 0.1
    availability: float = 0.05
    occ_minor: float = 0.5
    occ_submajor: float = 0.25
    lang_one_below: float = 0.5
    salary_unknown: float = 0.5

    COMPONENTS = (
        "occupation",
        "skills",
        "languages",
        "region",
        "salary",
        "experience",
        "availability",
    )

    def __post_init__(self):
        for f in fields(self):
            value = getattr(self, f.name)
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"Weights.{f.name} must be a finite number ≥ 0, got {value!r}")
        if not 0 <= self.occ_submajor < self.occ_minor < 1:
            raise ValueError("Weights need 0 ≤ occ_submajor < occ_minor < 1")
        for name in ("lang_one_below", "salary_unknown"):
            if getattr(self, name) > 1:
                raise ValueError(f"Weights.{name} is a credit in [0, 1]")
        if self.weight_sum() <= 0:
            raise ValueError("at least one component weight must be positive")

    def weight_sum(self) -> float:
        return sum(getattr(self, name) for name in self.COMPONENTS)

    def normalised(self) -> tuple[float, ...]:
        """The seven component weights divided by their sum, in COMPONENTS order."""
        total = self.weight_sum()
        return tuple(getattr(self, name) / total for name in self.COMPONENTS)


# Weights are frozen, so one shared default is safe as a default argument.
DEFAULT_WEIGHTS = Weights()


def _check(name: str, array, dtype, shape: tuple) -> None:
    if not isinstance(array, np.ndarray):
        raise ValueError(f"{name} must be a numpy array, got {type(array).__name__}")
    if array.dtype != np.dtype(dtype):
        raise ValueError(f"{name} must be {np.dtype(dtype)}, got {array.dtype}")
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")


@dataclass(eq=False)
class Workers:
    """n workers, one row each. See docs/decisions/0005-matching-engine.md for the encoding."""

    occ: np.ndarray  # (n, 3) int32 ISCO-08 unit codes, 0 = empty slot
    exp: np.ndarray  # (n, 3) float32 years of experience per slot
    skills: np.ndarray  # (n, 3) uint64 bitset per slot, in that unit group's vocabulary
    lang: np.ndarray  # (n, 8) uint8 CEFR level held, 0..7
    regions: np.ndarray  # (n, 2) uint64 bitset over the 89 regions
    anywhere: np.ndarray  # (n,) bool, willing to work in any region
    min_salary: np.ndarray  # (n,) float32, 0 = any
    available: np.ndarray  # (n,) int32 day number from which the worker can start
    ok: np.ndarray  # (n,) bool: verified, visible, available, not placed
    needs_foreign_ok: np.ndarray  # (n,) bool: foreign national
    needs_quota: np.ndarray  # (n,) bool: visa regime, needs quota

    def __len__(self) -> int:
        return int(self.ok.shape[0])

    def validate(self) -> None:
        """Raise ValueError unless every array has the documented dtype, shape and range."""
        n = len(self)
        _check("occ", self.occ, np.int32, (n, N_SLOTS))
        _check("exp", self.exp, np.float32, (n, N_SLOTS))
        _check("skills", self.skills, np.uint64, (n, N_SLOTS))
        _check("lang", self.lang, np.uint8, (n, N_LANGS))
        _check("regions", self.regions, np.uint64, (n, 2))
        for name in ("anywhere", "ok", "needs_foreign_ok", "needs_quota"):
            _check(name, getattr(self, name), np.bool_, (n,))
        _check("min_salary", self.min_salary, np.float32, (n,))
        _check("available", self.available, np.int32, (n,))
        if (self.occ < 0).any() or (self.occ > 9999).any():
            raise ValueError("occ holds ISCO-08 unit codes 0..9999 (0 = empty)")
        if (self.lang > MAX_CEFR).any():
            raise ValueError("lang levels are 0..7")
        if not (np.isfinite(self.exp).all() and (self.exp >= 0).all()):
            raise ValueError("exp must be finite and ≥ 0")
        if not (np.isfinite(self.min_salary).all() and (self.min_salary >= 0).all()):
            raise ValueError("min_salary must be finite and ≥ 0")
        if (self.regions[:, 1] >> np.uint64(N_REGIONS - 64)).any():
            raise ValueError("regions has bits set beyond region 88")


@dataclass(eq=False)
class Vacancies:
    """m vacancies, one row each."""

    occ: np.ndarray  # (m,) int32 ISCO-08 unit code, > 0
    skills: np.ndarray  # (m,) uint64 required skills, in the unit group's vocabulary
    lang_req: np.ndarray  # (m, 8) uint8 CEFR level required, 0 = not required
    region: np.ndarray  # (m,) int16 region index 0..88
    salary: np.ndarray  # (m,) float32 best pay on offer, 0 = not stated
    start: np.ndarray  # (m,) int32 day number, 0 = any time
    exp_req: np.ndarray  # (m,) float32 years required
    ok: np.ndarray  # (m,) bool: published with open positions
    foreign_ok: np.ndarray  # (m,) bool: open to foreign nationals
    quota_left: np.ndarray  # (m,) bool

    def __len__(self) -> int:
        return int(self.ok.shape[0])

    def validate(self) -> None:
        """Raise ValueError unless every array has the documented dtype, shape and range."""
        m = len(self)
        _check("occ", self.occ, np.int32, (m,))
        _check("skills", self.skills, np.uint64, (m,))
        _check("lang_req", self.lang_req, np.uint8, (m, N_LANGS))
        _check("region", self.region, np.int16, (m,))
        _check("salary", self.salary, np.float32, (m,))
        _check("start", self.start, np.int32, (m,))
        _check("exp_req", self.exp_req, np.float32, (m,))
        for name in ("ok", "foreign_ok", "quota_left"):
            _check(name, getattr(self, name), np.bool_, (m,))
        if (self.occ <= 0).any() or (self.occ > 9999).any():
            raise ValueError("occ holds ISCO-08 unit codes 1..9999")
        if (self.lang_req > MAX_CEFR).any():
            raise ValueError("lang_req levels are 0..7")
        if (self.region < 0).any() or (self.region >= N_REGIONS).any():
            raise ValueError("region is an index 0..88")
        for name in ("salary", "exp_req"):
            values = getattr(self, name)
            if not (np.isfinite(values).all() and (values >= 0).all()):
                raise ValueError(f"{name} must be finite and ≥ 0")
        if (self.start < 0).any():
            raise ValueError("start is a day number ≥ 0 (0 = any time)")
