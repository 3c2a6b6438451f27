# The SQL below interpolates only table names, column names and ISCO levels defined in
# this package; every value arrives as a query parameter.
"""What the refresh's statements share: table names, dialect helpers, temp tables, the lock."""

import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from analytics.refresh.months import exchange_zone
from selection.models import Stage

PLACED_STAGES = (Stage.PLACED, Stage.ARRIVED)
LEVELS = (0, 1, 2, 3, 4)  # 0: all occupations; 1-4: ISCO major ... unit group

# Tables written by a refresh; names kept here so tests and the benchmark use the same.
T_BALANCE = "analytics_balancecell"
T_SHARE = "analytics_supplyshare"
T_VACANCY = "analytics_vacancymonth"
T_APPLICATION = "analytics_applicationmonth"
T_PLACEMENT = "analytics_placementmonth"
T_REGISTRATION = "analytics_registrationmonth"

TEMP_TABLES = (
    "ana_worker",
    "ana_worker_region",
    "ana_worker_occ",
    "ana_fit",
    "ana_fit3",
    "ana_fit2",
    "ana_fit1",
    "ana_occ3",
    "ana_occ2",
    "ana_occ1",
    "ana_parts",
    "ana_app",
)


def postgres() -> bool:
    return connection.vendor == "postgresql"


def month_sql(column: str) -> str:
    """SQL for the first day of the month (in the exchange's time zone) of a timestamp."""
    if postgres():
        zone = settings.TIME_ZONE.replace("'", "")
        return f"(date_trunc('month', {column} AT TIME ZONE '{zone}'))::date"
    # SQLite keeps UTC text; shift by the zone's current offset (Moscow has had one
    # fixed offset since 2014), then truncate.
    offset = timezone.now().astimezone(exchange_zone()).utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    return f"date({column}, '{minutes:+d} minutes', 'start of month')"


def days_sql(later: str, earlier: str) -> str:
    if postgres():
        return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"
    return f"(julianday({later}) - julianday({earlier}))"


def group_sql(column: str, level: int) -> str:
    """The ISCO group code at `level` of a unit group code column (NULL for level 0)."""
    return "NULL" if level == 0 else f"substr({column}, 1, {level})"


def group_by(*columns: str) -> str:
    """GROUP BY over the columns that are not the constant NULL (level 0 has no group)."""
    kept = [column for column in columns if column != "NULL"]
    return f"GROUP BY {', '.join(kept)}" if kept else ""


def drop_temp_tables(cursor) -> None:
    for name in TEMP_TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def create_temp(cursor, name: str, select_sql: str, params=()) -> None:
    cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {select_sql}", params)
    if postgres():
        cursor.execute(f"ANALYZE {name}")


def lock(cursor) -> bool:
    """One refresh at a time: a second one (beat and a command together) skips."""
    if not postgres():
        return True  # SQLite serialises writers anyway
    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [0x616E61])  # "ana"
    if not cursor.fetchone()[0]:
        return False
    # The distinct counts sort millions of rows; let them sort in memory, for this
    # transaction only.
    cursor.execute("SET LOCAL work_mem = %s", [settings.ANALYTICS_REFRESH_WORK_MEM])
    return True
