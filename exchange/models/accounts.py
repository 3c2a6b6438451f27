"""Accounts: the user (every role signs in by e-mail or phone) and the worker heartbeat."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from exchange.choices import (
    Role,
)
from exchange.models.organizations import Agency, Employer

LANGUAGE_CHOICES = settings.LANGUAGES


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
