"""When matching rescores one vacancy or one worker: after the commit, at once, and
at most once more per burst of edits. The domain-event receivers (matching/apps.py)
and matching's own services call these; the work is the `matching.rematch_*` tasks."""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from exchange.celery import app, send_task


def _schedule(task: str, object_id: int, kind: str) -> None:
    """After the commit, rescore at once, and at most once more per burst of edits.

    The first change of a burst runs the task straight away, so a published vacancy
    reaches its candidates within a second. Changes in the next DEBOUNCE seconds
    schedule one more run at the end of the window (one for the whole burst), which
    reads whatever the state is by then; every edit is therefore followed by a run
    that starts after it.
    """

    def send():
        if app.conf.task_always_eager:
            send_task(task, object_id)
            return
        window = settings.MATCHING_DEBOUNCE_SECONDS
        key = f"matching:{kind}:{object_id}"
        if cache.add(key, 1, timeout=window):
            send_task(task, object_id)
        elif cache.add(f"{key}:again", 1, timeout=window):
            send_task(task, object_id, countdown=window)

    transaction.on_commit(send)


def schedule_vacancy_rematch(vacancy_id: int) -> None:
    _schedule("matching.rematch_vacancy", vacancy_id, "vacancy")


def schedule_worker_rematch(profile_id: int) -> None:
    _schedule("matching.rematch_worker", profile_id, "worker")
