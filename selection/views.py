"""Selection pages: the administrators' review queue, the employer's candidates, the
worker's applications and offers, the agency's applications, and the audit page.

Views are thin: every object is looked up through `services.applications_visible_to`
(or the user's own vacancies/profiles), so a foreign one is a 404; the services decide
whether the move itself is allowed.
"""

import datetime

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from exchange.access import role_required
from exchange.choices import Role
from exchange.models import User
from matching.explanations import reasons
from matching.models import Match
from migrants.eligibility import job_requirements
from migrants.models import MigrantProfile, ProfileChange
from selection import services
from selection.forms import OfferForm, ProposeForm, RejectForm
from selection.models import Application, ApplicationTransition, Stage
from vacancies.models import Vacancy, VacancyTransition

_RELATED = ("vacancy", "vacancy__employer", "vacancy__region", "profile", "offer")

# The matching score's components (matching.engine.Weights.COMPONENTS), as reviewers read them.
COMPONENT_LABELS = {
    "occupation": gettext_lazy("Occupation"),
    "skills": gettext_lazy("Skills"),
    "languages": gettext_lazy("Languages"),
    "region": gettext_lazy("Region"),
    "salary": gettext_lazy("Pay"),
    "experience": gettext_lazy("Experience"),
    "availability": gettext_lazy("Availability from the start date"),
}


