"""Writing notifications into the outbox and delivering them.

`notify()` is called inside the transaction that made the change: it renders the
message in the recipient's language and writes one row per channel. After the commit
a Celery task delivers each row (e-mail, text message); in-app rows are in the inbox as
soon as the transaction commits. Delivery claims the row by a conditional update, so a
task that runs twice (a redelivery after a lost acknowledgement, a retry racing the
sweeper) never sends twice.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from exchange.celery import enqueue
from exchange.models import User
from notifications.models import Channel, DeliveryStatus, Notification

log = logging.getLogger(__name__)

# A claimed row whose worker died is claimed again after this long.
CLAIM_LEASE = datetime.timedelta(minutes=10)


class TransientDeliveryError(Exception):
    """Sending failed in a way that may pass (the mail server or gateway is down)."""


@dataclass(frozen=True)
class Message:
    """What to say: lazy (gettext_lazy) texts with %(name)s placeholders, and their
    values (lazy values are translated too), rendered per recipient."""

    subject: str
    body: str
    params: dict
    url: str = ""

    def render(self, language: str) -> tuple[str, str]:
        with translation.override(language):
            params = {key: _text(value) for key, value in self.params.items()}
            return str(self.subject % params), str(self.body % params)


def _text(value) -> str:
    return value if isinstance(value, int | float) else str(value)


def language_of(user: User) -> str:
    language = user.language
    if not language:
        profile = getattr(user, "migrant_profile", None) if user.role == "migrant" else None
        language = getattr(profile, "preferred_language", "") if profile else ""
    return language or settings.LANGUAGE_CODE


def channels_for(user: User) -> list[str]:
    """Every user has the inbox; e-mail where there is an address, otherwise a text
    message to a migrant's phone (many workers have no e-mail)."""
    channels = [Channel.IN_APP]
    if user.email:
        channels.append(Channel.EMAIL)
    elif user.phone and user.role == "migrant":
        channels.append(Channel.SMS)
    return channels


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.EXCHANGE_BASE_URL.rstrip("/") + path


def notify(
    recipients,
    *,
    event: str,
    key: str,
    message: Message,
    payload: dict | None = None,
    channels: list[str] | None = None,
) -> list[Notification]:
    """Write the notification for each recipient (inside the caller's transaction).

    `key` names what happened ("application:12:offered"); with the recipient and the
    channel it makes the idempotency key, so notifying twice about one thing is a no-op.
    """
    written = []
    for user in {u.pk: u for u in recipients if u is not None and u.is_active}.values():
        language = language_of(user)
        subject, body = message.render(language)
        url = message.url
        for channel in channels or channels_for(user):
            html = ""
            if channel == Channel.EMAIL:
                with translation.override(language):
                    context = {
                        "subject": subject,
                        "body": body,
                        "url": absolute_url(url),
                        "recipient": user,
                    }
                    html = render_to_string("notifications/email.html", context)
                    body_text = render_to_string("notifications/email.txt", context)
            else:
                body_text = body
            now = timezone.now()
            row = Notification(
                recipient=user,
                event=event,
                channel=channel,
                payload=payload or {},
                language=language,
                subject=subject[:300],
                body=body_text,
                body_html=html,
                url=url,
                idempotency_key=f"{key}:{user.pk}:{channel}"[:200],
                # The inbox *is* the delivery of an in-app notice: it shows once committed.
                status=DeliveryStatus.SENT if channel == Channel.IN_APP else DeliveryStatus.PENDING,
                sent_at=now if channel == Channel.IN_APP else None,
            )
            try:
                with transaction.atomic():
                    row.save()
            except IntegrityError:
                continue  # already written for this event, recipient and channel
            written.append(row)
            if channel != Channel.IN_APP:
                enqueue("notifications.deliver", row.pk)
    return written


