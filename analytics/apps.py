from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    """The balance of labour demand and supply: summary tables, dashboard, open data."""

    name = "analytics"
    verbose_name = _("Labour market analytics")
