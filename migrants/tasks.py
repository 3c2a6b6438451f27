"""Celery tasks of the migrant registry."""

from celery import shared_task

from migrants import services


@shared_task(name="migrants.send_expiry_reminders", acks_late=True)
def send_expiry_reminders() -> int:
    """Daily (beat): remind workers before a passport, patent or permit expires.

    Idempotent through ExpiryReminder's unique key, so a rerun after a worker
    crash sends nothing twice.
    """
    return services.send_expiry_reminders()
