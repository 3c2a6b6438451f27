"""Every vacancy transition, and the ones the rules refuse."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from exchange.choices import VerificationStatus
from tests.factories import make_vacancy
from vacancies import services
from vacancies.choices import VacancyStatus as S
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def statuses(vacancy):
    return [(t.from_status, t.to_status) for t in vacancy.history.all()]


def test_a_verified_employer_submits_and_an_administrator_publishes(
    employer, employer_member, administrator
):
    vacancy = make_vacancy(employer)
    services.submit_vacancy(vacancy, by=employer_member)
    assert vacancy.status == S.SUBMITTED and vacancy.submitted_at
    services.publish_vacancy(vacancy, by=administrator)
    vacancy.refresh_from_db()
    assert vacancy.status == S.PUBLISHED
    assert vacancy.published_at is not None
    assert vacancy.expires_on == timezone.localdate() + datetime.timedelta(days=60)
    assert statuses(vacancy) == [(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.PUBLISHED)]
    assert vacancy.history.last().by == administrator


def test_an_unverified_employer_cannot_submit(employer_member):
    employer = employer_member.employer
    employer.verification_status = VerificationStatus.PENDING
    employer.save()
    vacancy = make_vacancy(employer)
    with pytest.raises(services.TransitionError, match="not verified"):
        services.submit_vacancy(vacancy, by=employer_member)
    vacancy.refresh_from_db()
    assert vacancy.status == S.DRAFT
    assert not vacancy.history.exists()


def test_rejection_needs_a_reason_which_is_kept_for_the_employer(employer, administrator):
    vacancy = make_vacancy(employer, status=S.SUBMITTED)
    with pytest.raises(services.TransitionError, match="Say why"):
        services.reject_vacancy(vacancy, by=administrator, reason="  ")
    services.reject_vacancy(vacancy, by=administrator, reason="Salary below the regional minimum")
    vacancy.refresh_from_db()
    assert vacancy.status == S.REJECTED
    assert vacancy.rejection_reason == "Salary below the regional minimum"
    assert vacancy.history.last().reason == "Salary below the regional minimum"


def test_a_rejected_vacancy_can_be_corrected_and_submitted_again(
    employer, employer_member, administrator
):
    vacancy = make_vacancy(employer, status=S.REJECTED, rejection_reason="x")
    services.submit_vacancy(vacancy, by=employer_member)
    services.publish_vacancy(vacancy, by=administrator)
    vacancy.refresh_from_db()
    assert vacancy.status == S.PUBLISHED and vacancy.rejection_reason == ""


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.DRAFT, S.PUBLISHED),
        (S.DRAFT, S.REJECTED),
        (S.PUBLISHED, S.REJECTED),
        (S.CLOSED, S.PUBLISHED),
        (S.CLOSED, S.SUBMITTED),
        (S.EXPIRED, S.PUBLISHED),
        (S.FILLED, S.SUBMITTED),
    ],
)
def test_transitions_outside_the_table_are_refused_with_a_clear_message(
    employer, administrator, start, target
):
    vacancy = make_vacancy(employer, status=start)
    with pytest.raises(services.TransitionError, match="cannot become"):
        services.change_status(vacancy, target, by=administrator)
    vacancy.refresh_from_db()
    assert vacancy.status == start


def test_publishing_twice_is_refused(employer, administrator):
    vacancy = make_vacancy(employer, status=S.PUBLISHED)
    with pytest.raises(services.TransitionError):
        services.publish_vacancy(vacancy, by=administrator)


def test_a_substantive_edit_of_a_published_vacancy_sends_it_back_to_moderation(
    employer, employer_member
):
    vacancy = make_vacancy(employer, status=S.PUBLISHED)
    transition = services.record_edit(vacancy, by=employer_member, changed={"salary_max"})
    assert transition is not None
    vacancy.refresh_from_db()
    assert vacancy.status == S.SUBMITTED


def test_contacts_and_positions_change_without_moderation(employer, employer_member):
    vacancy = make_vacancy(employer, status=S.PUBLISHED)
    assert (
        services.record_edit(
            vacancy, by=employer_member, changed={"contact_phone", "positions_total"}
        )
        is None
    )
    vacancy.refresh_from_db()
    assert vacancy.status == S.PUBLISHED


def test_filling_the_last_position_marks_the_vacancy_filled_and_reopening_publishes_it(
    employer, employer_member
):
    vacancy = make_vacancy(employer, status=S.PUBLISHED, positions_total=2)
    services.update_positions(vacancy, by=employer_member, total=2, filled=2)
    vacancy.refresh_from_db()
    assert vacancy.status == S.FILLED
    services.update_positions(vacancy, by=employer_member, total=3, filled=2)
    vacancy.refresh_from_db()
    assert vacancy.status == S.PUBLISHED
    services.close_vacancy(vacancy, by=employer_member)
    vacancy.refresh_from_db()
    assert vacancy.status == S.CLOSED


def test_the_database_refuses_more_filled_positions_than_the_total(employer):
    vacancy = make_vacancy(employer, positions_total=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vacancy.objects.filter(pk=vacancy.pk).update(positions_filled=3)


def test_update_positions_refuses_more_filled_than_total(employer, employer_member):
    vacancy = make_vacancy(employer, status=S.PUBLISHED, positions_total=2)
    with pytest.raises(services.TransitionError):
        services.update_positions(vacancy, by=employer_member, total=2, filled=3)


def test_expiry_moves_only_published_vacancies_past_their_date_and_is_idempotent(employer):
    today = timezone.localdate()
    old = make_vacancy(employer, status=S.PUBLISHED, expires_on=today - datetime.timedelta(days=1))
    current = make_vacancy(employer, status=S.PUBLISHED, expires_on=today)
    draft = make_vacancy(employer, expires_on=today - datetime.timedelta(days=5))
    assert services.expire_vacancies(today=today) == 1
    assert services.expire_vacancies(today=today) == 0
    old.refresh_from_db(), current.refresh_from_db(), draft.refresh_from_db()
    assert (old.status, current.status, draft.status) == (S.EXPIRED, S.PUBLISHED, S.DRAFT)
    assert old.history.last().by is None


def test_the_expiry_task_runs_the_service(employer):
    from vacancies.tasks import expire_vacancies

    make_vacancy(
        employer, status=S.PUBLISHED, expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert expire_vacancies.delay().get() == 1


def test_duplicating_makes_a_fresh_draft_with_the_same_requirements(
    employer, employer_member, bricklaying
):
    original = make_vacancy(
        employer,
        status=S.PUBLISHED,
        positions_filled=1,
        skills=[bricklaying],
        languages=[("ru", "A2")],
    )
    copy = services.duplicate_vacancy(original, by=employer_member)
    assert copy.pk != original.pk
    assert copy.status == S.DRAFT and copy.positions_filled == 0 and copy.published_at is None
    assert list(copy.skills.all()) == [bricklaying]
    assert [(r.language, r.min_level) for r in copy.languages.all()] == [("ru", "A2")]
    assert "кирпичная кладка" in copy.search_text
