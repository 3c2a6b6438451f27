"""The encoded workers of each block (BlockWorker rows): packed, written and read."""

import numpy as np
from django.db.models import F
from django.utils import timezone

from matching.encoding.codebook import day_number
from matching.encoding.encoded import Encoded
from matching.encoding.fetch import fetch_columns
from matching.engine import LANGS, Workers

# One worker's engine row as BlockWorker.row stores it: packed, little-endian.
WORKER_ROW = np.dtype(
    [
        ("occ", "<i2", 3),
        ("years", "<i2", 3),
        ("skills", "<u8", 3),
        ("lang", "u1", len(LANGS)),
        ("regions", "<u8", 2),
        ("anywhere", "?"),
        ("min_salary", "<i4"),
        ("available_day", "<i4"),  # days since 2000-01-01, 0 = now
        ("needs_foreign_ok", "?"),
        ("needs_quota", "?"),
    ]
)


def block_worker_rows(encoded: Encoded, majors: list[str] | None = None) -> dict[str, np.ndarray]:
    """BlockWorker rows of the encoded workers, as columns in (block, profile) order:
    one row per distinct block of a worker's slots (of the ISCO major groups `majors`
    only, if given)."""
    w = encoded.workers
    rows, blocks = [], []
    minors = w.occ // 10
    for slot in range(w.occ.shape[1]):
        # A slot's block gets a row unless an earlier slot already gave it one.
        new = (w.occ[:, slot] > 0) & w.ok
        for earlier in range(slot):
            new &= minors[:, slot] != minors[:, earlier]
        rows.append(np.flatnonzero(new))
        blocks.append(minors[new, slot])
    at, block = np.concatenate(rows), np.concatenate(blocks)
    if majors is not None:
        wanted = np.isin(block // 100, [int(major) for major in majors])
        at, block = at[wanted], block[wanted]
    order = np.lexsort((at, block))  # profile ids are sorted, so `at` orders them
    at, block = at[order], block[order]
    packed = np.empty(len(at), WORKER_ROW)
    packed["occ"] = w.occ[at]
    packed["years"] = w.exp[at]
    packed["skills"] = w.skills[at]
    packed["lang"] = w.lang[at]
    packed["regions"] = w.regions[at]
    packed["min_salary"] = w.min_salary[at]
    packed["available_day"] = encoded.available_day[at]
    for name in ("anywhere", "needs_foreign_ok", "needs_quota"):
        packed[name] = getattr(w, name)[at]
    return {
        "block": block.astype(np.int16),
        "profile_id": encoded.profile_ids[at],
        "row": packed.view(f"V{WORKER_ROW.itemsize}"),
    }


def read_block(minor: int) -> tuple[Workers, np.ndarray]:
    """The open workers of block `minor` (an ISCO minor group as a number) from their
    BlockWorker rows: the arrays, and the profile ids (sorted)."""
    from matching.models import BlockWorker

    profile_ids, rows = fetch_columns(
        BlockWorker.objects.filter(block=minor).order_by("profile_id"),
        profile_id=("int", F("profile_id")),
        row=(WORKER_ROW, F("row")),
    )
    day = rows["available_day"]
    workers = Workers(
        occ=rows["occ"].astype(np.int32),
        exp=rows["years"].astype(np.float32),
        skills=rows["skills"].astype(np.uint64),
        lang=rows["lang"].astype(np.uint8),
        regions=rows["regions"].astype(np.uint64),
        anywhere=rows["anywhere"].copy(),
        min_salary=rows["min_salary"].astype(np.float32),
        available=np.where(day > 0, day, day_number(timezone.localdate(), 1)).astype(np.int32),
        ok=np.ones(len(rows), np.bool_),
        needs_foreign_ok=rows["needs_foreign_ok"].copy(),
        needs_quota=rows["needs_quota"].copy(),
    )
    return workers, profile_ids
