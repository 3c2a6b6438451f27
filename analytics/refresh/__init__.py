"""Rebuild the summary tables with set-based SQL (`INSERT ... SELECT`), in one transaction.

The same statements run on PostgreSQL and SQLite; the few dialect differences (month of
a timestamp, days between two timestamps, temporary tables) are in `dialect.py`.
The definitions, which docs/analytics.md states in words:

- **demand** on day D: open positions (total − filled) of vacancies whose status is
  *published*, published before the end of D, and not past their expiry date on D (no
  expiry date: open);
- **supply** on day D: workers whose profile is active (not erased, not merged),
  verified, visible to employers, verified before the end of D, available by D (no date:
  available), not placed (no application placed or arrived before the end of D), with
  at least one occupation and at least one desired region or "anywhere in Russia";
- a worker **fits** a cell (region R, ISCO group G) when one of their occupations lies in
  G (its code starts with G's code) and R is one of their desired regions or they are
  ready to work anywhere; for "all of Russia" every supply worker fits. Supply counts
  distinct workers at every level;
- **placements** in a month: applications placed in that month (`placed_at`) that are
  still placed or arrived (a withdrawn placement does not count).

A full refresh rebuilds every month of the flow tables and the current month's
snapshot. An incremental refresh rebuilds the flows only from the earliest month that a
row changed since the last refresh touched, and skips the snapshot when no source row
changed on the same day; the nightly full refresh corrects what the incremental way
cannot see (deleted rows, a republished vacancy's old month).

The package: `run.refresh()` decides what to rebuild and records the run; `snapshot.py`
builds the balance and supply shares as of a day; `flows.py` the monthly event tables;
`dialect.py` and `months.py` hold the SQL and calendar helpers they share.
"""

from analytics.refresh.months import month_start, next_month, previous_month
from analytics.refresh.run import RefreshResult, refresh

__all__ = ["RefreshResult", "month_start", "next_month", "previous_month", "refresh"]
