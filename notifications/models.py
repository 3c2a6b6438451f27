"""The notification outbox and saved job searches.

A notification row is written in the same transaction as the change it tells about,
so a change that rolls back is never announced; a Celery task delivers it after the
commit (see services.py). One row per recipient and channel; a notice to someone
without an account (a worker an agency registered, a code to claim that profile) has
no recipient and carries the phone number or e-mail address it goes to.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the exchange")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Delivered")
    FAILED = "failed", _("Failed")


def mask_address(address: str) -> str:
    """Enough of a phone number or e-mail address to tell rows apart in lists."""
    return address[:3] + "…" + address[-2:] if len(address) > 6 else "…"


class NotificationQuerySet(models.QuerySet):
    def inbox_of(self, user):
        return self.filter(recipient=user, channel=Channel.IN_APP)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
        null=True,
        blank=True,
    )
    # Where an e-mail or text message goes when it is not the recipient's own contact:
    # the phone or e-mail on a worker's profile, which may have no account.
    address = models.CharField(_("address"), max_length=254, blank=True)
    # The body is blanked once the message is sent or has failed for good (a one-time
    # code must not stay readable in the outbox).
    sensitive = models.BooleanField(_("sensitive"), default=False)
    event = models.CharField(_("event"), max_length=60)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    # Rendered when written, in the recipient's language, so a later change of the
    # objects or of the language does not change what was said.
    language = models.CharField(_("language"), max_length=8, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    body_html = models.TextField(_("HTML text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # "<what happened>:<channel>"; the unique key makes writing a notice twice a no-op.
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox"),
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(address=""),
                name="notification_has_someone_to_reach",
            ),
        ]

    def __str__(self) -> str:
        to = self.recipient_id or mask_address(self.address)
        return f"{self.event} → {to} ({self.channel}, {self.status})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class SavedSearch(models.Model):
    """A worker's saved vacancy search (the search page's query string); new vacancies
    that match it are sent once a day as one digest per worker."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=120)
    query = models.CharField(_("search"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("send job alerts"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Vacancies published after this moment are new to the worker.
    checked_at = models.DateTimeField(_("last checked"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(fields=["user", "query"], name="saved_search_once"),
        ]

    def __str__(self) -> str:
        return self.name
