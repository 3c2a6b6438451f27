"""The selection pipeline's records: candidacies and their stage history, the offers,
and the quota ledger placements consume.

These models lived in `matching` until the selection app was split off; their tables
keep the old names (`matching_application`, ...) so that no row moved and the raw SQL
of analytics still reads them (docs/decisions/0014-apps-and-layers.md)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from migrants.models import MigrantProfile
from vacancies.choices import Housing
from vacancies.models import Vacancy


class Stage(models.TextChoices):
    """Where an application stands in the selection pipeline (EPS-like). The rules for
    moving between stages live in one table in `selection.services`."""

    APPLIED = "applied", _("Applied")
    PROPOSED = "proposed", _("Proposed")
    SHORTLISTED = "shortlisted", _("Awaiting review")
    APPROVED = "approved", _("Approved by the exchange")
    REJECTED = "rejected", _("Not approved")
    SELECTED = "selected", _("Selected by the employer")
    DECLINED_BY_EMPLOYER = "declined_by_employer", _("Declined by the employer")
    OFFERED = "offered", _("Offer sent")
    DECLINED_BY_WORKER = "declined_by_worker", _("Offer declined")
    PLACED = "placed", _("Placed")
    ARRIVED = "arrived", _("Arrived")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Stages after which nothing more happens to an application.
FINAL_STAGES = frozenset(
    {
        Stage.REJECTED,
        Stage.DECLINED_BY_EMPLOYER,
        Stage.DECLINED_BY_WORKER,
        Stage.ARRIVED,
        Stage.WITHDRAWN,
    }
)


# A worker in one of these is placed (an accepted offer is the placement): matching
# must not propose them, and they cannot apply elsewhere.
PLACED_STAGES = (Stage.PLACED, Stage.ARRIVED)
# Stages in which a candidacy holds a place in the quota (before it is reserved or used).
QUOTA_HELD_STAGES = (Stage.APPROVED, Stage.SELECTED)


class Origin(models.TextChoices):
    APPLIED = "applied", _("The worker applied")
    MATCHING = "matching", _("Proposed by matching")
    EMPLOYER = "employer", _("Invited by the employer")
    AGENCY = "agency", _("Proposed by an agency")


class Application(models.Model):
    """One worker's candidacy for one vacancy, from application or proposal to arrival."""

    vacancy = models.ForeignKey(
        Vacancy, verbose_name=_("vacancy"), on_delete=models.CASCADE, related_name="applications"
    )
    profile = models.ForeignKey(
        MigrantProfile,
        verbose_name=_("worker"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    # The agency that proposed the worker (origin AGENCY), if any.
    agency = models.ForeignKey(
        "exchange.Agency",
        verbose_name=_("agency"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    stage_changed_at = models.DateTimeField(_("stage changed"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The match score when the application was made (None for a worker without a match).
    score = models.FloatField(_("match score"), null=True, blank=True)
    placed_at = models.DateTimeField(_("placed"), null=True, blank=True)
    # The quota this candidacy counts against (a worker who needs a work permit, for a
    # quota-bound vacancy): held from approval, reserved by the offer, used by placement.
    quota = models.ForeignKey(
        "Quota",
        verbose_name=_("quota"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )

    class Meta:
        db_table = "matching_application"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "profile"], name="application_once"),
        ]
        indexes = [
            models.Index(fields=["vacancy", "stage"], name="application_vacancy_stage"),
            models.Index(fields=["profile", "stage"], name="application_profile_stage"),
            models.Index(fields=["stage", "stage_changed_at"], name="application_stage_age"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} → {self.vacancy_id}: {self.stage}"

    @property
    def is_open(self) -> bool:
        return self.stage not in FINAL_STAGES


class ApplicationTransition(models.Model):
    """One move of an application between stages: who, when, from, to and why."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason_code = models.CharField(_("reason"), max_length=40, blank=True)
    reason = models.TextField(_("comment"), blank=True)

    class Meta:
        db_table = "matching_applicationtransition"
        ordering = ["at", "pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_stage} → {self.to_stage}"


class Quota(models.Model):
    """The year's quota for foreign workers from visa countries in one region and one
    occupation group (any ISCO level): allotted by the state, reserved by open offers,
    used by placements. The database keeps reserved + used within the allotment."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(
        "exchange.Region", verbose_name=_("region"), on_delete=models.PROTECT
    )
    occupation = models.ForeignKey(
        "exchange.Occupation", verbose_name=_("occupation group"), on_delete=models.PROTECT
    )
    allotted = models.PositiveIntegerField(_("allotted"))
    reserved = models.PositiveIntegerField(_("reserved by offers"), default=0)
    used = models.PositiveIntegerField(_("used by placements"), default=0)

    class Meta:
        db_table = "matching_quota"
        ordering = ["-year", "region", "occupation"]
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region", "occupation"], name="quota_once_per_group"
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0, used__gte=0)
                & Q(allotted__gte=F("reserved") + F("used")),
                name="quota_within_allotment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.region_id} {self.occupation_id}: {self.used}/{self.allotted}"

    @property
    def left(self) -> int:
        return self.allotted - self.reserved - self.used


class OfferTerms(models.Model):
    """The terms an employer offers a selected worker: copied from the vacancy when the
    offer is drafted and editable before it is sent. Kept apart from Application so
    that every application row stays small; one offer per application."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="offer", verbose_name=_("application")
    )
    wage = models.PositiveIntegerField(_("monthly wage"))
    currency = models.CharField(_("currency"), max_length=3, default="RUB")
    start_date = models.DateField(_("start date"))
    contract_months = models.PositiveSmallIntegerField(_("contract length, months"))
    housing = models.CharField(_("housing"), max_length=20, choices=Housing.choices, blank=True)
    note = models.TextField(_("other terms"), blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        db_table = "matching_offerterms"
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.wage} {self.currency}"
