"""Celery tasks of matching. Incremental work runs on its own queue, so that a full
rematch never delays the one-second path from a published vacancy to its candidates."""

from celery import chord, shared_task
from celery.signals import worker_process_init
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from exchange.celery import app


@worker_process_init.connect
def load_the_engine(**kwargs) -> None:
    """Load the compiled kernels (from numba's cache) as a worker process starts, so
    that its first incremental task does not spend 0.3-0.7 s on it."""
    from matching import engine

    engine.warm_up()


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
    """After the commit, rescore at once, and at most once more per burst of edits.

    The first change of a burst runs the task straight away, so a published vacancy
    reaches its candidates within a second. Changes in the next DEBOUNCE seconds
    schedule one more run at the end of the window (one for the whole burst), which
    reads whatever the state is by then; every edit is therefore followed by a run
    that starts after it.
    """

    def send():
        if app.conf.task_always_eager:
            task.delay(object_id)
            return
        window = settings.MATCHING_DEBOUNCE_SECONDS
        key = f"matching:{kind}:{object_id}"
        if cache.add(key, 1, timeout=window):
            task.apply_async(args=[object_id])
        elif cache.add(f"{key}:again", 1, timeout=window):
            task.apply_async(args=[object_id], countdown=window)

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
