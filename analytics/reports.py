"""Read the summary tables for the dashboard, the public page, the CSV files and the API.

Every function here reads only the summary tables (and the small Quota table), never
the vacancies, profiles or applications themselves: that is what keeps the pages fast.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.models import (
    ApplicationMonth,
    BalanceCell,
    PlacementMonth,
    RefreshRun,
    RegistrationMonth,
    SupplyShare,
    VacancyMonth,
)
from analytics.refresh import month_start, next_month, previous_month
from exchange.classifications import country_name
from exchange.models import Agency, Occupation, Region
from selection.models import Quota, Stage

# Cells counting fewer people than this are not published (see docs/open-data.md).
SMALL_CELL = 5


def shortage_index(demand: int, supply: int) -> float | None:
    """Open positions per available worker. No workers: None (shown as "no workers",
    ranked above every finite index when there is demand); no demand and no workers: None
    too, and such a cell is left out of the rankings."""
    if supply:
        return demand / supply
    return None


@lru_cache(maxsize=1)
def occupations() -> dict[str, Occupation]:
    """ISCO-08 by code. Reference data changes only by migration (and a restart), so it
    is read once per process; `.title` still follows the language of each request."""
    return {occupation.code: occupation for occupation in Occupation.objects.all()}


@lru_cache(maxsize=1)
def regions() -> dict[str, Region]:
    return {region.code: region for region in Region.objects.all()}


@dataclass
class Filters:
    """What the dashboard is narrowed to. Each chart says which filters apply to it."""

    month_from: datetime.date
    month_to: datetime.date
    region: Region | None = None
    occupation: Occupation | None = None
    citizenship: str = ""
    # Results shared by several charts of one request (e.g. the unit groups' balance).
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def months(self) -> list[datetime.date]:
        months, month = [], self.month_from
        while month <= self.month_to:
            months.append(month)
            month = next_month(month)
        return months

    @property
    def occupation_code(self) -> str:
        return self.occupation.code if self.occupation else ""

    @property
    def level(self) -> int:
        return self.occupation.level if self.occupation else 0


def default_filters() -> Filters:
    this_month = month_start(timezone.localdate())
    start = this_month
    for _i in range(11):
        start = previous_month(start)
    return Filters(month_from=start, month_to=this_month)


def latest_refresh() -> RefreshRun | None:
    return RefreshRun.objects.first()


def snapshot_month(upto: datetime.date | None = None) -> datetime.date | None:
    """The newest month with a balance snapshot (not after `upto`)."""
    cells = BalanceCell.objects.all()
    if upto:
        cells = cells.filter(month__lte=upto)
    return cells.aggregate(m=Max("month"))["m"]


# --- Balance -----------------------------------------------------------------------------


@dataclass
class BalanceRow:
    """One line of a balance table: a region or an occupation group, this month and last."""

    key: str
    label: str
    demand: int = 0
    vacancies: int = 0
    supply: int = 0
    placements: int = 0
    previous_demand: int | None = None
    previous_supply: int | None = None
    drill: dict = field(default_factory=dict)  # query parameters to drill into this row

    @property
    def index(self) -> float | None:
        return shortage_index(self.demand, self.supply)

    @property
    def previous_index(self) -> float | None:
        if self.previous_supply is None:
            return None
        return shortage_index(self.previous_demand or 0, self.previous_supply)

    @property
    def no_supply(self) -> bool:
        return self.demand > 0 and self.supply == 0

    @property
    def trend(self) -> float | None:
        """Change of the index since last month, or None when either side has none."""
        if self.index is None or self.previous_index is None:
            return None
        return self.index - self.previous_index

    def index_text(self) -> str:
        if self.index is not None:
            return f"{self.index:.2f}"
        return _("no workers") if self.no_supply else "—"

    def trend_text(self) -> str:
        if self.trend is None:
            return "—"
        return f"{self.trend:+.2f}"


def _cells(month, *, region, occupation_filter: Q, level: int | None):
    cells = BalanceCell.objects.filter(occupation_filter, month=month)
    if level is not None:
        cells = cells.filter(level=level)
    return cells.filter(region=region) if region else cells.filter(region__isnull=True)


def headline(month: datetime.date | None, filters: Filters) -> BalanceRow:
    """The one cell of the filters' region and occupation (all of Russia, all jobs)."""
    row = BalanceRow(key="", label="")
    if month is None:
        return row
    occupation = Q(occupation=filters.occupation) if filters.occupation else Q()
    for which, target in ((month, "current"), (previous_month(month), "previous")):
        cell = _cells(
            which, region=filters.region, occupation_filter=occupation, level=filters.level
        )
        cell = cell.first()
        if cell is None:
            continue
        if target == "current":
            row.demand, row.vacancies = cell.demand, cell.vacancies
            row.supply, row.placements = cell.supply, cell.placements
        else:
            row.previous_demand, row.previous_supply = cell.demand, cell.supply
    return row


CELL_FIELDS = ("region_id", "occupation_id", "demand", "vacancies", "supply", "placements")


def _rows(month, previous, cells_for, key: str, label_of, drill: str) -> list[BalanceRow]:
    """Balance rows keyed by `key` (a cell column), this month's figures beside last
    month's. Plain values, not model instances: a unit-group table has 436 rows."""
    rows: dict[str, BalanceRow] = {}
    for cell in cells_for(month).values(*CELL_FIELDS):
        code = cell[key]
        rows[code] = BalanceRow(
            key=code,
            label=label_of(code),
            demand=cell["demand"],
            vacancies=cell["vacancies"],
            supply=cell["supply"],
            placements=cell["placements"],
            drill={drill: code},
        )
    for cell in cells_for(previous).values("region_id", "occupation_id", "demand", "supply"):
        row = rows.get(cell[key])
        if row is not None:
            row.previous_demand, row.previous_supply = cell["demand"], cell["supply"]
    return list(rows.values())


