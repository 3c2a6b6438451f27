"""The registry of potential migrant workers: profiles, consent, documents,
change history, duplicates, and the legal rules that say what a worker needs."""

import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from exchange.choices import CEFRLevel, EducationLevel, Role, VerificationStatus
from exchange.classifications import country_choices, country_name, language_name
from exchange.models import Agency, LocalizedTitleMixin, Occupation, Region, Skill, Verifiable
from migrants.choices import (
    ConsentMethod,
    DocumentType,
    FlagStatus,
    Gender,
    NotificationChannel,
    Regime,
    RequestStatus,
)
from migrants.crypto import EncryptedCharField, mask
from migrants.storage import get_private_storage

ADULT_AGE = 18

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


class MigrantOccupation(models.Model):
    """An ISCO-08 unit group the worker has worked in, with years of experience."""

    profile = models.ForeignKey(
        MigrantProfile, on_delete=models.CASCADE, related_name="occupations"
    )
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation"),
        on_delete=models.PROTECT,
        limit_choices_to={"level": 4},
        related_name="+",
    )
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), default=0)

    class Meta:
        ordering = ["-years_experience", "occupation_id"]
        verbose_name = _("occupation of a worker")
        verbose_name_plural = _("occupations of workers")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "occupation"], name="migrant_occupation_once"
            ),
            models.CheckConstraint(
                condition=Q(years_experience__lte=60), name="migrant_occupation_years_max_60"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} ({self.years_experience})"


class MigrantLanguage(models.Model):
    """A language the worker speaks (ISO 639-1) at a CEFR level."""

    profile = models.ForeignKey(MigrantProfile, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=3)
    level = models.CharField(_("level"), max_length=10, choices=CEFRLevel.choices)

    class Meta:
        ordering = ["language"]
        verbose_name = _("language of a worker")
        verbose_name_plural = _("languages of workers")
        constraints = [
            models.UniqueConstraint(fields=["profile", "language"], name="migrant_language_once"),
        ]

    def __str__(self) -> str:
        return f"{self.language_name} {self.level}"

    @property
    def language_name(self) -> str:
        return language_name(self.language)


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


# --- Legal rules ------------------------------------------------------------------


class CountryRegime(models.Model):
    """Which regime a citizenship falls under; countries not listed are visa countries."""

    country = models.CharField(_("citizenship"), max_length=2, choices=country_choices, unique=True)
    regime = models.CharField(_("regime"), max_length=20, choices=Regime.choices)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["regime", "country"]
        verbose_name = _("citizenship regime")
        verbose_name_plural = _("citizenship regimes")

    def __str__(self) -> str:
        return f"{country_name(self.country)}: {self.get_regime_display()}"


class RegimeStep(LocalizedTitleMixin, models.Model):
    """One step or document a regime requires, with its deadline and legal basis."""

    regime = models.CharField(_("regime"), max_length=20, choices=Regime.choices)
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ru = models.CharField(_("title (Russian)"), max_length=200)
    title_uz = models.CharField(_("title (Uzbek)"), max_length=200, blank=True)
    title_tg = models.CharField(_("title (Tajik)"), max_length=200, blank=True)
    title_ky = models.CharField(_("title (Kyrgyz)"), max_length=200, blank=True)
    detail_en = models.TextField(_("explanation (English)"), blank=True)
    detail_ru = models.TextField(_("explanation (Russian)"), blank=True)
    detail_uz = models.TextField(_("explanation (Uzbek)"), blank=True)
    detail_tg = models.TextField(_("explanation (Tajik)"), blank=True)
    detail_ky = models.TextField(_("explanation (Kyrgyz)"), blank=True)
    deadline_days = models.PositiveSmallIntegerField(
        _("deadline, days after entry"), null=True, blank=True
    )
    deadline_working_days = models.BooleanField(_("deadline counts working days"), default=False)
    cost_rub = models.PositiveIntegerField(_("typical cost, roubles"), null=True, blank=True)
    monthly_regional_fee = models.BooleanField(
        _("paid monthly at the regional patent rate"), default=False
    )
    proof_document = models.CharField(
        _("document that proves it"), max_length=20, choices=DocumentType.choices, blank=True
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        ordering = ["regime", "order"]
        verbose_name = _("regime step")
        verbose_name_plural = _("regime steps")
        constraints = [
            models.UniqueConstraint(fields=["regime", "code"], name="regime_step_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_regime_display()}: {self.title}"

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def detail(self) -> str:
        return self.localized("detail")


class PatentRate(models.Model):
    """The monthly fixed advance payment of income tax for a patent, set by each region."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"))
    monthly_rub = models.PositiveIntegerField(_("roubles a month"))

    class Meta:
        ordering = ["region__name_ru", "-year"]
        verbose_name = _("regional patent rate")
        verbose_name_plural = _("regional patent rates")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="patent_rate_once_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}: {self.monthly_rub} ₽"
