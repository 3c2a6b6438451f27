"""What a rematch stores and how the database is read for it: explained matches, hard
filters, quotas, and the bulk reads (COPY, parallel, one snapshot) behind the arrays."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from exchange.choices import CEFRLevel, VerificationStatus
from exchange.models import Skill
from matching import services
from matching.encoding import encode, open_vacancies, open_workers
from matching.models import Match, MatchRun
from migrants.models import MigrantOccupation, MigrantProfile
from tests.factories import make_vacancy
from tests.matching.helpers import worker
from vacancies.choices import VacancyStatus as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def mason_skills(db):
    return list(Skill.objects.filter(occupations__code="7112").order_by("pk")[:3])


def test_a_full_rematch_stores_explained_matches_for_both_sides(employer, mason_skills):
    strong = worker(1, skills=mason_skills)
    weak = worker(2, skills=mason_skills[:1], russian=CEFRLevel.A1)
    cook = worker(3, code="5120")
    vacancy = make_vacancy(
        employer,
        status=S.PUBLISHED,
        occupation_id="7112",
        skills=mason_skills,
        languages=[("ru", "A2")],
    )
    run = services.rematch_all()
    assert run.status == MatchRun.Status.FINISHED and MatchRun.current() == run
    ranked = list(services.matches_for_vacancy(vacancy.pk))
    assert [m.profile_id for m in ranked] == [strong.pk, weak.pk]  # the cook is in another block
    best = ranked[0]
    assert best.in_vacancy_top and best.in_worker_top
    assert set(best.components) == {
        "occupation",
        "skills",
        "languages",
        "region",
        "salary",
        "experience",
        "availability",
    }
    assert best.components["skills"] == 1.0 and best.missing["skills"] == []
    assert ranked[1].missing["skills"] == [s.code for s in mason_skills[1:]]
    assert ranked[1].missing["languages"] == [["ru", 1, 2]]  # A1 held, A2 required
    assert 0 < ranked[1].score < best.score <= 1
    assert list(services.matches_for_worker(cook.pk)) == []


def test_readers_see_the_current_runs_matches_only(employer):
    candidate = worker(1)
    vacancy = make_vacancy(employer, status=S.PUBLISHED, occupation_id="7112")
    assert not Match.objects.current().exists()  # before the first rematch
    first = services.rematch_all()
    row = Match.objects.get()
    row.pk, row.run = None, MatchRun.objects.create(engine_version="1.0")  # still running
    row.save()
    pair = Match.objects.current().filter(vacancy_id=vacancy.pk, profile_id=candidate.pk)
    assert list(pair.values_list("run_id", flat=True)) == [first.pk]


def test_stored_scores_equal_the_reference_scorer(employer, mason_skills):
    from matching.reference import score_pair

    worker(1, skills=mason_skills[:2])
    make_vacancy(employer, status=S.PUBLISHED, occupation_id="7112", skills=mason_skills)
    services.rematch_all()
    match = Match.objects.get()
    encoded = encode(MigrantProfile.objects.matchable(), open_vacancies())
    reference = score_pair(encoded.workers, encoded.vacancies, 0, 0, services.weights())
    assert match.score == pytest.approx(reference.total, abs=1e-6)


def test_hard_filters_keep_unverified_workers_and_closed_doors_out(employer):
    worker(1, verification_status=VerificationStatus.PENDING)
    foreigner = worker(2)
    make_vacancy(employer, status=S.PUBLISHED, occupation_id="7112", open_to_foreign_workers=False)
    make_vacancy(employer, status=S.DRAFT, occupation_id="7112")
    services.rematch_all()
    assert not Match.objects.exists()
    assert list(services.matches_for_worker(foreigner.pk)) == []


def test_quota_bound_vacancies_propose_visa_workers_only_while_quota_is_left(employer):
    from selection.models import Application, Quota, Stage

    visa = worker(1, citizenship="VN")
    patent = worker(2, citizenship="UZ")
    vacancy = make_vacancy(employer, status=S.PUBLISHED, occupation_id="7112", quota_bound=True)

    def proposed():
        services.rematch_all()
        return {m.profile_id for m in services.matches_for_vacancy(vacancy.pk)}

    assert proposed() == {patent.pk}  # no quota at all for the region
    year = (vacancy.start_date or timezone.localdate()).year
    quota = Quota.objects.create(year=year, region=vacancy.region, occupation_id="71", allotted=1)
    assert proposed() == {patent.pk, visa.pk}
    other = worker(3, citizenship="VN")
    Application.objects.create(
        vacancy=vacancy, profile=other, origin="matching", stage=Stage.APPROVED, quota=quota
    )  # an approval holds the last place
    assert proposed() == {patent.pk}
    # A more specific quota row for the unit group decides over the broader one.
    Quota.objects.create(year=year, region=vacancy.region, occupation_id="7112", allotted=5)
    assert visa.pk in proposed()


def test_bulk_reading_by_copy_equals_reading_through_the_orm(employer, mason_skills, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("binary COPY is the PostgreSQL path")
    for n in range(4):
        profile = worker(n, skills=mason_skills[: n + 1], min_salary=[0, 50000][n % 2])
        MigrantOccupation.objects.create(profile=profile, occupation_id="7115", years_experience=n)
        profile.desired_regions.set(["77", "50"][: n % 3])
    make_vacancy(employer, status=S.PUBLISHED, occupation_id="7112", skills=mason_skills)
    make_vacancy(employer, status=S.PUBLISHED, occupation_id="7115", languages=[("ru", "B1")])
    fast = encode(MigrantProfile.objects.all(), open_vacancies())
    monkeypatch.setattr(connection, "vendor", "generic")
    slow = encode(MigrantProfile.objects.all(), open_vacancies())
    for side in ("workers", "vacancies"):
        for name, array in vars(getattr(fast, side)).items():
            assert (array == getattr(getattr(slow, side), name)).all(), (side, name)
    assert (fast.profile_ids == slow.profile_ids).all()
    assert fast.workers.skills.any() and fast.workers.regions.any()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_parallel_reads_see_one_snapshot_and_equal_the_reads_in_a_transaction(
    employer, mason_skills, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("parallel reads are the PostgreSQL path")
    from django.db import transaction

    from matching.encoding import fetch as bulk_reads

    for n in range(4):
        profile = worker(n, skills=mason_skills[: n + 1], min_salary=50000)
        profile.desired_regions.set(["77", "50"][: n % 3])
    make_vacancy(employer, status=S.PUBLISHED, occupation_id="7112", skills=mason_skills)
    with transaction.atomic():  # one connection, one read after another
        serial = encode(MigrantProfile.objects.all(), open_vacancies())
    parallel = encode(MigrantProfile.objects.all(), open_vacancies(), parallel=True)
    for side in ("workers", "vacancies"):
        for name, array in vars(getattr(serial, side)).items():
            assert (array == getattr(getattr(parallel, side), name)).all(), (side, name)

    # An edit committed while the reads run is not seen by any of them.
    fetch, edited = bulk_reads.fetch_columns, []

    def edit_then_fetch(queryset, **columns):
        if not edited:
            edited.append(True)

            def edit():
                MigrantProfile.objects.update(min_salary=90000)
                connection.close()

            thread = threading.Thread(target=edit)
            thread.start()
            thread.join()
        return fetch(queryset, **columns)

    monkeypatch.setattr(bulk_reads, "fetch_columns", edit_then_fetch)
    during = encode(MigrantProfile.objects.all(), open_vacancies(), parallel=True)
    assert edited and (during.workers.min_salary == 50000).all()
    assert set(MigrantProfile.objects.values_list("min_salary", flat=True)) == {90000}


def test_related_rows_read_for_a_wider_set_of_owners_are_dropped(employer, mason_skills):
    """rematch_vacancy names a block's workers by occupation (cheaper than through the
    profile table); rows of workers who are not open must not leak into the arrays."""
    for n in range(3):
        profile = worker(n, skills=mason_skills[: n + 1], min_salary=40000 * n)
        profile.desired_regions.set(["77", "50"][: n + 1])
    hidden = worker(7, skills=mason_skills, russian=CEFRLevel.C2, is_visible=False)
    hidden.desired_regions.set(["50"])
    make_vacancy(employer, status=S.PUBLISHED, occupation_id="7112", skills=mason_skills)
    in_block = MigrantOccupation.objects.filter(occupation__code__startswith="711").values(
        "profile_id"
    )
    plain = encode(open_workers().filter(pk__in=in_block), open_vacancies())
    wide = encode(open_workers().filter(pk__in=in_block), open_vacancies(), owners=in_block)
    assert hidden.pk not in plain.profile_ids and len(plain.profile_ids) == 3
    for name, array in vars(plain.workers).items():
        assert (array == getattr(wide.workers, name)).all(), name