def occupation_rows(month, filters: Filters, *, level: int | None = None) -> list[BalanceRow]:
    """The groups one level below the filters' occupation (major groups at the top), in
    the filters' region: the drill-down from major group to unit group."""
    if month is None:
        return []
    level = level or min(filters.level + 1, 4)
    memo_key = ("occupation_rows", month, level)
    if memo_key in filters.memo:
        return filters.memo[memo_key]
    occupation = Q(occupation__code__startswith=filters.occupation_code)
    titles = occupations()

    def cells_for(which):
        return _cells(which, region=filters.region, occupation_filter=occupation, level=level)

    rows = _rows(
        month,
        previous_month(month),
        cells_for,
        key="occupation_id",
        label_of=lambda code: f"{code} {titles[code].title}",
        drill="occupation",
    )
    filters.memo[memo_key] = sorted(rows, key=lambda row: row.key)
    return filters.memo[memo_key]


def region_rows(month, filters: Filters) -> list[BalanceRow]:
    """Every region for the filters' occupation: the table of regions."""
    if month is None:
        return []
    occupation = Q(occupation=filters.occupation) if filters.occupation else Q()
    names = regions()

    def cells_for(which):
        return BalanceCell.objects.filter(
            occupation, month=which, level=filters.level, region__isnull=False
        )

    rows = _rows(
        month,
        previous_month(month),
        cells_for,
        key="region_id",
        label_of=lambda code: names[code].name,
        drill="region",
    )
    return sorted(rows, key=lambda row: (-row.demand, row.label))


def rank_shortages(rows: list[BalanceRow], *, limit: int = 10) -> list[BalanceRow]:
    """Highest index first; groups with demand and no workers at all before every finite
    index (by demand); groups without demand are no shortage."""
    wanted = [row for row in rows if row.demand > 0]
    return sorted(
        wanted,
        key=lambda row: (row.no_supply, row.index or 0, row.demand),
        reverse=True,
    )[:limit]


def rank_surpluses(rows: list[BalanceRow], *, limit: int = 10) -> list[BalanceRow]:
    """Lowest index first among groups with workers; ties by more idle workers first."""
    offered = [row for row in rows if row.supply > 0]
    return sorted(offered, key=lambda row: (row.index, row.demand - row.supply))[:limit]


def unit_rows(month, filters: Filters) -> list[BalanceRow]:
    """Unit groups under the filters' occupation, for the shortage and surplus rankings."""
    return occupation_rows(month, filters, level=4)


# --- Monthly series ----------------------------------------------------------------------


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


# --- Supply shares and quotas ------------------------------------------------------------


def _shares(month, filters: Filters):
    shares = SupplyShare.objects.filter(month=month)
    shares = (
        shares.filter(region=filters.region)
        if filters.region
        else shares.filter(region__isnull=True)
    )
    if filters.citizenship:
        shares = shares.filter(citizenship=filters.citizenship)
    return shares


def supply_by_citizenship(month, filters: Filters) -> list[tuple[str, str, int]]:
    """(code, country name, workers), most first."""
    if month is None:
        return []
    rows = _shares(month, filters).values("citizenship").annotate(n=Sum("supply"))
    result = [
        (
            row["citizenship"],
            country_name(row["citizenship"]) if row["citizenship"] else _("unknown"),
            row["n"],
        )
        for row in rows
    ]
    return sorted(result, key=lambda item: (-item[2], item[1]))


def supply_by_agency(month, filters: Filters) -> list[tuple[str, int]]:
    """(agency name or "registered themselves", workers), most first."""
    if month is None:
        return []
    rows = _shares(month, filters).values("agency").annotate(n=Sum("supply"))
    names = dict(Agency.objects.values_list("pk", "name"))
    result = [
        (names.get(row["agency"], "?") if row["agency"] else _("Registered themselves"), row["n"])
        for row in rows
    ]
    return sorted(result, key=lambda item: (-item[1], item[0]))


@dataclass
class QuotaRow:
    region: str
    allotted: int
    reserved: int
    used: int

    @property
    def left(self) -> int:
        return self.allotted - self.reserved - self.used

    @property
    def share_used(self) -> float:
        return self.used / self.allotted if self.allotted else 0.0


def quota_by_region(year: int, filters: Filters) -> list[QuotaRow]:
    """Quota use per region in `year`. Quota is itself a small table (year × region ×
    group), so it is read directly; groups inside the filters' occupation count."""
    quotas = Quota.objects.filter(year=year)
    if filters.region:
        quotas = quotas.filter(region=filters.region)
    if filters.occupation:
        quotas = quotas.filter(occupation__code__startswith=filters.occupation.code)
    rows = quotas.values("region").annotate(a=Sum("allotted"), r=Sum("reserved"), u=Sum("used"))
    names = regions()
    result = [QuotaRow(names[row["region"]].name, row["a"], row["r"], row["u"]) for row in rows]
    return sorted(result, key=lambda row: (-row.allotted, row.region))


def citizenships_present(month) -> list[str]:
    if month is None:
        return []
    # The all-of-Russia rows hold every citizenship with supply: a few hundred rows.
    shares = SupplyShare.objects.filter(month=month, region__isnull=True).exclude(citizenship="")
    return sorted(set(shares.values_list("citizenship", flat=True)))


STAGE_ORDER = [stage for stage, _label in Stage.choices]
