"""Domain events: things partners and other parts of the exchange may want to hear about.

Services call `emit()` inside the transaction that made the change. Receivers (agency
webhooks, for example) must only write rows in that same transaction (an outbox) and
deliver after commit, so a change that rolls back is never announced.
"""

from collections.abc import Iterable

from django.dispatch import Signal

# Event types, named "<object>.<what happened>". Payloads are JSON-ready dicts.
APPLICATION_STAGE_CHANGED = "application.stage_changed"
WORKER_VERIFIED = "worker.verified"
WORKER_REJECTED = "worker.rejected"
DOCUMENT_EXPIRING = "document.expiring"
VACANCY_PUBLISHED = "vacancy.published"

EVENT_TYPES = (
    APPLICATION_STAGE_CHANGED,
    WORKER_VERIFIED,
    WORKER_REJECTED,
    DOCUMENT_EXPIRING,
    VACANCY_PUBLISHED,
)

# Sent with: event (one of EVENT_TYPES), data (dict), agency_ids and employer_ids (the
# organizations the event concerns; an empty tuple means "anyone subscribed").
domain_event = Signal()


def emit(
    event: str,
    data: dict,
    *,
    agency_ids: Iterable[int] = (),
    employer_ids: Iterable[int] = (),
) -> None:
    if event not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event!r}")
    domain_event.send(
        sender=event,
        event=event,
        data=data,
        agency_ids=tuple(agency_ids),
        employer_ids=tuple(employer_ids),
    )
