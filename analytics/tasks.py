"""Celery tasks of the analytics: interfaces over refresh.py and opendata.py."""

from celery import shared_task

from analytics import opendata
from analytics.refresh import refresh


@shared_task(name="analytics.refresh_summaries", acks_late=True)
def refresh_summaries(full: bool = False) -> dict:
    """Bring the summary tables up to date (hourly by beat, incrementally).

    Idempotent: a repeated or concurrent run leaves the same rows (a concurrent one
    skips on the lock)."""
    result = refresh(full=full)
    return {"mode": result.mode, "seconds": round(result.seconds, 3), "skipped": result.skipped}


@shared_task(name="analytics.publish_open_data", acks_late=True)
def publish_open_data() -> dict:
    """Daily: a full refresh, then the open data files rewritten (each replaced atomically)."""
    result = refresh(full=True)
    written = opendata.write_all()
    return {"refresh_seconds": round(result.seconds, 3), "files": written}
