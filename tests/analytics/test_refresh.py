"""The summary tables hold what a direct count of the source rows says."""

import datetime
import itertools

import pytest
from django.core.management import call_command
from django.utils import timezone

from analytics import reports
from analytics.models import (
    ApplicationMonth,
    BalanceCell,
    PlacementMonth,
    RefreshRun,
    RegistrationMonth,
    SupplyShare,
    VacancyMonth,
)
from analytics.refresh import month_start, refresh
from analytics.tasks import refresh_summaries
from migrants.models import MigrantProfile
from selection.models import Application, Stage
from tests.analytics.market import direct_balance, make_vacancy, make_worker, place
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def cell(region, occupation, day=None):
    month = month_start(day or timezone.localdate())
    found = BalanceCell.objects.filter(
        month=month, region_id=region, occupation_id=occupation
    ).first()
    return (found.demand, found.supply, found.placements) if found else (0, 0, 0)


def all_rows():
    """Every summary row, without ids: what idempotency compares."""
    tables = [
        BalanceCell,
        SupplyShare,
        VacancyMonth,
        ApplicationMonth,
        PlacementMonth,
        RegistrationMonth,
    ]
    return {
        model.__name__: sorted(
            model.objects.values_list(
                *[f.attname for f in model._meta.concrete_fields if f.name != "id"]
            ),
            key=repr,
        )
        for model in tables
    }


def test_balance_matches_the_worked_example(market):
    refresh()
    # Bricklayers in Moscow: 5 − 1 filled; w1, w2 (anywhere), w10 (withdrew, so still
    # available); w9 was placed this month and left the supply.
    assert cell("77", "7112") == (4, 3, 1)
    # Carpenters in Moscow: only w1 (w4 is not verified).
    assert cell("77", "7115") == (3, 1, 0)
    # Minor group 711 in Moscow: w1 holds both trades and counts once.
    assert cell("77", "711") == (7, 3, 1)
    assert cell("77", "7") == (7, 3, 1)
    # Drivers: demand and no worker at all.
    assert cell("50", "8322") == (2, 0, 0)
    # A region nobody named: only the worker ready to go anywhere.
    assert cell("23", "7112") == (0, 1, 0)
    # All of Russia, all occupations: the expired, draft and closed vacancies count nothing.
    all_russia = BalanceCell.objects.get(
        month=month_start(timezone.localdate()), region=None, level=0
    )
    assert (all_russia.demand, all_russia.supply, all_russia.placements) == (9, 4, 1)
    assert all_russia.vacancies == 3


def test_every_cell_equals_a_direct_count(market):
    refresh()
    groups = [None, "7", "71", "711", "7112", "7115", "8", "83", "8322"]
    for region, group in itertools.product([None, "77", "50", "23", "16"], groups):
        stored = BalanceCell.objects.filter(
            month=month_start(timezone.localdate()), region_id=region, occupation_id=group
        ).first()
        expected = direct_balance(region, group)
        got = (stored.demand, stored.supply, stored.placements) if stored else (0, 0, 0)
        assert got == expected, (region, group)


def test_zero_supply_has_no_index_and_ranks_first_among_shortages(market):
    refresh()
    filters = reports.default_filters()
    month = reports.snapshot_month()
    rows = reports.unit_rows(month, filters)
    drivers = next(row for row in rows if row.key == "8322")
    assert drivers.index is None and drivers.no_supply
    assert drivers.index_text() == "no workers"
    assert reports.rank_shortages(rows)[0].key == "8322"
    assert "8322" not in [row.key for row in reports.rank_surpluses(rows)]
    bricks = next(row for row in rows if row.key == "7112")
    assert bricks.index == pytest.approx(4 / 4)  # all of Russia: 4 positions, 4 workers


def test_shortage_index_rule_for_zero():
    assert reports.shortage_index(0, 0) is None
    assert reports.shortage_index(3, 0) is None
    assert reports.shortage_index(0, 4) == 0
    assert reports.shortage_index(6, 4) == 1.5


def test_flows_equal_direct_counts(market):
    refresh()
    month = month_start(timezone.localdate())
    published = Vacancy.objects.filter(published_at__isnull=False)
    this_month = [v for v in published if timezone.localdate(v.published_at) >= month]
    stored = VacancyMonth.objects.filter(month=month, region__isnull=False)
    assert sum(row.vacancies for row in stored) == len(this_month)
    rollup = VacancyMonth.objects.get(month=month, region=None, occupation=None)
    assert rollup.vacancies == len(this_month)
    crafts = VacancyMonth.objects.get(month=month, region=None, occupation="7")
    assert crafts.vacancies == len([v for v in this_month if v.occupation_id.startswith("7")])
    assert sum(row.positions for row in stored) == sum(v.positions_total for v in this_month)

    by_stage = {}
    for row in ApplicationMonth.objects.filter(month=month, region__isnull=False):
        by_stage[row.stage] = by_stage.get(row.stage, 0) + row.applications
    assert by_stage == {Stage.PLACED: 1, Stage.WITHDRAWN: 1, Stage.SHORTLISTED: 1}

    # The withdrawn application had been placed: it is no placement.
    placements = PlacementMonth.objects.filter(month=month, region__isnull=False)
    assert sum(row.placements for row in placements) == 1
    assert PlacementMonth.objects.get(month=month, region=None, occupation=None).placements == 1
    assert placements.get().region_id == "77" and placements.get().citizenship == "UZ"

    registered = sum(r.registrations for r in RegistrationMonth.objects.filter(month=month))
    assert registered == MigrantProfile.objects.active().count()  # the erased one is out
    verified = sum(r.verified for r in RegistrationMonth.objects.filter(month=month))
    assert (
        verified == MigrantProfile.objects.active().filter(verification_status="verified").count()
    )


