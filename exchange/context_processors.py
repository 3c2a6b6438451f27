"""Template context shared by every page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from exchange.choices import Role


def navigation(request):
    """The header's links, chosen by the signed-in user's role."""
    user = getattr(request, "user", None)
    items = [(reverse("home"), _("Home"))]
    if user is not None and user.is_authenticated:
        if user.role == Role.EMPLOYER:
            items.append((reverse("employer_organization"), _("My organization")))
        elif user.role == Role.AGENCY:
            items.append((reverse("agency_home"), _("My agency")))
        elif user.is_administrator:
            items.append((reverse("staff_employers"), _("Employer verification")))
            items.append((reverse("admin:index"), _("Data administration")))
        items.append((reverse("profile"), _("My account")))
    return {"nav_items": items}
