"""The profile in steps, for the worker or their agency: the forms, submitting, the history."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchange.access import role_required
from exchange.choices import Role
from migrants import services
from migrants.forms import (
    ContactsForm,
    IdentityForm,
    LanguageFormSet,
    OccupationAddForm,
    PassportForm,
    PreferencesForm,
    SkillsForm,
    enabled_data,
    lock_fields,
)
from migrants.models import MigrantProfile
from migrants.views.common import STEP_NAMES, STEPS, _base, _editable, _profile, _url

STEP_FORMS = {
    "identity": IdentityForm,
    "passport": PassportForm,
    "contacts": ContactsForm,
    "preferences": PreferencesForm,
}


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
