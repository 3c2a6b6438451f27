"""One real round trip: a committed event is delivered by a Celery worker consuming the
`webhooks` queue (.ci/run starts it with INTEGRATIONS_WEBHOOKS_ALLOW_PRIVATE=true so
it may post to this test's loopback receiver)."""

import time

import pytest
from django.db import transaction

from exchange.celery import app
from exchange.events import WORKER_VERIFIED, emit
from integrations.models import WebhookDelivery
from integrations.webhooks import create_endpoint
from tests.factories import make_agency, make_user
from tests.integrations.partner_receiver import Receiver, verify_standard_webhook


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_event_is_delivered_by_a_worker_on_the_webhooks_queue(settings):
    if app.conf.task_always_eager:
        pytest.skip("needs CELERY_BROKER_URL and a running worker (see .ci/run)")
    settings.INTEGRATIONS_WEBHOOKS_ALLOW_PRIVATE = True
    receiver = Receiver()
    try:
        agency = make_agency("KG", licence_number=f"LIC-RT-{time.monotonic_ns()}")
        member = make_user(
            email=f"rt-{time.monotonic_ns()}@example.com", role="agency", agency=agency
        )
        endpoint = create_endpoint(
            organization=agency, by=member, url=receiver.url, events=[WORKER_VERIFIED]
        )
        with transaction.atomic():
            emit(WORKER_VERIFIED, {"worker": 42}, agency_ids=[agency.pk])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not receiver.requests:
            time.sleep(0.2)
        assert receiver.requests, "no worker delivered the webhook within 60 s"
        headers, body = receiver.requests[0]
        assert verify_standard_webhook(endpoint.secret, headers, body)["data"] == {"worker": 42}
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert headers["webhook-id"] == delivery.message_id
    finally:
        receiver.close()
