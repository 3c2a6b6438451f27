"""The worker's way in: self-registration, consent, the dashboard, claiming a profile."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from exchange.access import role_required
from exchange.choices import Role
from migrants import eligibility, services
from migrants.choices import RequestStatus
from migrants.forms import ClaimCodeForm, ClaimRequestForm, ConsentForm, MigrantSignUpForm
from migrants.models import CONSENT_TEXT, MigrantProfile
from migrants.views.common import STEP_NAMES, _base, _own_profile


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
