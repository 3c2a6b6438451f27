"""The worker's profile, its QuerySet (who may see which profiles), and the adult-age rule."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from exchange.choices import EducationLevel, Role, VerificationStatus
from exchange.classifications import country_choices, country_name
from exchange.models import Agency, Region, Skill, Verifiable
from migrants.choices import DocumentType, Gender, NotificationChannel
from migrants.crypto import EncryptedCharField, mask

ADULT_AGE = 18


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def validate_adult(birth_date: datetime.date) -> None:
    today = timezone.localdate()
    if birth_date > today:
        raise ValidationError(_("The date of birth is in the future."), code="future")
    if age_on(birth_date, today) < ADULT_AGE:
        raise ValidationError(
            _("Only adults can register: you must be at least %(age)d years old.")
            % {"age": ADULT_AGE},
            code="under_age",
        )
    if birth_date.year < 1900:
        raise ValidationError(_("Check the year of birth."), code="too_old")


class MigrantProfileQuerySet(models.QuerySet):
    def active(self):
        """Not erased and not merged into another profile."""
        return self.filter(erased_at__isnull=True, merged_into__isnull=True)

    def matchable(self):
        """Profiles matching may propose: verified, visible, not erased."""
        return self.active().filter(
            verification_status=VerificationStatus.VERIFIED, is_visible=True
        )

    def for_agency(self, agency_id):
        """Registered by the agency, or shared with it by an administrator."""
        return self.active().filter(
            Q(registered_by_id=agency_id)
            | Q(access_requests__agency_id=agency_id, access_requests__status="granted")
        )

    def visible_to(self, user):
        """The only profiles `user` may open: their own, their agency's, or all for
        administrators. Everything else is a 404."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_administrator:
            return self.active()
        if user.role == Role.AGENCY and user.agency_id:
            return self.for_agency(user.agency_id).distinct()
        if user.role == Role.MIGRANT:
            return self.active().filter(user=user)
        return self.none()

    def awaiting_verification(self):
        return self.active().filter(
            verification_status=VerificationStatus.PENDING, submitted_at__isnull=False
        )


