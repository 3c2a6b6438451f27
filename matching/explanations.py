"""A stored match's breakdown as sentences, in the reader's language."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from exchange.choices import CEFRLevel
from exchange.classifications import language_name
from matching.models import Match

LEVEL_NAMES = ["—", *CEFRLevel.values]  # index = the engine's level number (0 none … 7 native)


def _level(number: int) -> str:
    code = LEVEL_NAMES[number] if 0 <= number < len(LEVEL_NAMES) else "?"
    return str(CEFRLevel(code).label) if code in CEFRLevel.values else code


def reasons(match: Match, *, for_worker: bool) -> list[tuple[bool, str]]:
    """(good?, sentence) pairs, best-known facts first. `for_worker` says "you"."""
    c, missing = match.components, match.missing or {}
    lines: list[tuple[bool, str]] = []
    vacancy_skills = list(match.vacancy.skills.all())  # prefetched by the views
    required = len(vacancy_skills)
    if required:
        held = required - len(missing.get("skills", []))
        text = (
            ngettext(
                "You have %(held)d of %(total)d required skill.",
                "You have %(held)d of %(total)d required skills.",
                required,
            )
            if for_worker
            else ngettext(
                "Has %(held)d of %(total)d required skill.",
                "Has %(held)d of %(total)d required skills.",
                required,
            )
        )
        lines.append((held == required, text % {"held": held, "total": required}))
        missing_codes = set(missing.get("skills", []))
        lacking = [skill for skill in vacancy_skills if skill.code in missing_codes]
        if lacking:
            lines.append(
                (False, _("Missing: %(skills)s") % {"skills": ", ".join(s.title for s in lacking)})
            )
    for language, held, wanted in missing.get("languages", []):
        text = (
            _("%(language)s %(required)s required, you have %(held)s.")
            if for_worker
            else _("%(language)s %(required)s required, the candidate has %(held)s.")
        )
        lines.append(
            (
                False,
                text
                % {
                    "language": language_name(language),
                    "required": _level(wanted),
                    "held": _level(held),
                },
            )
        )
    if c.get("occupation", 0) < 1:
        lines.append((False, _("A related occupation, not the same one.")))
    if c.get("region", 1) < 1:
        lines.append(
            (
                False,
                _("Not in a region you chose.")
                if for_worker
                else _("Not in a region the candidate chose."),
            )
        )
    if c.get("salary", 1) < 1:
        lines.append(
            (
                False,
                _("The pay is below the minimum you asked for, or not stated.")
                if for_worker
                else _("Pay is below the candidate's minimum, or not stated."),
            )
        )
    else:
        lines.append(
            (
                True,
                _("The pay meets your minimum.")
                if for_worker
                else _("Pay meets the candidate's minimum."),
            )
        )
    if c.get("experience", 1) < 1:
        lines.append((False, _("Less experience than required.")))
    if c.get("availability", 1) < 1:
        lines.append((False, _("Available only after the start date.")))
    return lines
