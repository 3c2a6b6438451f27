# The SQL below interpolates only table names, column names and ISCO levels defined in
# this module; every value arrives as a query parameter.
# ruff: noqa: S608
"""Rebuild the summary tables with set-based SQL (`INSERT ... SELECT`), in one transaction.

The same statements run on PostgreSQL and SQLite; the few dialect differences (month of
a timestamp, days between two timestamps, temporary tables) are in small helpers below.
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
"""

import datetime
import time
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from analytics.models import RefreshRun
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


@dataclass
class RefreshResult:
    mode: str
    as_of: datetime.date
    seconds: float
    flows_from: datetime.date | None
    snapshot_rebuilt: bool
    skipped: bool = False  # another refresh held the lock


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def previous_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _start_of(day: datetime.date) -> datetime.datetime:
    """The first instant of `day` in the exchange's time zone, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=_zone())


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _month_sql(column: str) -> str:
    """SQL for the first day of the month (in the exchange's time zone) of a timestamp."""
    if _postgres():
        zone = settings.TIME_ZONE.replace("'", "")
        return f"(date_trunc('month', {column} AT TIME ZONE '{zone}'))::date"
    # SQLite keeps UTC text; shift by the zone's current offset (Moscow has had one
    # fixed offset since 2014), then truncate.
    offset = timezone.now().astimezone(_zone()).utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    return f"date({column}, '{minutes:+d} minutes', 'start of month')"


def _days_sql(later: str, earlier: str) -> str:
    if _postgres():
        return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"
    return f"(julianday({later}) - julianday({earlier}))"


def _group_sql(column: str, level: int) -> str:
    """The ISCO group code at `level` of a unit group code column (NULL for level 0)."""
    return "NULL" if level == 0 else f"substr({column}, 1, {level})"


def _group_by(*columns: str) -> str:
    """GROUP BY over the columns that are not the constant NULL (level 0 has no group)."""
    kept = [column for column in columns if column != "NULL"]
    return f"GROUP BY {', '.join(kept)}" if kept else ""


def _drop_temp_tables(cursor) -> None:
    for name in TEMP_TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


def _create_temp(cursor, name: str, select_sql: str, params=()) -> None:
    cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {select_sql}", params)
    if _postgres():
        cursor.execute(f"ANALYZE {name}")


def _lock(cursor) -> bool:
    """One refresh at a time: a second one (beat and a command together) skips."""
    if not _postgres():
        return True  # SQLite serialises writers anyway
    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [0x616E61])  # "ana"
    if not cursor.fetchone()[0]:
        return False
    # The distinct counts sort millions of rows; let them sort in memory, for this
    # transaction only.
    cursor.execute("SET LOCAL work_mem = %s", [settings.ANALYTICS_REFRESH_WORK_MEM])
    return True


# --- Snapshot: balance and supply shares as of a day -----------------------------------


