"""What every registry page shares: the profile steps and the lookups of a visible profile."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exchange.choices import Role
from migrants import services
from migrants.models import MigrantProfile

STEPS = [
    ("identity", gettext_lazy("About you")),
    ("passport", gettext_lazy("Passport")),
    ("contacts", gettext_lazy("Contacts")),
    ("work", gettext_lazy("Work experience and skills")),
    ("languages", gettext_lazy("Languages")),
    ("preferences", gettext_lazy("Education and wishes")),
]


STEP_NAMES = [name for name, _label in STEPS]


def _own_profile(request: HttpRequest) -> MigrantProfile | None:
    return MigrantProfile.objects.active().filter(user=request.user).first()


def _profile(request: HttpRequest, pk: int | None) -> MigrantProfile:
    """The profile a page is about: the migrant's own (no pk), or one the user may see."""
    if pk is None:
        if request.user.role != Role.MIGRANT:
            raise Http404
        profile = _own_profile(request)
        if profile is None:
            raise Http404
        return profile
    return get_object_or_404(MigrantProfile.objects.visible_to(request.user), pk=pk)


def _editable(request: HttpRequest, pk: int | None) -> MigrantProfile:
    profile = _profile(request, pk)
    if not services.can_edit(request.user, profile):
        raise PermissionDenied(_("Only the agency that registered this worker can change it."))
    return profile


def _url(name: str, profile: MigrantProfile, request: HttpRequest, *args) -> str:
    """The migrant's own URL, or the agency/staff URL for the same page."""
    if request.user.role == Role.MIGRANT:
        return reverse(f"migrants:{name}", args=args)
    return reverse(f"migrants:agency_{name}", args=[profile.pk, *args])


def _base(request: HttpRequest, profile: MigrantProfile) -> dict:
    percent, missing = profile.completeness()
    return {
        "profile": profile,
        "steps": STEPS,
        "percent": percent,
        "missing": missing,
        "as_agency": request.user.role == Role.AGENCY,
        "step_urls": [
            (name, label, _url("profile_step", profile, request, name)) for name, label in STEPS
        ],
    }
