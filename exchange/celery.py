"""The Celery application. Its settings are the CELERY_* names in settings.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exchange.settings")

app = Celery("exchange")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def send_task(name: str, *args, countdown: float | None = None) -> None:
    """Send the task registered under `name` now (inline when tasks are eager).

    By name, so that a services module enqueues without importing its tasks module:
    tasks import services, never the other way round. The first call imports every
    app's tasks module, as a worker does at start.
    """
    if name not in app.tasks:
        app.loader.import_default_modules()
    app.tasks[name].apply_async(args=args, countdown=countdown)


def enqueue(name: str, *args, countdown: float | None = None) -> None:
    """Send the task `name` once the current transaction commits (at once outside
    one), so a worker never reads a row that is not there yet or rolls back."""
    from django.db import transaction

    transaction.on_commit(lambda: send_task(name, *args, countdown=countdown))
