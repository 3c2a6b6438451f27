"""Matching workflows: the full rematch and the incremental updates, with storage.

Stored rows are the union of every vacancy's top list and every worker's top list,
each row flagged with the list(s) it belongs to. A full rematch writes a new run and
switches to it in one short transaction; incremental updates keep the touched
entity's own list exact and re-score its pairs in other lists (their membership is
refreshed by the nightly rematch). See docs/decisions/0005-matching-engine.md.
"""

import io
import json
import time
from collections.abc import Callable

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from matching import engine
from matching.encoding import Encoded, encode, open_vacancies
from matching.engine import LANGS, Weights
from matching.models import Match, MatchRun
from migrants.models import MigrantOccupation, MigrantProfile
from vacancies.models import Vacancy

K_PER_VACANCY = 50
K_PER_WORKER = 20


def weights() -> Weights:
    return Weights(**settings.MATCHING_WEIGHTS)


def _explained_pairs(
    encoded: Encoded, pairs: list[tuple[int, int]], w: Weights
) -> list[dict | None]:
    """Match-row fields for each (worker index, vacancy index), None where excluded.

    Components come from the engine's vectorised explanation (millions of pairs a
    second, equal to the per-pair reference); only the row dicts are built in Python.
    """
    if not pairs:
        return []
    index = np.array(pairs, dtype=np.int64)
    explained = engine.explain_pairs(
        encoded.workers, encoded.vacancies, index[:, 0], index[:, 1], w
    )
    # Convert to Python once, column by column: per-row numpy access is the slow part.
    keep = (~explained.excluded & (explained.total > 0)).tolist()
    totals = explained.total.tolist()
    components = np.round(explained.components, 6).tolist()
    missing_bits = explained.missing_skill_bits.tolist()
    short_rows = set(np.flatnonzero(explained.shortfall_mask().any(axis=1)).tolist())
    units = encoded.vacancies.occ[index[:, 1]].tolist()
    rows: list[dict | None] = []
    for k in range(len(pairs)):
        if not keep[k]:
            rows.append(None)
            continue
        rows.append(
            {
                "score": totals[k],
                "components": dict(zip(Weights.COMPONENTS, components[k], strict=True)),
                "missing": {
                    "skills": encoded.vocabulary.skill_codes(units[k], missing_bits[k]),
                    "languages": [
                        [LANGS[lang], held, required]
                        for lang, held, required in explained.shortfalls(k)
                    ]
                    if k in short_rows
                    else [],
                },
                "engine_version": engine.ENGINE_VERSION,
            }
        )
    return rows


def _explained(encoded: Encoded, i: int, j: int, w: Weights) -> dict | None:
    """One pair's Match-row fields (the incremental path)."""
    return _explained_pairs(encoded, [(i, j)], w)[0]


def rematch_all(*, progress: Callable[[str], None] | None = None) -> MatchRun:
    """Score every open vacancy against every matchable worker and store the top lists."""
    say = progress or (lambda stage: None)
    started = time.perf_counter()
    run = MatchRun.objects.create(engine_version=engine.ENGINE_VERSION)
    try:
        say("load")
        encoded = encode(MigrantProfile.objects.matchable(), open_vacancies())
        say("score")
        w = weights()
        result = engine.top_k(
            encoded.workers,
            encoded.vacancies,
            k_per_vacancy=K_PER_VACANCY,
            k_per_worker=K_PER_WORKER,
            weights=w,
        )
        say("explain")
        worker_at, vacancy_at, in_vacancy_top, in_worker_top = _stored_pairs(result)
        fields = _explained_pairs(
            encoded, list(zip(worker_at.tolist(), vacancy_at.tolist(), strict=True)), w
        )
        say("store")
        stored = _store(run, encoded, worker_at, vacancy_at, in_vacancy_top, in_worker_top, fields)
        with transaction.atomic():
            MatchRun.objects.filter(pk=run.pk).update(
                status=MatchRun.Status.FINISHED,
                finished_at=timezone.now(),
                workers=len(encoded.workers),
                vacancies=len(encoded.vacancies),
                pairs_scored=int(result.pairs_scored),
                matches_stored=stored,
                seconds=time.perf_counter() - started,
            )
        # Older runs are no longer read; drop their rows (one DELETE, no ORM cascade).
        older = MatchRun.objects.exclude(pk=run.pk).exclude(status=MatchRun.Status.RUNNING)
        Match.objects.filter(run__in=list(older.values_list("pk", flat=True))).delete()
        older.delete()
    except BaseException:
        MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.FAILED)
        Match.objects.filter(run=run).delete()
        raise
    run.refresh_from_db()
    return run