def notify_contact(
    *,
    phone: str = "",
    email: str = "",
    prefer: str = Channel.SMS,
    language: str,
    event: str,
    key: str,
    message: Message,
    recipient: User | None = None,
    sensitive: bool = False,
) -> Notification | None:
    """Write a text message or e-mail to a phone number or address that is not (or
    not only) an account's: a worker's profile contact, a code to claim a profile.

    The preferred channel is used when its address is there, otherwise the other one;
    None when there is no address at all or this `key` was written before. With
    `sensitive` the body is blanked once delivered or failed for good.
    """
    phone, email = str(phone or ""), email or ""
    order = [Channel.SMS, Channel.EMAIL] if prefer == Channel.SMS else [Channel.EMAIL, Channel.SMS]
    addresses = {Channel.SMS: phone, Channel.EMAIL: email}
    channel = next((channel for channel in order if addresses[channel]), None)
    if channel is None:
        return None
    subject, body = message.render(language)
    html = ""
    if channel == Channel.EMAIL:
        with translation.override(language):
            context = {
                "subject": subject,
                "body": body,
                "url": absolute_url(message.url),
                "recipient": recipient,
            }
            html = render_to_string("notifications/email.html", context)
            body = render_to_string("notifications/email.txt", context)
    row = Notification(
        recipient=recipient,
        address=addresses[channel],
        sensitive=sensitive,
        event=event,
        channel=channel,
        language=language,
        subject=subject[:300],
        body=body,
        body_html=html,
        url=message.url,
        idempotency_key=f"{key}:contact:{channel}"[:200],
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        return None  # already written for this event
    enqueue("notifications.deliver", row.pk)
    return row


def deliver(notification_id: int) -> bool:
    """Send one outbox row if nobody else has; True when this call sent it.

    Raises TransientDeliveryError when sending failed but may succeed later (the row
    is back to pending with its next attempt time); a permanent failure or the last
    attempt marks the row failed.
    """
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id)
        .exclude(channel=Channel.IN_APP)
        .filter(
            Q(status=DeliveryStatus.PENDING)
            | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE)
        )
        .update(status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False  # sent, failed for good, being sent, or deleted
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        _send(notification)
    except TransientDeliveryError as error:
        if _failed(notification, error, transient=True):
            raise
        return False  # that was the last attempt
    except Exception as error:  # a bad address or template: no retry helps
        _failed(notification, error, transient=False)
        log.exception("notification %s failed permanently", notification_id)
        return False
    Notification.objects.filter(pk=notification_id).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="", **_forget(notification)
    )
    return True


def _forget(notification: Notification) -> dict:
    """The fields to blank once a sensitive notice needs its text no more."""
    return {"body": "", "body_html": ""} if notification.sensitive else {}


def backoff_seconds(attempts: int) -> int:
    """30 s, 1, 2, 4, 8 minutes … capped at an hour."""
    return min(settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 3600)


def _failed(notification: Notification, error: Exception, *, transient: bool) -> bool:
    """Record the failure; True when the row waits for another attempt."""
    retry = transient and notification.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS
    status = DeliveryStatus.PENDING if retry else DeliveryStatus.FAILED
    Notification.objects.filter(pk=notification.pk).update(
        **({} if retry else _forget(notification)),
        status=status,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=timezone.now()
        + datetime.timedelta(seconds=backoff_seconds(notification.attempts)),
    )
    return retry


def _send(notification: Notification) -> None:
    user = notification.recipient
    if notification.channel == Channel.EMAIL:
        address = notification.address or (user.email if user else "")
        if not address:
            raise ValueError("the recipient has no e-mail address")
        email = EmailMultiAlternatives(notification.subject, notification.body, None, [address])
        if notification.body_html:
            email.attach_alternative(notification.body_html, "text/html")
        try:
            email.send()
        except (smtplib.SMTPException, OSError) as error:
            raise TransientDeliveryError(str(error)) from error
    elif notification.channel == Channel.SMS:
        from notifications.sms import SmsError, send_sms

        phone = notification.address or (str(user.phone or "") if user else "")
        if not phone:
            raise ValueError("the recipient has no phone number")
        text = notification.body
        if notification.url:
            text = f"{text} {absolute_url(notification.url)}"
        try:
            send_sms(phone, text)
        except (SmsError, OSError) as error:
            raise TransientDeliveryError(str(error)) from error


def due_for_delivery(*, now: datetime.datetime | None = None):
    """Rows whose delivery task may have been lost (the broker was down at commit, a
    worker died): pending and due, or claimed longer ago than the lease."""
    now = now or timezone.now()
    grace = now - datetime.timedelta(seconds=60)
    return Notification.objects.exclude(channel=Channel.IN_APP).filter(
        Q(status=DeliveryStatus.PENDING, next_attempt_at__lt=grace, created_at__lt=grace)
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - CLAIM_LEASE)
    )


def mark_read(user: User, notification_ids=None) -> int:
    rows = Notification.objects.inbox_of(user).unread()
    if notification_ids is not None:
        rows = rows.filter(pk__in=notification_ids)
    return rows.update(read_at=timezone.now())
