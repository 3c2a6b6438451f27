"""Where people see matches, and who may see what."""

import pytest
from django.urls import reverse

from exchange.choices import CEFRLevel
from exchange.models import Skill
from matching import services
from matching.models import MatchRun
from tests.factories import make_vacancy
from tests.matching.helpers import worker
from vacancies.choices import VacancyStatus as S

pytestmark = pytest.mark.django_db


@pytest.fixture
def matched(employer, migrant):
    skills = list(Skill.objects.filter(occupations__code="7112").order_by("pk")[:3])
    own = worker(1, skills=skills[:2], russian=CEFRLevel.A1)
    own.user, own.registered_by = migrant, None
    own.save()
    vacancy = make_vacancy(
        employer,
        status=S.PUBLISHED,
        occupation_id="7112",
        title="Каменщик",
        skills=skills,
        languages=[("ru", "A2")],
    )
    services.rematch_all()
    return own, vacancy, skills


def test_a_worker_sees_their_jobs_with_reasons_in_their_language(client_for, migrant, matched):
    assert matched
    page = client_for(migrant).get(reverse("jobs_for_worker")).content.decode()
    assert "Каменщик" in page
    assert "You have 2 of 3 required skills." in page
    assert "A2 — elementary required, you have A1 — beginner." in page
    russian = (
        client_for(migrant)
        .get(reverse("jobs_for_worker"), HTTP_ACCEPT_LANGUAGE="ru")
        .content.decode()
    )
    assert "You have" not in russian


def test_the_employer_sees_anonymised_candidates_only_for_own_vacancies(
    client_for, employer_member, other_employer_member, matched
):
    own, vacancy, _skills = matched
    page = (
        client_for(employer_member)
        .get(reverse("vacancy_candidates", args=[vacancy.pk]))
        .content.decode()
    )
    assert "Candidate 1" in page and "Has 2 of 3 required skills." in page
    for secret in (own.last_name_latin, own.first_name_cyrillic, own.phone, own.passport_number):
        assert str(secret) not in page
    other = client_for(other_employer_member).get(reverse("vacancy_candidates", args=[vacancy.pk]))
    assert other.status_code == 404


def test_administrators_see_both_sides_and_start_a_rematch(client_for, administrator, matched):
    own, vacancy, _skills = matched
    client = client_for(administrator)
    assert client.get(reverse("staff_vacancy_candidates", args=[vacancy.pk])).status_code == 200
    assert (
        "Каменщик" in client.get(reverse("staff_jobs_for_worker", args=[own.pk])).content.decode()
    )
    before = MatchRun.current()
    client.post(reverse("staff_rematch"))
    assert MatchRun.current() != before  # a new run replaced the previous one
    assert MatchRun.current().matches_stored == 1
    assert not before.matches.exists()


def test_other_roles_cannot_open_matching_pages(
    client_for, migrant, agency_member, employer_member, matched
):
    _own, vacancy, _skills = matched
    assert (
        client_for(migrant).get(reverse("vacancy_candidates", args=[vacancy.pk])).status_code == 403
    )
    assert client_for(agency_member).get(reverse("jobs_for_worker")).status_code == 403
    assert client_for(employer_member).get(reverse("staff_matching")).status_code == 403
    assert client_for(migrant).post(reverse("staff_rematch")).status_code == 403


def test_a_signed_in_worker_can_sort_the_search_by_match(client_for, migrant, employer, matched):
    assert matched
    make_vacancy(employer, status=S.PUBLISHED, occupation_id="5120", title="Повар")
    page = client_for(migrant).get(reverse("vacancy_search"), {"sort": "match"}).content.decode()
    assert "Каменщик" in page and "Повар" not in page
