from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    """Applicant selection: candidacies, shortlists, review, offers, placement, quotas."""

    name = "selection"
    verbose_name = _("Applicant selection")

    def ready(self):
        # Matching, one layer down, asks who is placed and which quotas have room
        # through the facts registered here (matching/selection_facts.py).
        from selection import facts

        facts.register()
