"""A partner agency's pages: its workers, registering one, asking for access, claim codes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchange.access import role_required
from exchange.choices import Role
from migrants import eligibility, services
from migrants.crypto import passport_hash
from migrants.forms import AccessRequestForm, AgencyWorkerForm
from migrants.models import MigrantProfile
from migrants.views.common import _base, _editable, _profile


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
