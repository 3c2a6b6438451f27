"""One-time codes that let a worker take over a profile an agency registered."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from migrants.models.profile import MigrantProfile


class ClaimCode(models.Model):
    """A one-time code that lets a worker take over a profile an agency registered.
    Only a keyed hash of the code is stored."""

    profile = models.ForeignKey(MigrantProfile, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    sent_to = models.CharField(max_length=254)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    MAX_ATTEMPTS = 5

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"claim code for #{self.profile_id}"

    @property
    def is_usable(self) -> bool:
        return (
            self.used_at is None
            and self.attempts < self.MAX_ATTEMPTS
            and self.expires_at > timezone.now()
        )
