"""What the worker can do: the occupations they have worked in and the languages they speak."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exchange.choices import CEFRLevel
from exchange.classifications import language_name
from exchange.models import Occupation
from migrants.models.profile import MigrantProfile


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
