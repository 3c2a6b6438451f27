from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MigrantsConfig(AppConfig):
    """The registry of potential migrant workers: profiles, documents, consent."""

    name = "migrants"
    verbose_name = _("Migrant workers")

    def ready(self):
        from migrants import checks  # noqa: F401 (registers the system checks)
