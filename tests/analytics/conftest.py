"""The analytics tests' labour market as a fixture (its builders: market.py)."""

import datetime

import pytest
from django.utils import timezone

from migrants.crypto import passport_hash
from selection.models import Application, Origin, Quota, Stage
from tests.analytics.market import (
    SECRET_EMAILS,
    SECRET_NAMES,
    SECRET_PASSPORTS,
    SECRET_PHONES,
    Market,
    make_vacancy,
    make_worker,
    place,
)
from tests.factories import make_agency, make_employer
from vacancies.choices import VacancyStatus


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