def build_snapshot(cursor, as_of: datetime.date) -> None:
    """Replace the balance and supply-share rows of `as_of`'s month with the state on `as_of`."""
    month = month_start(as_of)
    end = _start_of(as_of + datetime.timedelta(days=1))
    month_begin, month_end = _start_of(month), _start_of(next_month(month))
    placed = tuple(str(s) for s in PLACED_STAGES)

    # Supply workers (see the module docstring), one row each.
    _create_temp(
        cursor,
        "ana_worker",
        """
        SELECT p.id AS id, p.anywhere_in_russia AS anywhere, p.citizenship AS citizenship,
               p.registered_by_id AS agency_id
        FROM migrants_migrantprofile p
        WHERE p.erased_at IS NULL AND p.merged_into_id IS NULL
          AND p.verification_status = 'verified' AND p.is_visible = %s
          AND (p.verified_at IS NULL OR p.verified_at < %s)
          AND (p.available_from IS NULL OR p.available_from <= %s)
          AND EXISTS (SELECT 1 FROM migrants_migrantoccupation o WHERE o.profile_id = p.id)
          AND (p.anywhere_in_russia = %s OR EXISTS (
                SELECT 1 FROM migrants_migrantprofile_desired_regions d
                WHERE d.migrantprofile_id = p.id))
          AND NOT EXISTS (
                SELECT 1 FROM matching_application a
                WHERE a.profile_id = p.id AND a.stage IN (%s, %s) AND a.placed_at < %s)
        """,
        [True, end, as_of, True, *placed, end],
    )
    # Explicit desired regions of the workers not ready to go anywhere.
    _create_temp(
        cursor,
        "ana_worker_region",
        """
        SELECT w.id AS profile_id, d.region_id AS region_id
        FROM ana_worker w JOIN migrants_migrantprofile_desired_regions d
          ON d.migrantprofile_id = w.id
        WHERE w.anywhere = %s
        """,
        [False],
    )
    _create_temp(
        cursor,
        "ana_worker_occ",
        """
        SELECT w.id AS profile_id, w.anywhere AS anywhere, o.occupation_id AS unit
        FROM ana_worker w JOIN migrants_migrantoccupation o ON o.profile_id = w.id
        """,
    )
    # Worker × desired region × unit group: the explicit fits.
    _create_temp(
        cursor,
        "ana_fit",
        """
        SELECT r.profile_id AS profile_id, r.region_id AS region_id, o.unit AS unit
        FROM ana_worker_region r JOIN ana_worker_occ o ON o.profile_id = r.profile_id
        """,
    )
    cursor.execute(
        """
        CREATE TEMPORARY TABLE ana_parts (
            region_id varchar(2) NULL, occupation_id varchar(4) NULL, level integer NOT NULL,
            demand integer NOT NULL DEFAULT 0, vacancies integer NOT NULL DEFAULT 0,
            supply integer NOT NULL DEFAULT 0, placements integer NOT NULL DEFAULT 0)
        """
    )

    # Distinct workers per group, level by level: each level's (worker, region, group)
    # set is deduplicated by hashing the finer level's set, so no count(DISTINCT) has to
    # sort millions of rows; then every count is a plain count(*).
    fits, occs = {4: "ana_fit"}, {4: "ana_worker_occ"}
    for level in (3, 2, 1):
        fits[level], occs[level] = f"ana_fit{level}", f"ana_occ{level}"
        _create_temp(
            cursor,
            fits[level],
            f"SELECT DISTINCT profile_id, region_id, substr(unit, 1, {level}) AS unit "
            f"FROM {fits[level + 1]}",
        )
        _create_temp(
            cursor,
            occs[level],
            f"SELECT DISTINCT profile_id, anywhere, substr(unit, 1, {level}) AS unit "
            f"FROM {occs[level + 1]}",
        )
    # Level 0 (all occupations): every supply worker has an occupation, so the workers
    # themselves, and their (worker, region) pairs, are already distinct.
    fits[0], occs[0] = "ana_worker_region", "ana_worker"

    for level in LEVELS:
        group = "unit" if level else "NULL"
        # Explicit regions.
        cursor.execute(
            f"""
            INSERT INTO ana_parts (region_id, occupation_id, level, supply)
            SELECT region_id, {group}, {level}, count(*) FROM {fits[level]}
            {_group_by("region_id", group)}
            """
        )
        # Ready to go anywhere: fits every region.
        cursor.execute(
            f"""
            INSERT INTO ana_parts (region_id, occupation_id, level, supply)
            SELECT reg.code, a.grp, {level}, a.n
            FROM (SELECT {group} AS grp, count(*) AS n FROM {occs[level]}
                  WHERE anywhere = %s {_group_by(group)}) a
            CROSS JOIN exchange_region reg
            """,
            [True],
        )
        # All of Russia.
        cursor.execute(
            f"""
            INSERT INTO ana_parts (region_id, occupation_id, level, supply)
            SELECT NULL, {group}, {level}, count(*) FROM {occs[level]} {_group_by(group)}
            """
        )

        # Demand: open positions of open published vacancies, and those vacancies.
        vacancy_group = _group_sql("v.occupation_id", level)
        for region in ("v.region_id", "NULL"):
            cursor.execute(
                f"""
                INSERT INTO ana_parts (region_id, occupation_id, level, demand, vacancies)
                SELECT {region}, {vacancy_group}, {level},
                       coalesce(sum(v.positions_total - v.positions_filled), 0), count(*)
                FROM vacancies_vacancy v
                WHERE v.status = 'published' AND v.published_at < %s
                  AND (v.expires_on IS NULL OR v.expires_on >= %s)
                {_group_by(region, vacancy_group)}
                """,
                [end, as_of],
            )
            # Placements made in the month (up to the end of `as_of`).
            cursor.execute(
                f"""
                INSERT INTO ana_parts (region_id, occupation_id, level, placements)
                SELECT {region}, {vacancy_group}, {level}, count(*)
                FROM matching_application a JOIN vacancies_vacancy v ON v.id = a.vacancy_id
                WHERE a.stage IN (%s, %s) AND a.placed_at >= %s AND a.placed_at < %s
                  AND a.placed_at < %s
                {_group_by(region, vacancy_group)}
                """,
                [*placed, month_begin, month_end, end],
            )

    # "Level 0" for the explicit part counted each worker once per region; for all of
    # Russia, count(DISTINCT) over occupations did the same. Now fold the parts.
    cursor.execute(f"DELETE FROM {T_BALANCE} WHERE month = %s", [month])
    cursor.execute(
        f"""
        INSERT INTO {T_BALANCE}
            (month, as_of, region_id, occupation_id, level, demand, vacancies, supply, placements)
        SELECT %s, %s, region_id, occupation_id, level,
               sum(demand), sum(vacancies), sum(supply), sum(placements)
        FROM ana_parts GROUP BY region_id, occupation_id, level
        """,
        [month, as_of],
    )

    # Supply by citizenship and agency, per region and for all of Russia.
    cursor.execute(f"DELETE FROM {T_SHARE} WHERE month = %s", [month])
    cursor.execute(
        f"""
        INSERT INTO {T_SHARE} (month, as_of, region_id, citizenship, agency_id, supply)
        SELECT %s, %s, region_id, citizenship, agency_id, sum(n) FROM (
            SELECT r.region_id AS region_id, w.citizenship AS citizenship,
                   w.agency_id AS agency_id, count(*) AS n
            FROM ana_worker_region r JOIN ana_worker w ON w.id = r.profile_id
            GROUP BY r.region_id, w.citizenship, w.agency_id
            UNION ALL
            SELECT reg.code, a.citizenship, a.agency_id, a.n
            FROM (SELECT citizenship, agency_id, count(*) AS n FROM ana_worker
                  WHERE anywhere = %s GROUP BY citizenship, agency_id) a
            CROSS JOIN exchange_region reg
            UNION ALL
            SELECT NULL, citizenship, agency_id, count(*) FROM ana_worker
            GROUP BY citizenship, agency_id
        ) shares
        GROUP BY region_id, citizenship, agency_id
        """,
        [month, as_of, True],
    )
    _drop_temp_tables(cursor)


