"""Read the summary tables for the dashboard, the public page, the CSV files and the API.

Every function here reads only the summary tables (and the small Quota table), never
the vacancies, profiles or applications themselves: that is what keeps the pages fast.
`common.py` holds the filters and lookups, `balance.py` the balance tables and rankings,
`series.py` the monthly series, `supply.py` the supply shares and quotas.
"""

from analytics.reports.balance import (
    BalanceRow,
    headline,
    occupation_rows,
    rank_shortages,
    rank_surpluses,
    region_rows,
    unit_rows,
)
from analytics.reports.common import (
    SMALL_CELL,
    Filters,
    default_filters,
    latest_refresh,
    occupations,
    regions,
    shortage_index,
    snapshot_month,
)
from analytics.reports.series import (
    STAGE_ORDER,
    applications_by_stage,
    placements,
    registrations,
    vacancies_published,
)
from analytics.reports.supply import (
    QuotaRow,
    citizenships_present,
    quota_by_region,
    supply_by_agency,
    supply_by_citizenship,
)

__all__ = [
    "SMALL_CELL",
    "STAGE_ORDER",
    "BalanceRow",
    "Filters",
    "QuotaRow",
    "applications_by_stage",
    "citizenships_present",
    "default_filters",
    "headline",
    "latest_refresh",
    "occupation_rows",
    "occupations",
    "placements",
    "quota_by_region",
    "rank_shortages",
    "rank_surpluses",
    "region_rows",
    "regions",
    "registrations",
    "shortage_index",
    "snapshot_month",
    "supply_by_agency",
    "supply_by_citizenship",
    "unit_rows",
    "vacancies_published",
]
