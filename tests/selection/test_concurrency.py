"""The last position is never filled twice: many workers accept at the same moment, each
in its own thread with its own database connection (PostgreSQL only: SQLite serialises
writers for the whole file, so it cannot show the race)."""

import datetime
import fcntl
import tempfile
import threading
from pathlib import Path

import pytest
from django.db import connection, connections
from django.utils import timezone

from exchange.choices import Role, VerificationStatus
from exchange.models import User
from migrants.models import MigrantProfile
from selection import services as selection
from selection.models import Application, OfferTerms, Origin, Stage
from tests.factories import make_vacancy
from vacancies.choices import VacancyStatus

THREADS = 50
ROUNDS = 5

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and connections"
    ),
]


@pytest.fixture(autouse=True)
def one_round_at_a_time():
    """Fifty connections per round: two rounds at once on the two test processes
    would pass PostgreSQL's default limit of 100, so the processes take turns."""
    path = Path(tempfile.gettempdir()) / "exchange-tests-fifty-connections.lock"
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def offers_for(vacancy, round_number: int) -> list[Application]:
    """THREADS workers, each holding an offer for the vacancy (set up directly: the
    race is in accepting, not in getting there)."""
    users = User.objects.bulk_create(
        User(
            phone=f"+99897{round_number:02d}{i:05d}",
            role=Role.MIGRANT,
            full_name=f"Racer {round_number}-{i}",
            password="!",  # no usable password: nobody signs in
        )
        for i in range(THREADS)
    )
    profiles = MigrantProfile.objects.bulk_create(
        MigrantProfile(
            user=user,
            first_name_latin="Racer",
            last_name_latin=str(i),
            citizenship="UZ",
            verification_status=VerificationStatus.VERIFIED,
        )
        for i, user in enumerate(users)
    )
    applications = Application.objects.bulk_create(
        Application(vacancy=vacancy, profile=profile, origin=Origin.APPLIED, stage=Stage.OFFERED)
        for profile in profiles
    )
    OfferTerms.objects.bulk_create(
        OfferTerms(
            application=application,
            wage=90000,
            start_date=timezone.localdate() + datetime.timedelta(days=30),
            contract_months=12,
        )
        for application in applications
    )
    return list(Application.objects.filter(vacancy=vacancy).select_related("profile__user"))


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_fifty_simultaneous_accepts_for_one_open_position_place_exactly_one(employer, round_number):
    vacancy = make_vacancy(employer, status=VacancyStatus.PUBLISHED, positions_total=1)
    applications = offers_for(vacancy, round_number)
    start = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(application):
        try:
            start.wait()
            selection.accept_offer(application, user=application.profile.user)
            outcome = "placed"
        except selection.SelectionError:
            outcome = "refused"
        except Exception as error:  # reported by the assertion below
            outcome = f"error: {type(error).__name__}: {error}"
        finally:
            connections.close_all()  # this thread's own connection
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=accept, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["placed"] + ["refused"] * (THREADS - 1), outcomes
    vacancy.refresh_from_db()
    assert (vacancy.positions_filled, vacancy.status) == (1, VacancyStatus.FILLED)
    stages = list(Application.objects.filter(vacancy=vacancy).values_list("stage", flat=True))
    assert stages.count(Stage.PLACED) == 1
    assert stages.count(Stage.WITHDRAWN) == THREADS - 1  # the other offers, with a notice