# --- Flows: events by month -------------------------------------------------------------


def build_flows(cursor, since: datetime.date | None) -> None:
    """Rebuild the monthly flow tables from the month `since` on (None: every month)."""
    start = _start_of(since) if since else None
    month_filter = "WHERE month >= %s" if since else ""
    month_params = [since] if since else []
    placed = tuple(str(s) for s in PLACED_STAGES)

    def when(column: str) -> tuple[str, list]:
        return (f" AND {column} >= %s", [start]) if start else ("", [])

    for table in (T_VACANCY, T_APPLICATION, T_PLACEMENT, T_REGISTRATION):
        cursor.execute(f"DELETE FROM {table} {month_filter}", month_params)

    cond, params = when("v.published_at")
    cursor.execute(
        f"""
        INSERT INTO {T_VACANCY} (month, region_id, occupation_id, vacancies, positions)
        SELECT {_month_sql("v.published_at")}, v.region_id, v.occupation_id,
               count(*), sum(v.positions_total)
        FROM vacancies_vacancy v
        WHERE v.published_at IS NOT NULL{cond}
        GROUP BY {_month_sql("v.published_at")}, v.region_id, v.occupation_id
        """,
        params,
    )

    # The applications of those months with their vacancy's region and unit group and the
    # worker's citizenship, joined once for both tables below.
    cond, params = when("a.created_at")
    placed_cond, placed_params = when("a.placed_at")
    recent = f" AND (1 = 1{cond} OR 1 = 1{placed_cond})" if since else ""
    cursor.execute("DROP TABLE IF EXISTS ana_app")
    _create_temp(
        cursor,
        "ana_app",
        f"""
        SELECT a.created_at AS created_at, a.placed_at AS placed_at, a.stage AS stage,
               v.region_id AS region_id, v.occupation_id AS occupation_id,
               p.citizenship AS citizenship
        FROM matching_application a
        JOIN vacancies_vacancy v ON v.id = a.vacancy_id
        JOIN migrants_migrantprofile p ON p.id = a.profile_id
        WHERE 1 = 1{recent}
        """,
        [*params, *placed_params],
    )
    cond, params = when("created_at")
    cursor.execute(
        f"""
        INSERT INTO {T_APPLICATION}
            (month, region_id, occupation_id, citizenship, stage, applications)
        SELECT {_month_sql("created_at")}, region_id, occupation_id, citizenship, stage, count(*)
        FROM ana_app
        WHERE 1 = 1{cond}
        GROUP BY {_month_sql("created_at")}, region_id, occupation_id, citizenship, stage
        """,
        params,
    )

    cond, params = when("placed_at")
    cursor.execute(
        f"""
        INSERT INTO {T_PLACEMENT}
            (month, region_id, occupation_id, citizenship, placements, days_total)
        SELECT {_month_sql("placed_at")}, region_id, occupation_id, citizenship,
               count(*), sum({_days_sql("placed_at", "created_at")})
        FROM ana_app
        WHERE placed_at IS NOT NULL AND stage IN (%s, %s){cond}
        GROUP BY {_month_sql("placed_at")}, region_id, occupation_id, citizenship
        """,
        [*placed, *params],
    )
    cursor.execute("DROP TABLE ana_app")

    # Rollups over all regions, for all occupations (NULL) and per ISCO major group: the
    # dashboard's unfiltered and major-group views read these few rows instead of
    # summing every region × unit group detail row.
    since_cond = " AND month >= %s" if since else ""
    for table, keys, sums in (
        (T_VACANCY, [], ["vacancies", "positions"]),
        (T_APPLICATION, ["citizenship", "stage"], ["applications"]),
        (T_PLACEMENT, ["citizenship"], ["placements", "days_total"]),
    ):
        for group in ("NULL", "substr(occupation_id, 1, 1)"):
            columns = ", ".join(["month", "region_id", "occupation_id", *keys, *sums])
            selected = ", ".join(["month", "NULL", group, *keys, *[f"sum({c})" for c in sums]])
            cursor.execute(
                f"""
                INSERT INTO {table} ({columns})
                SELECT {selected} FROM {table}
                WHERE region_id IS NOT NULL{since_cond}
                {_group_by("month", group, *keys)}
                """,
                month_params,
            )

    created_cond, created_params = when("p.created_at")
    verified_cond, verified_params = when("p.verified_at")
    cursor.execute(
        f"""
        INSERT INTO {T_REGISTRATION} (month, citizenship, agency_id, registrations, verified)
        SELECT month, citizenship, agency_id, sum(registered), sum(verified) FROM (
            SELECT {_month_sql("p.created_at")} AS month, p.citizenship AS citizenship,
                   p.registered_by_id AS agency_id, 1 AS registered, 0 AS verified
            FROM migrants_migrantprofile p
            WHERE p.erased_at IS NULL AND p.merged_into_id IS NULL{created_cond}
            UNION ALL
            SELECT {_month_sql("p.verified_at")}, p.citizenship, p.registered_by_id, 0, 1
            FROM migrants_migrantprofile p
            WHERE p.erased_at IS NULL AND p.merged_into_id IS NULL
              AND p.verification_status = 'verified' AND p.verified_at IS NOT NULL{verified_cond}
        ) events
        GROUP BY month, citizenship, agency_id
        """,
        [*created_params, *verified_params],
    )


