"""Celery tasks of partner integrations (queue `webhooks` for deliveries)."""

from celery import shared_task

from exchange.api import idempotency
from integrations import imports, webhooks


@shared_task(name="integrations.deliver_webhook", acks_late=True, ignore_result=True)
def deliver_webhook(delivery_id: int) -> None:
    # Idempotent: only a pending, due delivery is sent, under a row lock.
    webhooks.deliver(delivery_id)


@shared_task(name="integrations.retry_webhooks", ignore_result=True)
def retry_webhooks() -> int:
    """Minutely: send every delivery whose retry time has come (and any whose first
    task was lost)."""
    due = list(webhooks.due_deliveries()[:1000])
    for delivery_id in due:
        deliver_webhook.delay(delivery_id)
    return len(due)


@shared_task(name="integrations.run_import", acks_late=True, ignore_result=True)
def run_import(job_id: int) -> None:
    imports.run_job(job_id)


@shared_task(name="integrations.purge_idempotency_records", ignore_result=True)
def purge_idempotency_records() -> int:
    return idempotency.purge_idempotency_records()
