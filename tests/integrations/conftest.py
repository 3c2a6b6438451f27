"""Fixtures of the partner API tests: API keys for every persona, a client that
sends them, a valid worker payload, and private storage in a temporary folder."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from exchange.models import ApiKey
from integrations.services import create_api_key
from notifications import sms


@pytest.fixture(autouse=True)
def integration_settings(settings, tmp_path):
    settings.MIGRANTS_PRIVATE_ROOT = tmp_path / "private"
    settings.MIGRANTS_SMS_BACKEND = "notifications.sms.LocMemBackend"
    settings.INTEGRATIONS_WEBHOOKS_ALLOW_PRIVATE = False
    # Throttling has tests of its own; the rest should never hit a limit.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute", "api_key": "10000/minute"},
    }
    from django.core.cache import cache

    cache.clear()
    sms.outbox.clear()
    yield settings
    cache.clear()


def key_for(user, scope=ApiKey.Scope.WRITE) -> str:
    _key, raw = create_api_key(by=user, name=f"{user} {scope}", scope=scope)
    return raw


@pytest.fixture
def api():
    """api(raw_key) -> an API client sending that key (None: anonymous)."""

    def make(raw_key=None):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if raw_key:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_key}")
        return client

    return make


@pytest.fixture
def agency_key(agency_member):
    return key_for(agency_member)


@pytest.fixture
def other_agency_key(other_agency_member):
    return key_for(other_agency_member)


@pytest.fixture
def employer_key(employer_member):
    return key_for(employer_member)


@pytest.fixture
def other_employer_key(other_employer_member):
    return key_for(other_employer_member)


def worker_payload(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "external_id": "crm-1",
        "first_name_latin": "Jasur",
        "last_name_latin": "Karimov",
        "first_name_cyrillic": "Жасур",
        "last_name_cyrillic": "Каримов",
        "birth_date": "1995-05-17",
        "gender": "male",
        "citizenship": "UZ",
        "passport_number": "FA1234567",
        "passport_expiry": (today + datetime.timedelta(days=900)).isoformat(),
        "phone": "+998901112233",
        "preferred_language": "uz",
        "consent_method": "in_person",
        "consent_obtained_on": today.isoformat(),
        "consent_confirmed": True,
        "occupations": [{"occupation": "7112", "years_experience": 4}],
        "languages": [{"language": "ru", "level": "B1"}, {"language": "uz", "level": "native"}],
        "education": "secondary",
        "min_salary": 70000,
        "anywhere_in_russia": True,
    }
    data.update(overrides)
    return data


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def pdf_bytes() -> bytes:
    return MINIMAL_PDF