def _changes_since(cursor, since: datetime.datetime) -> tuple[datetime.date | None, bool]:
    """(earliest month whose flows may have changed since `since`, whether any source row
    changed at all). Reads only rows changed since `since`."""
    months = []
    changed = False
    queries = [
        # A vacancy changed: its publication month.
        (
            f"SELECT min({_month_sql('published_at')}), count(*) FROM vacancies_vacancy "
            "WHERE updated_at >= %s",
            [since],
        ),
        # An application moved: its creation month (cohort) and its placement month.
        (
            f"SELECT min({_month_sql('created_at')}), count(*) FROM matching_application "
            "WHERE stage_changed_at >= %s OR created_at >= %s",
            [since, since],
        ),
        (
            f"SELECT min({_month_sql('placed_at')}), count(*) FROM matching_application "
            "WHERE stage_changed_at >= %s AND placed_at IS NOT NULL",
            [since],
        ),
        # A profile changed: its registration and verification months.
        (
            f"SELECT min({_month_sql('created_at')}), count(*) FROM migrants_migrantprofile "
            "WHERE updated_at >= %s",
            [since],
        ),
        (
            f"SELECT min({_month_sql('verified_at')}), count(*) FROM migrants_migrantprofile "
            "WHERE updated_at >= %s",
            [since],
        ),
    ]
    for sql, params in queries:
        cursor.execute(sql, params)
        first, count = cursor.fetchone()
        changed = changed or bool(count)
        if first:
            months.append(first if isinstance(first, datetime.date) else _parse_date(first))
    return (min(months) if months else None), changed


