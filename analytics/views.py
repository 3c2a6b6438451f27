"""Pages of the analytics: the administrators' dashboard with its CSV downloads, the
public balance page, and the open data files."""

import csv
import io

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from analytics import charts, opendata, reports
from analytics.forms import DashboardFilterForm
from exchange.access import role_required
from exchange.choices import Role
from exchange.models import Occupation


def _filters(request: HttpRequest):
    month = reports.snapshot_month()
    form = DashboardFilterForm(
        request.GET or None, citizenships=reports.citizenships_present(month)
    )
    if form.is_bound:
        form.is_valid()  # errors are shown beside the fields; valid fields still apply
    return form, form.filters(), month


def _breadcrumbs(filters: reports.Filters, query: dict) -> list[tuple[str, str]]:
    """(label, query string) from all occupations down to the current group."""
    crumbs = []
    base = {key: value for key, value in query.items() if key != "occupation"}
    crumbs.append((None, urlencode(base)))
    if filters.occupation:
        code = filters.occupation.code
        groups = Occupation.objects.filter(code__in=[code[:n] for n in range(1, len(code) + 1)])
        for group in groups.order_by("level"):
            crumbs.append((group, urlencode({**base, "occupation": group.code})))
    return crumbs


@role_required(Role.ADMINISTRATOR)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, filters, month = _filters(request)
    snapshot = reports.snapshot_month(filters.month_to) or month
    query = {key: value for key, value in request.GET.items() if value and key != "chart"}

    def drill(params: dict) -> str:
        return urlencode({**query, **params})

    built = {key: build(filters, snapshot) for key, build in charts.CHARTS.items()}
    occupation_rows = reports.occupation_rows(snapshot, filters)
    for row in occupation_rows:
        row.link = drill(row.drill) if filters.level < 4 else ""
    region_rows = reports.region_rows(snapshot, filters)
    for row in region_rows:
        row.link = drill(row.drill)
    return render(
        request,
        "analytics/dashboard.html",
        {
            "form": form,
            "filters": filters,
            "snapshot": snapshot,
            "refresh": reports.latest_refresh(),
            "headline": reports.headline(snapshot, filters),
            "charts": built,
            "occupation_rows": occupation_rows,
            # Regions with open positions first; the quiet ones folded away under them.
            "region_rows": [row for row in region_rows if row.demand],
            "quiet_regions": [row for row in region_rows if not row.demand],
            "breadcrumbs": _breadcrumbs(filters, query),
            "query": urlencode(query),
            "all_regions_query": urlencode({k: v for k, v in query.items() if k != "region"}),
        },
    )


def csv_response(filename: str, headers: list[str], rows) -> HttpResponse:
    """CSV that a spreadsheet opens as it is: UTF-8 with a byte order mark (Excel needs it
    to read Cyrillic), comma-separated, CRLF line ends, a header row."""
    out = io.StringIO()
    out.write(opendata.CSV_BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(Role.ADMINISTRATOR)
@require_GET
def chart_csv(request: HttpRequest, key: str) -> HttpResponse:
    build = charts.CHARTS.get(key)
    if build is None:
        raise Http404
    _form, filters, month = _filters(request)
    chart = build(filters, reports.snapshot_month(filters.month_to) or month)
    return csv_response(f"{key}.csv", chart.headers, chart.rows)


@role_required(Role.ADMINISTRATOR)
@require_GET
def balance_csv(request: HttpRequest, table: str) -> HttpResponse:
    """The dashboard's two balance tables (occupation groups, regions) as CSV."""
    _form, filters, month = _filters(request)
    snapshot = reports.snapshot_month(filters.month_to) or month
    if table == "occupations":
        rows = reports.occupation_rows(snapshot, filters)
    elif table == "regions":
        rows = reports.region_rows(snapshot, filters)
    else:
        raise Http404
    headers = [
        "code",
        "name",
        "open_positions",
        "open_vacancies",
        "available_workers",
        "shortage_index",
        "change_since_last_month",
        "placements",
    ]
    return csv_response(
        f"balance-{table}.csv",
        headers,
        [
            [
                row.key,
                row.label.removeprefix(f"{row.key} "),
                row.demand,
                row.vacancies,
                row.supply,
                row.index_text(),
                row.trend_text(),
                row.placements,
            ]
            for row in rows
        ],
    )


# --- Public ------------------------------------------------------------------------------


@require_GET
def public_balance(request: HttpRequest) -> HttpResponse:
    """The headline balance for everyone: only aggregates, people counts under the
    small-cell threshold withheld, as in the open data."""
    month = reports.snapshot_month()
    filters = reports.default_filters()
    headline = reports.headline(month, filters)
    groups = reports.occupation_rows(month, filters)
    regions = [row for row in reports.region_rows(month, filters) if row.demand][:15]
    for row in [headline, *groups, *regions]:
        row.public_supply = opendata.suppress(row.supply)
        row.public_index = row.index_text() if row.public_supply is not None else None
    return render(
        request,
        "analytics/public.html",
        {
            "month": month,
            "refresh": reports.latest_refresh(),
            "headline": headline,
            "groups": groups,
            "regions": regions,
            "datasets": opendata.DATASETS,
            "small_cell": reports.SMALL_CELL,
        },
    )


@require_GET
def open_data_file(request: HttpRequest, name: str, fmt: str) -> FileResponse:
    """A dataset at its stable URL: the file of the last daily run (written now if it
    has never been written, e.g. on a new installation)."""
    if name not in opendata.DATASETS or fmt not in opendata.FORMATS:
        raise Http404
    path = opendata.file_path(name, fmt)
    if not path.exists():
        opendata.write_file(name, fmt)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}.{fmt}"'
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may fetch it
    return response
