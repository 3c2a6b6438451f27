"""Builders of test data, the one place a test gets a user, an employer, a vacancy, a
worker's profile, an application at a given stage, an API key or a file to upload.

Fixtures (the named personas, settings) live in the conftest.py files and are built
from these; test modules import builders from here, never from a conftest.py.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from exchange.choices import CEFRLevel, EducationLevel, LicenceStatus, Role, VerificationStatus
from exchange.models import Agency, ApiKey, Employer, Region, User
from integrations.services import create_api_key
from migrants.choices import ConsentMethod, Gender
from migrants.crypto import passport_hash
from migrants.models import (
    CONSENT_TEXT_VERSION,
    ConsentRecord,
    MigrantLanguage,
    MigrantOccupation,
    MigrantProfile,
)
from selection import services as selection
from selection.models import Stage
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy
from vacancies.services import refresh_search_text

PASSWORD = "correct-horse-battery-9"

# Valid registration numbers (checksums hold) for test employers.
VALID_INNS = ["7707083893", "7728168971", "7736050003", "5029069967"]
VALID_OGRNS = ["1027700132195", "1027700067328", "1027700070518", "1025003520431"]


# --- Accounts and organisations -------------------------------------------------------


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


def key_for(user, scope=ApiKey.Scope.WRITE) -> str:
    """A new API key of `user`'s organisation; returns the raw key a partner sends."""
    _key, raw = create_api_key(by=user, name=f"{user} {scope}", scope=scope)
    return raw


# --- Vacancies ------------------------------------------------------------------------


def make_vacancy(
    employer, *, status=VacancyStatus.DRAFT, skills=(), languages=(), **fields
) -> Vacancy:
    """A bricklayer's vacancy in Moscow (override any field); a published one gets a
    publication date and an expiry a month ahead, as publishing would give it."""
    values = {
        "occupation_id": "7112",
        "title": "Каменщик",
        "description": "Кладка кирпичных стен на жилом объекте.",
        "region_id": "77",
        "city": "Москва",
        "positions_total": 5,
        "salary_min": 80000,
        "salary_max": 120000,
        "contact_name": "Ирина",
    }
    values.update(fields)
    if status == VacancyStatus.PUBLISHED:
        values.setdefault("published_at", timezone.now())
        values.setdefault("expires_on", timezone.localdate() + datetime.timedelta(days=30))
    vacancy = Vacancy.objects.create(employer=employer, status=status, **values)
    if skills:
        vacancy.skills.set(skills)
    for language, level in languages:
        vacancy.languages.create(language=language, min_level=level)
    refresh_search_text(vacancy)
    vacancy.refresh_from_db()
    return vacancy


# --- Workers --------------------------------------------------------------------------


def make_profile(*, user=None, agency=None, **fields) -> MigrantProfile:
    """A complete profile with its consent: the worker's own (`user`) or registered by
    `agency`."""
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
    """A trade with `years` of experience and Russian at B1."""
    MigrantOccupation.objects.create(profile=profile, occupation_id=code, years_experience=years)
    MigrantLanguage.objects.create(profile=profile, language="ru", level=CEFRLevel.B1)


def verified(profile: MigrantProfile) -> MigrantProfile:
    profile.verification_status = VerificationStatus.VERIFIED
    profile.save(update_fields=["verification_status"])
    return profile


# --- Applications ---------------------------------------------------------------------


def walk(application, stage, *, administrator, employer_member, worker_user=None):
    """Move an application along the main path, through the services, until it
    reaches `stage`."""
    path = [Stage.APPROVED, Stage.SELECTED, Stage.OFFERED, Stage.PLACED, Stage.ARRIVED]
    if application.stage in path:
        path = path[path.index(application.stage) + 1 :]
    for step in path:
        if application.stage == stage:
            break
        if step == Stage.APPROVED:
            selection.approve(application, user=administrator)
        elif step == Stage.SELECTED:
            selection.select(application, user=employer_member)
        elif step == Stage.OFFERED:
            terms = selection.default_offer_terms(application.vacancy)
            selection.send_offer(application, user=employer_member, **terms)
        elif step == Stage.PLACED:
            selection.accept_offer(application, user=worker_user)
        elif step == Stage.ARRIVED:
            selection.mark_arrived(application, user=employer_member)
    assert application.stage == stage
    return application


# --- Files to upload ------------------------------------------------------------------


def png_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    """A photo carrying camera metadata, which the registry must strip."""
    image = Image.new("RGB", (60, 40), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x0131] = "GPS-tracker 1.0"  # Software
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


# The smallest well-formed PDF: a catalogue and an empty page tree.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def upload(name="scan.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type)


# --- Partner API payloads -------------------------------------------------------------


def worker_payload(**overrides) -> dict:
    """A valid worker as a partner agency sends it to the API or in an import file."""
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