def _stored_pairs(result) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The union of every vacancy's and every worker's top list, as index arrays with
    a flag per list (numpy: millions of pairs without a Python loop)."""
    m, k_v = result.vacancy_idx.shape
    n, k_w = result.worker_idx.shape
    workers_v = result.vacancy_idx.ravel().astype(np.int64)
    vacancies_v = np.repeat(np.arange(m, dtype=np.int64), k_v)
    vacancies_w = result.worker_idx.ravel().astype(np.int64)
    workers_w = np.repeat(np.arange(n, dtype=np.int64), k_w)
    width = max(m, 1)
    key_v = (workers_v * width + vacancies_v)[workers_v >= 0]
    key_w = (workers_w * width + vacancies_w)[vacancies_w >= 0]
    keys = np.union1d(key_v, key_w)
    return keys // width, keys % width, np.isin(keys, key_v), np.isin(keys, key_w)


def _store(run, encoded, worker_at, vacancy_at, in_vacancy_top, in_worker_top, fields) -> int:
    """Write the run's rows: COPY on PostgreSQL (~10x the ORM's speed), bulk_create elsewhere."""
    profile_ids = encoded.profile_ids[worker_at].tolist()
    vacancy_ids = encoded.vacancy_ids[vacancy_at].tolist()
    flags_v, flags_w = in_vacancy_top.tolist(), in_worker_top.tolist()
    kept = [k for k, row in enumerate(fields) if row is not None]
    if connection.vendor != "postgresql":
        Match.objects.bulk_create(
            [
                Match(
                    run=run,
                    profile_id=profile_ids[k],
                    vacancy_id=vacancy_ids[k],
                    in_vacancy_top=flags_v[k],
                    in_worker_top=flags_w[k],
                    **fields[k],
                )
                for k in kept
            ],
            batch_size=5000,
        )
        return len(kept)
    now = timezone.now().isoformat()
    columns = (
        "run_id, vacancy_id, profile_id, score, in_vacancy_top, in_worker_top, "
        "components, missing, engine_version, computed_at"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(kept), 100_000):
            buffer = io.StringIO()
            for k in kept[start : start + 100_000]:
                row = fields[k]
                buffer.write(
                    f"{run.pk}\t{vacancy_ids[k]}\t{profile_ids[k]}\t{row['score']!r}\t"
                    f"{'t' if flags_v[k] else 'f'}\t{'t' if flags_w[k] else 'f'}\t"
                    f"{_copy_json(row['components'])}\t{_copy_json(row['missing'])}\t"
                    f"{row['engine_version']}\t{now}\n"
                )
            buffer.seek(0)
            cursor.cursor.copy_expert(
                f"COPY {Match._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT text)", buffer
            )
    return len(kept)


def _copy_json(value) -> str:
    """JSON for COPY's text format, where a backslash is an escape character."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("\\", "\\\\")


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
    minor = vacancy.occupation_id[:3]
    block = MigrantProfile.objects.matchable().filter(
        pk__in=MigrantOccupation.objects.filter(occupation__code__startswith=minor).values(
            "profile_id"
        )
    )
    encoded = encode(block, Vacancy.objects.filter(pk=vacancy_id))
    w = weights()
    indices, _scores = engine.score_one_vacancy(
        encoded.workers, encoded.vacancies, 0, w, K_PER_VACANCY
    )
    top = {int(i) for i in indices if i >= 0}
    with transaction.atomic():
        existing = {
            m.profile_id: m
            for m in Match.objects.select_for_update().filter(run=run, vacancy_id=vacancy_id)
        }
        return _apply(
            run, encoded, existing, w, top_key="in_vacancy_top", top=top, side="vacancy", fixed=0
        )


