"""Monthly series from the flow tables: registrations, vacancies, applications, placements."""

import datetime
from collections import defaultdict

from django.db.models import Sum

from analytics.models import ApplicationMonth, PlacementMonth, RegistrationMonth, VacancyMonth
from analytics.reports.common import Filters
from selection.models import Stage


def _by_month(queryset, filters: Filters, *, citizenship=True):
    """Flow rows of the filters' period, region, occupation and citizenship. Without a
    region, all occupations or one major group come from the stored rollups (region
    NULL); anything finer sums the region × unit group detail rows."""
    queryset = queryset.filter(month__gte=filters.month_from, month__lte=filters.month_to)
    occupation = filters.occupation
    if filters.region is None and (occupation is None or occupation.level == 1):
        queryset = queryset.filter(region__isnull=True)
        if occupation:
            queryset = queryset.filter(occupation=occupation)
        else:
            queryset = queryset.filter(occupation__isnull=True)
    else:
        queryset = queryset.filter(region__isnull=False)
        if filters.region:
            queryset = queryset.filter(region=filters.region)
        if occupation and occupation.level == 4:
            queryset = queryset.filter(occupation=occupation)
        elif occupation:
            queryset = queryset.filter(occupation__code__startswith=occupation.code)
    if citizenship and filters.citizenship:
        queryset = queryset.filter(citizenship=filters.citizenship)
    return queryset


def registrations(filters: Filters) -> dict[datetime.date, tuple[int, int]]:
    rows = RegistrationMonth.objects.filter(
        month__gte=filters.month_from, month__lte=filters.month_to
    )
    if filters.citizenship:
        rows = rows.filter(citizenship=filters.citizenship)
    rows = rows.values("month").annotate(r=Sum("registrations"), v=Sum("verified"))
    return {row["month"]: (row["r"], row["v"]) for row in rows}


def vacancies_published(filters: Filters) -> dict[datetime.date, tuple[int, int]]:
    rows = (
        _by_month(VacancyMonth.objects, filters, citizenship=False)
        .values("month")
        .annotate(v=Sum("vacancies"), p=Sum("positions"))
    )
    return {row["month"]: (row["v"], row["p"]) for row in rows}


def applications_by_stage(filters: Filters) -> dict[str, dict[datetime.date, int]]:
    rows = (
        _by_month(ApplicationMonth.objects, filters)
        .values("month", "stage")
        .annotate(n=Sum("applications"))
    )
    result: dict[str, dict[datetime.date, int]] = defaultdict(dict)
    for row in rows:
        result[row["stage"]][row["month"]] = row["n"]
    return result


def placements(filters: Filters) -> dict[datetime.date, tuple[int, float | None]]:
    """(placements, mean days from application to placement) by month."""
    if "placements" in filters.memo:  # two charts show it
        return filters.memo["placements"]
    rows = (
        _by_month(PlacementMonth.objects, filters)
        .values("month")
        .annotate(n=Sum("placements"), days=Sum("days_total"))
    )
    filters.memo["placements"] = {
        row["month"]: (row["n"], row["days"] / row["n"] if row["n"] else None) for row in rows
    }
    return filters.memo["placements"]


STAGE_ORDER = [stage for stage, _label in Stage.choices]
