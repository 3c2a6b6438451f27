"""One refresh: full or incremental, under the lock, in one transaction, recorded."""

import datetime
import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from analytics.models import RefreshRun
from analytics.refresh.dialect import drop_temp_tables, lock
from analytics.refresh.flows import build_flows, changes_since
from analytics.refresh.snapshot import build_snapshot


@dataclass
class RefreshResult:
    mode: str
    as_of: datetime.date
    seconds: float
    flows_from: datetime.date | None
    snapshot_rebuilt: bool
    skipped: bool = False  # another refresh held the lock


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
        if not lock(cursor):
            return RefreshResult("skipped", as_of, 0.0, None, False, skipped=True)
        drop_temp_tables(cursor)
        last = None if full else RefreshRun.objects.first()
        flows_from: datetime.date | None = None
        rebuild_snapshot = True
        if full or last is None:
            mode = RefreshRun.Mode.FULL
            build_flows(cursor, None)
        else:
            mode = RefreshRun.Mode.INCREMENTAL
            flows_from, changed = changes_since(cursor, last.started_at)
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
