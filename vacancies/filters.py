"""The vacancy search filters: one definition for the web page and the public API."""

import datetime
import re

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.core.validators import RegexValidator
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.choices import CEFRLevel
from exchange.classifications import language_choices
from exchange.models import Region
from vacancies.choices import EmploymentType, Schedule, SortOrder

POSTED_WITHIN = [
    ("1", _("Last 24 hours")),
    ("3", _("Last 3 days")),
    ("7", _("Last week")),
    ("30", _("Last month")),
]
MAX_QUERY_WORDS = 12


def text_query_words(text: str) -> list[str]:
    """The words of a free-text query, lower-cased, capped (a query is not a document)."""
    return re.findall(r"\w+", (text or "").lower())[:MAX_QUERY_WORDS]


def search_query(text: str) -> SearchQuery:
    """PostgreSQL tsquery for what a person typed: quotes, OR and -word work as on the web."""
    return SearchQuery(text, config="russian", search_type="websearch")


class VacancyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Words"),
        method="filter_text",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    occupation = django_filters.CharFilter(
        label=_("Occupation group (ISCO-08 code)"),
        method="filter_occupation",
        max_length=4,
        validators=[RegexValidator(r"^\d{1,4}$", _("An ISCO-08 code has one to four digits."))],
    )
    region = django_filters.ModelMultipleChoiceFilter(
        label=_("Region"), queryset=Region.objects.all(), field_name="region", distinct=False
    )
    salary_from = django_filters.NumberFilter(
        label=_("Pay at least, per month"), method="filter_salary", min_value=0
    )
    employment_type = django_filters.MultipleChoiceFilter(
        label=_("Employment type"),
        choices=EmploymentType.choices,
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    schedule = django_filters.MultipleChoiceFilter(
        label=_("Schedule"),
        choices=Schedule.choices,
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
    )
    housing = django_filters.BooleanFilter(
        label=_("Housing provided"), method="filter_housing", widget=forms.CheckboxInput
    )
    foreign = django_filters.BooleanFilter(
        label=_("Open to foreign workers"),
        method="filter_foreign",
        widget=forms.CheckboxInput,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language I speak"), choices=language_choices, method="filter_language_noop"
    )
    level = django_filters.ChoiceFilter(
        label=_("My level in it"), choices=CEFRLevel.choices, method="filter_language_noop"
    )
    posted_within = django_filters.ChoiceFilter(
        label=_("Posted"), choices=POSTED_WITHIN, method="filter_posted_within"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=SortOrder.choices, method="filter_sort_noop", empty_label=None
    )

    class Meta:
        fields: list[str] = []

    def filter_text(self, queryset, name, value):
        if not value.strip():
            return queryset
        if connection.vendor == "postgresql":
            return queryset.filter(search_vector=search_query(value))
        for word in text_query_words(value):
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_occupation(self, queryset, name, value):
        return queryset.in_occupation_group(value)

    def filter_salary(self, queryset, name, value):
        return queryset.filter(salary_top__gte=value)

    def filter_housing(self, queryset, name, value):
        if value:
            return queryset.exclude(housing="")
        return queryset

    def filter_foreign(self, queryset, name, value):
        # An unticked box means "any", not "closed to foreign workers".
        return queryset.filter(open_to_foreign_workers=True) if value else queryset

    def filter_posted_within(self, queryset, name, value):
        since = timezone.now() - datetime.timedelta(days=int(value))
        return queryset.filter(published_at__gte=since)

    def filter_language_noop(self, queryset, name, value: str):
        return queryset  # applied together with `level` in filter_queryset

    def filter_sort_noop(self, queryset, name, value: str):
        return queryset  # ordering and pagination belong to search.py

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        language, level = (
            self.form.cleaned_data.get("language"),
            self.form.cleaned_data.get("level"),
        )
        if language and level:
            # Keep vacancies that need this language at most at the person's level, or not at all.
            # CEFR codes sort in level order as strings (see VacancyLanguage.min_level).
            queryset = queryset.exclude(
                languages__language=language, languages__min_level__gt=level
            )
        return queryset
