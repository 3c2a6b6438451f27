"""Reading the database into the engine's arrays (and back to names for explanations).

One bulk query per table; no per-row queries, so a million workers load in seconds.
See docs/decisions/0005-matching-engine.md for the encoding itself.

- `vocabulary`: the skill vocabulary (each unit group's skills in bit order);
- `codebook`: database values as engine numbers (days, languages, skill and region bits);
- `workers`, `vacancies`: the open ones, the reads behind their arrays, the arrays;
- `encoded`: `encode`, both sides at once;
- `blocks`: the BlockWorker rows of each block, written and read;
- `fetch`: the bulk reads themselves (binary COPY on PostgreSQL, one snapshot).
"""

from matching.encoding.blocks import WORKER_ROW, block_worker_rows, read_block
from matching.encoding.codebook import day_number
from matching.encoding.encoded import Encoded, encode
from matching.encoding.fetch import fetch_all, fetch_columns
from matching.encoding.vacancies import encode_vacancies, open_vacancies
from matching.encoding.vocabulary import Vocabulary
from matching.encoding.workers import open_workers, positions

__all__ = [
    "WORKER_ROW",
    "Encoded",
    "Vocabulary",
    "block_worker_rows",
    "day_number",
    "encode",
    "encode_vacancies",
    "fetch_all",
    "fetch_columns",
    "open_vacancies",
    "open_workers",
    "positions",
    "read_block",
]
