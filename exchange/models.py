"""Shared core models: accounts, organizations and reference data."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from exchange.choices import (
    FederalDistrict,
    LicenceStatus,
    OccupationLevel,
    RegionKind,
    Role,
    VerificationStatus,
)
from exchange.classifications import COUNTRY_CODES, country_choices, country_name
from exchange.validators import (
    compact_number,
    validate_inn,
    validate_inn_matches_ogrn,
    validate_ogrn,
)

LANGUAGE_CHOICES = settings.LANGUAGES


class WebsiteField(models.URLField):
    """A URL field whose form adds https:// to an address typed without a scheme
    (Django 6's default; 5.2 would add http:// and warn)."""

    def formfield(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)


# --- Reference data -------------------------------------------------------------


class LocalizedTitleMixin:
    """Picks `title_<language>` for the active language, falling back to
    Russian (which the migrant languages' speakers read) and then English."""

    def localized(self, prefix: str, language: str | None = None) -> str:
        lang = (language or get_language() or "en").split("-")[0]
        for candidate in (lang, "ru", "en"):
            value = getattr(self, f"{prefix}_{candidate}", "")
            if value:
                return value
        return ""


class Occupation(LocalizedTitleMixin, models.Model):
    """An ISCO-08 group at any of its four levels (ОК 010-2014 uses the same codes).

    The code is the key: codes are stable, and they nest (a unit group's code
    starts with its minor, sub-major and major groups' codes).
    """

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=OccupationLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_ru = models.CharField(_("title (Russian)"), max_length=255)
    title_uz = models.CharField(_("title (Uzbek)"), max_length=255, blank=True)
    title_tg = models.CharField(_("title (Tajik)"), max_length=255, blank=True)
    title_ky = models.CharField(_("title (Kyrgyz)"), max_length=255, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation (ISCO-08)")
        verbose_name_plural = _("occupations (ISCO-08)")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="occupation_level_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return self.localized("title")


class Skill(LocalizedTitleMixin, models.Model):
    """A skill from the exchange's curated list (shipped in data/skills.csv,
    extendable by administrators), linked to the ISCO-08 groups it belongs to.

    A link to a major, sub-major or minor group covers every unit group below it.
    """

    code = models.SlugField(_("code"), max_length=80, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    title_uz = models.CharField(_("title (Uzbek)"), max_length=200, blank=True)
    title_tg = models.CharField(_("title (Tajik)"), max_length=200, blank=True)
    title_ky = models.CharField(_("title (Kyrgyz)"), max_length=200, blank=True)
    occupations = models.ManyToManyField(
        Occupation, verbose_name=_("occupation groups"), related_name="skills", blank=True
    )
    is_active = models.BooleanField(
        _("offered in pickers"), default=True, help_text=_("Retired skills stay on old records.")
    )

    class Meta:
        ordering = ["title_en"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.localized("title")


class Region(LocalizedTitleMixin, models.Model):
    """A federal subject of the Russian Federation, keyed by its two-digit code."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    iso_code = models.CharField(_("ISO 3166-2 code"), max_length=6, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=120, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=RegionKind.choices)
    federal_district = models.CharField(
        _("federal district"), max_length=20, choices=FederalDistrict.choices
    )

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        # Region names have no Central Asian spellings of their own; the
        # migrant languages fall back to Russian.
        return self.localized("name")


# --- Organizations ----------------------------------------------------------------


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


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, phone, password, **extra):
        if not email and not phone:
            raise ValueError("A user needs an e-mail address or a phone number")
        email = self.normalize_email(email) or None
        user = self.model(email=email, phone=phone or None, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, *, phone=None, **extra):
        extra.setdefault("role", Role.MIGRANT)
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, phone, password, **extra)

    def create_superuser(self, email=None, password=None, *, phone=None, **extra):
        extra.update(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
        return self._create_user(email, phone, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. People sign in with their e-mail address or phone number
    (stored in E.164); migrants often have only a phone."""

    email = models.EmailField(_("e-mail address"), unique=True, null=True, blank=True)
    phone = PhoneNumberField(_("phone number"), unique=True, null=True, blank=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MIGRANT)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=LANGUAGE_CHOICES, blank=True
    )
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("May sign in to the admin site.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(email__isnull=False) | Q(phone__isnull=False),
                name="user_has_email_or_phone",
            ),
            models.CheckConstraint(
                condition=Q(employer__isnull=True) | Q(role=Role.EMPLOYER),
                name="user_employer_only_for_employer_role",
            ),
            models.CheckConstraint(
                condition=Q(agency__isnull=True) | Q(role=Role.AGENCY),
                name="user_agency_only_for_agency_role",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.login

    @property
    def login(self) -> str:
        return self.email or str(self.phone)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.login

    def clean(self) -> None:
        super().clean()
        if self.email:
            self.email = self.__class__.objects.normalize_email(self.email)
        if not self.email and not self.phone:
            raise ValidationError(_("Give an e-mail address or a phone number."))

    @property
    def is_migrant(self) -> bool:
        return self.role == Role.MIGRANT

    @property
    def is_employer_member(self) -> bool:
        return self.role == Role.EMPLOYER

    @property
    def is_agency_member(self) -> bool:
        return self.role == Role.AGENCY

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR and self.is_staff and self.is_active


# --- Operations -----------------------------------------------------------------------


class WorkerHeartbeat(models.Model):
    """Last time each Celery worker ran the beat heartbeat task; read by /healthz."""

    hostname = models.CharField(max_length=255, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.hostname} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
