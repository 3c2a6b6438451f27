"""Domain events: things partners and other parts of the exchange may want to hear about.

Two kinds. `emit()` announces what partners subscribe to (agency webhooks). The
change signals at the end tell a higher layer that a lower one changed something it
follows: vacancies and migrants send them, matching (which they must not import)
connects in its AppConfig.ready() and rescores.

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


# A vacancy's matching-relevant fields or status changed (sent with vacancy_id), and
# a worker's profile or matchability did (sent with profile_id). Sent inside the
# transaction; receivers defer their work to after the commit.
vacancy_changed = Signal()
worker_changed = Signal()
