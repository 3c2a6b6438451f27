"""Celery tasks of selection. The task names predate the app (they began in matching)
and never change: beat schedules and queued messages name them."""

from celery import shared_task

from selection import services


@shared_task(name="matching.propose_shortlists", acks_late=True)
def propose_shortlists() -> int:
    """Daily (beat), after the nightly rematch: shortlist candidates for every open
    vacancy from the fresh results. Idempotent: a vacancy whose shortlist is full, or a
    worker already on it, gets nothing new."""

    return sum(len(rows) for rows in services.propose_shortlists().values())
