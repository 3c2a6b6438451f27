"""Views of the migrant registry: the worker's own pages, the agency's workers,
and the administrators' queues. Every profile is looked up through
`MigrantProfile.objects.visible_to(user)`, so a foreign one is a 404."""

import json

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from exchange.access import role_required
from exchange.choices import Role, VerificationStatus
from migrants import eligibility, services
from migrants.choices import FlagStatus, RequestStatus
from migrants.crypto import passport_hash
from migrants.forms import (
    AccessRequestForm,
    AgencyWorkerForm,
    ClaimCodeForm,
    ClaimRequestForm,
    ConsentForm,
    ContactsForm,
    DocumentForm,
    IdentityForm,
    LanguageFormSet,
    MigrantSignUpForm,
    OccupationAddForm,
    PassportForm,
    PreferencesForm,
    ReviewForm,
    SkillsForm,
    enabled_data,
    lock_fields,
)
from migrants.models import (
    CONSENT_TEXT,
    AccessRequest,
    Document,
    DuplicateFlag,
    ErasureRequest,
    MigrantProfile,
)

STEPS = [
    ("identity", gettext_lazy("About you")),
    ("passport", gettext_lazy("Passport")),
    ("contacts", gettext_lazy("Contacts")),
    ("work", gettext_lazy("Work experience and skills")),
    ("languages", gettext_lazy("Languages")),
    ("preferences", gettext_lazy("Education and wishes")),
]
STEP_NAMES = [name for name, _label in STEPS]
STEP_FORMS = {
    "identity": IdentityForm,
    "passport": PassportForm,
    "contacts": ContactsForm,
    "preferences": PreferencesForm,
}


# --- Lookups --------------------------------------------------------------------------


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


# --- Registration ------------------------------------------------------------------------


def register(request: HttpRequest) -> HttpResponse:
    """A worker's self-registration: account, password and consent, then the profile."""
    if request.user.is_authenticated:
        return redirect("migrants:dashboard")
    form = MigrantSignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.register_migrant(
            login=data["login"],
            password=data["password1"],
            full_name=data["full_name"],
            language=translation.get_language(),
        )
        login(request, user, backend="exchange.backends.EmailOrPhoneBackend")
        messages.success(request, _("Your account is ready. Now tell us about yourself."))
        return redirect("migrants:profile_step", "identity")
    return render(request, "migrants/register.html", {"form": form})


@role_required(Role.MIGRANT)
def consent(request: HttpRequest) -> HttpResponse:
    """For a worker who opened an account on the general sign-up page."""
    if _own_profile(request) is not None:
        return redirect("migrants:dashboard")
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.start_profile(user=request.user)
        return redirect("migrants:profile_step", "identity")
    return render(request, "migrants/consent.html", {"form": form, "consent_text": CONSENT_TEXT})


# --- The worker's dashboard -----------------------------------------------------------------


