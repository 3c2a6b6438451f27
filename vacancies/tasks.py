"""Celery tasks of the vacancies app."""

from celery import shared_task

from vacancies import alerts, services


@shared_task(name="vacancies.expire_vacancies")
def expire_vacancies() -> int:
    """Hourly (beat): published vacancies past their expiry date become expired. Idempotent."""
    return services.expire_vacancies()


# Named for the app it began in: task names never change (beat and queued messages).
@shared_task(name="notifications.send_job_alerts", acks_late=True)
def send_job_alerts() -> int:
    """Daily (beat): one digest per worker of new vacancies matching their saved
    searches. Idempotent per worker and day (the notification's key)."""
    return alerts.send_job_alerts()
