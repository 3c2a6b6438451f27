"""Views of the shared core: home, accounts, organizations, health."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from exchange.access import role_required
from exchange.celery import app as celery_app
from exchange.choices import Role, VerificationStatus
from exchange.forms import EmployerForm, EmployerReviewForm, ProfileForm, SignInForm, SignUpForm
from exchange.models import Employer, WorkerHeartbeat

# --- Public pages -------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/home.html")


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; remembered in a cookie and, for a signed-in
    user, on the account so that it follows them to other devices."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or request.headers.get("referer") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("This language is not available."))
        return response
    translation.activate(language)
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status for load balancers and monitoring.

    503 when the database or the broker cannot be reached; the worker heartbeat
    is reported but does not fail the check (a deploy restarts workers).
    """
    report: dict = {}
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = {"ok": True, "vendor": connection.vendor}
    except Exception as error:
        report["database"] = {"ok": False, "error": error.__class__.__name__}
    report["database"]["ms"] = round((time.perf_counter() - started) * 1000, 1)

    if celery_app.conf.task_always_eager:
        report["broker"] = {"ok": True, "mode": "eager"}
    else:
        started = time.perf_counter()
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            report["broker"] = {"ok": True, "mode": "broker"}
        except Exception as error:
            report["broker"] = {"ok": False, "mode": "broker", "error": error.__class__.__name__}
        report["broker"]["ms"] = round((time.perf_counter() - started) * 1000, 1)
        report["workers"] = _worker_status() if report["database"]["ok"] else {"ok": None}

    healthy = report["database"]["ok"] and report["broker"]["ok"]
    report["status"] = "ok" if healthy else "error"
    return JsonResponse(report, status=200 if healthy else 503)


def _worker_status() -> dict:
    latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    if latest is None:
        return {"ok": False, "last_seen_seconds": None}
    age = (timezone.now() - latest.seen_at).total_seconds()
    return {"ok": age < settings.WORKER_HEARTBEAT_STALE_SECONDS, "last_seen_seconds": round(age)}


# --- Accounts -----------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        # Carry the language chosen before signing in over to a new account.
        if not user.language:
            user.language = translation.get_language()
            user.save(update_fields=["language"])
        return super().form_valid(form)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    initial_role = request.GET.get("as")
    form = SignUpForm(
        request.POST or None,
        initial={"role": initial_role} if initial_role in {Role.MIGRANT, Role.EMPLOYER} else {},
    )
    if request.method == "POST" and form.is_valid():
        user = form.save(language=translation.get_language())
        login(request, user, backend="exchange.backends.EmailOrPhoneBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        if user.role == Role.EMPLOYER:
            return redirect("employer_organization_new")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your account details are saved."))
        return redirect("profile")
    return render(request, "exchange/profile.html", {"form": form})


# --- Employers ---------------------------------------------------------------------


@role_required(Role.EMPLOYER)
def employer_organization_new(request: HttpRequest) -> HttpResponse:
    """An employer's representative registers the organization they act for."""
    if request.user.employer_id:
        return redirect("employer_organization")
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        employer = form.save()
        request.user.employer = employer
        request.user.save(update_fields=["employer"])
        messages.success(
            request,
            _(
                "The organization is registered. An administrator will verify it; you will see the result here."
            ),
        )
        return redirect("employer_organization")
    return render(request, "exchange/employer_form.html", {"form": form, "creating": True})


@role_required(Role.EMPLOYER)
def employer_organization(request: HttpRequest) -> HttpResponse:
    """The signed-in employer member's own organization: view and edit."""
    employer = request.user.employer
    if employer is None:
        return redirect("employer_organization_new")
    form = EmployerForm(request.POST or None, instance=employer)
    if request.method == "POST" and form.is_valid():
        needs_check = employer.is_verified and any(
            field in form.changed_data for field in Employer.LEGAL_FIELDS
        )
        employer = form.save(commit=False)
        if needs_check:
            employer.request_reverification()
        employer.save()
        if needs_check:
            messages.warning(
                request,
                _(
                    "The legal details changed, so an administrator will verify the organization again."
                ),
            )
        else:
            messages.success(request, _("The organization's details are saved."))
        return redirect("employer_organization")
    return render(
        request,
        "exchange/employer_form.html",
        {"form": form, "employer": employer, "members": employer.members.order_by("full_name")},
    )


@role_required(Role.EMPLOYER, Role.ADMINISTRATOR)
def employer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An employer's card: administrators see any; a member only their own (others are 404,
    which does not confirm that another organization exists)."""
    employers = Employer.objects.select_related("region")
    if not request.user.is_administrator:
        employers = employers.filter(pk=request.user.employer_id)
    employer = get_object_or_404(employers, pk=pk)
    return render(request, "exchange/employer_detail.html", {"employer": employer})


# --- Administrators ------------------------------------------------------------------


@role_required(Role.ADMINISTRATOR)
def staff_employers(request: HttpRequest) -> HttpResponse:
    """Verification queue: employers awaiting a check first, oldest first."""
    status = request.GET.get("status", VerificationStatus.PENDING)
    employers = Employer.objects.select_related("region").order_by("created_at")
    if status in VerificationStatus.values:
        employers = employers.filter(verification_status=status)
    counts = dict(
        Employer.objects.values_list("verification_status").annotate(n=Count("pk")).order_by()
    )
    return render(
        request,
        "exchange/staff_employers.html",
        {
            "employers": employers[:200],
            "status": status,
            "statuses": [
                (value, label, counts.get(value, 0)) for value, label in VerificationStatus.choices
            ],
        },
    )


@role_required(Role.ADMINISTRATOR)
def staff_employer_review(request: HttpRequest, pk: int) -> HttpResponse:
    employer = get_object_or_404(Employer.objects.select_related("region"), pk=pk)
    form = EmployerReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["decision"] == "verify":
            employer.verify(by=request.user)
            messages.success(request, _("%(name)s is verified.") % {"name": employer.legal_name})
        else:
            employer.reject(by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("%(name)s is rejected.") % {"name": employer.legal_name})
        return redirect("staff_employers")
    return render(
        request,
        "exchange/staff_employer_review.html",
        {"employer": employer, "form": form, "members": employer.members.all()},
    )


# --- Agencies -------------------------------------------------------------------------


@role_required(Role.AGENCY)
def agency_home(request: HttpRequest) -> HttpResponse:
    agency = request.user.agency
    if agency is None:
        raise PermissionDenied(_("Your account is not attached to an agency yet."))
    return render(
        request,
        "exchange/agency_home.html",
        {"agency": agency, "members": agency.members.order_by("full_name")},
    )


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What django-axes shows instead of the sign-in form after too many failures."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)
