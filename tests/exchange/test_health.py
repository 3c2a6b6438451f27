"""/healthz tells monitoring whether the database and the broker answer."""

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.celery import app
from exchange.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_eager_broker_as_json(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "mode": "eager"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_fails_with_503_when_the_broker_is_unreachable(client, monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    # Port 9 on loopback: nothing listens there, so the connection is refused at once.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)  # Celery prefers it to its conf
    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:9/0")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True


def test_healthz_reports_how_long_ago_a_worker_was_seen(client, monkeypatch):
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.setitem(app.conf, "broker_url", "memory://")
    WorkerHeartbeat.objects.create(hostname="worker-1", seen_at=timezone.now())
    body = client.get(reverse("healthz")).json()
    assert body["workers"]["ok"] is True
    assert body["workers"]["last_seen_seconds"] < 5


def test_healthz_answers_without_signing_in_and_only_to_get(client):
    assert client.post(reverse("healthz")).status_code == 405
