"""Celery tasks of matching. Incremental work runs on its own queue, so that a full
rematch never delays the one-second path from a published vacancy to its candidates."""

from celery import chord, shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from exchange.celery import app


@shared_task(name="matching.rematch_vacancy", acks_late=True)
def rematch_vacancy(vacancy_id: int) -> int:
    from matching import services

    return services.rematch_vacancy(vacancy_id)


@shared_task(name="matching.rematch_worker", acks_late=True)
def rematch_worker(profile_id: int) -> int:
    from matching import services

    return services.rematch_worker(profile_id)


@shared_task(name="matching.rematch_all", acks_late=True)
def rematch_all() -> int:
    """Nightly (beat) and on demand. Idempotent: a new run replaces the last whole.

    With MATCHING_REMATCH_PARTS > 1 the work is split by occupation blocks into a chord
    of parts that any number of workers on the `matching_full` queue share; the chord's
    last step merges the workers' lists and swaps the results in.
    """
    from matching import services

    parts = services.split_parts(settings.MATCHING_REMATCH_PARTS)
    if len(parts) <= 1:
        return services.rematch_all().pk
    run = services.start_split_rematch()
    chord(rematch_part.s(run.pk, majors) for majors in parts)(
        finish_split_rematch.s(run.pk).on_error(fail_rematch.si(run.pk))
    )
    return run.pk


@shared_task(name="matching.rematch_part", acks_late=True)
def rematch_part(run_id: int, majors: list[str]) -> int:
    from matching import services

    return services.rematch_part(run_id, majors)


@shared_task(name="matching.finish_split_rematch", acks_late=True)
def finish_split_rematch(pairs_per_part: list[int], run_id: int) -> int:
    from matching import services

    return services.finish_split_rematch(run_id, pairs_per_part).pk


@shared_task(name="matching.fail_rematch")
def fail_rematch(run_id: int) -> None:
    from matching import services

    services.fail_run(run_id)


def _schedule(task, object_id: int, kind: str) -> None:
    """After the commit, rescore once per burst: the first change in a burst schedules a
    task DEBOUNCE seconds later, which reads whatever the state is by then."""

    def send():
        if app.conf.task_always_eager:
            task.delay(object_id)
        elif cache.add(
            f"matching:{kind}:{object_id}", 1, timeout=settings.MATCHING_DEBOUNCE_SECONDS
        ):
            task.apply_async(args=[object_id], countdown=settings.MATCHING_DEBOUNCE_SECONDS)

    transaction.on_commit(send)


def schedule_vacancy_rematch(vacancy_id: int) -> None:
    _schedule(rematch_vacancy, vacancy_id, "vacancy")


def schedule_worker_rematch(profile_id: int) -> None:
    _schedule(rematch_worker, profile_id, "worker")


@shared_task(name="matching.propose_shortlists", acks_late=True)
def propose_shortlists() -> int:
    """Daily (beat), after the nightly rematch: shortlist candidates for every open
    vacancy from the fresh results. Idempotent: a vacancy whose shortlist is full, or a
    worker already on it, gets nothing new."""
    from matching import selection

    return sum(len(rows) for rows in selection.propose_shortlists().values())
