"""Organizations: employers and licensed partner agencies, and what verifying them records."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from exchange.choices import (
    LicenceStatus,
    VerificationStatus,
)
from exchange.classifications import COUNTRY_CODES, country_choices, country_name
from exchange.models.classifications import Region
from exchange.validators import (
    compact_number,
    validate_inn,
    validate_inn_matches_ogrn,
    validate_ogrn,
)


class WebsiteField(models.URLField):
    """A URL field whose form adds https:// to an address typed without a scheme
    (Django 6's default; 5.2 would add http:// and warn)."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


# --- Reference data -------------------------------------------------------------


class Verifiable(models.Model):
    """Something an administrator checks (an employer, a worker's profile, a document):
    its status, the note its owner sees, and who decided when."""

    verification_status = models.CharField(
        _("verification status"),
        max_length=20,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
    )
    verification_note = models.TextField(_("note from the administrator"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The message when an administrator rejects without a reason; subclasses say who reads it.
    REJECTION_NEEDS_REASON = _("Say why it is rejected: the owner sees the reason.")

    class Meta:
        abstract = True

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    def verify(self, *, by) -> None:
        self.verification_status = VerificationStatus.VERIFIED
        self.verification_note = ""
        self.verified_at = timezone.now()
        self.verified_by = by
        self.save(update_fields=self._verification_fields())

    def reject(self, *, by, reason: str) -> None:
        if not reason.strip():
            raise ValidationError(self.REJECTION_NEEDS_REASON)
        self.verification_status = VerificationStatus.REJECTED
        self.verification_note = reason.strip()
        self.verified_at = None
        self.verified_by = by
        self.save(update_fields=self._verification_fields())

    def _verification_fields(self) -> list[str]:
        fields = ["verification_status", "verification_note", "verified_at", "verified_by"]
        if any(field.name == "updated_at" for field in self._meta.concrete_fields):
            fields.append("updated_at")  # auto_now fields are saved only when named
        return fields


class Employer(Verifiable):
    """A company or individual entrepreneur that posts vacancies.

    Only a verified employer may publish demand; an administrator verifies the
    registration numbers and contacts.
    """

    legal_name = models.CharField(_("legal name"), max_length=300)
    inn = models.CharField(_("INN"), max_length=12, unique=True, validators=[validate_inn])
    ogrn = models.CharField(
        _("OGRN / OGRNIP"), max_length=15, unique=True, validators=[validate_ogrn]
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    address = models.CharField(_("legal address"), max_length=500)
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = PhoneNumberField(_("contact phone"))
    website = WebsiteField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Changing any of these after verification needs a new check.
    LEGAL_FIELDS = ("legal_name", "inn", "ogrn")
    REJECTION_NEEDS_REASON = _("Say why the registration is rejected: the employer sees it.")

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        indexes = [models.Index(fields=["verification_status", "created_at"])]

    def __str__(self) -> str:
        return self.legal_name

    def get_absolute_url(self) -> str:
        return reverse("employer_detail", args=[self.pk])

    def clean(self) -> None:
        self.inn = compact_number(self.inn)
        self.ogrn = compact_number(self.ogrn)
        if self.inn and self.ogrn:
            try:
                validate_inn_matches_ogrn(self.inn, self.ogrn)
            except ValidationError as error:
                raise ValidationError({"ogrn": error}) from None

    def request_reverification(self) -> None:
        """After the legal details change, the old check no longer holds."""
        self.verification_status = VerificationStatus.PENDING
        self.verified_at = None
        self.verified_by = None


class Agency(models.Model):
    """A licensed recruitment agency in a country of origin; created by administrators."""

    name = models.CharField(_("name"), max_length=300)
    country = models.CharField(_("country"), max_length=2, choices=country_choices)
    licence_number = models.CharField(_("licence number"), max_length=100)
    licence_status = models.CharField(
        _("licence status"),
        max_length=20,
        choices=LicenceStatus.choices,
        default=LicenceStatus.VALID,
    )
    licence_valid_until = models.DateField(_("licence valid until"), null=True, blank=True)
    countries_served = models.JSONField(
        _("countries served"),
        default=list,
        blank=True,
        help_text=_("ISO codes of the countries whose workers the agency recruits."),
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = PhoneNumberField(_("contact phone"), blank=True)
    website = WebsiteField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner agency")
        verbose_name_plural = _("partner agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "licence_number"], name="agency_unique_licence_per_country"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [code for code in self.countries_served if code not in COUNTRY_CODES]
        if unknown:
            raise ValidationError(
                {
                    "countries_served": _("Unknown country codes: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )

    @property
    def may_operate(self) -> bool:
        """A suspended or revoked licence stops the agency registering workers."""
        return self.licence_status == LicenceStatus.VALID

    @property
    def countries_served_names(self) -> list[str]:
        return [country_name(code) for code in self.countries_served]


# --- Accounts -----------------------------------------------------------------------
