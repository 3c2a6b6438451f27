from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Pairing workers with demand: the scoring engine, matches and selection."""

    name = "matching"
    verbose_name = _("Matching and selection")