class MigrantProfile(Verifiable):
    """A potential migrant worker, registered by themselves or by a partner agency.

    Identity fields may be empty while the worker fills the profile in steps;
    `completeness()` says what is missing, and only a submitted profile enters
    the verification queue.
    """

    REJECTION_NEEDS_REASON = _("Say why: the worker and the agency see the reason.")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="migrant_profile",
    )
    registered_by = models.ForeignKey(
        Agency,
        verbose_name=_("registered by agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_workers",
    )
    # The registering agency's own reference for the worker (partner API): unique per
    # agency, so a retried create or a re-sent import file creates nothing new.
    external_id = models.CharField(  # noqa: DJ001
        _("agency's reference"), max_length=100, null=True, blank=True
    )
    registered_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Identity
    first_name_latin = models.CharField(_("first name (Latin)"), max_length=100, blank=True)
    last_name_latin = models.CharField(_("last name (Latin)"), max_length=100, blank=True)
    first_name_cyrillic = models.CharField(_("first name (Cyrillic)"), max_length=100, blank=True)
    last_name_cyrillic = models.CharField(_("last name (Cyrillic)"), max_length=100, blank=True)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    citizenship = models.CharField(
        _("citizenship"), max_length=2, choices=country_choices, blank=True
    )
    passport_number = EncryptedCharField(_("passport number"), blank=True)
    # NULL, not "", when there is no passport: the unique constraint ignores NULLs.
    passport_hash = models.CharField(  # noqa: DJ001
        _("passport keyed hash"), max_length=64, null=True, blank=True, editable=False
    )
    passport_expiry = models.DateField(_("passport valid until"), null=True, blank=True)
    # Contacts
    phone = PhoneNumberField(_("phone number"), blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    notification_channel = models.CharField(
        _("send notifications by"),
        max_length=10,
        choices=NotificationChannel.choices,
        default=NotificationChannel.SMS,
    )
    # Work profile
    education = models.CharField(
        _("education"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="migrant_profiles"
    )
    desired_regions = models.ManyToManyField(
        Region, verbose_name=_("desired regions"), blank=True, related_name="+"
    )
    anywhere_in_russia = models.BooleanField(_("ready to work anywhere in Russia"), default=False)
    min_salary = models.PositiveIntegerField(
        _("minimum salary (roubles a month)"), null=True, blank=True
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    rotation_ok = models.BooleanField(_("ready for rotation work (vakhta)"), default=False)
    driving_categories = models.JSONField(_("driving licence categories"), default=list, blank=True)
    # Verification and state
    submitted_at = models.DateTimeField(_("submitted for verification at"), null=True, blank=True)
    is_visible = models.BooleanField(_("visible to employers"), default=True)
    claimed_at = models.DateTimeField(_("claimed by the worker at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MigrantProfileQuerySet.as_manager()

    # Fields whose change sends a verified profile back to the verification queue.
    IDENTITY_FIELDS = (
        "first_name_latin",
        "last_name_latin",
        "first_name_cyrillic",
        "last_name_cyrillic",
        "patronymic",
        "birth_date",
        "gender",
        "citizenship",
        "passport_number",
        "passport_expiry",
    )

    class Meta:
        ordering = ["last_name_latin", "first_name_latin"]
        verbose_name = _("migrant worker profile")
        verbose_name_plural = _("migrant worker profiles")
        constraints = [
            # Same citizenship and passport number = the same person: a hard stop,
            # across agencies too (the hash covers both).
            models.UniqueConstraint(fields=["passport_hash"], name="migrant_unique_passport"),
            models.CheckConstraint(
                condition=Q(user__isnull=False)
                | Q(registered_by__isnull=False)
                | Q(erased_at__isnull=False)
                | Q(merged_into__isnull=False),
                name="migrant_has_owner",
            ),
            models.UniqueConstraint(
                fields=["registered_by", "external_id"],
                condition=Q(external_id__isnull=False),
                name="migrant_external_id_once_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(passport_hash__isnull=True) | ~Q(citizenship=""),
                name="migrant_passport_needs_citizenship",
            ),
        ]
        indexes = [
            models.Index(fields=["citizenship", "birth_date"], name="migrant_dup_lookup"),
            models.Index(fields=["verification_status", "submitted_at"], name="migrant_queue"),
        ]

    def __str__(self) -> str:
        return self.full_name or gettext("Profile #%(pk)s") % {"pk": self.pk}

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.first_name_latin, self.last_name_latin) if part
        ) or " ".join(part for part in (self.first_name_cyrillic, self.last_name_cyrillic) if part)

    @property
    def full_name_cyrillic(self) -> str:
        return " ".join(
            part
            for part in (self.last_name_cyrillic, self.first_name_cyrillic, self.patronymic)
            if part
        )

    @property
    def masked_passport(self) -> str:
        return mask(self.passport_number)

    @property
    def citizenship_name(self) -> str:
        return country_name(self.citizenship) if self.citizenship else ""

    @property
    def is_claimed(self) -> bool:
        return self.user_id is not None

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def age(self) -> int | None:
        return age_on(self.birth_date, timezone.localdate()) if self.birth_date else None

    @property
    def contact_for_notifications(self) -> str:
        if self.notification_channel == NotificationChannel.EMAIL and self.email:
            return self.email
        return str(self.phone) if self.phone else self.email

    def is_available(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.available_from is None or self.available_from <= on

    def completeness(self) -> tuple[int, list[str]]:
        """(percent done, what is still missing, in the words the worker reads)."""
        checks = [
            (
                bool(self.first_name_latin and self.last_name_latin),
                gettext("Your name in Latin letters"),
            ),
            (
                bool(self.first_name_cyrillic and self.last_name_cyrillic),
                gettext("Your name in Cyrillic letters"),
            ),
            (bool(self.birth_date and self.gender), gettext("Date of birth and gender")),
            (bool(self.citizenship), gettext("Citizenship")),
            (
                bool(self.passport_number and self.passport_expiry),
                gettext("Passport number and expiry date"),
            ),
            (bool(self.phone or self.email), gettext("A phone number or e-mail address")),
            (bool(self.preferred_language), gettext("Preferred language")),
            (self.pk is not None and self.occupations.exists(), gettext("At least one occupation")),
            (self.pk is not None and self.languages.exists(), gettext("Languages you speak")),
            (bool(self.education), gettext("Education")),
            (
                self.anywhere_in_russia or (self.pk is not None and self.desired_regions.exists()),
                gettext("Where in Russia you want to work"),
            ),
            (self.min_salary is not None, gettext("Minimum salary")),
            (self.available_from is not None, gettext("When you can start")),
            (
                self.pk is not None
                and self.documents.filter(doc_type=DocumentType.PASSPORT).exists(),
                gettext("A scan of your passport"),
            ),
        ]
        done = sum(1 for ok, _label in checks if ok)
        return round(100 * done / len(checks)), [label for ok, label in checks if not ok]

    @property
    def completeness_percent(self) -> int:
        return self.completeness()[0]
