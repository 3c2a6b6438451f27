"""Moderation by administrators, the public search page, the vacancy page and the API."""

import json
import re

import pytest
from django.urls import reverse

from tests.factories import make_profile, make_vacancy
from vacancies.choices import VacancyStatus as S

pytestmark = pytest.mark.django_db


def test_the_queue_lists_submitted_vacancies_oldest_first_with_counts(
    client_for, administrator, employer
):
    first = make_vacancy(employer, title="Первая", status=S.DRAFT)
    second = make_vacancy(employer, title="Вторая", status=S.DRAFT)
    from vacancies import services

    services.change_status(first, S.SUBMITTED, by=None)
    services.change_status(second, S.SUBMITTED, by=None)
    make_vacancy(employer, title="Опубликованная", status=S.PUBLISHED)
    page = (
        client_for(administrator)
        .get(reverse("moderation_queue"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert page.index("Первая") < page.index("Вторая")
    assert "Опубликованная" not in page
    assert re.search(r"Awaiting: <strong>2</strong>", page)


def test_bulk_publish_and_bulk_reject_with_a_reason(client_for, administrator, employer):
    a, b, c = (make_vacancy(employer, title=t, status=S.SUBMITTED) for t in "ABC")
    client = client_for(administrator)
    client.post(reverse("moderation_queue"), {"vacancy": [a.pk, b.pk], "action": "publish"})
    client.post(
        reverse("moderation_queue"), {"vacancy": [c.pk], "action": "reject", "reason": "Нет адреса"}
    )
    for vacancy in (a, b, c):
        vacancy.refresh_from_db()
    assert (a.status, b.status, c.status) == (S.PUBLISHED, S.PUBLISHED, S.REJECTED)
    assert c.rejection_reason == "Нет адреса"


def test_bulk_reject_without_a_reason_rejects_nothing(client_for, administrator, employer):
    vacancy = make_vacancy(employer, status=S.SUBMITTED)
    response = client_for(administrator).post(
        reverse("moderation_queue"),
        {"vacancy": [vacancy.pk], "action": "reject", "reason": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Say why" in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.status == S.SUBMITTED


def test_review_page_publishes_and_rejects(client_for, administrator, employer):
    vacancy = make_vacancy(employer, status=S.SUBMITTED)
    client = client_for(administrator)
    assert client.get(reverse("moderation_review", args=[vacancy.pk])).status_code == 200
    client.post(
        reverse("moderation_review", args=[vacancy.pk]),
        {"action": "reject", "reason": "Мало данных"},
    )
    vacancy.refresh_from_db()
    assert vacancy.status == S.REJECTED


def test_only_administrators_moderate(client_for, employer_member, migrant):
    vacancy = make_vacancy(employer_member.employer, status=S.SUBMITTED)
    for user in (employer_member, migrant):
        client = client_for(user)
        assert client.get(reverse("moderation_queue")).status_code == 403
        assert (
            client.post(
                reverse("moderation_review", args=[vacancy.pk]), {"action": "publish"}
            ).status_code
            == 403
        )
    vacancy.refresh_from_db()
    assert vacancy.status == S.SUBMITTED


def test_the_search_page_and_its_htmx_fragment(client, employer):
    make_vacancy(employer, status=S.PUBLISHED, title="Сварщик на вахту", occupation_id="7212")
    make_vacancy(employer, status=S.DRAFT, title="Черновик сварщика", occupation_id="7212")
    page = client.get(reverse("vacancy_search"), {"q": "сварщик"}).content.decode()
    assert "Сварщик на вахту" in page and "Черновик сварщика" not in page
    assert '<form method="get"' in page
    fragment = client.get(
        reverse("vacancy_search"), {"q": "сварщик"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Сварщик на вахту" in fragment and "<html" not in fragment


def test_the_vacancy_page_has_json_ld_and_hides_contacts_from_anonymous_visitors(
    client, employer, migrant
):
    vacancy = make_vacancy(
        employer, status=S.PUBLISHED, contact_phone="+74951112233", title="Повар </script>"
    )
    page = client.get(reverse("vacancy_detail", args=[vacancy.pk])).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "JobPosting" and data["title"] == "Повар </script>"
    assert data["baseSalary"]["value"]["minValue"] == 80000
    assert "+74951112233" not in page
    client.force_login(migrant)
    assert (
        "+74951112233" in client.get(reverse("vacancy_detail", args=[vacancy.pk])).content.decode()
    )


def test_only_a_signed_in_migrant_with_a_profile_sees_what_the_job_requires(
    client, employer, employer_member, migrant
):
    vacancy = make_vacancy(employer, status=S.PUBLISHED)
    url = reverse("vacancy_detail", args=[vacancy.pk])
    panel = 'id="requirements"'
    assert panel not in client.get(url).content.decode()  # anonymous
    client.force_login(migrant)
    assert panel not in client.get(url).content.decode()  # no profile yet
    make_profile(user=migrant)
    page = client.get(url).content.decode()
    assert panel in page and "Legal basis" in page
    client.force_login(employer_member)
    assert panel not in client.get(url).content.decode()


def test_unpublished_and_expired_vacancies_are_404_for_the_public(client, employer):
    import datetime

    from django.utils import timezone

    draft = make_vacancy(employer, status=S.DRAFT)
    expired = make_vacancy(
        employer, status=S.PUBLISHED, expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    for vacancy in (draft, expired):
        assert client.get(reverse("vacancy_detail", args=[vacancy.pk])).status_code == 404
        assert client.get(reverse("api_vacancy_detail", args=[vacancy.pk])).status_code == 404


def test_the_api_lists_published_vacancies_with_filters_and_pages(client, employer):
    for i in range(25):
        make_vacancy(
            employer, status=S.PUBLISHED, title=f"Каменщик {i}", region_id="77" if i % 2 else "50"
        )
    make_vacancy(employer, status=S.SUBMITTED, title="Каменщик на модерации")
    first = client.get(reverse("api_vacancy_list")).json()
    assert first["count"] == 25 and first["next"]
    assert len(first["results"]) == 20
    assert "contact_phone" not in first["results"][0]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    ids = {r["id"] for r in first["results"]} | {r["id"] for r in second["results"]}
    assert len(ids) == 25
    moscow = client.get(reverse("api_vacancy_list"), {"region": "77"}).json()
    assert moscow["count"] == 12
    assert all(r["region"]["code"] == "77" for r in moscow["results"])


def test_the_api_refuses_bad_filters_with_400(client):
    response = client.get(reverse("api_vacancy_list"), {"occupation": "abc"})
    assert response.status_code == 400
    assert "occupation" in response.json()["errors"]  # RFC 9457, as every API error


def test_the_api_detail_has_skills_and_languages(client, employer, bricklaying):
    vacancy = make_vacancy(
        employer, status=S.PUBLISHED, skills=[bricklaying], languages=[("ru", "B1")]
    )
    data = client.get(reverse("api_vacancy_detail", args=[vacancy.pk])).json()
    assert data["skills"] == [{"code": bricklaying.code, "title": bricklaying.title_en}]
    in_russian = client.get(
        reverse("api_vacancy_detail", args=[vacancy.pk]), HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert in_russian.json()["skills"][0]["title"] == bricklaying.title_ru
    assert data["languages"] == [{"language": "ru", "min_level": "B1"}]
    assert data["occupation"]["code"] == "7112"


def test_the_openapi_schema_describes_the_vacancy_endpoints(client):
    response = client.get(reverse("api_schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/vacancies/" in paths and "/api/v1/vacancies/{id}/" in paths
    parameters = {p["name"] for p in paths["/api/v1/vacancies/"]["get"]["parameters"]}
    assert {"q", "occupation", "region", "salary_from", "cursor"} <= parameters
    assert client.get(reverse("api_docs")).status_code == 200


def test_pickers_find_occupations_and_skills_in_the_users_language(client, bricklaying):
    page = client.get(
        reverse("occupation_options"), {"occupation-search": "каменщ"}
    ).content.decode()
    assert 'value="7112"' in page
    page = client.get(
        reverse("occupation_options"), {"occupation-search": "Bricklay"}
    ).content.decode()
    assert 'value="7112"' in page
    page = client.get(reverse("skill_options"), {"skills-search": "кирпичная"}).content.decode()
    assert "Brick laying" in page  # found by its Russian title, shown in English
    page = client.get(
        reverse("skill_options"), {"occupation": "7112"}, HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()
    assert "Кирпичная кладка" in page


def test_the_lean_list_items_equal_the_documented_serializer(rf, employer, bricklaying):
    from vacancies.search import search_vacancies
    from vacancies.serializers import VacancyListSerializer, vacancy_summary

    make_vacancy(employer, status=S.PUBLISHED, salary_max=None, housing="dormitory")
    make_vacancy(employer, status=S.PUBLISHED, salary_min=None, salary_max=None)
    request = rf.get("/api/v1/vacancies/")
    rows = search_vacancies({}).vacancies
    documented = VacancyListSerializer(rows, many=True, context={"request": request}).data
    lean = [vacancy_summary(v, request.build_absolute_uri) for v in rows]
    assert json.loads(json.dumps(lean)) == json.loads(json.dumps(documented))


def test_later_api_pages_skip_the_count(client, employer):
    for i in range(22):
        make_vacancy(employer, status=S.PUBLISHED, title=f"Job {i}")
    first = client.get(reverse("api_vacancy_list")).json()
    assert first["count"] == 22
    assert client.get(first["next"]).json()["count"] is None
