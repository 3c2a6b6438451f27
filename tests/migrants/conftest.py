"""Fixtures of the registry's tests: profiles for every persona (unverified, unlike
the small market of tests/conftest.py), private storage in a temporary folder, text
messages kept in memory."""

import datetime

import pytest

from exchange.choices import Role
from migrants.models import MigrantProfile
from notifications import sms
from tests.factories import make_profile, make_user

TODAY = datetime.date(2026, 3, 2)  # a Monday


@pytest.fixture(autouse=True)
def registry_settings(settings, tmp_path):
    settings.MIGRANTS_PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MIGRANTS_SMS_BACKEND = "notifications.sms.LocMemBackend"
    settings.MIGRANTS_DOCUMENT_MAX_BYTES = 2 * 1024 * 1024
    sms.outbox.clear()
    yield settings
    sms.outbox.clear()


@pytest.fixture
def worker(migrant) -> MigrantProfile:
    """The `migrant` persona's own profile."""
    return make_profile(user=migrant)


@pytest.fixture
def other_migrant(db):
    return make_user(phone="+992931234567", role=Role.MIGRANT, full_name="Parviz Rahmonov")


@pytest.fixture
def other_worker(other_migrant) -> MigrantProfile:
    return make_profile(
        user=other_migrant,
        first_name_latin="Parviz",
        last_name_latin="Rahmonov",
        first_name_cyrillic="Парвиз",
        last_name_cyrillic="Рахмонов",
        citizenship="TJ",
        passport_number="400111222",
        phone="+992931234567",
    )


@pytest.fixture
def agency_worker(agency_member) -> MigrantProfile:
    """A worker the `agency` registered (not claimed)."""
    return make_profile(
        agency=agency_member.agency,
        first_name_latin="Bobur",
        last_name_latin="Tursunov",
        first_name_cyrillic="Бобур",
        last_name_cyrillic="Турсунов",
        passport_number="FA7654321",
        phone="+998935554433",
    )


@pytest.fixture
def other_agency_worker(other_agency_member) -> MigrantProfile:
    return make_profile(
        agency=other_agency_member.agency,
        first_name_latin="Firdavs",
        last_name_latin="Sharipov",
        first_name_cyrillic="Фирдавс",
        last_name_cyrillic="Шарипов",
        citizenship="TJ",
        passport_number="400999888",
        phone="+992935550011",
    )
