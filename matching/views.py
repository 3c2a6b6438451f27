"""Where people see matches: a worker's jobs, a vacancy's candidates, the staff page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchange.access import role_required
from exchange.choices import Role
from matching import services
from matching.explanations import reasons
from matching.models import MatchRun
from matching.tasks import rematch_all
from migrants.models import MigrantProfile
from vacancies.models import Vacancy


@role_required(Role.MIGRANT, Role.ADMINISTRATOR)
def jobs_for_worker(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A worker's best vacancies (administrators may open any worker's list)."""
    if request.user.is_administrator and pk is not None:
        profile = get_object_or_404(MigrantProfile.objects.active(), pk=pk)
    else:
        profile = getattr(request.user, "migrant_profile", None)
        if profile is None:
            return redirect("migrants:dashboard")
    matches = (
        services.matches_for_worker(profile.pk)
        .select_related("vacancy", "vacancy__region", "vacancy__employer")
        .prefetch_related("vacancy__skills")
    )
    rows = [
        (m, reasons(m, for_worker=not request.user.is_administrator))
        for m in matches
        if m.vacancy.is_public
    ]
    return render(request, "matching/jobs_for_worker.html", {"profile": profile, "rows": rows})


@role_required(Role.EMPLOYER, Role.ADMINISTRATOR)
def candidates_for_vacancy(request: HttpRequest, pk: int) -> HttpResponse:
    """The best workers for a vacancy, anonymised: names and contacts come with
    selection (shortlists), not with matching."""
    vacancies = Vacancy.objects.all()
    if not request.user.is_administrator:
        vacancies = vacancies.filter(employer_id=request.user.employer_id)
    vacancy = get_object_or_404(vacancies, pk=pk)
    matches = (
        services.matches_for_vacancy(vacancy.pk)
        .select_related("profile")
        .prefetch_related(
            "profile__occupations__occupation", "profile__languages", "vacancy__skills"
        )
    )
    rows = [(number, m, reasons(m, for_worker=False)) for number, m in enumerate(matches, start=1)]
    return render(request, "matching/candidates.html", {"vacancy": vacancy, "rows": rows})


@role_required(Role.ADMINISTRATOR)
def staff_matching(request: HttpRequest) -> HttpResponse:
    runs = MatchRun.objects.all()[:10]
    return render(request, "matching/staff.html", {"runs": runs, "current": MatchRun.current()})


@require_POST
@role_required(Role.ADMINISTRATOR)
def staff_rematch(request: HttpRequest) -> HttpResponse:
    rematch_all.delay()
    messages.success(
        request,
        _("A full rematch has started. The results replace the current ones when it finishes."),
    )
    return redirect("staff_matching")