def _visible(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(
        services.applications_visible_to(request.user).select_related(*_RELATED).distinct(),
        pk=pk,
    )


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _default_page(user: User) -> str:
    if user.is_administrator:
        return "staff_review_queue"
    return {
        Role.MIGRANT: "worker_applications",
        Role.AGENCY: "agency_applications",
        Role.EMPLOYER: "employer_applicants",
    }.get(user.role, "home")


def _match_for(application: Application) -> Match | None:
    return (
        Match.objects.current()
        .filter(vacancy_id=application.vacancy_id, profile_id=application.profile_id)
        .select_related("vacancy")
        .prefetch_related("vacancy__skills")
        .first()
    )


# --- One endpoint for the moves without a form of their own ----------------------------


@require_POST
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """POST a move: shortlist, approve, reject, select, decline, accept, decline_offer,
    withdraw, arrived. Errors come back as a message on the page the user came from."""
    if not request.user.is_authenticated:
        return redirect("login")
    application = _visible(request, pk)
    user = request.user
    reason = request.POST.get("reason", "")
    done = {
        "shortlist": (services.shortlist, {}, _("Put on the shortlist.")),
        "approve": (services.approve, {}, _("Candidate approved.")),
        "select": (services.select, {}, _("Candidate selected. Now send an offer.")),
        "decline": (services.decline, {"reason": reason}, _("Candidate declined.")),
        "accept": (
            services.accept_offer,
            {},
            _("You accepted the offer. Congratulations: the job is yours!"),
        ),
        "decline_offer": (
            services.decline_offer,
            {"reason": reason},
            _("You declined the offer."),
        ),
        "withdraw": (services.withdraw, {"reason": reason}, _("The application is withdrawn.")),
        "arrived": (services.mark_arrived, {}, _("Arrival recorded.")),
    }
    if action == "reject":
        form = RejectForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a reason from the list."))
            return _back(request, _default_page(user))
        service = services.reject
        kwargs = {
            "reason_code": form.cleaned_data["reason_code"],
            "reason": form.cleaned_data["reason"],
        }
        success = _("Candidate not approved.")
    elif action in done:
        service, kwargs, success = done[action]
    else:
        raise Http404
    try:
        service(application, user=user, **kwargs)
    except services.SelectionError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return _back(request, _default_page(user))


# --- Worker ---------------------------------------------------------------------------------


@role_required(Role.MIGRANT)
def worker_applications(request: HttpRequest) -> HttpResponse:
    """My applications: stage, what happens next, offers with their terms."""
    applications = (
        services.applications_visible_to(request.user)
        .select_related(*_RELATED)
        .order_by("-stage_changed_at", "-pk")
    )
    rows = [
        (
            application,
            services.NEXT_STEP[application.stage],
            services.allowed_moves(application, request.user),
        )
        for application in applications
    ]
    return render(request, "selection/worker_applications.html", {"rows": rows})


@require_POST
@role_required(Role.MIGRANT)
def vacancy_apply(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = get_object_or_404(Vacancy.objects.visible_to_public(), pk=pk)
    profile = getattr(request.user, "migrant_profile", None)
    if profile is None:
        messages.error(request, _("Fill in your worker profile first."))
        return redirect("migrants:dashboard")
    try:
        services.apply(vacancy, profile, user=request.user)
    except services.SelectionError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("vacancy_detail", pk=vacancy.pk)
    messages.success(
        request, _("Your application is sent. The exchange checks it and tells you the result.")
    )
    return redirect("worker_applications")


# --- Administrators -----------------------------------------------------------------------


@role_required(Role.ADMINISTRATOR)
def review_queue(request: HttpRequest) -> HttpResponse:
    """Candidacies awaiting review, oldest first, grouped by nothing: one list to work down."""
    pending = (
        Application.objects.filter(stage__in=services.REVIEW_STAGES)
        .select_related("vacancy", "vacancy__employer", "vacancy__region", "profile")
        .order_by("stage_changed_at", "pk")
    )
    vacancy_id = request.GET.get("vacancy")
    if vacancy_id and vacancy_id.isdigit():
        pending = pending.filter(vacancy_id=vacancy_id)
    return render(
        request,
        "selection/review_queue.html",
        {"pending": pending[:200], "total": pending.count(), "vacancy_id": vacancy_id or ""},
    )


@require_POST
@role_required(Role.ADMINISTRATOR)
def review_bulk_approve(request: HttpRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("application") if v.isdigit()]
    chosen = Application.objects.filter(pk__in=ids, stage__in=services.REVIEW_STAGES)
    chosen = chosen.select_related(*_RELATED).order_by("stage_changed_at", "pk")
    if not ids:
        messages.error(request, _("Tick the candidates to approve first."))
        return redirect("staff_review_queue")
    approved, refused = services.approve_many(list(chosen), user=request.user)
    if approved:
        messages.success(
            request,
            ngettext(
                "%(count)d candidate approved.", "%(count)d candidates approved.", len(approved)
            )
            % {"count": len(approved)},
        )
    for application, error in refused:
        messages.error(
            request,
            _("Candidate no. %(number)s: %(error)s") % {"number": application.pk, "error": error},
        )
    return redirect("staff_review_queue")


@require_POST
@role_required(Role.ADMINISTRATOR)
def review_propose_shortlists(request: HttpRequest) -> HttpResponse:
    """Draw up shortlists from the current matching results (one vacancy, or all open)."""
    vacancy_id = request.POST.get("vacancy", "")
    vacancies = None
    if vacancy_id.isdigit():
        vacancies = [get_object_or_404(Vacancy, pk=vacancy_id)]
    created = services.propose_shortlists(vacancies, user=request.user)
    count = sum(len(rows) for rows in created.values())
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d candidate put on shortlists.",
                "%(count)d candidates put on shortlists.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(
            request,
            _(
                "No new candidates: shortlists are full, or matching found no one free. "
                "Run a rematch if profiles changed."
            ),
        )
    return _back(request, "staff_review_queue")


@role_required(Role.ADMINISTRATOR)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One candidate: match breakdown, profile, documents, legal checklist, history."""
    application = get_object_or_404(Application.objects.select_related(*_RELATED), pk=pk)
    profile = (
        MigrantProfile.objects.prefetch_related(
            "occupations__occupation", "languages", "skills", "desired_regions"
        )
        .select_related("registered_by")
        .get(pk=application.profile_id)
    )
    vacancy = application.vacancy
    match = _match_for(application)
    requirements = job_requirements(profile, region=vacancy.region, quota_bound=vacancy.quota_bound)
    quota = services.quota_for(vacancy) if services.needs_quota(vacancy, profile) else None
    return render(
        request,
        "selection/review_detail.html",
        {
            "application": application,
            "profile": profile,
            "vacancy": vacancy,
            "match": match,
            "reasons": reasons(match, for_worker=False) if match else [],
            "components": [
                (COMPONENT_LABELS.get(name, name), value)
                for name, value in (match.components.items() if match else [])
            ],
            "job_requirements": requirements,
            "documents": profile.documents.order_by("doc_type", "-uploaded_at"),
            "history": application.transitions.select_related("by"),
            "moves": services.allowed_moves(application, request.user),
            "needs_quota": services.needs_quota(vacancy, profile),
            "quota": quota,
            "quota_available": services.quota_available(quota) if quota else None,
            "reject_form": RejectForm(),
        },
    )


@role_required(Role.ADMINISTRATOR)
def audit(request: HttpRequest) -> HttpResponse:
    """Who changed what and when: application stages, vacancy statuses, worker profiles."""
    kind = request.GET.get("kind", "")
    object_id = request.GET.get("object", "")
    by = request.GET.get("by", "").strip()
    since = _date(request.GET.get("since"))
    until = _date(request.GET.get("until"))
    limit = 200
    rows = []

    def dated(queryset, field):
        if since:
            queryset = queryset.filter(**{f"{field}__date__gte": since})
        if until:
            queryset = queryset.filter(**{f"{field}__date__lte": until})
        return queryset

    def by_user(queryset, field):
        if by:
            queryset = queryset.filter(
                Q(**{f"{field}__email__icontains": by})
                | Q(**{f"{field}__full_name__icontains": by})
                | Q(**{f"{field}__phone__icontains": by})
            )
        return queryset

    if kind in ("", "application"):
        changes = ApplicationTransition.objects.select_related(
            "by", "application__vacancy", "application__profile"
        )
        if object_id.isdigit():
            changes = changes.filter(application_id=object_id)
        changes = by_user(dated(changes, "at"), "by").order_by("-at", "-pk")[:limit]
        rows += [
            {
                "at": c.at,
                "kind": _("Application"),
                "object": f"#{c.application_id} {c.application.profile} → {c.application.vacancy}",
                "change": (f"{Stage(c.from_stage).label} → " if c.from_stage else "")
                + str(Stage(c.to_stage).label),
                "by": c.by,
                "reason": " ".join(
                    part
                    for part in (
                        services.RejectReason.label(c.reason_code) if c.reason_code else "",
                        c.reason,
                    )
                    if part
                ),
            }
            for c in changes
        ]
    if kind in ("", "vacancy"):
        changes = VacancyTransition.objects.select_related("by", "vacancy")
        if object_id.isdigit():
            changes = changes.filter(vacancy_id=object_id)
        changes = by_user(dated(changes, "at"), "by").order_by("-at", "-id")[:limit]
        rows += [
            {
                "at": c.at,
                "kind": _("Vacancy"),
                "object": f"#{c.vacancy_id} {c.vacancy}",
                "change": (f"{c.get_from_status_display()} → " if c.from_status else "")
                + c.get_to_status_display(),
                "by": c.by,
                "reason": c.reason,
            }
            for c in changes
        ]
    if kind in ("", "profile"):
        changes = ProfileChange.objects.select_related("changed_by", "profile")
        if object_id.isdigit():
            changes = changes.filter(profile_id=object_id)
        changes = by_user(dated(changes, "changed_at"), "changed_by").order_by(
            "-changed_at", "-pk"
        )[:limit]
        rows += [
            {
                "at": c.changed_at,
                "kind": _("Worker profile"),
                "object": f"#{c.profile_id} {c.profile}",
                "change": f"{c.field_label}: {c.old_value or '—'} → {c.new_value or '—'}",
                "by": c.changed_by,
                "reason": "",
            }
            for c in changes
        ]
    rows.sort(key=lambda row: row["at"], reverse=True)
    return render(
        request,
        "selection/audit.html",
        {
            "rows": rows[:limit],
            "limit": limit,
            "filters": {
                "kind": kind,
                "object": object_id,
                "by": by,
                "since": since.isoformat() if since else "",
                "until": until.isoformat() if until else "",
            },
        },
    )


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- Employer -------------------------------------------------------------------------------


@role_required(Role.EMPLOYER)
def employer_applicants(request: HttpRequest) -> HttpResponse:
    """The employer's vacancies with how many candidates wait at each step."""
    vacancies = (
        Vacancy.objects.of_employer(request.user.employer_id)
        .annotate(
            approved=Count("applications", filter=Q(applications__stage=Stage.APPROVED)),
            selected=Count("applications", filter=Q(applications__stage=Stage.SELECTED)),
            offered=Count("applications", filter=Q(applications__stage=Stage.OFFERED)),
            placed=Count(
                "applications",
                filter=Q(applications__stage__in=services.PLACED_STAGES),
            ),
        )
        .filter(applications__stage__in=services.EMPLOYER_STAGES)
        .distinct()
        .order_by("-published_at", "-pk")
    )
    return render(request, "selection/employer_applicants.html", {"vacancies": vacancies})


@role_required(Role.EMPLOYER, Role.ADMINISTRATOR)
def vacancy_applicants(request: HttpRequest, pk: int) -> HttpResponse:
    """Approved candidates of one vacancy, with why they fit; names and contacts only
    once the employer has selected the candidate."""
    vacancies = Vacancy.objects.all()
    if not request.user.is_administrator:
        vacancies = vacancies.of_employer(request.user.employer_id)
    vacancy = get_object_or_404(vacancies.select_related("employer"), pk=pk)
    applications = (
        services.applications_visible_to(request.user)
        .filter(vacancy=vacancy)
        .filter(
            Q(stage__in=services.EMPLOYER_STAGES)
            | Q(stage=Stage.WITHDRAWN, transitions__to_stage=Stage.APPROVED)
        )
        .select_related(*_RELATED)
        .prefetch_related(
            "profile__occupations__occupation",
            "profile__languages",
            Prefetch("transitions", queryset=ApplicationTransition.objects.order_by("at", "pk")),
        )
        .distinct()
        .order_by("-score", "pk")
    )
    matches = {
        m.profile_id: m
        for m in Match.objects.current()
        .filter(vacancy=vacancy, profile_id__in=[a.profile_id for a in applications])
        .select_related("vacancy")
        .prefetch_related("vacancy__skills")
    }
    rows = []
    for application in applications:
        match = matches.get(application.profile_id)
        rows.append(
            {
                "application": application,
                "reasons": reasons(match, for_worker=False) if match else [],
                "contacts": application.stage in services.CONTACTS_VISIBLE_STAGES,
                "moves": services.allowed_moves(application, request.user),
                "answer": application.transitions.all().last(),
            }
        )
    return render(request, "selection/vacancy_applicants.html", {"vacancy": vacancy, "rows": rows})


@role_required(Role.EMPLOYER)
def send_offer(request: HttpRequest, pk: int) -> HttpResponse:
    application = _visible(request, pk)
    if application.stage != Stage.SELECTED:
        messages.error(request, _("An offer can be sent only to a selected candidate."))
        return redirect("employer_vacancy_applicants", pk=application.vacancy_id)
    form = OfferForm(
        request.POST or None, initial=services.default_offer_terms(application.vacancy)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.send_offer(application, user=request.user, **form.cleaned_data)
        except services.SelectionError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("The offer is sent. The worker is told at once."))
            return redirect("employer_vacancy_applicants", pk=application.vacancy_id)
    return render(request, "selection/offer_form.html", {"application": application, "form": form})


# --- Agency ---------------------------------------------------------------------------------


@role_required(Role.AGENCY)
def agency_applications(request: HttpRequest) -> HttpResponse:
    applications = (
        services.applications_visible_to(request.user)
        .select_related(*_RELATED)
        .distinct()
        .order_by("-stage_changed_at", "-pk")
    )
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        applications = applications.filter(stage=stage)
    rows = [
        (a, services.NEXT_STEP[a.stage], services.allowed_moves(a, request.user))
        for a in applications[:300]
    ]
    return render(
        request,
        "selection/agency_applications.html",
        {"rows": rows, "stage": stage, "stages": Stage.choices},
    )


@role_required(Role.AGENCY)
def agency_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose one of the agency's verified workers for a public vacancy."""
    vacancy = get_object_or_404(Vacancy.objects.visible_to_public(), pk=pk)
    agency = request.user.agency
    profiles = (
        MigrantProfile.objects.for_agency(agency.pk)
        .matchable()
        .exclude(applications__vacancy=vacancy)
        .distinct()
        .order_by("last_name_latin", "first_name_latin", "pk")
    )
    form = ProposeForm(request.POST or None, profiles=profiles)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_by_agency(
                vacancy, form.cleaned_data["profile"], agency=agency, user=request.user
            )
        except services.SelectionError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, _("The worker is proposed. The exchange reviews the proposal.")
            )
            return redirect("agency_applications")
    return render(
        request,
        "selection/propose_form.html",
        {"vacancy": vacancy, "form": form, "has_workers": profiles.exists()},
    )
