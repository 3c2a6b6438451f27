"""Fixtures of the vacancies tests (their builders are in tests/factories.py)."""

import pytest

from exchange.models import Skill


@pytest.fixture
def bricklaying(db) -> Skill:
    skill, _ = Skill.objects.get_or_create(
        code="test-brick-laying",
        defaults={"title_en": "Brick laying", "title_ru": "Кирпичная кладка"},
    )
    return skill
