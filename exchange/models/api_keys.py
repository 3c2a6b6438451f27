"""The partner API's credentials: API keys (an organization's, as a hashed secret) and
the remembered first responses of POSTs sent with an Idempotency-Key.

Core, because every app's API views authenticate with them (exchange/api/). The
tables keep their integrations_* names from before the move
(docs/decisions/0014-apps-and-layers.md)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.models.organizations import Agency, Employer

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
        db_table = "integrations_apikey"
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
        db_table = "integrations_idempotencyrecord"
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="idempotency_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"
