"""Celery tasks of the core: eagerly in the embedded mode, through a real worker in CI."""

import os
import time

import pytest

from exchange.celery import app
from exchange.models import WorkerHeartbeat
from exchange.tasks import record_worker_heartbeat


@pytest.mark.django_db
def test_the_heartbeat_task_records_the_worker_once_per_host():
    record_worker_heartbeat.delay("host-a")
    first = WorkerHeartbeat.objects.get(hostname="host-a").seen_at
    record_worker_heartbeat.delay("host-a")
    assert WorkerHeartbeat.objects.filter(hostname="host-a").count() == 1
    assert WorkerHeartbeat.objects.get(hostname="host-a").seen_at >= first


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_sent_through_the_broker_is_run_by_a_real_worker():
    if app.conf.task_always_eager:
        pytest.skip("needs CELERY_BROKER_URL and a running worker (see .ci/run)")
    hostname = f"integration-{os.getpid()}-{time.monotonic_ns()}"
    result = record_worker_heartbeat.apply_async(args=[hostname])
    assert result.id
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if WorkerHeartbeat.objects.filter(hostname=hostname).exists():
            break
        time.sleep(0.2)
    else:
        pytest.fail(
            "no worker ran the task within 60 s: is a worker consuming this broker and database?"
        )
    assert WorkerHeartbeat.objects.get(hostname=hostname).seen_at is not None
