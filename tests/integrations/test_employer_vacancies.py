"""Employer keys: their own vacancies, drafts included; create and update as the
web form does; the public list is unchanged."""

from tests.factories import make_vacancy
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy


def vacancy_payload(**overrides):
    data = {
        "title": "Bricklayer",
        "occupation": "7112",
        "description": "Brick walls on a housing site.",
        "region": "77",
        "city": "Moscow",
        "positions_total": 3,
        "salary_min": 90000,
        "salary_max": 120000,
        "currency": "RUB",
        "salary_basis": "gross",
        "employment_type": "full",
        "schedule": "full_day",
        "housing": "dormitory",
        "meals": "free",
        "education": "none",
        "experience_years": 1,
        "contact_name": "Irina",
        "languages": [{"language": "ru", "min_level": "A2"}],
    }
    data.update(overrides)
    return data


def test_employer_key_creates_a_draft_and_edits_it(api, employer_key, employer):
    client = api(employer_key)
    response = client.post("/api/v1/employer/vacancies/", vacancy_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["occupation"] == "7112"
    assert body["languages"] == [{"language": "ru", "min_level": "A2"}]
    vacancy = Vacancy.objects.get(pk=body["id"])
    assert vacancy.employer == employer and vacancy.history.count() == 1
    changed = client.patch(
        f"/api/v1/employer/vacancies/{vacancy.pk}/", {"salary_min": 95000}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["salary_min"] == 95000
    assert changed.json()["title"] == "Bricklayer"  # untouched fields stay


def test_the_web_forms_rules_apply(api, employer_key):
    response = api(employer_key).post(
        "/api/v1/employer/vacancies/",
        vacancy_payload(occupation="71", salary_min=200000, salary_max=100000),
        format="json",
    )
    assert response.status_code == 400
    assert "occupation" in response.json()["errors"]


def test_submit_sends_the_draft_to_moderation(api, employer_key):
    client = api(employer_key)
    vacancy = client.post("/api/v1/employer/vacancies/", vacancy_payload(), format="json").json()
    response = client.post(f"/api/v1/employer/vacancies/{vacancy['id']}/submit/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"


def test_editing_a_published_vacancy_sends_it_back_to_moderation(api, employer_key, employer):
    vacancy = make_vacancy(employer, status=VacancyStatus.PUBLISHED)
    response = api(employer_key).patch(
        f"/api/v1/employer/vacancies/{vacancy.pk}/", {"title": "Mason"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"


def test_other_employers_and_agencies_cannot_touch_the_vacancy(
    api, employer, other_employer_key, agency_key
):
    draft = make_vacancy(employer)
    other = api(other_employer_key)
    assert other.get(f"/api/v1/employer/vacancies/{draft.pk}/").status_code == 404
    assert (
        other.patch(
            f"/api/v1/employer/vacancies/{draft.pk}/", {"title": "x"}, format="json"
        ).status_code
        == 404
    )
    assert other.get("/api/v1/employer/vacancies/").json()["count"] == 0
    assert api(agency_key).get("/api/v1/employer/vacancies/").status_code == 403
    assert Vacancy.objects.get(pk=draft.pk).title != "x"


def test_drafts_stay_out_of_the_public_api(api, employer, employer_key):
    draft = make_vacancy(employer)
    assert api().get(f"/api/v1/vacancies/{draft.pk}/").status_code == 404
    assert api(employer_key).get(f"/api/v1/employer/vacancies/{draft.pk}/").status_code == 200
