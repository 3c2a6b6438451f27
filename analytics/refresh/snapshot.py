# The SQL below interpolates only table names, column names and ISCO levels defined in
# this package; every value arrives as a query parameter.
# ruff: noqa: S608
"""The snapshot: balance cells and supply shares as of a day, rebuilt for its month."""

import datetime

from analytics.refresh.dialect import (
    LEVELS,
    PLACED_STAGES,
    T_BALANCE,
    T_SHARE,
    create_temp,
    drop_temp_tables,
    group_by,
    group_sql,
)
from analytics.refresh.months import month_start, next_month, start_of


def build_snapshot(cursor, as_of: datetime.date) -> None:
    """Replace the balance and supply-share rows of `as_of`'s month with the state on `as_of`."""
    month = month_start(as_of)
    end = start_of(as_of + datetime.timedelta(days=1))
    month_begin, month_end = start_of(month), start_of(next_month(month))
    placed = tuple(str(s) for s in PLACED_STAGES)

    # Supply workers (see the package docstring), one row each.
    create_temp(
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
    create_temp(
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
    create_temp(
        cursor,
        "ana_worker_occ",
        """
        SELECT w.id AS profile_id, w.anywhere AS anywhere, o.occupation_id AS unit
        FROM ana_worker w JOIN migrants_migrantoccupation o ON o.profile_id = w.id
        """,
    )
    # Worker × desired region × unit group: the explicit fits.
    create_temp(
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
        create_temp(
            cursor,
            fits[level],
            f"SELECT DISTINCT profile_id, region_id, substr(unit, 1, {level}) AS unit "
            f"FROM {fits[level + 1]}",
        )
        create_temp(
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
            {group_by("region_id", group)}
            """
        )
        # Ready to go anywhere: fits every region.
        cursor.execute(
            f"""
            INSERT INTO ana_parts (region_id, occupation_id, level, supply)
            SELECT reg.code, a.grp, {level}, a.n
            FROM (SELECT {group} AS grp, count(*) AS n FROM {occs[level]}
                  WHERE anywhere = %s {group_by(group)}) a
            CROSS JOIN exchange_region reg
            """,
            [True],
        )
        # All of Russia.
        cursor.execute(
            f"""
            INSERT INTO ana_parts (region_id, occupation_id, level, supply)
            SELECT NULL, {group}, {level}, count(*) FROM {occs[level]} {group_by(group)}
            """
        )

        # Demand: open positions of open published vacancies, and those vacancies.
        vacancy_group = group_sql("v.occupation_id", level)
        for region in ("v.region_id", "NULL"):
            cursor.execute(
                f"""
                INSERT INTO ana_parts (region_id, occupation_id, level, demand, vacancies)
                SELECT {region}, {vacancy_group}, {level},
                       coalesce(sum(v.positions_total - v.positions_filled), 0), count(*)
                FROM vacancies_vacancy v
                WHERE v.status = 'published' AND v.published_at < %s
                  AND (v.expires_on IS NULL OR v.expires_on >= %s)
                {group_by(region, vacancy_group)}
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
                {group_by(region, vacancy_group)}
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
    drop_temp_tables(cursor)
