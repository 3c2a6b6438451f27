"""Summary tables of the labour market, rebuilt by `analytics.refresh`.

Nothing here is edited by hand: every row is derived from vacancies, worker
profiles, applications and quotas, so a refresh may delete and rebuild any of it.
Two kinds of table:

- snapshots (`BalanceCell`, `SupplyShare`): the state of the market on the
  `as_of` day, one set of rows per month (the current month's rows are replaced at
  every refresh, so a past month keeps the state of its last refresh);
- monthly flows (`VacancyMonth`, `ApplicationMonth`, `PlacementMonth`,
  `RegistrationMonth`): counts of events by the month they happened in.

The rules (what counts as demand, supply, a fit, a placement) are in
docs/analytics.md and in the SQL of analytics/refresh/.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from exchange.models import Agency, Occupation, Region
from selection.models import Stage

# The summary tables are derived data, rebuilt wholesale: their foreign keys carry no
# database constraint, because checking ~100,000 inserted rows one by one against
# reference data that is never deleted would cost more than the rest of the refresh.


def _region():
    return models.ForeignKey(
        Region,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )


def _occupation():
    return models.ForeignKey(
        Occupation,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )


def _agency():
    return models.ForeignKey(
        Agency,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )


class BalanceCell(models.Model):
    """Demand, supply and placements in one region (NULL: all of Russia) and one ISCO
    group at any level (NULL with level 0: all occupations), as of a day.

    Supply counts distinct workers, so a group's supply is not the sum of its unit
    groups' (a welder who is also a fitter counts once in the minor group)."""

    month = models.DateField(_("month"))
    as_of = models.DateField(_("as of"))
    region = _region()
    occupation = _occupation()
    level = models.PositiveSmallIntegerField(_("ISCO level"))  # 0 = all occupations
    demand = models.PositiveIntegerField(_("open positions"), default=0)
    vacancies = models.PositiveIntegerField(_("open vacancies"), default=0)
    supply = models.PositiveIntegerField(_("available workers"), default=0)
    placements = models.PositiveIntegerField(_("placements in the month"), default=0)

    class Meta:
        # Every read names the month and the level (one index keeps the refresh's
        # inserts cheap).
        indexes = [
            models.Index(fields=["month", "level", "region"], name="balance_month_level_region"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id or '*'} {self.occupation_id or '*'}"


class SupplyShare(models.Model):
    """Available workers by citizenship and registering agency (NULL: registered
    themselves) in one region (NULL: all of Russia), as of a day."""

    month = models.DateField(_("month"))
    as_of = models.DateField(_("as of"))
    region = _region()
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True)
    agency = _agency()
    supply = models.PositiveIntegerField(_("available workers"), default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "region"], name="supplyshare_month_region")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id or '*'} {self.citizenship}: {self.supply}"


class VacancyMonth(models.Model):
    """Vacancies first published in a month, by region and ISCO unit group.

    The flow tables (this and the next two) also hold rollups over all regions (region
    NULL): occupation NULL for all occupations, or an ISCO major group's code."""

    month = models.DateField(_("month"))
    region = _region()
    occupation = _occupation()
    vacancies = models.PositiveIntegerField(_("vacancies published"), default=0)
    positions = models.PositiveIntegerField(_("positions published"), default=0)

    class Meta:
        # By region (NULL: the rollups) or unit group, then month; fewer indexes keep the
        # refresh's inserts cheap.
        indexes = [
            models.Index(fields=["region", "month"], name="vacancymonth_region"),
            models.Index(fields=["occupation", "month"], name="vacancymonth_occupation"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id} {self.occupation_id}: {self.vacancies}"


class ApplicationMonth(models.Model):
    """Applications made in a month, by the stage they are in now (a cohort view:
    how the month's applications fared), region, unit group and citizenship."""

    month = models.DateField(_("month"))
    region = _region()
    occupation = _occupation()
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    applications = models.PositiveIntegerField(_("applications"), default=0)

    class Meta:
        # By region (NULL: the rollups) or unit group, then month; fewer indexes keep the
        # refresh's inserts cheap.
        indexes = [
            models.Index(fields=["region", "month"], name="applicationmonth_region"),
            models.Index(fields=["occupation", "month"], name="applicationmonth_occupation"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id} {self.occupation_id} {self.stage}"


class PlacementMonth(models.Model):
    """Placements in a month and the days they took from application to placement."""

    month = models.DateField(_("month"))
    region = _region()
    occupation = _occupation()
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True)
    placements = models.PositiveIntegerField(_("placements"), default=0)
    days_total = models.FloatField(_("days from application to placement, summed"), default=0)

    class Meta:
        # By region (NULL: the rollups) or unit group, then month; fewer indexes keep the
        # refresh's inserts cheap.
        indexes = [
            models.Index(fields=["region", "month"], name="placementmonth_region"),
            models.Index(fields=["occupation", "month"], name="placementmonth_occupation"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.region_id} {self.occupation_id}: {self.placements}"


class RegistrationMonth(models.Model):
    """Workers registered, and workers verified, in a month."""

    month = models.DateField(_("month"))
    citizenship = models.CharField(_("citizenship"), max_length=2, blank=True)
    agency = _agency()
    registrations = models.PositiveIntegerField(_("registrations"), default=0)
    verified = models.PositiveIntegerField(_("verified"), default=0)

    class Meta:
        indexes = [models.Index(fields=["month"], name="registrationmonth_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.citizenship}: {self.registrations}"


class RefreshRun(models.Model):
    """One refresh of the summary tables; the newest finished one dates the figures
    shown, and its start is where the next incremental refresh looks for changes."""

    class Mode(models.TextChoices):
        FULL = "full", _("Full")
        INCREMENTAL = "incremental", _("Incremental")

    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    as_of = models.DateField(_("as of"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"))
    seconds = models.FloatField(_("seconds"))
    flows_from = models.DateField(_("flows rebuilt from"), null=True, blank=True)
    snapshot_rebuilt = models.BooleanField(_("snapshot rebuilt"), default=True)

    class Meta:
        ordering = ["-finished_at", "-pk"]
        verbose_name = _("analytics refresh")
        verbose_name_plural = _("analytics refreshes")

    def __str__(self) -> str:
        return f"{self.mode} {self.finished_at:%Y-%m-%d %H:%M}"
