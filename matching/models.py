"""Stored matching results: which workers fit which vacancies, and why."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from migrants.models import MigrantProfile
from vacancies.models import Vacancy


class MatchRun(models.Model):
    """One full rematch. Readers see the matches of the newest *finished* run, so a run
    that stops half-way leaves the previous results in place; incremental updates edit
    the current run's rows."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    engine_version = models.CharField(_("engine version"), max_length=20)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    workers = models.PositiveIntegerField(_("workers"), default=0)
    vacancies = models.PositiveIntegerField(_("vacancies"), default=0)
    pairs_scored = models.BigIntegerField(_("pairs scored"), default=0)
    matches_stored = models.PositiveIntegerField(_("matches stored"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.status} ({self.matches_stored})"

    @classmethod
    def current(cls) -> "MatchRun | None":
        return (
            cls.objects.filter(status=cls.Status.FINISHED).order_by("-finished_at", "-pk").first()
        )


class Match(models.Model):
    """A worker × vacancy pair in the vacancy's top list, the worker's, or both."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="matches")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="matches")
    profile = models.ForeignKey(MigrantProfile, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField(_("score"))
    in_vacancy_top = models.BooleanField(default=False)  # among the vacancy's best workers
    in_worker_top = models.BooleanField(default=False)  # among the worker's best vacancies
    # Component name -> value in [0, 1] (matching.engine.Weights.COMPONENTS).
    components = models.JSONField(_("score components"), default=dict)
    # {"skills": [codes the worker lacks], "languages": [[code, held, required], ...]}
    missing = models.JSONField(_("missing"), default=dict)
    engine_version = models.CharField(max_length=20)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "vacancy", "profile"], name="match_once_per_run"
            ),
        ]
        indexes = [
            models.Index(fields=["run", "vacancy", "-score"], name="match_by_vacancy"),
            models.Index(fields=["run", "profile", "-score"], name="match_by_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} × {self.vacancy_id}: {self.score:.3f}"
