"""Template context shared by every page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from exchange.choices import Role


def navigation(request):
    """The header's links, chosen by the signed-in user's role."""
    user = getattr(request, "user", None)
    items = [
        (reverse("home"), _("Home")),
        (reverse("vacancy_search"), _("Find a job")),
        (reverse("labour_balance"), _("Labour market")),
    ]
    if user is not None and user.is_authenticated:
        if user.role == Role.EMPLOYER:
            items.append((reverse("employer_vacancies"), _("My vacancies")))
            items.append((reverse("employer_organization"), _("My organization")))
            items.append((reverse("employer_applicants"), _("Candidates")))
            items.append((reverse("integrations:api_keys"), _("API and webhooks")))
        elif user.role == Role.AGENCY:
            items.append((reverse("agency_home"), _("My agency")))
            items.append((reverse("migrants:agency_workers"), _("Our workers")))
            items.append((reverse("agency_applications"), _("Applications")))
            items.append((reverse("integrations:api_keys"), _("API and webhooks")))
        elif user.role == Role.MIGRANT:
            items.append((reverse("migrants:dashboard"), _("My profile")))
            items.append((reverse("jobs_for_worker"), _("Jobs for you")))
            items.append((reverse("worker_applications"), _("My applications")))
        elif user.is_administrator:
            items.append((reverse("moderation_queue"), _("Vacancy moderation")))
            items.append((reverse("staff_matching"), _("Matching")))
            items.append((reverse("staff_review_queue"), _("Shortlist review")))
            items.append((reverse("staff_audit"), _("Audit")))
            items.append((reverse("staff_employers"), _("Employer verification")))
            items.append((reverse("migrants:staff_queues"), _("Worker registry")))
            items.append((reverse("analytics_dashboard"), _("Analytics")))
            items.append((reverse("integrations:staff_api_keys"), _("API keys")))
            items.append((reverse("admin:index"), _("Data administration")))
        items.append((reverse("profile"), _("My account")))
    return {"nav_items": items}
