# The SQL below interpolates only table names, column names and ISCO levels defined in
# this package; every value arrives as a query parameter.
# ruff: noqa: S608
"""The flows: events by month (vacancies, applications, placements, registrations)."""

import datetime

from analytics.refresh.dialect import (
    PLACED_STAGES,
    T_APPLICATION,
    T_PLACEMENT,
    T_REGISTRATION,
    T_VACANCY,
    create_temp,
    days_sql,
    group_by,
    month_sql,
)
from analytics.refresh.months import start_of


def build_flows(cursor, since: datetime.date | None) -> None:
    """Rebuild the monthly flow tables from the month `since` on (None: every month)."""
    start = start_of(since) if since else None
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
        SELECT {month_sql("v.published_at")}, v.region_id, v.occupation_id,
               count(*), sum(v.positions_total)
        FROM vacancies_vacancy v
        WHERE v.published_at IS NOT NULL{cond}
        GROUP BY {month_sql("v.published_at")}, v.region_id, v.occupation_id
        """,
        params,
    )

    # The applications of those months with their vacancy's region and unit group and the
    # worker's citizenship, joined once for both tables below.
    cond, params = when("a.created_at")
    placed_cond, placed_params = when("a.placed_at")
    recent = f" AND (1 = 1{cond} OR 1 = 1{placed_cond})" if since else ""
    cursor.execute("DROP TABLE IF EXISTS ana_app")
    create_temp(
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
        SELECT {month_sql("created_at")}, region_id, occupation_id, citizenship, stage, count(*)
        FROM ana_app
        WHERE 1 = 1{cond}
        GROUP BY {month_sql("created_at")}, region_id, occupation_id, citizenship, stage
        """,
        params,
    )

    cond, params = when("placed_at")
    cursor.execute(
        f"""
        INSERT INTO {T_PLACEMENT}
            (month, region_id, occupation_id, citizenship, placements, days_total)
        SELECT {month_sql("placed_at")}, region_id, occupation_id, citizenship,
               count(*), sum({days_sql("placed_at", "created_at")})
        FROM ana_app
        WHERE placed_at IS NOT NULL AND stage IN (%s, %s){cond}
        GROUP BY {month_sql("placed_at")}, region_id, occupation_id, citizenship
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
                {group_by("month", group, *keys)}
                """,
                month_params,
            )

    created_cond, created_params = when("p.created_at")
    verified_cond, verified_params = when("p.verified_at")
    cursor.execute(
        f"""
        INSERT INTO {T_REGISTRATION} (month, citizenship, agency_id, registrations, verified)
        SELECT month, citizenship, agency_id, sum(registered), sum(verified) FROM (
            SELECT {month_sql("p.created_at")} AS month, p.citizenship AS citizenship,
                   p.registered_by_id AS agency_id, 1 AS registered, 0 AS verified
            FROM migrants_migrantprofile p
            WHERE p.erased_at IS NULL AND p.merged_into_id IS NULL{created_cond}
            UNION ALL
            SELECT {month_sql("p.verified_at")}, p.citizenship, p.registered_by_id, 0, 1
            FROM migrants_migrantprofile p
            WHERE p.erased_at IS NULL AND p.merged_into_id IS NULL
              AND p.verification_status = 'verified' AND p.verified_at IS NOT NULL{verified_cond}
        ) events
        GROUP BY month, citizenship, agency_id
        """,
        [*created_params, *verified_params],
    )


def changes_since(cursor, since: datetime.datetime) -> tuple[datetime.date | None, bool]:
    """(earliest month whose flows may have changed since `since`, whether any source row
    changed at all). Reads only rows changed since `since`."""
    months = []
    changed = False
    queries = [
        # A vacancy changed: its publication month.
        (
            f"SELECT min({month_sql('published_at')}), count(*) FROM vacancies_vacancy "
            "WHERE updated_at >= %s",
            [since],
        ),
        # An application moved: its creation month (cohort) and its placement month.
        (
            f"SELECT min({month_sql('created_at')}), count(*) FROM matching_application "
            "WHERE stage_changed_at >= %s OR created_at >= %s",
            [since, since],
        ),
        (
            f"SELECT min({month_sql('placed_at')}), count(*) FROM matching_application "
            "WHERE stage_changed_at >= %s AND placed_at IS NOT NULL",
            [since],
        ),
        # A profile changed: its registration and verification months.
        (
            f"SELECT min({month_sql('created_at')}), count(*) FROM migrants_migrantprofile "
            "WHERE updated_at >= %s",
            [since],
        ),
        (
            f"SELECT min({month_sql('verified_at')}), count(*) FROM migrants_migrantprofile "
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
