"""Supply shares by citizenship and agency, and quota use by region."""

from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext as _

from analytics.models import SupplyShare
from analytics.reports.common import Filters, regions
from exchange.classifications import country_name
from exchange.models import Agency
from selection.models import Quota


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
