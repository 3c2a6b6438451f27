"""The audit trail of a profile: who changed which field, and who saw a full passport number."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.choices import Role
from exchange.models import Agency
from migrants.models.profile import MigrantProfile


class ProfileChange(models.Model):
    """Who changed what on a profile, and when. Passport numbers appear masked."""

    profile = models.ForeignKey(MigrantProfile, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(_("field"), max_length=64)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.SET_NULL, null=True, blank=True
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")
        indexes = [models.Index(fields=["profile", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.field} @ {self.changed_at:%Y-%m-%d %H:%M}"

    @property
    def field_label(self) -> str:
        try:
            return str(MigrantProfile._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:
            return self.field


class PassportView(models.Model):
    """Every time an administrator is shown a full passport number."""

    profile = models.ForeignKey(MigrantProfile, on_delete=models.CASCADE, related_name="+")
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    viewed_at = models.DateTimeField(default=timezone.now)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-viewed_at"]
        verbose_name = _("passport number view")
        verbose_name_plural = _("passport number views")

    def __str__(self) -> str:
        return f"#{self.profile_id} by {self.viewer_id} @ {self.viewed_at:%Y-%m-%d %H:%M}"