def rematch_worker(profile_id: int) -> int:
    """Re-score one worker against the vacancies of its occupation blocks; returns rows stored."""
    run = _current_run()
    profile = MigrantProfile.objects.matchable().filter(pk=profile_id).first()
    if profile is None:  # unverified, hidden, erased or deleted
        Match.objects.filter(run=run, profile_id=profile_id).delete()
        return 0
    minors = {code[:3] for code in profile.occupations.values_list("occupation_id", flat=True)}
    in_blocks = Q()
    for minor in minors:
        in_blocks |= Q(occupation__code__startswith=minor)
    vacancies = open_vacancies().filter(in_blocks) if minors else Vacancy.objects.none()
    encoded = encode(MigrantProfile.objects.filter(pk=profile_id), vacancies)
    w = weights()
    if len(encoded.vacancies):
        indices, _scores = engine.score_one_worker(
            encoded.workers, encoded.vacancies, 0, w, K_PER_WORKER
        )
        top = {int(j) for j in indices if j >= 0}
    else:
        top = set()
    with transaction.atomic():
        existing = {
            m.vacancy_id: m
            for m in Match.objects.select_for_update().filter(run=run, profile_id=profile_id)
        }
        return _apply(
            run, encoded, existing, w, top_key="in_worker_top", top=top, side="worker", fixed=0
        )


def _apply(
    run,
    encoded: Encoded,
    existing: dict,
    w: Weights,
    *,
    top_key: str,
    top: set[int],
    side: str,
    fixed: int,
) -> int:
    """Store the touched entity's new top list and re-score its pairs in other lists.

    `side` is "vacancy" (the fixed index is a vacancy, others are workers) or "worker".
    """
    other_ids = encoded.profile_ids if side == "vacancy" else encoded.vacancy_ids
    index_of = {int(pk): k for k, pk in enumerate(other_ids)}
    stored = 0
    keep_keys = set()
    for other_pk, match in existing.items():
        k = index_of.get(other_pk)
        fields = None
        if k is not None:
            fields = (
                _explained(encoded, k, fixed, w)
                if side == "vacancy"
                else _explained(encoded, fixed, k, w)
            )
        in_top = k in top if k is not None else False
        other_flag = match.in_worker_top if top_key == "in_vacancy_top" else match.in_vacancy_top
        if fields is None or not (in_top or other_flag):
            match.delete()
            continue
        for name, value in fields.items():
            setattr(match, name, value)
        setattr(match, top_key, in_top)
        match.save()
        keep_keys.add(k)
        stored += 1
    new_rows = []
    for k in top - keep_keys:
        fields = (
            _explained(encoded, k, fixed, w)
            if side == "vacancy"
            else _explained(encoded, fixed, k, w)
        )
        if fields is None:
            continue
        ids = (
            {
                "profile_id": int(encoded.profile_ids[k]),
                "vacancy_id": int(encoded.vacancy_ids[fixed]),
            }
            if side == "vacancy"
            else {
                "profile_id": int(encoded.profile_ids[fixed]),
                "vacancy_id": int(encoded.vacancy_ids[k]),
            }
        )
        new_rows.append(Match(run=run, **ids, **{top_key: True}, **fields))
    Match.objects.bulk_create(new_rows)
    return stored + len(new_rows)


def matches_for_vacancy(vacancy_id: int):
    run = MatchRun.current()
    if run is None:
        return Match.objects.none()
    return Match.objects.filter(run=run, vacancy_id=vacancy_id, in_vacancy_top=True).order_by(
        "-score", "profile_id"
    )


def matches_for_worker_any(profile_id: int):
    """Every stored match of the worker (their own list and vacancies' lists)."""
    run = MatchRun.current()
    if run is None:
        return Match.objects.none()
    return Match.objects.filter(run=run, profile_id=profile_id)


def matches_for_worker(profile_id: int):
    run = MatchRun.current()
    if run is None:
        return Match.objects.none()
    return Match.objects.filter(run=run, profile_id=profile_id, in_worker_top=True).order_by(
        "-score", "vacancy_id"
    )