@role_required(Role.MIGRANT)
def dashboard(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    if profile is None:
        return redirect("migrants:consent")
    context = _base(request, profile)
    context.update(
        {
            "job_requirements": eligibility.checklist(profile),
            "documents": profile.documents.all(),
            "next_step": _next_step(profile),
            "erasure_pending": profile.erasure_requests.filter(
                status=RequestStatus.PENDING
            ).exists(),
        }
    )
    return render(request, "migrants/dashboard.html", context)


def _next_step(profile: MigrantProfile) -> str | None:
    checks = {
        "identity": profile.birth_date and profile.first_name_latin and profile.citizenship,
        "passport": profile.passport_number,
        "contacts": profile.preferred_language and (profile.phone or profile.email),
        "work": profile.occupations.exists(),
        "languages": profile.languages.exists(),
        "preferences": profile.education and profile.min_salary is not None,
    }
    return next((name for name in STEP_NAMES if not checks[name]), None)


# --- Profile in steps (the worker's own, or an agency's worker) -------------------------------


@role_required(Role.MIGRANT, Role.AGENCY)
def profile_step(request: HttpRequest, step: str, pk: int | None = None) -> HttpResponse:
    if step not in STEP_NAMES:
        raise Http404
    profile = _editable(request, pk)
    if step == "work":
        return _work_step(request, profile)
    if step == "languages":
        return _languages_step(request, profile)
    locked = services.worker_entered_fields(profile) if request.user.role == Role.AGENCY else set()
    form_class = STEP_FORMS[step]
    form = form_class(request.POST or None, instance=profile)
    if step == "passport" and request.user.role != Role.MIGRANT:
        form.initial["passport_number"] = ""  # an agency sees it masked and may only replace it
        form.fields["passport_number"].help_text = _(
            "Now: %(masked)s. Type a new number to replace it."
        ) % {"masked": profile.masked_passport or "—"}
        form.fields["passport_number"].required = not profile.passport_number
    lock_fields(form, locked)
    if request.method == "POST" and form.is_valid():
        changes = enabled_data(form)
        if step == "passport" and not changes.get("passport_number"):
            changes.pop("passport_number", None)
        try:
            services.update_profile(profile=profile, actor=request.user, changes=changes)
        except services.DuplicatePassport as error:
            form.add_error("passport_number", str(error))
        except services.WorkerOwnedField:
            form.add_error(None, _("The worker entered this themselves: only they can change it."))
        else:
            messages.success(request, _("Saved."))
            return _after_step(request, profile, step)
    context = _base(request, profile)
    context.update({"form": form, "step": step, "step_label": dict(STEPS)[step]})
    return render(request, "migrants/profile_step.html", context)


def _after_step(request: HttpRequest, profile: MigrantProfile, step: str) -> HttpResponse:
    if "save_and_exit" in request.POST:
        return redirect(_home_for(request, profile))
    index = STEP_NAMES.index(step)
    if index + 1 < len(STEP_NAMES):
        return redirect(_url("profile_step", profile, request, STEP_NAMES[index + 1]))
    return redirect(_home_for(request, profile))


def _home_for(request: HttpRequest, profile: MigrantProfile) -> str:
    if request.user.role == Role.MIGRANT:
        return reverse("migrants:dashboard")
    return reverse("migrants:agency_worker", args=[profile.pk])


def _work_step(request: HttpRequest, profile: MigrantProfile) -> HttpResponse:
    action = request.POST.get("action")
    add_form = OccupationAddForm(request.POST if action == "add" else None)
    skills_form = SkillsForm(
        request.POST if action == "skills" else None,
        profile=profile,
        initial={"skills": profile.skills.all()},
    )
    if request.method == "POST":
        try:
            if action == "add" and add_form.is_valid():
                services.add_occupation(
                    profile=profile,
                    actor=request.user,
                    occupation=add_form.cleaned_data["occupation"],
                    years=add_form.cleaned_data["years_experience"],
                )
                messages.success(request, _("Occupation added."))
                return redirect(request.path)
            if action == "remove":
                services.remove_occupation(
                    profile=profile,
                    actor=request.user,
                    occupation_id=request.POST.get("occupation", ""),
                )
                return redirect(request.path)
            if action == "skills" and skills_form.is_valid():
                services.update_profile(
                    profile=profile,
                    actor=request.user,
                    changes={"skills": list(skills_form.cleaned_data["skills"])},
                )
                messages.success(request, _("Saved."))
                return _after_step(request, profile, "work")
        except services.WorkerOwnedField:
            messages.error(
                request, _("The worker entered this themselves: only they can change it.")
            )
        except services.RegistryError as error:
            add_form.add_error("occupation", str(error))
    context = _base(request, profile)
    context.update(
        {
            "step": "work",
            "step_label": dict(STEPS)["work"],
            "add_form": add_form,
            "skills_form": skills_form,
            "occupations": profile.occupations.select_related("occupation"),
        }
    )
    return render(request, "migrants/profile_work.html", context)


def _languages_step(request: HttpRequest, profile: MigrantProfile) -> HttpResponse:
    initial = [{"language": lang.language, "level": lang.level} for lang in profile.languages.all()]
    formset = LanguageFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        try:
            services.set_languages(
                profile=profile, actor=request.user, languages=formset.languages()
            )
        except services.WorkerOwnedField:
            messages.error(
                request, _("The worker entered this themselves: only they can change it.")
            )
        else:
            messages.success(request, _("Saved."))
            return _after_step(request, profile, "languages")
    context = _base(request, profile)
    context.update(
        {"step": "languages", "step_label": dict(STEPS)["languages"], "formset": formset}
    )
    return render(request, "migrants/profile_languages.html", context)


@require_POST
@role_required(Role.MIGRANT, Role.AGENCY)
def submit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    profile = _editable(request, pk)
    try:
        services.submit_for_verification(profile=profile, actor=request.user)
    except services.RegistryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Sent for verification. An administrator will check it."))
    return redirect(_home_for(request, profile))


@role_required(Role.MIGRANT, Role.AGENCY)
def history(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    profile = _profile(request, pk)
    context = _base(request, profile)
    context["changes"] = profile.changes.select_related("changed_by", "agency")[:300]
    return render(request, "migrants/history.html", context)


# --- Documents ---------------------------------------------------------------------------------


@role_required(Role.MIGRANT, Role.AGENCY)
def documents(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    profile = _profile(request, pk)
    editable = services.can_edit(request.user, profile)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            services.upload_document(
                profile=profile,
                actor=request.user,
                doc_type=data["doc_type"],
                clean_file=form.clean_file_data,
                number=data["number"],
                issued_on=data["issued_on"],
                expires_on=data["expires_on"],
            )
            messages.success(
                request, _("The document is uploaded. An administrator will check it.")
            )
            return redirect(request.path)
    context = _base(request, profile)
    context.update({"form": form, "documents": profile.documents.all(), "editable": editable})
    return render(request, "migrants/documents.html", context, status=400 if form.errors else 200)


@never_cache
@role_required(Role.MIGRANT, Role.AGENCY, Role.ADMINISTRATOR)
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The only way to a stored scan: the worker, their agency, or an administrator."""
    document = get_object_or_404(services.document_visible_to(request.user), pk=pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.doc_type}-{document.pk}{document.file.name[-4:]}",
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@role_required(Role.MIGRANT, Role.AGENCY)
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(services.document_visible_to(request.user), pk=pk)
    profile = document.profile
    try:
        services.delete_document(document=document, actor=request.user)
    except services.RegistryError as error:
        messages.error(request, str(error))
    return redirect(_url("documents", profile, request))


# --- Export, erasure, claim ------------------------------------------------------------------------


@never_cache
@role_required(Role.MIGRANT)
def export(request: HttpRequest) -> HttpResponse:
    profile = _profile(request, None)
    data = services.export_profile_data(profile)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@role_required(Role.MIGRANT)
def erasure(request: HttpRequest) -> HttpResponse:
    profile = _profile(request, None)
    if request.method == "POST":
        services.request_erasure(profile=profile, by=request.user)
        messages.success(
            request,
            _("Your request is recorded. An administrator will confirm it within a month."),
        )
        return redirect("migrants:dashboard")
    return render(request, "migrants/erasure.html", {"profile": profile})


@role_required(Role.MIGRANT)
def claim(request: HttpRequest) -> HttpResponse:
    """Take over a profile an agency registered: ask for a code, then enter it."""
    request_form = ClaimRequestForm(
        request.POST if request.POST.get("action") == "send" else None,
        initial={"contact": request.user.login},
    )
    code_form = ClaimCodeForm(
        request.POST if request.POST.get("action") == "claim" else None,
        initial={"contact": request.user.login},
    )
    if request.method == "POST":
        if request_form.is_bound and request_form.is_valid():
            services.request_claim_code(contact=request_form.cleaned_data["contact"])
            messages.info(
                request,
                _("If an agency registered you with this phone or e-mail, a code is on its way."),
            )
            code_form = ClaimCodeForm(initial={"contact": request_form.cleaned_data["contact"]})
        elif code_form.is_bound and code_form.is_valid():
            try:
                services.claim_profile(
                    user=request.user,
                    contact=code_form.cleaned_data["contact"],
                    code=code_form.cleaned_data["code"],
                )
            except services.RegistryError as error:
                code_form.add_error("code", str(error))
            else:
                messages.success(request, _("The profile is yours now. Check that it is right."))
                return redirect("migrants:dashboard")
    return render(
        request, "migrants/claim.html", {"request_form": request_form, "code_form": code_form}
    )


# --- Agencies ------------------------------------------------------------------------------------


def _agency(request: HttpRequest):
    if request.user.agency is None:
        raise PermissionDenied(_("Your account is not attached to an agency yet."))
    return request.user.agency


@role_required(Role.AGENCY)
def agency_workers(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    workers = MigrantProfile.objects.visible_to(request.user).order_by("-created_at")
    query = request.GET.get("q", "").strip()
    if query:
        workers = workers.filter(
            Q(last_name_latin__icontains=query)
            | Q(first_name_latin__icontains=query)
            | Q(last_name_cyrillic__icontains=query)
        )
    return render(
        request,
        "migrants/agency_workers.html",
        {"agency": agency, "workers": workers[:200], "query": query},
    )


@role_required(Role.AGENCY)
def agency_worker_new(request: HttpRequest) -> HttpResponse:
    agency = _agency(request)
    form = AgencyWorkerForm(request.POST or None, request.FILES or None)
    access_form = None
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.register_worker_by_agency(
                by=request.user,
                data=form.profile_data(),
                consent_method=form.cleaned_data["consent_method"],
                consent_obtained_on=form.cleaned_data["consent_obtained_on"],
                evidence=form.clean_evidence,
                consent_note=form.cleaned_data["consent_note"],
            )
        except services.DuplicatePassport as error:
            form.duplicate = error.existing
            form.add_error("passport_number", str(error))
        except services.RegistryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The worker is registered. Continue with their profile."))
            return redirect("migrants:agency_profile_step", profile.pk, "work")
    if form.duplicate is not None:
        access_form = AccessRequestForm(
            initial={
                "citizenship": form.cleaned_data.get("citizenship", ""),
                "passport_number": form.cleaned_data.get("passport_number", ""),
            }
        )
    return render(
        request,
        "migrants/agency_worker_new.html",
        {"form": form, "agency": agency, "access_form": access_form},
    )


@require_POST
@role_required(Role.AGENCY)
def agency_access_request(request: HttpRequest) -> HttpResponse:
    """After a hard stop on a duplicate passport: ask an administrator for access.
    The agency never learns which profile it is."""
    form = AccessRequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        profile = (
            MigrantProfile.objects.active()
            .filter(passport_hash=passport_hash(data["citizenship"], data["passport_number"]))
            .first()
        )
        if profile is not None and profile.registered_by_id != request.user.agency_id:
            services.request_access(profile=profile, by=request.user, message=data["message"])
    messages.success(request, _("Your request is sent to the exchange's administrators."))
    return redirect("migrants:agency_workers")


@role_required(Role.AGENCY)
def agency_worker(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _profile(request, pk)
    context = _base(request, profile)
    context.update(
        {
            "editable": services.can_edit(request.user, profile),
            "job_requirements": eligibility.checklist(profile),
            "documents": profile.documents.all(),
        }
    )
    return render(request, "migrants/agency_worker.html", context)


@require_POST
@role_required(Role.AGENCY)
def agency_send_claim_code(request: HttpRequest, pk: int) -> HttpResponse:
    profile = _editable(request, pk)
    if services.send_claim_code(profile=profile, by=request.user):
        messages.success(request, _("The code is sent to the worker."))
    else:
        messages.error(
            request,
            _(
                "No code sent: the profile is already claimed, has no contact, or had 3 codes this hour."
            ),
        )
    return redirect("migrants:agency_worker", pk)


# --- Administrators -----------------------------------------------------------------------------


@role_required(Role.ADMINISTRATOR)
def staff_queues(request: HttpRequest) -> HttpResponse:
    """The registry's review queues, oldest first."""
    return render(
        request,
        "migrants/staff_queues.html",
        {
            "profiles": MigrantProfile.objects.awaiting_verification()
            .select_related("registered_by")
            .order_by("submitted_at")[:100],
            "documents": Document.objects.filter(
                verification_status=VerificationStatus.PENDING, profile__erased_at__isnull=True
            )
            .select_related("profile")
            .order_by("uploaded_at")[:100],
            "duplicates": DuplicateFlag.objects.filter(status=FlagStatus.OPEN)
            .select_related("profile", "other")
            .order_by("created_at")[:100],
            "erasures": ErasureRequest.objects.filter(status=RequestStatus.PENDING)
            .select_related("profile")
            .order_by("requested_at"),
            "access_requests": AccessRequest.objects.filter(status=RequestStatus.PENDING)
            .select_related("profile", "agency")
            .order_by("created_at"),
        },
    )


@role_required(Role.ADMINISTRATOR)
def staff_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one worker, the passport number in full (and logged)."""
    profile = get_object_or_404(MigrantProfile.objects.active(), pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.review_profile(
            profile=profile,
            by=request.user,
            approve=form.cleaned_data["decision"] == "verify",
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Decision recorded."))
        return redirect("migrants:staff_queues")
    services.record_passport_view(profile=profile, viewer=request.user, path=request.path)
    documents = list(profile.documents.all())
    for document in documents:
        # One decision form per document, with ids of its own: with the profile's form
        # and each other's ids, their labels would tick the wrong form's inputs.
        document.review_form = ReviewForm(auto_id=f"id_document{document.pk}_%s")
    context = _base(request, profile)
    context.update(
        {
            "form": form,
            "documents": documents,
            "job_requirements": eligibility.checklist(profile),
            "consents": profile.consents.all(),
            "show_passport": True,
        }
    )
    return render(request, "migrants/staff_profile.html", context)


@require_POST
@role_required(Role.ADMINISTRATOR)
def staff_document_review(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        services.review_document(
            document=document,
            by=request.user,
            approve=form.cleaned_data["decision"] == "verify",
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Decision recorded."))
    else:
        for error in form.errors.get("reason", []) + form.errors.get("decision", []):
            messages.error(request, error)
    return redirect("migrants:staff_profile", document.profile_id)


@role_required(Role.ADMINISTRATOR)
def staff_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(
        DuplicateFlag.objects.select_related("profile", "other"), pk=pk, status=FlagStatus.OPEN
    )
    if request.method == "POST":
        try:
            if request.POST.get("action") == "dismiss":
                services.dismiss_duplicate(
                    flag=flag, by=request.user, note=request.POST.get("note", "")
                )
                messages.success(request, _("Marked as different people."))
            else:
                keep = get_object_or_404(
                    MigrantProfile,
                    pk=request.POST.get("keep"),
                    id__in=[flag.profile_id, flag.other_id],
                )
                services.merge_profiles(flag=flag, keep=keep, by=request.user)
                messages.success(request, _("The profiles are merged."))
        except services.RegistryError as error:
            messages.error(request, str(error))
            return redirect("migrants:staff_duplicate", pk)
        return redirect("migrants:staff_queues")
    return render(
        request, "migrants/staff_duplicate.html", {"flag": flag, "pair": [flag.profile, flag.other]}
    )


@require_POST
@role_required(Role.ADMINISTRATOR)
def staff_erasure(request: HttpRequest, pk: int) -> HttpResponse:
    erasure_request = get_object_or_404(ErasureRequest, pk=pk, status=RequestStatus.PENDING)
    if request.POST.get("action") == "confirm":
        services.confirm_erasure(request=erasure_request, by=request.user)
        messages.success(request, _("The worker's data is erased."))
    else:
        note = request.POST.get("note", "").strip()
        if not note:
            messages.error(request, _("Say why the erasure is refused: the worker sees it."))
        else:
            services.refuse_erasure(request=erasure_request, by=request.user, note=note)
    return redirect("migrants:staff_queues")


@require_POST
@role_required(Role.ADMINISTRATOR)
def staff_access_request(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_object_or_404(AccessRequest, pk=pk, status=RequestStatus.PENDING)
    services.decide_access_request(
        request=access, by=request.user, grant=request.POST.get("action") == "grant"
    )
    messages.success(request, _("Decision recorded."))
    return redirect("migrants:staff_queues")
