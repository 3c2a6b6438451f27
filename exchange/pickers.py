"""Search-as-you-type pickers for occupations and skills (htmx, no JavaScript of ours).

A picker is a search box plus a list of radio buttons (one occupation) or check
boxes (several skills) that belong to the surrounding form. Typing asks the
server for a new list; the current choice stays in it, checked, so nothing the
user picked is lost. The lists are small (436 unit groups, a few hundred skills),
so matching runs in Python, case-insensitively in every script.
"""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from exchange.models import Occupation, Skill

MAX_OPTIONS = 25


def _matches(text: str, *titles: str) -> bool:
    needle = text.strip().lower()
    return not needle or any(needle in (title or "").lower() for title in titles)


def find_occupations(text: str, limit: int = MAX_OPTIONS) -> list[Occupation]:
    """Unit groups whose code starts with, or whose title in any language contains, `text`."""
    text = text.strip()
    units = Occupation.objects.filter(level=4).order_by("code")
    if text.isdigit():
        return list(units.filter(code__startswith=text)[:limit])
    found = []
    for unit in units:
        if _matches(
            text, unit.title_en, unit.title_ru, unit.title_uz, unit.title_tg, unit.title_ky
        ):
            found.append(unit)
            if len(found) == limit:
                break
    return found


def find_skills(text: str, occupation_code: str = "", limit: int = MAX_OPTIONS) -> list[Skill]:
    """Skills matching `text`; with no text, the skills of the occupation and its groups."""
    skills = Skill.objects.filter(is_active=True).prefetch_related("occupations")
    if not text.strip():
        if not occupation_code:
            return []
        groups = {occupation_code[:length] for length in range(1, len(occupation_code) + 1)}
        skills = skills.filter(occupations__code__in=groups).distinct()
    found = []
    for skill in skills.order_by("title_ru"):
        if _matches(
            text, skill.title_en, skill.title_ru, skill.title_uz, skill.title_tg, skill.title_ky
        ):
            found.append(skill)
            if len(found) == limit:
                break
    return found


@require_GET
def occupation_options(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("name", "occupation")
    selected = Occupation.objects.filter(code=request.GET.get(name, ""), level=4).first()
    text = request.GET.get(f"{name}-search", request.GET.get("q", ""))
    options = [o for o in find_occupations(text) if o != selected] if text.strip() else []
    return render(
        request,
        "widgets/occupation_options.html",
        {"name": name, "selected": selected, "options": options},
    )


@require_GET
def skill_options(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("name", "skills")
    chosen_ids = [value for value in request.GET.getlist(name) if value.isdigit()]
    chosen = list(Skill.objects.filter(pk__in=chosen_ids).order_by("title_ru"))
    options = [
        s
        for s in find_skills(
            request.GET.get(f"{name}-search", request.GET.get("q", "")),
            request.GET.get("occupation", ""),
        )
        if s not in chosen
    ]
    return render(
        request, "widgets/skill_options.html", {"name": name, "chosen": chosen, "options": options}
    )


class OccupationPicker(forms.Widget):
    """One ISCO-08 unit group, chosen by typing a word or a code."""

    template_name = "widgets/occupation_picker.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = Occupation.objects.filter(pk=value).first() if value else None
        context["widget"].update(
            selected=selected,
            options=[],
            url=reverse("occupation_options"),
        )
        return context


class SkillPicker(forms.SelectMultiple):
    """Several skills: the chosen ones stay ticked while the user searches for more."""

    template_name = "widgets/skill_picker.html"
    occupation_field = "occupation"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        ids = [str(v) for v in (value or []) if str(v).isdigit()]
        context["widget"].update(
            chosen=list(Skill.objects.filter(pk__in=ids).order_by("title_ru")),
            url=reverse("skill_options"),
            occupation_field=self.occupation_field,
        )
        return context
