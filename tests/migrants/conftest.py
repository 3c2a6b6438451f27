"""Fixtures of the registry's tests: profiles for every persona, files to upload,
private storage in a temporary folder, text messages kept in memory."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from exchange.choices import CEFRLevel, EducationLevel, Role
from migrants.choices import ConsentMethod, Gender
from migrants.crypto import passport_hash
from migrants.models import (
    CONSENT_TEXT_VERSION,
    ConsentRecord,
    MigrantLanguage,
    MigrantOccupation,
    MigrantProfile,
)
from notifications import sms
from tests.conftest import make_user

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


def make_profile(*, user=None, agency=None, **fields) -> MigrantProfile:
    values = {
        "first_name_latin": "Jasur",
        "last_name_latin": "Karimov",
        "first_name_cyrillic": "Жасур",
        "last_name_cyrillic": "Каримов",
        "birth_date": datetime.date(1995, 5, 17),
        "gender": Gender.MALE,
        "citizenship": "UZ",
        "passport_number": "FA1234567",
        "passport_expiry": timezone.localdate() + datetime.timedelta(days=900),
        "phone": "+998901112233",
        "preferred_language": "uz",
        "education": EducationLevel.SECONDARY,
        "min_salary": 70000,
        "available_from": timezone.localdate(),
        "anywhere_in_russia": True,
    }
    values.update(fields)
    if values["passport_number"] and values["citizenship"]:
        values["passport_hash"] = passport_hash(values["citizenship"], values["passport_number"])
    profile = MigrantProfile.objects.create(user=user, registered_by=agency, **values)
    ConsentRecord.objects.create(
        profile=profile,
        text_version=CONSENT_TEXT_VERSION,
        method=ConsentMethod.IN_PERSON if agency else ConsentMethod.ONLINE,
        agency=agency,
        recorded_by=user,
    )
    return profile


def add_work(profile, code="7212", years=5):
    MigrantOccupation.objects.create(profile=profile, occupation_id=code, years_experience=years)
    MigrantLanguage.objects.create(profile=profile, language="ru", level=CEFRLevel.B1)


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


def png_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (60, 40), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x0131] = "GPS-tracker 1.0"  # Software
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def upload(name="scan.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type)
