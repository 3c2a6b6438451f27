"""Webhooks: subscriptions, the outbox, Standard Webhooks signatures (checked by an
implementation of the spec written here, not the exchange's), retries under the
same id, disabling, replay, and refused private targets."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from exchange.events import VACANCY_PUBLISHED, WORKER_VERIFIED, emit
from integrations import webhooks
from integrations.models import WebhookDelivery, WebhookEndpoint
from tests.integrations.partner_receiver import Receiver, verify_standard_webhook


@pytest.fixture
def receiver(settings):
    settings.INTEGRATIONS_WEBHOOKS_ALLOW_PRIVATE = True
    server = Receiver()
    yield server
    server.close()


def make_endpoint(organization, user, url, events=(WORKER_VERIFIED,), **extra):
    return webhooks.create_endpoint(
        organization=organization, by=user, url=url, events=list(events), **extra
    )


def fast_forward(delivery):
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_delivery_is_signed_per_the_standard(
    receiver, agency, agency_member, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(agency, agency_member, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        emit(WORKER_VERIFIED, {"worker": 7}, agency_ids=[agency.pk])
    assert len(receiver.requests) == 1
    headers, body = receiver.requests[0]
    payload = verify_standard_webhook(endpoint.secret, headers, body)
    assert payload["type"] == WORKER_VERIFIED and payload["data"] == {"worker": 7}
    delivery = WebhookDelivery.objects.get()
    assert headers["webhook-id"] == delivery.message_id
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    with pytest.raises(AssertionError):
        verify_standard_webhook(webhooks.new_secret(), headers, body)
    with pytest.raises(AssertionError):
        verify_standard_webhook(endpoint.secret, headers, body + b" ")


def test_retries_keep_the_webhook_id_and_back_off(receiver, agency, agency_member):
    make_endpoint(agency, agency_member, receiver.url)
    receiver.answers = [500, 503]
    emit(WORKER_VERIFIED, {"worker": 1}, agency_ids=[agency.pk])
    delivery = WebhookDelivery.objects.get()
    assert webhooks.deliver(delivery.pk) == WebhookDelivery.Status.PENDING
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.next_attempt_at > timezone.now()
    assert webhooks.deliver(delivery.pk) is None  # not due yet: nothing sent
    fast_forward(delivery)
    webhooks.deliver(delivery.pk)
    fast_forward(delivery)
    assert webhooks.deliver(delivery.pk) == WebhookDelivery.Status.DELIVERED
    ids = {headers["webhook-id"] for headers, _body in receiver.requests}
    assert len(receiver.requests) == 3 and ids == {delivery.message_id}


def test_backoff_grows_exponentially_with_jitter(settings):
    settings.INTEGRATIONS_WEBHOOK_BACKOFF_BASE = 30
    settings.INTEGRATIONS_WEBHOOK_BACKOFF_MAX = 3600
    first = [webhooks.backoff(1).total_seconds() for _ in range(50)]
    fifth = [webhooks.backoff(5).total_seconds() for _ in range(50)]
    assert all(15 <= s <= 30 for s in first) and len(set(first)) > 1
    assert all(240 <= s <= 480 for s in fifth)
    assert webhooks.backoff(30).total_seconds() <= 3600


def test_sweep_sends_due_retries(receiver, agency, agency_member):
    from integrations.tasks import retry_webhooks

    make_endpoint(agency, agency_member, receiver.url)
    emit(WORKER_VERIFIED, {"worker": 1}, agency_ids=[agency.pk])  # its task never ran
    assert retry_webhooks() == 1
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


def test_endpoint_is_disabled_after_repeated_failure_and_members_told(
    receiver, settings, agency, agency_member
):
    settings.INTEGRATIONS_WEBHOOK_DISABLE_AFTER = 3
    endpoint = make_endpoint(agency, agency_member, receiver.url)
    receiver.answers = [500] * 10
    emit(WORKER_VERIFIED, {"worker": 1}, agency_ids=[agency.pk])
    delivery = WebhookDelivery.objects.get()
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        for _ in range(3):
            fast_forward(delivery)
            webhooks.deliver(delivery.pk)
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at
    assert [m.to for m in mail.outbox] == [[agency_member.email]]
    assert endpoint.url in mail.outbox[0].subject
    fast_forward(delivery)
    assert webhooks.deliver(delivery.pk) is None  # nothing more is sent
    assert len(receiver.requests) == 3


def test_only_the_concerned_agency_hears_about_its_worker(
    receiver, agency, agency_member, other_agency, other_agency_member
):
    make_endpoint(agency, agency_member, receiver.url)
    other = make_endpoint(other_agency, other_agency_member, receiver.url)
    emit(WORKER_VERIFIED, {"worker": 1}, agency_ids=[agency.pk])
    assert WebhookDelivery.objects.count() == 1
    assert not WebhookDelivery.objects.filter(endpoint=other).exists()


def test_vacancy_published_filters_by_occupation_and_region(receiver, agency, agency_member):
    builders = make_endpoint(
        agency,
        agency_member,
        receiver.url,
        events=[VACANCY_PUBLISHED],
        occupations=["71"],
        regions=["77"],
    )
    emit(VACANCY_PUBLISHED, {"vacancy": 1, "occupation": "7112", "region": "77"})
    emit(VACANCY_PUBLISHED, {"vacancy": 2, "occupation": "9313", "region": "77"})
    emit(VACANCY_PUBLISHED, {"vacancy": 3, "occupation": "7112", "region": "50"})
    assert [d.payload["data"]["vacancy"] for d in builders.deliveries.all()] == [1]


def test_nothing_is_announced_when_the_change_rolls_back(receiver, agency, agency_member):
    from django.db import transaction

    make_endpoint(agency, agency_member, receiver.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        emit(WORKER_VERIFIED, {"worker": 1}, agency_ids=[agency.pk])
        raise RuntimeError
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://172.16.5.5/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://0.0.0.0/hook",
        "http://93.184.216.34/hook",
        "ftp://93.184.216.34/hook",
    ],
)
def test_private_and_plain_http_targets_are_refused(url):
    with pytest.raises(ValidationError):
        webhooks.check_target(url)


def test_public_https_target_is_accepted():
    webhooks.check_target("https://93.184.216.34/hook")


def test_api_refuses_a_private_target(api, agency_key):
    response = api(agency_key).post(
        "/api/v1/webhooks/",
        {"url": "https://127.0.0.1/x", "events": ["worker.verified"]},
        format="json",
    )
    assert response.status_code == 400 and "url" in response.json()["errors"]
    assert not WebhookEndpoint.objects.exists()


def test_delivery_to_a_target_that_became_private_is_refused(agency, agency_member, settings):
    settings.INTEGRATIONS_WEBHOOKS_ALLOW_PRIVATE = True
    make_endpoint(agency, agency_member, "https://127.0.0.1:9/hook")
    settings.INTEGRATIONS_WEBHOOKS_ALLOW_PRIVATE = False
    emit(WORKER_VERIFIED, {"worker": 1}, agency_ids=[agency.pk])
    delivery = WebhookDelivery.objects.get()
    webhooks.deliver(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and "private" in delivery.last_error


def test_api_creates_endpoint_shows_secret_once_lists_and_replays(
    api, agency_key, agency, receiver, django_capture_on_commit_callbacks
):
    client = api(agency_key)
    created = client.post(
        "/api/v1/webhooks/", {"url": receiver.url, "events": ["worker.verified"]}, format="json"
    )
    assert created.status_code == 201, created.json()
    secret = created.json()["secret"]
    endpoint_url = f"/api/v1/webhooks/{created.json()['id']}/"
    assert "secret" not in client.get(endpoint_url).json()
    with django_capture_on_commit_callbacks(execute=True):
        emit(WORKER_VERIFIED, {"worker": 5}, agency_ids=[agency.pk])
    deliveries = client.get(f"{endpoint_url}deliveries/").json()["results"]
    assert deliveries[0]["status"] == "delivered"
    with django_capture_on_commit_callbacks(execute=True):
        replay = client.post(f"{endpoint_url}deliveries/{deliveries[0]['id']}/replay/")
    assert replay.status_code == 202
    assert len(receiver.requests) == 2
    first, second = (headers["webhook-id"] for headers, _body in receiver.requests)
    assert first == second == deliveries[0]["message_id"]
    for headers, body in receiver.requests:
        verify_standard_webhook(secret, headers, body)


def test_webhook_pages_create_and_show_the_secret_once(client_for, agency_member, settings):
    settings.INTEGRATIONS_WEBHOOKS_ALLOW_PRIVATE = True
    client = client_for(agency_member)
    response = client.post(
        "/integrations/webhooks/",
        {"url": "https://hooks.example.org/x", "events": ["worker.verified"]},
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    detail = client.get(f"/integrations/webhooks/{endpoint.pk}/")
    assert endpoint.secret not in detail.content.decode()


def test_webhook_pages_refuse_private_targets(client_for, agency_member):
    response = client_for(agency_member).post(
        "/integrations/webhooks/",
        {"url": "https://10.0.0.1/x", "events": ["worker.verified"]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["url"]
    assert not WebhookEndpoint.objects.exists()


def test_another_agency_cannot_open_an_endpoint_page(
    client_for, agency, agency_member, other_agency_member, settings
):
    settings.INTEGRATIONS_WEBHOOKS_ALLOW_PRIVATE = True
    endpoint = make_endpoint(agency, agency_member, "https://hooks.example.org/x")
    client = client_for(other_agency_member)
    assert client.get(f"/integrations/webhooks/{endpoint.pk}/").status_code == 404
    assert client.post(f"/integrations/webhooks/{endpoint.pk}/delete/").status_code == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
