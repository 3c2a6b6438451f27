"""The legal rules: which regime a citizenship falls under, its steps, and regional patent rates."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from exchange.classifications import country_choices, country_name
from exchange.models import LocalizedTitleMixin, Region
from migrants.choices import DocumentType, Regime


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
