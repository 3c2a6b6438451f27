"""The dashboard's charts: each one is a title, a table of numbers, and an SVG drawn from
that same table, so the picture, the table under it and its CSV never disagree."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from analytics import reports, svg
from analytics.reports import Filters
from selection.models import Stage


@dataclass
class Chart:
    key: str
    title: str
    note: str  # which filters apply
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    svg: str = ""


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def _short_month(month: datetime.date) -> str:
    return month.strftime("%m.%y")


def _note(*applies: str) -> str:
    return _("Filters that apply: %(list)s.") % {"list": ", ".join(applies)}


def registrations_chart(filters: Filters, month) -> Chart:
    data = reports.registrations(filters)
    chart = Chart(
        "registrations",
        _("Workers registered and verified per month"),
        _note(_("period"), _("citizenship")),
        [_("Month"), _("Registered"), _("Verified")],
    )
    for m in filters.months:
        registered, verified = data.get(m, (0, 0))
        chart.rows.append([m.strftime("%Y-%m"), registered, verified])
    chart.svg = svg.column_chart(
        [_short_month(m) for m in filters.months],
        [
            svg.Series(_("Registered"), [r[1] for r in chart.rows]),
            svg.Series(_("Verified"), [r[2] for r in chart.rows]),
        ],
        title=chart.title,
        desc=_("Columns per month: workers registered and workers verified."),
        stacked=False,
    )
    return chart


def vacancies_chart(filters: Filters, month) -> Chart:
    data = reports.vacancies_published(filters)
    chart = Chart(
        "vacancies",
        _("Vacancies published per month"),
        _note(_("period"), _("region"), _("occupation")),
        [_("Month"), _("Vacancies"), _("Positions")],
    )
    for m in filters.months:
        count, positions = data.get(m, (0, 0))
        chart.rows.append([m.strftime("%Y-%m"), count, positions])
    chart.svg = svg.column_chart(
        [_short_month(m) for m in filters.months],
        [
            svg.Series(_("Vacancies"), [r[1] for r in chart.rows]),
            svg.Series(_("Positions"), [r[2] for r in chart.rows]),
        ],
        title=chart.title,
        desc=_("Columns per month: vacancies first published, and the positions they offer."),
        stacked=False,
    )
    return chart


def applications_chart(filters: Filters, month) -> Chart:
    data = reports.applications_by_stage(filters)
    stages = [stage for stage in reports.STAGE_ORDER if stage in data]
    labels = dict(Stage.choices)
    chart = Chart(
        "applications",
        _("Applications per month, by the stage they are in now"),
        _note(_("period"), _("region"), _("occupation"), _("citizenship")),
        [_("Month"), *[str(labels[stage]) for stage in stages], _("Total")],
    )
    for m in filters.months:
        values = [data[stage].get(m, 0) for stage in stages]
        chart.rows.append([m.strftime("%Y-%m"), *values, sum(values)])
    chart.svg = svg.column_chart(
        [_short_month(m) for m in filters.months],
        [
            svg.Series(str(labels[stage]), [row[1 + i] for row in chart.rows])
            for i, stage in enumerate(stages)
        ],
        title=chart.title,
        desc=_("Stacked columns per month of application: one colour per stage."),
    )
    return chart


def placements_chart(filters: Filters, month) -> Chart:
    data = reports.placements(filters)
    chart = Chart(
        "placements",
        _("Placements per month"),
        _note(_("period"), _("region"), _("occupation"), _("citizenship")),
        [_("Month"), _("Placements"), _("Mean days from application to placement")],
    )
    for m in filters.months:
        count, days = data.get(m, (0, None))
        chart.rows.append([m.strftime("%Y-%m"), count, round(days, 1) if days is not None else ""])
    chart.svg = svg.column_chart(
        [_short_month(m) for m in filters.months],
        [svg.Series(_("Placements"), [r[1] for r in chart.rows], svg.PALETTE[2])],
        title=chart.title,
        desc=_("Columns per month: workers placed."),
    )
    return chart


def time_to_placement_chart(filters: Filters, month) -> Chart:
    data = reports.placements(filters)
    chart = Chart(
        "time_to_placement",
        _("Time to placement per month"),
        _note(_("period"), _("region"), _("occupation"), _("citizenship")),
        [_("Month"), _("Mean days from application to placement"), _("Placements")],
    )
    for m in filters.months:
        count, days = data.get(m, (0, None))
        chart.rows.append([m.strftime("%Y-%m"), round(days, 1) if days is not None else "", count])
    chart.svg = svg.column_chart(
        [_short_month(m) for m in filters.months],
        [svg.Series(_("Days"), [r[1] or 0 for r in chart.rows], svg.PALETTE[5])],
        title=chart.title,
        desc=_("Columns per month: mean days from application to placement."),
    )
    return chart


def _balance_headers() -> list[str]:
    return [
        _("Code"),
        _("Occupation group"),
        _("Open positions"),
        _("Available workers"),
        _("Shortage index"),
        _("Change since last month"),
    ]


def _balance_chart(key, title, desc, rows) -> Chart:
    chart = Chart(key, title, _note(_("region"), _("occupation")), _balance_headers())
    for row in rows:
        chart.rows.append(
            [
                row.key,
                row.label.removeprefix(f"{row.key} "),
                row.demand,
                row.supply,
                row.index_text(),
                row.trend_text(),
            ]
        )
    finite = [row.index for row in rows if row.index is not None]
    cap = max(finite, default=1) or 1
    chart.svg = svg.bar_chart(
        [row.label for row in rows],
        [
            svg.Series(
                _("Shortage index"), [cap if row.no_supply else row.index or 0 for row in rows]
            )
        ],
        title=title,
        desc=desc,
        shown=[row.index_text() for row in rows],
    )
    return chart


def shortages_chart(filters: Filters, month) -> Chart:
    rows = reports.rank_shortages(reports.unit_rows(month, filters))
    return _balance_chart(
        "shortages",
        _("Top shortages"),
        _("Occupations with the most open positions per available worker."),
        rows,
    )


def surpluses_chart(filters: Filters, month) -> Chart:
    rows = reports.rank_surpluses(reports.unit_rows(month, filters))
    return _balance_chart(
        "surpluses",
        _("Top surpluses"),
        _("Occupations with the fewest open positions per available worker."),
        rows,
    )


def citizenship_chart(filters: Filters, month) -> Chart:
    data = reports.supply_by_citizenship(month, filters)
    chart = Chart(
        "citizenship",
        _("Available workers by citizenship"),
        _note(_("region"), _("citizenship")),
        [_("Code"), _("Citizenship"), _("Available workers")],
        [[code, name, count] for code, name, count in data],
    )
    chart.svg = svg.bar_chart(
        [name for _code, name, _count in data],
        [svg.Series(_("Available workers"), [count for _c, _n, count in data])],
        title=chart.title,
        desc=_("One bar per citizenship: workers available now."),
    )
    return chart


def agency_chart(filters: Filters, month) -> Chart:
    data = reports.supply_by_agency(month, filters)[:15]
    chart = Chart(
        "agency",
        _("Available workers by registering agency"),
        _note(_("region"), _("citizenship")),
        [_("Agency"), _("Available workers")],
        [[name, count] for name, count in data],
    )
    chart.svg = svg.bar_chart(
        [name for name, _count in data],
        [svg.Series(_("Available workers"), [count for _n, count in data])],
        title=chart.title,
        desc=_("One bar per agency (the 15 largest): workers available now."),
    )
    return chart


def quota_chart(filters: Filters, month) -> Chart:
    year = (month or timezone.localdate()).year
    data = reports.quota_by_region(year, filters)
    chart = Chart(
        "quota",
        _("Quota use per region in %(year)s") % {"year": year},
        _note(_("region"), _("occupation")),
        [_("Region"), _("Allotted"), _("Used by placements"), _("Reserved by offers"), _("Left")],
        [[row.region, row.allotted, row.used, row.reserved, row.left] for row in data],
    )
    chart.svg = svg.bar_chart(
        [row.region for row in data],
        [
            svg.Series(_("Used by placements"), [row.used for row in data]),
            svg.Series(_("Reserved by offers"), [row.reserved for row in data]),
            svg.Series(_("Left"), [max(row.left, 0) for row in data], svg.GRID),
        ],
        title=chart.title,
        desc=_("One bar per region: the quota used, reserved and left."),
        shown=[f"{row.used + row.reserved}/{row.allotted}" for row in data],
    )
    return chart


CHARTS: dict[str, Callable[[Filters, datetime.date | None], Chart]] = {
    "registrations": registrations_chart,
    "vacancies": vacancies_chart,
    "applications": applications_chart,
    "placements": placements_chart,
    "time_to_placement": time_to_placement_chart,
    "shortages": shortages_chart,
    "surpluses": surpluses_chart,
    "citizenship": citizenship_chart,
    "agency": agency_chart,
    "quota": quota_chart,
}
