"""Shared fixtures: named personas of every role, two tenants each, as the
security tests need (a user of one tenant must never see the other's data)."""

import pytest
from django.test import Client
from django.utils import translation

from exchange.choices import Role
from exchange.models import Agency, Employer, User
from notifications import sms
from tests.factories import (
    make_agency,
    make_employer,
    make_profile,
    make_user,
    make_vacancy,
    verified,
)
from vacancies.choices import VacancyStatus


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


@pytest.fixture
def fast_passwords(settings):
    """For tests that create many accounts: Argon2 is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def text_messages_in_memory(settings):
    settings.MIGRANTS_SMS_BACKEND = "notifications.sms.LocMemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def vacancy(employer):
    return make_vacancy(employer, status=VacancyStatus.PUBLISHED, positions_total=2)


@pytest.fixture
def other_vacancy(other_employer):
    return make_vacancy(other_employer, status=VacancyStatus.PUBLISHED, title="Сварщик")


# --- A small market: published vacancies and verified workers (matching, selection) ---


@pytest.fixture
def worker(migrant):
    """The `migrant` persona's verified profile (the registry's tests override it with
    an unverified one)."""
    return verified(make_profile(user=migrant))


@pytest.fixture
def agency_worker(agency_member):
    return verified(
        make_profile(
            agency=agency_member.agency,
            first_name_latin="Bobur",
            last_name_latin="Tursunov",
            passport_number="FA7654321",
            phone="+998935554433",
        )
    )
