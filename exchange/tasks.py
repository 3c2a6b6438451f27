"""Celery tasks of the shared core."""

import socket

from celery import shared_task
from django.utils import timezone

from exchange.models import WorkerHeartbeat


@shared_task(name="exchange.record_worker_heartbeat")
def record_worker_heartbeat(hostname: str | None = None) -> str:
    """Record that a worker is alive and consuming; /healthz reports its age.

    Idempotent: one row per host, moved forward each time.
    """
    hostname = hostname or socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"seen_at": timezone.now()}
    )
    return hostname
