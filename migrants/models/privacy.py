"""Personal data rights: the consent text and its records, and requests to erase a profile."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.models import Agency
from migrants.choices import ConsentMethod, RequestStatus
from migrants.models.profile import MigrantProfile
from migrants.storage import get_private_storage

# The consent text a worker agrees to; a new wording gets a new version, and
# every ConsentRecord keeps the version it was given for.
CONSENT_TEXT_VERSION = "2026-11"
CONSENT_TEXT = _(
    "I agree that the Labor Exchange and the partner agency that registers me process my "
    "personal data (names, date of birth, citizenship, passport details, contacts, work "
    "experience, skills, languages, documents I upload) to find me work in Russia, to check "
    "my documents and to tell me what permits a job requires. Employers see my work profile "
    "only, never my passport number. I can download my data or ask for it to be erased at "
    "any time; a record that I gave this consent is kept as the law requires."
)


class ConsentRecord(models.Model):
    """The worker's consent to processing of personal data: when, to which text
    version, how it was obtained and by whom (an agency keeps the evidence)."""

    profile = models.ForeignKey(MigrantProfile, on_delete=models.CASCADE, related_name="consents")
    text_version = models.CharField(_("consent text version"), max_length=20)
    given_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    obtained_on = models.DateField(_("obtained on"), null=True, blank=True)
    method = models.CharField(
        _("how it was obtained"), max_length=20, choices=ConsentMethod.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence = models.FileField(
        _("evidence (signed form)"), storage=get_private_storage, upload_to="consents", blank=True
    )
    note = models.TextField(_("note"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.text_version} {self.get_method_display()} {self.given_at:%Y-%m-%d}"


class ErasureRequest(models.Model):
    """A worker asks for their data to be erased; an administrator confirms."""

    profile = models.ForeignKey(
        MigrantProfile, on_delete=models.CASCADE, related_name="erasure_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["requested_at"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["profile"], condition=Q(status="pending"), name="erasure_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.profile_id} ({self.status})"
