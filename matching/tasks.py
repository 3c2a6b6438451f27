"""Celery tasks of matching. Incremental work runs on its own queue, so that a full
rematch never delays the one-second path from a published vacancy to its candidates."""

from celery import chord, shared_task
from celery.signals import worker_process_init
from django.conf import settings

from matching import services


@worker_process_init.connect
def load_the_engine(**kwargs) -> None:
    """Load the compiled kernels (from numba's cache) as a worker process starts, so
    that its first incremental task does not spend 0.3-0.7 s on it."""
    from matching import engine

    engine.warm_up()


@shared_task(name="matching.rematch_vacancy", acks_late=True)
def rematch_vacancy(vacancy_id: int) -> int:
    return services.rematch_vacancy(vacancy_id)


@shared_task(name="matching.rematch_worker", acks_late=True)
def rematch_worker(profile_id: int) -> int:
    return services.rematch_worker(profile_id)


@shared_task(name="matching.rematch_all", acks_late=True)
def rematch_all() -> int:
    """Nightly (beat) and on demand. Idempotent: a new run replaces the last whole.

    With MATCHING_REMATCH_PARTS > 1 the work is split by occupation blocks into a chord
    of parts that any number of workers on the `matching_full` queue share; the chord's
    last step merges the workers' lists and swaps the results in.
    """
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
    return services.rematch_part(run_id, majors)


@shared_task(name="matching.finish_split_rematch", acks_late=True)
def finish_split_rematch(pairs_per_part: list[int], run_id: int) -> int:
    return services.finish_split_rematch(run_id, pairs_per_part).pk


@shared_task(name="matching.fail_rematch")
def fail_rematch(run_id: int) -> None:
    services.fail_run(run_id)
