"""Partner integrations: API keys, remembered POST responses (Idempotency-Key),
webhook endpoints with their deliveries (an outbox), and bulk import jobs.

Every row belongs to exactly one organization: a partner agency or an employer.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.models import Agency, Employer, WebsiteField
from migrants.crypto import EncryptedCharField
from migrants.storage import get_private_storage

KEY_PREFIX = "lx_"


def one_organization(name: str) -> models.CheckConstraint:
    """Exactly one of agency and employer is set."""
    return models.CheckConstraint(
        condition=Q(agency__isnull=False, employer__isnull=True)
        | Q(agency__isnull=True, employer__isnull=False),
        name=name,
    )


class OrganizationOwned(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, null=True, blank=True
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.CASCADE, null=True, blank=True
    )

    class Meta:
        abstract = True

    @property
    def organization(self):
        return self.agency or self.employer


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def of_user_organization(self, user):
        """Keys of the organization `user` belongs to; nothing for anyone else."""
        if user.agency_id:
            return self.filter(agency_id=user.agency_id)
        if user.employer_id:
            return self.filter(employer_id=user.employer_id)
        return self.none()


class ApiKey(OrganizationOwned):
    """A secret a partner's system sends as `Authorization: Bearer <key>`.

    Only a SHA-256 digest of the key is stored: keys are 256-bit random, so a fast
    hash is enough (nothing to brute-force), and it lets us find the key by an index.
    The key acts for its organization, on behalf of the member who created it.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("access"), max_length=10, choices=Scope.choices)
    prefix = models.CharField(_("key starts with"), max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        constraints = [one_organization("api_key_one_organization")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw_key: str) -> str:
        return hashlib.sha256(raw_key.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return KEY_PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE


class IdempotencyRecord(models.Model):
    """The first response to a POST sent with an `Idempotency-Key`, replayed to retries."""

    class State(models.TextChoices):
        IN_FLIGHT = "in_flight", _("In progress")
        DONE = "done", _("Done")

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_digest = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.IN_FLIGHT)
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True)
    response_headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"


class WebhookEndpoint(OrganizationOwned):
    """A partner's URL that receives signed event notifications."""

    url = WebsiteField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # "whsec_" + base64 of 32 random bytes (Standard Webhooks); encrypted at rest.
    secret = EncryptedCharField(_("signing secret"))
    events = models.JSONField(_("events"), default=list)
    # For vacancy.published only: ISCO-08 code prefixes and region codes; empty = all.
    occupations = models.JSONField(_("occupation groups"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        constraints = [one_organization("webhook_endpoint_one_organization")]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint. Written in the transaction that made the change;
    sent after commit, retried with backoff under the same `webhook-id`."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=40, unique=True)
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]

    def __str__(self) -> str:
        return f"{self.message_id} {self.event} ({self.status})"


class ImportJob(models.Model):
    """A bulk import of workers, run at once for small files or by a worker process."""

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
        PARTIAL = "partial", _("Keep the good rows")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    mode = models.CharField(max_length=20, choices=Mode.choices)
    source = models.FileField(storage=get_private_storage, upload_to="imports", blank=True)
    source_format = models.CharField(max_length=10)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    existing_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("worker import")
        verbose_name_plural = _("worker imports")

    def __str__(self) -> str:
        return f"import #{self.pk} ({self.status})"
