"""Likely duplicate profiles, and agencies asking for access to a worker already registered."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.models import Agency
from migrants.choices import FlagStatus, RequestStatus
from migrants.models.profile import MigrantProfile


class DuplicateFlag(models.Model):
    """Two profiles that are probably one person (same birth date and citizenship,
    names equal after transliteration), waiting for an administrator."""

    profile = models.ForeignKey(MigrantProfile, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(MigrantProfile, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    created_at = models.DateTimeField(_("flagged at"), default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("likely duplicate")
        verbose_name_plural = _("likely duplicates")
        constraints = [
            models.UniqueConstraint(fields=["profile", "other"], name="duplicate_flag_once"),
            models.CheckConstraint(condition=Q(profile__lt=F("other")), name="duplicate_ordered"),
        ]

    def __str__(self) -> str:
        return f"#{self.profile_id} ~ #{self.other_id}"


class AccessRequest(models.Model):
    """An agency found that a worker it wanted to register is already registered,
    and asks an administrator to share the profile with it."""

    profile = models.ForeignKey(
        MigrantProfile, on_delete=models.CASCADE, related_name="access_requests"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message to the administrator"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "agency"],
                condition=Q(status="pending"),
                name="access_request_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} → #{self.profile_id} ({self.status})"
