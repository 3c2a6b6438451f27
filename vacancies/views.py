"""Vacancy pages: employers' own vacancies, administrators' moderation, public search."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchange.access import role_required
from exchange.choices import Role
from vacancies import services
from vacancies.choices import VacancyStatus
from vacancies.forms import LanguageRequirementFormSet, PositionsForm, RejectForm, VacancyForm
from vacancies.models import Vacancy
from vacancies.search import search_vacancies

# --- Employers ------------------------------------------------------------------------


def _own_vacancy(request: HttpRequest, pk: int) -> Vacancy:
    """The employer member's own vacancy, or 404 (another employer's is never confirmed)."""
    return get_object_or_404(
        Vacancy.objects.of_employer(request.user.employer_id).select_related("employer"), pk=pk
    )


def _require_organization(request: HttpRequest):
    if request.user.employer_id is None:
        messages.info(request, _("Register your organization first."))
        return redirect("employer_organization_new")
    return None


@role_required(Role.EMPLOYER)
def employer_vacancies(request: HttpRequest) -> HttpResponse:
    if (response := _require_organization(request)) is not None:
        return response
    vacancies = Vacancy.objects.of_employer(request.user.employer_id)
    status = request.GET.get("status", "")
    counts = vacancies.count_by_status()
    listed = vacancies.filter(status=status) if status in VacancyStatus.values else vacancies
    return render(
        request,
        "vacancies/employer_list.html",
        {
            "vacancies": listed.select_related("occupation", "region").order_by("-updated_at"),
            "status": status,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in VacancyStatus.choices],
            "total": sum(counts.values()),
            "employer": request.user.employer,
        },
    )


@role_required(Role.EMPLOYER)
def vacancy_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create a draft, or edit one of the employer's vacancies."""
    if (response := _require_organization(request)) is not None:
        return response
    vacancy = _own_vacancy(request, pk) if pk else Vacancy(employer=request.user.employer)
    if vacancy.status == VacancyStatus.CLOSED:
        messages.error(request, _("A closed vacancy cannot be edited. Duplicate it instead."))
        return redirect("vacancy_manage", pk=vacancy.pk)
    form = VacancyForm(request.POST or None, instance=vacancy, employer=request.user.employer)
    languages = LanguageRequirementFormSet(
        request.POST or None, instance=vacancy, prefix="languages"
    )
    if request.method == "POST" and form.is_valid() and languages.is_valid():
        vacancy, back_to_moderation = services.save_vacancy(
            form=form, languages=languages, by=request.user
        )
        if back_to_moderation:
            messages.warning(
                request,
                _(
                    "Saved. The changes need moderation, so the vacancy is hidden from search until an administrator approves it."
                ),
            )
        else:
            messages.success(request, _("Saved."))
        return redirect("vacancy_manage", pk=vacancy.pk)
    if request.method == "POST":
        messages.error(request, _("Please correct the marked fields; nothing was saved yet."))
    return render(
        request,
        "vacancies/form.html",
        {"form": form, "languages": languages, "vacancy": vacancy},
    )


