"""The administrators' pages: the review queues, verification, duplicates, erasure, access."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchange.access import role_required
from exchange.choices import Role, VerificationStatus
from migrants import eligibility, services
from migrants.choices import FlagStatus, RequestStatus
from migrants.forms import ReviewForm
from migrants.models import AccessRequest, Document, DuplicateFlag, ErasureRequest, MigrantProfile
from migrants.views.common import _base


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
