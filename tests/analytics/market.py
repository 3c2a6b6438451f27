"""The builders of the analytics tests' small, fully known labour market.

Every worker and vacancy below exists to exercise one rule of docs/analytics.md; the
expected figures are written out in test_refresh.py and also recomputed by a direct
count (`direct_balance`) that shares no code with the SQL refresh.
"""

from dataclasses import dataclass

from django.utils import timezone

from exchange.choices import VerificationStatus
from exchange.models import Agency
from migrants.crypto import passport_hash
from migrants.models import MigrantOccupation, MigrantProfile
from selection.models import Application, Origin, Stage
from tests import factories
from tests.factories import make_agency
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy

# Personal data the public outputs must never contain.
SECRET_NAMES = ["Zafarbek", "Qodirov", "Шахноза", "Юлдашева"]
SECRET_PASSPORTS = ["FA7654321", "AC0099887"]
SECRET_PHONES = ["+998907776655", "+74957770011"]
SECRET_EMAILS = ["zafarbek.private@example.com", "hr-secret@example.com"]
SECRET_CONTACT = "Секретный Кадровик"


def make_vacancy(employer, *, status=VacancyStatus.PUBLISHED, **fields) -> Vacancy:
    """A published vacancy without pay, one position, and contact details that are
    secrets: the public outputs must never show them."""
    values = {
        "description": "Кладка кирпичных стен.",
        "positions_total": 1,
        "salary_min": None,
        "salary_max": None,
        "contact_name": SECRET_CONTACT,
        "contact_phone": SECRET_PHONES[1],
        "contact_email": SECRET_EMAILS[1],
        "address": "ул. Тайная, д. 7",
    }
    values.update(fields)
    return factories.make_vacancy(employer, status=status, **values)


_counter = iter(range(10**6))


def make_worker(
    *,
    units=("7112",),
    regions=(),
    anywhere=False,
    verified=True,
    citizenship="UZ",
    agency=None,
    **fields,
) -> MigrantProfile:
    number = next(_counter)
    passport = f"FA{number:07d}"
    values = {
        "first_name_latin": f"Worker{number}",
        "last_name_latin": "Test",
        "citizenship": citizenship,
        "passport_number": passport,
        "passport_hash": passport_hash(citizenship, passport),
        "verification_status": VerificationStatus.VERIFIED
        if verified
        else VerificationStatus.PENDING,
        "verified_at": timezone.now() if verified else None,
        "anywhere_in_russia": anywhere,
        "available_from": timezone.localdate(),
    }
    values.update(fields)
    agency = agency or Agency.objects.order_by("pk").first() or make_agency("UZ")
    profile = MigrantProfile.objects.create(registered_by=agency, **values)
    for unit in units:
        MigrantOccupation.objects.create(profile=profile, occupation_id=unit)
    profile.desired_regions.set(regions)
    return profile


def place(vacancy, profile, *, stage=Stage.PLACED) -> Application:
    return Application.objects.create(
        vacancy=vacancy,
        profile=profile,
        origin=Origin.APPLIED,
        stage=stage,
        placed_at=timezone.now(),
    )


@dataclass
class Market:
    employer: object
    agency: object
    other_agency: object
    vacancies: dict
    workers: dict


def direct_balance(region: str | None, group: str | None) -> tuple[int, int, int]:
    """(demand, supply, placements) counted row by row in Python, straight from the
    source tables: the oracle the SQL refresh is checked against."""
    today = timezone.localdate()
    now = timezone.now()
    demand = 0
    for vacancy in Vacancy.objects.filter(status=VacancyStatus.PUBLISHED):
        if vacancy.expires_on and vacancy.expires_on < today:
            continue
        if region and vacancy.region_id != region:
            continue
        if group and not vacancy.occupation_id.startswith(group):
            continue
        demand += vacancy.positions_total - vacancy.positions_filled
    supply = 0
    for profile in MigrantProfile.objects.all():
        if profile.erased_at or profile.merged_into_id or not profile.is_verified:
            continue
        if not profile.is_visible or not profile.is_available(today):
            continue
        if profile.applications.filter(stage__in=[Stage.PLACED, Stage.ARRIVED]).exists():
            continue
        units = list(profile.occupations.values_list("occupation_id", flat=True))
        wanted = set(profile.desired_regions.values_list("code", flat=True))
        if not units or not (profile.anywhere_in_russia or wanted):
            continue
        if group and not any(unit.startswith(group) for unit in units):
            continue
        if region and not (profile.anywhere_in_russia or region in wanted):
            continue
        supply += 1
    month_start = today.replace(day=1)
    placements = sum(
        1
        for application in Application.objects.filter(
            stage__in=[Stage.PLACED, Stage.ARRIVED], placed_at__lte=now
        ).select_related("vacancy")
        if timezone.localdate(application.placed_at) >= month_start
        and (not region or application.vacancy.region_id == region)
        and (not group or application.vacancy.occupation_id.startswith(group))
    )
    return demand, supply, placements
