"""A small, fully known labour market for the analytics tests.

Every worker and vacancy below exists to exercise one rule of docs/analytics.md; the
expected figures are written out in test_refresh.py and also recomputed by a direct
count (`direct_balance`) that shares no code with the SQL refresh.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from exchange.choices import VerificationStatus
from exchange.models import Agency
from migrants.crypto import passport_hash
from migrants.models import MigrantOccupation, MigrantProfile
from selection.models import Application, Origin, Quota, Stage
from tests.conftest import make_agency, make_employer
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy

# Personal data the public outputs must never contain.
SECRET_NAMES = ["Zafarbek", "Qodirov", "Шахноза", "Юлдашева"]
SECRET_PASSPORTS = ["FA7654321", "AC0099887"]
SECRET_PHONES = ["+998907776655", "+74957770011"]
SECRET_EMAILS = ["zafarbek.private@example.com", "hr-secret@example.com"]
SECRET_CONTACT = "Секретный Кадровик"


def make_vacancy(employer, *, status=VacancyStatus.PUBLISHED, **fields) -> Vacancy:
    values = {
        "occupation_id": "7112",
        "title": "Каменщик",
        "description": "Кладка кирпичных стен.",
        "region_id": "77",
        "city": "Москва",
        "positions_total": 1,
        "contact_name": SECRET_CONTACT,
        "contact_phone": SECRET_PHONES[1],
        "contact_email": SECRET_EMAILS[1],
        "address": "ул. Тайная, д. 7",
    }
    values.update(fields)
    if status == VacancyStatus.PUBLISHED:
        values.setdefault("published_at", timezone.now())
        values.setdefault("expires_on", timezone.localdate() + datetime.timedelta(days=30))
    return Vacancy.objects.create(employer=employer, status=status, **values)


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


@pytest.fixture
def market(db) -> Market:
    """The known data set (see the expectations in test_refresh.py)."""
    employer = make_employer(0)
    agency = make_agency("UZ")
    other_agency = make_agency("TJ")
    today = timezone.localdate()
    v = {
        "brick77": make_vacancy(employer, positions_total=5, positions_filled=1),
        "carpenter77": make_vacancy(employer, occupation_id="7115", positions_total=3),
        "driver50": make_vacancy(employer, occupation_id="8322", region_id="50", positions_total=2),
        "expired": make_vacancy(
            employer,
            positions_total=10,
            published_at=timezone.now() - datetime.timedelta(days=40),
            expires_on=today - datetime.timedelta(days=1),
        ),
        "draft": make_vacancy(employer, status=VacancyStatus.DRAFT, positions_total=7),
        "closed": make_vacancy(
            employer,
            status=VacancyStatus.CLOSED,
            positions_total=6,
            published_at=timezone.now() - datetime.timedelta(days=3),
        ),
    }
    w = {
        "w1_two_trades": make_worker(
            units=("7112", "7115"),
            regions=("77",),
            first_name_latin=SECRET_NAMES[0],
            last_name_latin=SECRET_NAMES[1],
            first_name_cyrillic=SECRET_NAMES[2],
            last_name_cyrillic=SECRET_NAMES[3],
            passport_number=SECRET_PASSPORTS[0],
            passport_hash=passport_hash("UZ", SECRET_PASSPORTS[0]),
            phone=SECRET_PHONES[0],
            email=SECRET_EMAILS[0],
        ),
        "w2_anywhere": make_worker(anywhere=True, citizenship="TJ", agency=other_agency),
        "w3_region50": make_worker(regions=("50",), citizenship="KG"),
        "w4_unverified": make_worker(units=("7115",), regions=("77",), verified=False),
        "w5_hidden": make_worker(regions=("77",), is_visible=False),
        "w6_later": make_worker(
            regions=("77",), available_from=today + datetime.timedelta(days=10)
        ),
        "w7_nowhere": make_worker(),
        "w8_erased": make_worker(regions=("77",), erased_at=timezone.now()),
        "w9_placed": make_worker(regions=("77",)),
        "w10_withdrawn": make_worker(
            regions=("77",),
            passport_number=SECRET_PASSPORTS[1],
            passport_hash=passport_hash("UZ", SECRET_PASSPORTS[1]),
        ),
    }
    place(v["brick77"], w["w9_placed"])
    place(v["brick77"], w["w10_withdrawn"], stage=Stage.WITHDRAWN)  # placed, then withdrew
    Application.objects.create(
        vacancy=v["carpenter77"],
        profile=w["w1_two_trades"],
        origin=Origin.APPLIED,
        stage=Stage.SHORTLISTED,
    )
    Quota.objects.create(year=today.year, region_id="77", occupation_id="7", allotted=100, used=10)
    Quota.objects.create(
        year=today.year, region_id="77", occupation_id="71", allotted=50, used=5, reserved=5
    )
    Quota.objects.create(year=today.year, region_id="50", occupation_id="8", allotted=20)
    return Market(employer, agency, other_agency, v, w)


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
