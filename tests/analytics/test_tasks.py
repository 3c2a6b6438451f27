"""The refresh task through a real broker and worker (CI's integration run)."""

import time

import pytest
from django.utils import timezone

from analytics.models import BalanceCell, RefreshRun
from analytics.refresh import month_start
from analytics.tasks import refresh_summaries
from exchange.celery import app


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_refreshes_the_summaries_and_a_second_run_changes_nothing(market):
    if app.conf.task_always_eager:
        pytest.skip("needs CELERY_BROKER_URL and a running worker (see .ci/run)")
    month = month_start(timezone.localdate())

    def wait_for_runs(count):
        deadline = time.monotonic() + 60
        while RefreshRun.objects.count() < count:
            if time.monotonic() > deadline:
                pytest.fail("no worker ran analytics.refresh_summaries within 60 s")
            time.sleep(0.2)

    def cells():
        return sorted(
            BalanceCell.objects.filter(month=month).values_list(
                "region_id", "occupation_id", "level", "demand", "supply", "placements"
            ),
            key=repr,
        )

    refresh_summaries.apply_async(kwargs={"full": True})
    wait_for_runs(1)
    first = cells()
    moscow_bricks = BalanceCell.objects.get(month=month, region="77", occupation="7112")
    assert (moscow_bricks.demand, moscow_bricks.supply, moscow_bricks.placements) == (4, 3, 1)
    refresh_summaries.apply_async(kwargs={"full": True})
    wait_for_runs(2)
    assert cells() == first
