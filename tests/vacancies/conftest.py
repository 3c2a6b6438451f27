"""Vacancy helpers for the vacancies tests."""

import datetime

import pytest
from django.utils import timezone

from exchange.models import Skill
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy
from vacancies.services import refresh_search_text


def make_vacancy(
    employer, *, status=VacancyStatus.DRAFT, skills=(), languages=(), **fields
) -> Vacancy:
    values = {
        "occupation_id": "7112",
        "title": "Каменщик",
        "description": "Кладка кирпичных стен на жилом объекте.",
        "region_id": "77",
        "city": "Москва",
        "positions_total": 5,
        "salary_min": 80000,
        "salary_max": 120000,
        "contact_name": "Ирина",
    }
    values.update(fields)
    if status == VacancyStatus.PUBLISHED:
        values.setdefault("published_at", timezone.now())
        values.setdefault("expires_on", timezone.localdate() + datetime.timedelta(days=30))
    vacancy = Vacancy.objects.create(employer=employer, status=status, **values)
    if skills:
        vacancy.skills.set(skills)
    for language, level in languages:
        vacancy.languages.create(language=language, min_level=level)
    refresh_search_text(vacancy)
    vacancy.refresh_from_db()
    return vacancy


@pytest.fixture
def bricklaying(db) -> Skill:
    skill, _ = Skill.objects.get_or_create(
        code="test-brick-laying",
        defaults={"title_en": "Brick laying", "title_ru": "Кирпичная кладка"},
    )
    return skill
