"""Reference data: ISCO-08 occupations, skills and the regions of the Russian Federation."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from exchange.choices import (
    FederalDistrict,
    OccupationLevel,
    RegionKind,
)


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
