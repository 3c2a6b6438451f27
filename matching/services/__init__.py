"""Matching workflows: the full rematch and the incremental updates, with storage.

Stored rows are the union of every vacancy's top list and every worker's top list,
each row flagged with the list(s) it belongs to. A full rematch writes a new run and
switches to it in one short transaction; incremental updates keep the touched
entity's own list exact and re-score its pairs in other lists (their membership is
refreshed by the nightly rematch). See docs/decisions/0005-matching-engine.md.

- `full`: the full rematch, in one process or split by occupation blocks;
- `incremental`: one vacancy or one worker re-scored into the current run;
- `storing`: scored pairs explained and written as Match and BlockWorker rows;
- `reading`: the current run's lists of a vacancy or a worker;
- `scoring`: the weights and the list lengths.

The names below are re-exported for callers; each module binds what it reads at
import, so a test changes a constant (or `_explain`) in the module that reads it.
"""

from matching import engine
from matching.models import MatchRun
from matching.services.full import (
    fail_run,
    finish_split_rematch,
    rematch_all,
    rematch_part,
    split_parts,
    start_split_rematch,
)
from matching.services.incremental import rematch_vacancy, rematch_worker
from matching.services.reading import (
    matches_for_vacancy,
    matches_for_worker,
    matches_for_worker_any,
)
from matching.services.scoring import K_PER_VACANCY, K_PER_WORKER, weights

__all__ = [
    "K_PER_VACANCY",
    "K_PER_WORKER",
    "MatchRun",
    "engine",
    "fail_run",
    "finish_split_rematch",
    "matches_for_vacancy",
    "matches_for_worker",
    "matches_for_worker_any",
    "rematch_all",
    "rematch_part",
    "rematch_vacancy",
    "rematch_worker",
    "split_parts",
    "start_split_rematch",
    "weights",
]
