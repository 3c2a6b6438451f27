"""Celery tasks of the vacancies app."""

from celery import shared_task

from vacancies import services


@shared_task(name="vacancies.expire_vacancies")
def expire_vacancies() -> int:
    """Hourly (beat): published vacancies past their expiry date become expired. Idempotent."""
    return services.expire_vacancies()
