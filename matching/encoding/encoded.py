"""Both sides at once: `encode` reads workers and vacancies into one `Encoded` market."""

from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet

from matching.encoding.codebook import _Codebook
from matching.encoding.fetch import fetch_all, fetch_columns
from matching.encoding.vacancies import _encode_vacancies, _vacancy_reads
from matching.encoding.vocabulary import Vocabulary
from matching.encoding.workers import _encode_workers, _worker_reads
from matching.engine import Vacancies, Workers


@dataclass
class Encoded:
    workers: Workers
    vacancies: Vacancies
    profile_ids: np.ndarray
    vacancy_ids: np.ndarray
    vocabulary: Vocabulary
    # Workers.available before "now" is filled in: 0 where the worker gave no date.
    # BlockWorker rows keep it so that "now" is the day they are read.
    available_day: np.ndarray | None = None


def encode(
    profiles: QuerySet,
    vacancies: QuerySet,
    vocabulary: Vocabulary | None = None,
    *,
    owners: QuerySet | None = None,
    parallel: bool = False,
) -> Encoded:
    """The engine's arrays for `profiles` and `vacancies`.

    `owners`, a query of profile ids (any superset of `profiles`), narrows the reads
    of the workers' related tables instead of `profiles` itself: a block's workers are
    cheaper to name by their occupations than through the whole profile table, and
    rows of profiles outside `profiles` are dropped here.

    `parallel` (the full rematch): read over several connections from one snapshot
    (see `fetch_all`). One vacancy or worker reads on its own connection: there the
    server already reads each table with parallel workers, and extra connections per
    request or task would only crowd the server.
    """
    vocabulary = vocabulary or Vocabulary.load()
    book = _Codebook(vocabulary)
    owners = owners if owners is not None else profiles.order_by().values("pk")
    worker_reads, vacancy_reads = _worker_reads(profiles, owners), _vacancy_reads(vacancies)
    reads = [*worker_reads, *vacancy_reads]
    results = fetch_all(*reads) if parallel else [fetch_columns(q, **c) for q, c in reads]
    workers, profile_ids, available_day = _encode_workers(results[: len(worker_reads)], book)
    encoded_vacancies, vacancy_ids = _encode_vacancies(results[len(worker_reads) :], book)
    return Encoded(workers, encoded_vacancies, profile_ids, vacancy_ids, vocabulary, available_day)
