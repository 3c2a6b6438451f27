"""What every report shares: the dashboard's filters, reference lookups, the latest snapshot."""

import datetime
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Max
from django.utils import timezone

from analytics.models import BalanceCell, RefreshRun
from analytics.refresh import month_start, next_month, previous_month
from exchange.models import Occupation, Region

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