def test_supply_shares_split_the_supply_by_citizenship_and_agency(market):
    refresh()
    month = month_start(timezone.localdate())
    russia = {
        (s.citizenship, s.agency_id): s.supply
        for s in SupplyShare.objects.filter(month=month, region=None)
    }
    assert russia == {
        ("UZ", market.agency.pk): 2,  # w1, w10
        ("TJ", market.other_agency.pk): 1,  # w2
        ("KG", market.agency.pk): 1,  # w3
    }
    moscow = {s.citizenship: s.supply for s in SupplyShare.objects.filter(month=month, region="77")}
    assert moscow == {"UZ": 2, "TJ": 1}
    # The shares add up to the balance's supply of the same region.
    assert sum(moscow.values()) == cell("77", None)[1] == 3


def test_refresh_is_idempotent(market):
    refresh()
    first = all_rows()
    refresh()
    assert all_rows() == first
    refresh_summaries.delay(full=True)
    assert all_rows() == first
    assert RefreshRun.objects.count() == 3


def test_incremental_refresh_ends_where_a_full_one_does(market):
    refresh()
    # Changes after the last refresh: a placement, a new worker, a vacancy filled up.
    application = Application.objects.get(stage=Stage.SHORTLISTED)
    application.stage, application.placed_at = Stage.PLACED, timezone.now()
    application.stage_changed_at = timezone.now()
    application.save()
    make_worker(units=("8322",), regions=("50",))
    vacancy = market.vacancies["carpenter77"]
    vacancy.positions_filled = 1
    vacancy.save()

    result = refresh(full=False)
    assert result.mode == RefreshRun.Mode.INCREMENTAL
    assert result.flows_from == month_start(timezone.localdate())
    incremental = all_rows()
    refresh(full=True)
    assert all_rows() == incremental
    assert cell("50", "8322")[1] == 1


def test_incremental_refresh_skips_the_snapshot_when_nothing_changed(market):
    refresh()
    result = refresh(full=False)
    assert result.snapshot_rebuilt is False
    assert result.flows_from is None


def test_a_past_snapshot_gives_the_trend(market):
    today = timezone.localdate()
    last_month_end = month_start(today) - datetime.timedelta(days=1)
    refresh(as_of=last_month_end)
    refresh()
    previous = BalanceCell.objects.get(month=month_start(last_month_end), region=None, level=0)
    # Only the vacancy that has expired since was open at the end of last month; the
    # workers were verified today.
    assert previous.demand == 10 and previous.supply == 0
    headline = reports.headline(reports.snapshot_month(), reports.default_filters())
    assert headline.previous_supply == 0 and headline.supply == 4
    assert headline.trend is None  # last month had no index


def test_no_data_at_all_makes_empty_but_valid_tables(db):
    refresh()
    cells = BalanceCell.objects.filter(region=None, level=0)
    assert [(c.demand, c.supply) for c in cells] == [(0, 0)]
    assert not VacancyMonth.objects.exists()


def test_the_command_refreshes_and_writes_open_data(market, settings, tmp_path, capsys):
    settings.ANALYTICS_OPEN_DATA_DIR = tmp_path
    call_command("refresh_analytics", "--open-data")
    out = capsys.readouterr().out
    assert "full refresh" in out
    assert (tmp_path / "balance.csv").exists() and (tmp_path / "vacancies.json").exists()
    call_command("refresh_analytics", "--incremental")
    assert "incremental refresh" in capsys.readouterr().out


def test_an_expiring_vacancy_leaves_the_demand_the_next_day(market):
    vacancy = make_vacancy(market.employer, positions_total=4, region_id="16")
    vacancy.expires_on = timezone.localdate()
    vacancy.save()
    refresh()
    assert cell("16", "7112")[0] == 4
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refresh(as_of=tomorrow)
    assert cell("16", "7112", day=tomorrow)[0] == 0


def test_placing_a_worker_moves_them_from_supply_to_placements(market):
    newcomer = make_worker(regions=("77",))
    refresh()
    demand, supply, placements = cell("77", "7112")
    place(market.vacancies["brick77"], newcomer)
    refresh(full=False)
    assert cell("77", "7112") == (demand, supply - 1, placements + 1)


def test_closed_and_draft_vacancies_are_no_demand(market):
    Vacancy.objects.filter(pk=market.vacancies["brick77"].pk).update(status=VacancyStatus.CLOSED)
    refresh()
    assert cell("77", "7112")[0] == 0
