"""Selection fixtures: a published vacancy, verified workers of every persona, and a
helper that walks an application to any stage through the services."""

import pytest

from exchange.choices import VerificationStatus
from notifications import sms
from selection import services as selection
from selection.models import Stage
from tests.migrants.conftest import make_profile
from tests.vacancies.conftest import make_vacancy
from vacancies.choices import VacancyStatus


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Selection tests create many accounts; Argon2 is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def text_messages_in_memory(settings):
    settings.MIGRANTS_SMS_BACKEND = "notifications.sms.LocMemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def verified(profile):
    profile.verification_status = VerificationStatus.VERIFIED
    profile.save(update_fields=["verification_status"])
    return profile


@pytest.fixture
def vacancy(employer):
    return make_vacancy(employer, status=VacancyStatus.PUBLISHED, positions_total=2)


@pytest.fixture
def other_vacancy(other_employer):
    return make_vacancy(other_employer, status=VacancyStatus.PUBLISHED, title="Сварщик")


@pytest.fixture
def worker(migrant):
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


def walk(application, stage, *, administrator, employer_member, worker_user=None):
    """Move an application along the main path until it reaches `stage`."""
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
