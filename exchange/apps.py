from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """The shared core: accounts, organizations, classifications."""

    name = "exchange"
    verbose_name = _("Exchange core")
