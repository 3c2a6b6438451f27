"""The vacancies' side: which vacancies are open, the reads behind their arrays, and the arrays."""

import numpy as np
from django.db.models import Case, F, QuerySet, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from exchange.choices import CEFR_RANK
from matching.encoding.codebook import LANG_INDEX, _choice_number, _Codebook
from matching.encoding.fetch import fetch_columns
from matching.encoding.vocabulary import Vocabulary
from matching.engine import LANGS, Vacancies
from matching.selection_facts import selection_facts
from vacancies.models import Vacancy, VacancyLanguage


def open_vacancies() -> QuerySet:
    """Vacancies matching may propose: published, unexpired, with open positions."""
    return Vacancy.objects.visible_to_public().filter(positions_filled__lt=F("positions_total"))


def encode_vacancies(vacancies: QuerySet, vocabulary: Vocabulary) -> tuple[Vacancies, np.ndarray]:
    """The vacancies' arrays and their ids (sorted), alone."""
    results = [fetch_columns(q, **c) for q, c in _vacancy_reads(vacancies)]
    return _encode_vacancies(results, _Codebook(vocabulary))


def _vacancy_reads(vacancies: QuerySet) -> list[tuple[QuerySet, dict]]:
    """The reads behind the vacancies' arrays: the vacancies, their skills, languages."""
    # The quota places left, as selection counts them (selection/facts.py).
    quota_left = GreaterThan(Coalesce(selection_facts().quota_left(), 0), 0)
    return [
        (
            vacancies.order_by("pk"),
            {
                "pk": ("int", F("pk")),
                "code": ("int", F("occupation_id")),
                "region": ("int", F("region_id")),
                "salary": ("int", F("salary_top")),
                "start": ("date", F("start_date")),
                "experience": ("int", F("experience_years")),
                "foreign_ok": ("bool", F("open_to_foreign_workers")),
                "quota_left": (
                    "bool",
                    Case(When(quota_bound=False, then=True), default=quota_left),
                ),
            },
        ),
        (
            _of(Vacancy.skills.through.objects, "vacancy_id", vacancies),
            {"owner": ("int", F("vacancy_id")), "skill": ("int", F("skill_id"))},
        ),
        (
            _of(VacancyLanguage.objects, "vacancy_id", vacancies).filter(language__in=LANGS),
            {
                "owner": ("int", F("vacancy_id")),
                "lang": ("int", _choice_number("language", LANG_INDEX)),
                "level": ("int", _choice_number("min_level", CEFR_RANK)),
            },
        ),
    ]


def _encode_vacancies(results: list, book: _Codebook):
    skill_bit, region_bit = book.skill_bit, book.region_bit
    vacancy_columns, skills, languages = results
    pk, code, region, salary, start, experience, foreign_ok, has_quota = vacancy_columns
    m = len(pk)
    v = Vacancies(
        occ=code.astype(np.int32),
        skills=np.zeros(m, np.uint64),
        lang_req=np.zeros((m, len(LANGS)), np.uint8),
        region=region_bit[region].astype(np.int16),
        salary=salary.astype(np.float32),
        start=start.astype(np.int32),  # 0: no start date
        exp_req=experience.astype(np.float32),
        ok=np.ones(m, np.bool_),
        foreign_ok=foreign_ok,
        quota_left=has_quota,
    )
    if m == 0:
        return v, pk
    owner, skill = skills
    j = np.searchsorted(pk, owner)
    np.bitwise_or.at(v.skills, j, skill_bit.bits(v.occ[j].astype(np.int64), skill))
    owner, lang, level = languages
    v.lang_req[np.searchsorted(pk, owner), lang] = level
    return v, pk


def _of(manager, field: str, queryset: QuerySet):
    """Rows of `manager` belonging to `queryset`, as one query with a subquery."""
    return manager.filter(**{f"{field}__in": queryset.order_by().values("pk")})
