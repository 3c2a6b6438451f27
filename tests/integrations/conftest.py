"""Fixtures of the partner API tests: API keys for every persona, a client that
sends them, and private storage in a temporary folder."""

import pytest
from rest_framework.test import APIClient

from notifications import sms
from tests.factories import PDF_BYTES, key_for


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


@pytest.fixture
def pdf_bytes() -> bytes:
    return PDF_BYTES
