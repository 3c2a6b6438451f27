"""Shared fixtures: named personas of every role, two tenants each, as the
security tests need (a user of one tenant must never see the other's data)."""

import pytest
from django.test import Client
from django.utils import translation

from exchange.choices import LicenceStatus, Role, VerificationStatus
from exchange.models import Agency, Employer, Region, User

PASSWORD = "correct-horse-battery-9"


def pytest_collection_modifyitems(config, items):
    """Integration tests need a broker and a live worker (.ci/run starts them). Skip
    them before any fixture runs otherwise: a transactional test flushes the tables,
    reference data included, under the tests that follow."""
    from exchange.celery import app

    if not app.conf.task_always_eager:
        return
    skip = pytest.mark.skip(reason="needs CELERY_BROKER_URL and a running worker (see .ci/run)")
    for item in items:
        if item.get_closest_marker("integration"):
            item.add_marker(skip)


# Valid registration numbers (checksums hold) for test employers.
VALID_INNS = ["7707083893", "7728168971", "7736050003", "5029069967"]
VALID_OGRNS = ["1027700132195", "1027700067328", "1027700070518", "1025003520431"]


def make_user(*, email=None, phone=None, role=Role.MIGRANT, password=PASSWORD, **extra) -> User:
    if role == Role.ADMINISTRATOR:
        return User.objects.create_superuser(email=email, password=password, phone=phone, **extra)
    return User.objects.create_user(email=email, password=password, phone=phone, role=role, **extra)


def make_employer(index: int = 0, *, verified: bool = True, **fields) -> Employer:
    values = {
        "legal_name": f"ООО «Тест {index}»",
        "inn": VALID_INNS[index],
        "ogrn": VALID_OGRNS[index],
        "region": Region.objects.get(code="77"),
        "address": "г. Москва, ул. Тестовая, д. 1",
        "contact_name": "Ирина Петрова",
        "contact_email": f"hr{index}@example.com",
        "contact_phone": "+74951234567",
        "verification_status": VerificationStatus.VERIFIED
        if verified
        else VerificationStatus.PENDING,
    }
    values.update(fields)
    return Employer.objects.create(**values)


def make_agency(country: str = "UZ", **fields) -> Agency:
    values = {
        "name": f"Agency {country}",
        "country": country,
        "licence_number": f"LIC-{country}-1",
        "licence_status": LicenceStatus.VALID,
        "countries_served": [country],
    }
    values.update(fields)
    return Agency.objects.create(**values)


@pytest.fixture
def client():
    """The test client speaks English (the site's default language is Russian);
    a test about another language asks for it with HTTP_ACCEPT_LANGUAGE."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Services and forms called directly answer in English unless a test says otherwise."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def celery_eager_unless_integration(request, monkeypatch):
    """Tests run tasks inline, inside their own transaction, even when a broker is
    configured; only tests marked `integration` go through the broker to a worker, and
    so do the browser tests (`e2e`) when a broker is configured: their data is committed
    by the live server, which the worker can read."""
    from exchange.celery import app

    marks = ("integration", "e2e")
    if not any(request.node.get_closest_marker(mark) for mark in marks):
        monkeypatch.setitem(app.conf, "task_always_eager", True)
        monkeypatch.setitem(app.conf, "task_eager_propagates", True)


@pytest.fixture
def administrator(db) -> User:
    return make_user(email="admin@example.com", role=Role.ADMINISTRATOR, full_name="Admin")


@pytest.fixture
def migrant(db) -> User:
    return make_user(phone="+998901234567", role=Role.MIGRANT, full_name="Jasur Karimov")


@pytest.fixture
def employer(db) -> Employer:
    return make_employer(0)


@pytest.fixture
def other_employer(db) -> Employer:
    return make_employer(1)


@pytest.fixture
def employer_member(employer) -> User:
    return make_user(
        email="alice@example.com", role=Role.EMPLOYER, employer=employer, full_name="Alice"
    )


@pytest.fixture
def other_employer_member(other_employer) -> User:
    return make_user(
        email="bob@example.com", role=Role.EMPLOYER, employer=other_employer, full_name="Bob"
    )


@pytest.fixture
def agency(db) -> Agency:
    return make_agency("UZ")


@pytest.fixture
def other_agency(db) -> Agency:
    return make_agency("TJ")


@pytest.fixture
def agency_member(agency) -> User:
    return make_user(email="carol@example.com", role=Role.AGENCY, agency=agency, full_name="Carol")


@pytest.fixture
def other_agency_member(other_agency) -> User:
    return make_user(
        email="dave@example.com", role=Role.AGENCY, agency=other_agency, full_name="Dave"
    )


@pytest.fixture
def client_for(client):
    """client_for(user) -> the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