@role_required(Role.EMPLOYER)
def vacancy_manage(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    return render(
        request,
        "vacancies/manage.html",
        {
            "vacancy": vacancy,
            "history": vacancy.history.select_related("by"),
            "positions_form": PositionsForm(
                initial={
                    "positions_total": vacancy.positions_total,
                    "positions_filled": vacancy.positions_filled,
                }
            ),
            "employer": vacancy.employer,
        },
    )


def _employer_action(request: HttpRequest, pk: int, action, success: str) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    try:
        action(vacancy, by=request.user)
    except services.TransitionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("vacancy_manage", pk=vacancy.pk)


@require_POST
@role_required(Role.EMPLOYER)
def vacancy_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _employer_action(
        request,
        pk,
        services.submit_vacancy,
        _("Sent to moderation. You will see the decision here."),
    )


@require_POST
@role_required(Role.EMPLOYER)
def vacancy_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _employer_action(request, pk, services.withdraw_vacancy, _("Back to draft."))


@require_POST
@role_required(Role.EMPLOYER)
def vacancy_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _employer_action(request, pk, services.close_vacancy, _("The vacancy is closed."))


@require_POST
@role_required(Role.EMPLOYER)
def vacancy_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    copy = services.duplicate_vacancy(_own_vacancy(request, pk), by=request.user)
    messages.success(
        request, _("A copy was made as a new draft. Check it and send it to moderation.")
    )
    return redirect("vacancy_edit", pk=copy.pk)


@require_POST
@role_required(Role.EMPLOYER)
def vacancy_positions(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    form = PositionsForm(request.POST)
    if form.is_valid():
        try:
            services.update_positions(
                vacancy,
                by=request.user,
                total=form.cleaned_data["positions_total"],
                filled=form.cleaned_data["positions_filled"],
            )
        except services.TransitionError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Positions updated."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("vacancy_manage", pk=vacancy.pk)


# --- Administrators -----------------------------------------------------------------------


@role_required(Role.ADMINISTRATOR)
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """Vacancies awaiting moderation, oldest first, with bulk publish and reject."""
    if request.method == "POST":
        return _bulk_moderate(request)
    counts = Vacancy.objects.filter(
        status__in=[VacancyStatus.SUBMITTED, VacancyStatus.PUBLISHED, VacancyStatus.REJECTED]
    ).count_by_status()
    queue = (
        Vacancy.objects.filter(status=VacancyStatus.SUBMITTED)
        .select_related("employer", "region", "occupation")
        .order_by("submitted_at", "pk")[:200]
    )
    return render(
        request,
        "vacancies/moderation_queue.html",
        {"queue": queue, "counts": counts, "reject_form": RejectForm()},
    )


def _bulk_moderate(request: HttpRequest) -> HttpResponse:
    ids = [value for value in request.POST.getlist("vacancy") if value.isdigit()]
    action = request.POST.get("action")
    if not ids:
        messages.error(request, _("Tick at least one vacancy."))
        return redirect("moderation_queue")
    reason = request.POST.get("reason", "")
    done, refused = 0, []
    for vacancy in Vacancy.objects.filter(pk__in=ids).select_related("employer"):
        try:
            if action == "publish":
                services.publish_vacancy(vacancy, by=request.user)
            elif action == "reject":
                services.reject_vacancy(vacancy, by=request.user, reason=reason)
            else:
                raise PermissionDenied
        except services.TransitionError as error:
            refused.append(f"#{vacancy.pk} {vacancy.title}: {error.message}")
        else:
            done += 1
    if done:
        messages.success(request, _("%(count)d vacancies done.") % {"count": done})
    for line in refused:
        messages.error(request, line)
    return redirect("moderation_queue")


@role_required(Role.ADMINISTRATOR)
def moderation_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Side by side: the vacancy as job seekers would see it, and the employer with the history."""
    vacancy = get_object_or_404(
        Vacancy.objects.select_related("employer", "employer__region", "region", "occupation"),
        pk=pk,
    )
    reject_form = RejectForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                services.publish_vacancy(vacancy, by=request.user)
                messages.success(request, _("Published: %(title)s") % {"title": vacancy.title})
                return redirect("moderation_queue")
            if reject_form.is_valid():
                services.reject_vacancy(
                    vacancy, by=request.user, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(request, _("Rejected: %(title)s") % {"title": vacancy.title})
                return redirect("moderation_queue")
        except services.TransitionError as error:
            messages.error(request, error.message)
    return render(
        request,
        "vacancies/moderation_review.html",
        {
            "vacancy": vacancy,
            "employer": vacancy.employer,
            "history": vacancy.history.select_related("by"),
            "reject_form": reject_form,
        },
    )


# --- Everyone -------------------------------------------------------------------------------


def vacancy_search(request: HttpRequest) -> HttpResponse:
    """The public search page; htmx requests get only the results, and the URL stays shareable."""
    profile = (
        getattr(request.user, "migrant_profile", None) if request.user.is_authenticated else None
    )
    result = search_vacancies(
        request.GET, cursor=request.GET.get("cursor"), profile_id=profile.pk if profile else None
    )
    template = "vacancies/_results.html" if request.htmx else "vacancies/search.html"
    params = request.GET.copy()
    params.pop("cursor", None)
    return render(request, template, {"result": result, "query": params.urlencode()})


def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A vacancy's page. The public sees published ones; the owner and administrators any."""
    vacancy = get_object_or_404(
        Vacancy.objects.select_related("employer", "region", "occupation").prefetch_related(
            "skills", "languages"
        ),
        pk=pk,
    )
    user = request.user
    is_owner = user.is_authenticated and user.employer_id == vacancy.employer_id
    if not vacancy.is_public and not (
        is_owner or (user.is_authenticated and user.is_administrator)
    ):
        return render(request, "404.html", status=404)
    return render(
        request,
        "vacancies/detail.html",
        {
            "vacancy": vacancy,
            "is_owner": is_owner,
            "json_ld": job_posting_json_ld(request, vacancy) if vacancy.is_public else "",
        },
    )


def job_posting_json_ld(request: HttpRequest, vacancy: Vacancy) -> str:
    """schema.org JobPosting, so that search engines list the vacancy as a job."""
    employment = {
        "full": "FULL_TIME",
        "part_time": "PART_TIME",
        "temporary": "TEMPORARY",
        "seasonal": "TEMPORARY",
    }
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": escape(vacancy.description),
        "datePosted": vacancy.published_at.date() if vacancy.published_at else None,
        "validThrough": vacancy.expires_on,
        "employmentType": employment.get(vacancy.employment_type, "OTHER"),
        "occupationalCategory": f"ISCO-08 {vacancy.occupation_id}",
        "totalJobOpenings": vacancy.positions_open,
        "hiringOrganization": {"@type": "Organization", "name": vacancy.employer.legal_name},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": vacancy.city,
                "addressRegion": vacancy.region.name_ru,
                "addressCountry": "RU",
            },
        },
        "url": request.build_absolute_uri(vacancy.get_absolute_url()),
    }
    if vacancy.salary_top:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": vacancy.currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": vacancy.salary_min or vacancy.salary_top,
                "maxValue": vacancy.salary_max or vacancy.salary_top,
                "unitText": "MONTH",
            },
        }
    raw = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Inside <script>, "</" or "<!--" in the data could end the block: escape them.
    return mark_safe(raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308
