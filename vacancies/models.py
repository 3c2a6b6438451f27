"""The database of labor demand: vacancies, their language requirements and history."""

from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from exchange.choices import CEFRLevel, EducationLevel
from exchange.classifications import currency_choices, language_choices
from exchange.models import Employer, Occupation, Region, Skill
from vacancies.choices import (
    EmploymentType,
    Housing,
    Meals,
    SalaryBasis,
    Schedule,
    VacancyStatus,
)

# Which status may follow which: the one table every transition is checked against.
# Who may make each move (employer, administrator, the system) is decided in services.py.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    VacancyStatus.DRAFT: {VacancyStatus.SUBMITTED, VacancyStatus.CLOSED},
    VacancyStatus.SUBMITTED: {
        VacancyStatus.PUBLISHED,
        VacancyStatus.REJECTED,
        VacancyStatus.DRAFT,  # the employer takes it back to change it
        VacancyStatus.CLOSED,
    },
    VacancyStatus.PUBLISHED: {
        VacancyStatus.SUBMITTED,  # substantive edit: back to moderation
        VacancyStatus.FILLED,
        VacancyStatus.CLOSED,
        VacancyStatus.EXPIRED,
    },
    VacancyStatus.REJECTED: {VacancyStatus.SUBMITTED, VacancyStatus.DRAFT, VacancyStatus.CLOSED},
    VacancyStatus.FILLED: {VacancyStatus.PUBLISHED, VacancyStatus.CLOSED},
    VacancyStatus.EXPIRED: {VacancyStatus.SUBMITTED, VacancyStatus.CLOSED},
    VacancyStatus.CLOSED: set(),
}

# Statuses in which the employer edits freely; elsewhere an edit needs moderation again.
EDITABLE_STATUSES = {VacancyStatus.DRAFT, VacancyStatus.REJECTED, VacancyStatus.SUBMITTED}


@lru_cache(maxsize=1024)
def unit_codes_under(code: str) -> tuple[str, ...]:
    """ISCO unit groups under a group code. ISCO-08 is reference data that changes only
    by migration (and a restart), so the answer is cached per process."""
    return tuple(
        Occupation.objects.filter(level=4, code__startswith=code).values_list("code", flat=True)
    )


class VacancyQuerySet(models.QuerySet):
    def visible_to_public(self, today=None):
        """Published and not past the expiry date (the daily expiry task may not have run yet)."""
        today = today or timezone.localdate()
        return self.filter(status=VacancyStatus.PUBLISHED, expires_on__gte=today)

    def of_employer(self, employer_id):
        return self.filter(employer_id=employer_id)

    def in_occupation_group(self, code: str):
        """Vacancies whose unit group lies in the ISCO group `code` (any level)."""
        return self.filter(occupation_id__in=unit_codes_under(code))

    def count_by_status(self) -> dict[str, int]:
        """{status: number of vacancies}, in one grouped query; absent statuses are absent."""
        return dict(self.values_list("status").annotate(n=models.Count("pk")).order_by())


