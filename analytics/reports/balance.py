"""Balance tables: demand against supply by region or occupation group, and the rankings."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from analytics.models import BalanceCell
from analytics.refresh import previous_month
from analytics.reports.common import Filters, occupations, regions, shortage_index


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
