"""The services announce domain events inside their transactions, and webhook
deliveries are written for the concerned organizations only."""

import datetime

import pytest
from django.utils import timezone

from exchange.events import domain_event
from integrations.models import WebhookDelivery
from integrations.webhooks import create_endpoint
from migrants import services as registry
from tests.factories import make_vacancy, worker_payload
from vacancies import services as vacancy_services
from vacancies.choices import VacancyStatus


@pytest.fixture
def heard():
    events = []

    def listen(sender, **kwargs):
        events.append(kwargs)

    domain_event.connect(listen, dispatch_uid="test-listener")
    yield events
    domain_event.disconnect(dispatch_uid="test-listener")


@pytest.fixture
def agency_profile(api, agency_key):
    from migrants.models import MigrantProfile

    body = api(agency_key).post("/api/v1/workers/", worker_payload(), format="json").json()
    return MigrantProfile.objects.get(pk=body["id"])


def test_verifying_a_worker_tells_the_registering_agency(
    heard, administrator, agency_profile, agency, agency_member, other_agency, other_agency_member
):
    create_endpoint(
        organization=agency,
        by=agency_member,
        url="https://93.184.216.34/a",
        events=["worker.verified"],
    )
    create_endpoint(
        organization=other_agency,
        by=other_agency_member,
        url="https://93.184.216.34/b",
        events=["worker.verified"],
    )
    registry.review_profile(profile=agency_profile, by=administrator, approve=True)
    assert heard[-1]["event"] == "worker.verified"
    assert heard[-1]["agency_ids"] == (agency.pk,)
    assert heard[-1]["data"]["external_id"] == "crm-1"
    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint.agency == agency


def test_rejecting_a_worker_carries_the_reason(heard, administrator, agency_profile):
    registry.review_profile(
        profile=agency_profile, by=administrator, approve=False, reason="Blurred scan"
    )
    assert heard[-1]["event"] == "worker.rejected"
    assert heard[-1]["data"]["reason"] == "Blurred scan"


def test_publishing_a_vacancy_is_announced(heard, employer, administrator):
    vacancy = make_vacancy(employer, status=VacancyStatus.SUBMITTED)
    vacancy_services.publish_vacancy(vacancy, by=administrator)
    assert heard[-1]["event"] == "vacancy.published"
    assert heard[-1]["data"]["occupation"] == "7112"
    assert heard[-1]["data"]["region"] == "77"


def test_expiring_documents_are_announced_to_the_agency(heard, agency_profile, agency, settings):
    settings.MIGRANTS_REMINDER_DAYS = [30]
    today = timezone.localdate()
    agency_profile.passport_expiry = today + datetime.timedelta(days=10)
    agency_profile.save()
    registry.send_expiry_reminders(today=today)
    expiring = [e for e in heard if e["event"] == "document.expiring"]
    assert len(expiring) == 1
    assert expiring[0]["agency_ids"] == (agency.pk,)
    assert expiring[0]["data"]["days_left"] == 10
    registry.send_expiry_reminders(today=today)  # once per threshold
    assert len([e for e in heard if e["event"] == "document.expiring"]) == 1
