"""Incremental updates: one vacancy or one worker re-scored into the current run."""

import numpy as np
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from matching import engine
from matching.encoding import (
    Encoded,
    Vocabulary,
    block_worker_rows,
    encode,
    encode_vacancies,
    fetch_columns,
    open_vacancies,
    open_workers,
    positions,
    read_block,
)
from matching.engine import Weights
from matching.models import BlockWorker, Match, MatchRun
from matching.services.scoring import K_PER_VACANCY, K_PER_WORKER, weights
from matching.services.storing import _explain, _store_block_workers_orm, _store_live
from migrants.models import MigrantOccupation, MigrantProfile
from vacancies.models import Vacancy


def _current_run() -> MatchRun:
    """The run incremental updates write into (an empty one before the first rematch)."""
    run = MatchRun.current()
    if run is None:
        run = MatchRun.objects.create(
            engine_version=engine.ENGINE_VERSION,
            status=MatchRun.Status.FINISHED,
            finished_at=timezone.now(),
        )
    return run


def rematch_vacancy(vacancy_id: int) -> int:
    """Re-score one vacancy against the workers of its occupation block; returns rows stored."""
    run = _current_run()
    vacancy = open_vacancies().filter(pk=vacancy_id).only("occupation_id").first()
    if vacancy is None:  # closed, filled, expired or deleted: it proposes no one
        Match.objects.filter(run=run, vacancy_id=vacancy_id).delete()
        return 0
    vocabulary = Vocabulary.for_run(run)
    if run.block_workers_written:
        # The block's workers as the run and their own updates encoded them.
        workers, profile_ids = read_block(int(vacancy.occupation_id) // 10)
        vacancies, vacancy_ids = encode_vacancies(Vacancy.objects.filter(pk=vacancy_id), vocabulary)
        encoded = Encoded(workers, vacancies, profile_ids, vacancy_ids, vocabulary)
    else:  # before the first full rematch
        in_block = MigrantOccupation.objects.filter(
            occupation__code__startswith=vacancy.occupation_id[:3]
        ).values("profile_id")
        encoded = encode(
            open_workers().filter(pk__in=in_block),
            Vacancy.objects.filter(pk=vacancy_id),
            vocabulary,
            owners=in_block,  # the related rows by occupation, not through every profile
        )
    w = weights()
    indices, _scores = engine.score_one_vacancy(
        encoded.workers, encoded.vacancies, 0, w, K_PER_VACANCY
    )
    top = {int(i) for i in indices if i >= 0}
    with transaction.atomic():
        return _apply(run, encoded, w, top=top, side="vacancy")


def rematch_worker(profile_id: int) -> int:
    """Re-score one worker against the vacancies of its occupation blocks; returns rows stored."""
    run = _current_run()
    profile = open_workers().filter(pk=profile_id).first()
    if profile is None:  # unverified, hidden, erased, placed or deleted
        with transaction.atomic():
            Match.objects.filter(run=run, profile_id=profile_id).delete()
            BlockWorker.objects.filter(profile_id=profile_id).delete()
        return 0
    minors = {code[:3] for code in profile.occupations.values_list("occupation_id", flat=True)}
    in_blocks = Q()
    for minor in minors:
        in_blocks |= Q(occupation__code__startswith=minor)
    vacancies = open_vacancies().filter(in_blocks) if minors else Vacancy.objects.none()
    encoded = encode(
        MigrantProfile.objects.filter(pk=profile_id), vacancies, Vocabulary.for_run(run)
    )
    w = weights()
    if len(encoded.vacancies):
        indices, _scores = engine.score_one_worker(
            encoded.workers, encoded.vacancies, 0, w, K_PER_WORKER
        )
        top = {int(j) for j in indices if j >= 0}
    else:
        top = set()
    with transaction.atomic():
        stored = _apply(run, encoded, w, top=top, side="worker")
        # Vacancies scored from now on read the worker as encoded here.
        BlockWorker.objects.filter(profile_id=profile_id).delete()
        _store_block_workers_orm(block_worker_rows(encoded))
        return stored


def _apply(run, encoded: Encoded, w: Weights, *, top: set[int], side: str) -> int:
    """Store the touched entity's new top list and re-score its pairs in other lists.

    `side` is "vacancy" (the entity is encoded vacancy 0; the others are workers) or
    "worker" (worker 0; the others are vacancies). Call inside a transaction.
    """
    if side == "vacancy":
        own, other, own_list, other_list = (
            "vacancy_id",
            "profile_id",
            "in_vacancy_top",
            "in_worker_top",
        )
        other_ids, entity = encoded.profile_ids, int(encoded.vacancy_ids[0])
    else:
        own, other, own_list, other_list = (
            "profile_id",
            "vacancy_id",
            "in_worker_top",
            "in_vacancy_top",
        )
        other_ids, entity = encoded.vacancy_ids, int(encoded.profile_ids[0])
    stored = Match.objects.filter(run=run, **{own: entity})
    # The entity's stored pairs, and whether each is in the other side's list.
    stored_pk, in_other_list = fetch_columns(
        stored.select_for_update().order_by(other),
        other=("int", F(other)),
        flag=("bool", F(other_list)),
    )
    # Encoded ids are sorted: find the stored pairs' others among them (an other that
    # is no longer open, or outside the block, is not re-scored and its pair goes).
    stored_at, stored_flag = positions(other_ids, stored_pk), in_other_list
    stored_flag = stored_flag[stored_at >= 0]
    stored_at = stored_at[stored_at >= 0]
    top_at = np.fromiter(top, np.int64, len(top))
    others = np.union1d(top_at, stored_at)
    fixed_at = np.zeros(len(others), np.int64)
    worker_at, vacancy_at = (others, fixed_at) if side == "vacancy" else (fixed_at, others)
    rows, keep = _explain(encoded, worker_at, vacancy_at, w)
    kept = others[keep]
    in_own_list = np.isin(kept, top_at)
    was_in_other_list = np.zeros(len(kept), bool)
    at = positions(kept, stored_at)
    was_in_other_list[at[at >= 0]] = stored_flag[at >= 0]
    # A pair stays stored while it is in either list. Whether the entity should now
    # enter other lists is left to the nightly rematch (ADR 0005).
    stays = in_own_list | was_in_other_list
    flags = {own_list: in_own_list[stays], other_list: was_in_other_list[stays]}
    rows = rows.subset(stays)
    # The entity's rows are replaced whole (delete, then one bulk write): a popular
    # vacancy sits in thousands of workers' lists, and an UPDATE per row would not do.
    stored.delete()
    _store_live(run, encoded, rows, flags["in_vacancy_top"], flags["in_worker_top"])
    return len(rows)
