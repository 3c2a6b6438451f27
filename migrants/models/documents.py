"""Scans of the worker's documents, and the reminders sent before a document expires."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.models import Verifiable
from migrants.choices import DocumentType
from migrants.models.profile import MigrantProfile
from migrants.storage import get_private_storage


class Document(Verifiable):
    """A scan of one of the worker's documents, in private storage."""

    REJECTION_NEEDS_REASON = _("Say why: the worker and the agency see the reason.")

    profile = models.ForeignKey(MigrantProfile, on_delete=models.CASCADE, related_name="documents")
    doc_type = models.CharField(_("document"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(_("number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("file"), storage=get_private_storage, upload_to="documents")
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["doc_type", "-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=F("issued_on")),
                name="document_expires_after_issue",
            ),
        ]
        indexes = [models.Index(fields=["verification_status", "uploaded_at"])]

    def __str__(self) -> str:
        return self.get_doc_type_display()

    def is_expired(self, on: datetime.date | None = None) -> bool:
        return self.expires_on is not None and self.expires_on < (on or timezone.localdate())


class ExpiryReminder(models.Model):
    """A reminder sent before a document expires; the unique key makes the
    reminder task idempotent (never twice for one document and threshold)."""

    profile = models.ForeignKey(MigrantProfile, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=40)  # "passport" or "document:<id>"
    expires_on = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "subject", "expires_on", "days_before"],
                name="expiry_reminder_once",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.profile_id} {self.subject} -{self.days_before}d"