def _parse_date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(str(value)[:10])


def refresh(
    *, full: bool = True, as_of: datetime.date | None = None, record: bool = True
) -> RefreshResult:
    """Rebuild the summary tables in one transaction and return what was done.

    Idempotent: running it twice in a row leaves the same rows. `as_of` (default today)
    dates the snapshot; a past day rebuilds that month's snapshot from today's statuses
    (used to fill a month no refresh ran in, such as the demo's previous month).
    """
    today = timezone.localdate()
    as_of = as_of or today
    started_at = timezone.now()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if not _lock(cursor):
            return RefreshResult("skipped", as_of, 0.0, None, False, skipped=True)
        _drop_temp_tables(cursor)
        last = None if full else RefreshRun.objects.first()
        flows_from: datetime.date | None = None
        rebuild_snapshot = True
        if full or last is None:
            mode = RefreshRun.Mode.FULL
            build_flows(cursor, None)
        else:
            mode = RefreshRun.Mode.INCREMENTAL
            flows_from, changed = _changes_since(cursor, last.started_at)
            if flows_from:
                build_flows(cursor, flows_from)
            # The snapshot depends on the day too (expiry, availability dates).
            rebuild_snapshot = changed or last.as_of != as_of
        if rebuild_snapshot:
            build_snapshot(cursor, as_of)
        seconds = time.perf_counter() - started
        if record:
            RefreshRun.objects.create(
                mode=mode,
                as_of=as_of,
                started_at=started_at,
                finished_at=timezone.now(),
                seconds=seconds,
                flows_from=flows_from,
                snapshot_rebuilt=rebuild_snapshot,
            )
    return RefreshResult(mode, as_of, seconds, flows_from, rebuild_snapshot)