class Vacancy(models.Model):
    """A job order: an employer's demand for a number of workers in one occupation."""

    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="vacancies"
    )
    occupation = models.ForeignKey(
        Occupation,
        verbose_name=_("occupation (ISCO-08)"),
        on_delete=models.PROTECT,
        related_name="vacancies",
        limit_choices_to={"level": 4},
    )
    title = models.CharField(_("job title"), max_length=200)
    description = models.TextField(_("description"))
    duties = models.TextField(_("duties"), blank=True)
    requirements = models.TextField(_("requirements"), blank=True)

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    city = models.CharField(_("city or town"), max_length=120)
    address = models.CharField(_("work address"), max_length=300, blank=True)

    positions_total = models.PositiveIntegerField(_("positions"), default=1)
    positions_filled = models.PositiveIntegerField(_("positions filled"), default=0)

    salary_min = models.PositiveIntegerField(_("salary from"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary up to"), null=True, blank=True)
    # The best pay on offer (0 when none is stated), for sorting and the minimum-salary
    # filter; computed by the database, never NULL so that one index serves the sort.
    salary_top = models.GeneratedField(
        expression=Coalesce(F("salary_max"), F("salary_min"), Value(0)),
        output_field=models.PositiveIntegerField(),
        db_persist=True,
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=currency_choices, default="RUB"
    )
    salary_basis = models.CharField(
        _("salary is"), max_length=5, choices=SalaryBasis.choices, default=SalaryBasis.GROSS
    )

    employment_type = models.CharField(
        _("employment type"),
        max_length=20,
        choices=EmploymentType.choices,
        default=EmploymentType.FULL,
    )
    schedule = models.CharField(
        _("schedule"), max_length=20, choices=Schedule.choices, default=Schedule.FULL_DAY
    )
    contract_months = models.PositiveSmallIntegerField(
        _("contract length, months"), null=True, blank=True
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)

    skills = models.ManyToManyField(
        Skill, verbose_name=_("required skills"), related_name="vacancies", blank=True
    )
    experience_years = models.PositiveSmallIntegerField(_("experience, years"), default=0)
    education = models.CharField(
        _("minimum education"),
        max_length=20,
        choices=EducationLevel.choices,
        default=EducationLevel.NONE,
    )

    housing = models.CharField(
        _("housing"), max_length=20, choices=Housing.choices, blank=True, default=Housing.NONE
    )
    meals = models.CharField(
        _("meals"), max_length=20, choices=Meals.choices, blank=True, default=Meals.NONE
    )
    transport_provided = models.BooleanField(_("transport to the work site"), default=False)
    medical_card_required = models.BooleanField(
        _("medical record book (medknizhka) required"), default=False
    )
    document_help = models.BooleanField(_("help with documents and permits"), default=False)
    open_to_foreign_workers = models.BooleanField(_("open to foreign workers"), default=True)
    quota_bound = models.BooleanField(
        _("within the quota for foreign workers"),
        default=False,
        help_text=_("Workers from visa countries need a work permit within the region's quota."),
    )

    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_phone = PhoneNumberField(_("contact phone"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    expires_on = models.DateField(
        _("expiry date"),
        null=True,
        blank=True,
        help_text=_(
            "The vacancy leaves the search after this day. Empty: 60 days after publication."
        ),
    )

    # Lower-cased text of everything searchable (title, description, occupation and
    # skill titles in every language); kept by services.refresh_search_text().
    search_text = models.TextField(editable=False, blank=True, default="")
    # PostgreSQL only: filled by a trigger from title and search_text (migration 0002);
    # on SQLite it stays empty and search falls back to search_text.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(positions_filled__lte=F("positions_total")),
                name="vacancy_filled_not_above_total",
            ),
            models.CheckConstraint(
                condition=Q(positions_total__gte=1), name="vacancy_at_least_one_position"
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=F("salary_max")),
                name="vacancy_salary_min_not_above_max",
            ),
        ]
        # Partial indexes for the public search paths: only published rows are searched.
        indexes = [
            models.Index(
                fields=["-published_at", "-id"],
                name="vacancy_pub_newest",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["occupation", "-published_at", "-id"],
                name="vacancy_pub_occupation",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["region", "-published_at", "-id"],
                name="vacancy_pub_region",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["-salary_top", "-id"],
                name="vacancy_pub_salary",
                condition=Q(status="published"),
            ),
            models.Index(fields=["employer", "status"], name="vacancy_employer_status"),
            models.Index(fields=["status", "submitted_at"], name="vacancy_status_submitted"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("vacancy_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.occupation_id and len(self.occupation_id) != 4:
            errors["occupation"] = _("Choose an exact occupation (an ISCO-08 unit group).")
        if self.salary_min and self.salary_max and self.salary_min > self.salary_max:
            errors["salary_max"] = _("The upper salary must not be below the lower one.")
        if self.positions_filled > self.positions_total:
            errors["positions_filled"] = _("More positions filled than the vacancy has.")
        if self.expires_on and self.expires_on < timezone.localdate():
            errors["expires_on"] = _("The expiry date has already passed.")
        if errors:
            raise ValidationError(errors)

    @property
    def positions_open(self) -> int:
        return self.positions_total - self.positions_filled

    @property
    def housing_provided(self) -> bool:
        return bool(self.housing)

    @property
    def is_public(self) -> bool:
        return self.status == VacancyStatus.PUBLISHED and (
            self.expires_on is None or self.expires_on >= timezone.localdate()
        )

    @property
    def is_editable_without_moderation(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def may_become(self, status: str) -> bool:
        return status in ALLOWED_TRANSITIONS[self.status]


class VacancyLanguage(models.Model):
    """A language the job needs, at least at the given CEFR level."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, choices=language_choices)
    # CEFR codes sort in level order as strings (A1 < A2 < ... < C2 < native), which the
    # "required level at most" search filter relies on.
    min_level = models.CharField(_("minimum level"), max_length=6, choices=CEFRLevel.choices)

    class Meta:
        verbose_name = _("language requirement")
        verbose_name_plural = _("language requirements")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "language"], name="vacancy_language_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ≥ {self.min_level}"


class VacancyTransition(models.Model):
    """One change of a vacancy's status: who, when, from, to and why."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("from"), max_length=20, choices=VacancyStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=VacancyStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the system made the change (for example expiry)."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.vacancy_id}: {self.from_status} → {self.to_status}"
