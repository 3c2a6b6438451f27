from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VacanciesConfig(AppConfig):
    """The database of labor demand: employers' vacancies, moderation, search."""

    name = "vacancies"
    verbose_name = _("Vacancies")
