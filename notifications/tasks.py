"""Delivery of the notification outbox, on the `notifications` queue."""

from celery import shared_task

from notifications import services


@shared_task(
    name="notifications.deliver",
    bind=True,
    acks_late=True,
    max_retries=None,  # the row counts attempts (NOTIFICATIONS_MAX_ATTEMPTS)
)
def deliver_notification(self, notification_id: int) -> bool:
    """Idempotent: the row is claimed by a conditional update before sending, so a
    redelivered or repeated task sends nothing twice."""
    try:
        return services.deliver(notification_id)
    except services.TransientDeliveryError as error:
        if self.request.is_eager:
            return False  # inline (embedded mode): the sweeper tries again later
        attempts = (
            services.Notification.objects.filter(pk=notification_id)
            .values_list("attempts", flat=True)
            .first()
            or 1
        )
        raise self.retry(exc=error, countdown=services.backoff_seconds(attempts)) from error


@shared_task(name="notifications.resend_due", acks_late=True)
def resend_due() -> int:
    """Every few minutes (beat): re-enqueue rows whose task was lost (broker down at the
    commit, a worker killed mid-send). Safe to overlap with the normal path: delivery
    claims each row first."""
    ids = list(services.due_for_delivery().values_list("pk", flat=True)[:1000])
    for notification_id in ids:
        deliver_notification.delay(notification_id)
    return len(ids)
