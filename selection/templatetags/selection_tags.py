"""The vacancy page's "apply" box, so the vacancy view needs no selection code."""

from django import template

from exchange.choices import Role
from selection.models import Application
from selection.services import PLACED_STAGES

register = template.Library()


@register.inclusion_tag("selection/_apply.html", takes_context=True)
def apply_box(context, vacancy):
    request = context["request"]
    user = request.user
    box = {"vacancy": vacancy, "user": user, "csrf_token": context.get("csrf_token")}
    if user.is_authenticated and user.role == Role.MIGRANT:
        profile = getattr(user, "migrant_profile", None)
        application = (
            Application.objects.filter(vacancy=vacancy, profile=profile).first()
            if profile
            else None
        )
        placed = bool(
            profile
            and Application.objects.filter(profile=profile, stage__in=PLACED_STAGES).exists()
        )
        box.update(
            worker_profile=profile,
            existing_application=application,
            already_placed=placed,
            can_apply=bool(
                profile
                and application is None
                and not placed
                and profile.is_verified
                and vacancy.is_public
                and vacancy.positions_open > 0
            ),
        )
    return box
