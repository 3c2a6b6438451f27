"""Search returns exactly the right vacancies: a small data set with known answers."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

import vacancies.search
from tests.factories import make_vacancy
from vacancies.choices import EmploymentType, Housing, Schedule
from vacancies.choices import VacancyStatus as S
from vacancies.search import COUNT_CAP, decode_cursor, encode_cursor, search_vacancies

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def catalogue(employer, bricklaying):
    now = timezone.now()
    v = {
        "mason_moscow": make_vacancy(
            employer,
            status=S.PUBLISHED,
            title="Каменщик",
            occupation_id="7112",
            region_id="77",
            salary_min=90000,
            salary_max=130000,
            housing=Housing.DORMITORY,
            skills=[bricklaying],
            languages=[("ru", "A2")],
            published_at=now - 1 * DAY,
        ),
        "welder_tyumen": make_vacancy(
            employer,
            status=S.PUBLISHED,
            title="Сварщик на вахту",
            occupation_id="7212",
            region_id="72",
            description="Сварка трубопроводов, вахта 60/30.",
            salary_min=150000,
            salary_max=None,
            schedule=Schedule.ROTATION,
            housing=Housing.SITE_CAMP,
            languages=[("ru", "B1")],
            published_at=now - 2 * DAY,
        ),
        "cook_kazan": make_vacancy(
            employer,
            status=S.PUBLISHED,
            title="Повар",
            occupation_id="5120",
            region_id="16",
            description="Cook for a staff canteen",
            salary_min=60000,
            salary_max=70000,
            employment_type=EmploymentType.SEASONAL,
            open_to_foreign_workers=False,
            published_at=now - 10 * DAY,
        ),
        "labourer_moscow": make_vacancy(
            employer,
            status=S.PUBLISHED,
            title="Разнорабочий",
            occupation_id="9313",
            region_id="77",
            description="Уборка строительного мусора, погрузка.",
            salary_min=None,
            salary_max=None,
            published_at=now - 40 * DAY,
        ),
        # Never found:
        "expired_by_date": make_vacancy(
            employer,
            status=S.PUBLISHED,
            title="Каменщик (старая)",
            occupation_id="7112",
            expires_on=timezone.localdate() - DAY,
            published_at=now - 90 * DAY,
        ),
        "draft": make_vacancy(employer, status=S.DRAFT, title="Каменщик черновик"),
        "submitted": make_vacancy(employer, status=S.SUBMITTED, title="Каменщик на модерации"),
        "closed": make_vacancy(employer, status=S.CLOSED, title="Каменщик закрыта"),
        "expired_status": make_vacancy(employer, status=S.EXPIRED, title="Каменщик истекла"),
    }
    return v


def found(catalogue, **params):
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    result = search_vacancies(query)
    assert result.is_valid, result.filters.errors
    names = {vacancy.pk: name for name, vacancy in catalogue.items()}
    return [names[vacancy.pk] for vacancy in result.vacancies]


def test_without_filters_only_published_unexpired_vacancies_appear_newest_first(catalogue):
    assert found(catalogue) == ["mason_moscow", "welder_tyumen", "cook_kazan", "labourer_moscow"]


def test_a_major_or_minor_group_includes_its_unit_groups(catalogue):
    assert found(catalogue, occupation="7") == ["mason_moscow", "welder_tyumen"]
    assert found(catalogue, occupation="711") == ["mason_moscow"]
    assert found(catalogue, occupation="9313") == ["labourer_moscow"]


def test_filter_by_regions(catalogue):
    assert found(catalogue, region="77") == ["mason_moscow", "labourer_moscow"]
    assert found(catalogue, region=["16", "72"]) == ["welder_tyumen", "cook_kazan"]


def test_minimum_salary_uses_the_best_pay_on_offer(catalogue):
    assert found(catalogue, salary_from="120000") == ["mason_moscow", "welder_tyumen"]
    assert found(catalogue, salary_from="140000") == ["welder_tyumen"]


def test_employment_type_schedule_housing_and_foreign_workers(catalogue):
    assert found(catalogue, employment_type="seasonal") == ["cook_kazan"]
    assert found(catalogue, schedule="rotation") == ["welder_tyumen"]
    assert found(catalogue, housing="true") == ["mason_moscow", "welder_tyumen"]
    assert found(catalogue, foreign="true") == ["mason_moscow", "welder_tyumen", "labourer_moscow"]


def test_required_language_at_most_my_level(catalogue):
    # Russian A2: the B1 welding job is out; jobs without a Russian requirement stay.
    assert found(catalogue, language="ru", level="A2") == [
        "mason_moscow",
        "cook_kazan",
        "labourer_moscow",
    ]
    assert found(catalogue, language="ru", level="A1") == ["cook_kazan", "labourer_moscow"]
    assert found(catalogue, language="ru", level="native") == [
        "mason_moscow",
        "welder_tyumen",
        "cook_kazan",
        "labourer_moscow",
    ]


def test_posted_within_days(catalogue):
    assert found(catalogue, posted_within="3") == ["mason_moscow", "welder_tyumen"]
    assert found(catalogue, posted_within="30") == ["mason_moscow", "welder_tyumen", "cook_kazan"]


def test_sort_by_salary_puts_unstated_pay_last(catalogue):
    assert found(catalogue, sort="salary") == [
        "welder_tyumen",
        "mason_moscow",
        "cook_kazan",
        "labourer_moscow",
    ]


def test_free_text_searches_titles_descriptions_skills_and_occupations(catalogue):
    assert found(catalogue, q="сварщик") == ["welder_tyumen"]
    assert found(catalogue, q="кирпичная кладка") == ["mason_moscow"]  # a skill
    assert found(catalogue, q="cook") == ["cook_kazan"]
    assert found(catalogue, q="Bricklayers") == ["mason_moscow"]  # the ISCO title in English


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stemming needs PostgreSQL full-text search"
)
def test_text_search_finds_russian_word_forms_on_postgresql(catalogue):
    assert found(catalogue, q="сварщика") == ["welder_tyumen"]
    assert found(catalogue, q="сварщики трубопровод") == ["welder_tyumen"]
    assert found(catalogue, q="cooks") == ["cook_kazan"]
    assert found(catalogue, q="каменщик", sort="relevance") == ["mason_moscow"]


def test_pages_follow_the_cursor_without_gaps_or_repeats(employer):
    now = timezone.now()
    made = [
        make_vacancy(
            employer, status=S.PUBLISHED, title=f"Job {i}", published_at=now - i * DAY / 24
        )
        for i in range(45)
    ]
    seen, cursor = [], None
    while True:
        result = search_vacancies({}, cursor=cursor)
        seen += [v.pk for v in result.vacancies]
        cursor = result.next_cursor
        if not cursor:
            break
    assert seen == [v.pk for v in made]
    by_salary, cursor = [], None
    while True:
        result = search_vacancies({"sort": "salary"}, cursor=cursor, page_size=7)
        by_salary += [v.pk for v in result.vacancies]
        if not (cursor := result.next_cursor):
            break
    assert sorted(by_salary) == sorted(seen) and len(by_salary) == 45


def test_the_count_is_capped(employer, monkeypatch):
    monkeypatch.setattr(vacancies.search, "COUNT_CAP", 3)
    for i in range(5):
        make_vacancy(employer, status=S.PUBLISHED, title=f"Job {i}")
    result = search_vacancies({})
    assert (result.count, result.count_capped, result.count_display) == (3, True, "3+")
    assert COUNT_CAP == 1000


def test_bad_parameters_give_errors_not_results(catalogue):
    result = search_vacancies({"occupation": "71a", "salary_from": "-5"})
    assert not result.is_valid
    assert "occupation" in result.filters.errors and "salary_from" in result.filters.errors
    assert result.vacancies == []


def test_a_tampered_cursor_is_ignored(catalogue):
    assert decode_cursor("not-base64!!") is None
    assert decode_cursor(encode_cursor({"id": 1})) == {"id": 1}
    result = search_vacancies({}, cursor=encode_cursor({"published": "garbage", "id": "x"}))
    assert len(result.vacancies) == 4


def test_the_matching_app_registers_the_match_scores():
    assert vacancies.search._match_scores is not None


def test_sort_by_match_lists_the_registered_scores_best_first(catalogue, monkeypatch):
    scores = {
        catalogue["cook_kazan"].pk: 0.9,
        catalogue["mason_moscow"].pk: 0.5,
        catalogue["draft"].pk: 0.99,  # matched, but not public: filtered out
    }
    monkeypatch.setattr(vacancies.search, "_match_scores", lambda profile_id: scores)
    result = search_vacancies({"sort": "match"}, profile_id=1)
    names = {vacancy.pk: name for name, vacancy in catalogue.items()}
    assert [names[v.pk] for v in result.vacancies] == ["cook_kazan", "mason_moscow"]
    assert result.count == 2


def test_sort_by_match_without_the_matching_app_fails_loudly(catalogue, monkeypatch):
    monkeypatch.setattr(vacancies.search, "_match_scores", None)
    with pytest.raises(ImproperlyConfigured, match="matching app, which is not installed"):
        search_vacancies({"sort": "match"}, profile_id=1)
