"""Vacancy workflows: every status change goes through `change_status`, which checks
the transition table and records the history row in the same transaction."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange.events import VACANCY_PUBLISHED, emit, vacancy_changed
from exchange.models import User
from vacancies.choices import VacancyStatus
from vacancies.models import ALLOWED_TRANSITIONS, Vacancy, VacancyTransition

# Changing these on a published vacancy changes what was approved, so moderation
# runs again; positions, contacts and the expiry date may change freely.
SUBSTANTIVE_FIELDS = {
    "occupation",
    "title",
    "description",
    "duties",
    "requirements",
    "region",
    "city",
    "address",
    "salary_min",
    "salary_max",
    "currency",
    "salary_basis",
    "employment_type",
    "schedule",
    "contract_months",
    "start_date",
    "skills",
    "experience_years",
    "education",
    "housing",
    "meals",
    "transport_provided",
    "medical_card_required",
    "document_help",
    "open_to_foreign_workers",
    "quota_bound",
    "languages",
}


class TransitionError(ValidationError):
    """A status change that the rules do not allow; the message says why."""


def change_status(
    vacancy: Vacancy, to: str, *, by: User | None, reason: str = ""
) -> VacancyTransition:
    """Move a vacancy to status `to`, or raise TransitionError. The row is locked so
    that two administrators acting at once cannot both move it."""
    with transaction.atomic():
        current = Vacancy.objects.select_for_update().only("status").get(pk=vacancy.pk)
        if to not in ALLOWED_TRANSITIONS[current.status]:
            raise TransitionError(
                _("A vacancy that is “%(current)s” cannot become “%(target)s”.")
                % {
                    "current": VacancyStatus(current.status).label,
                    "target": VacancyStatus(to).label,
                }
            )
        now = timezone.now()
        updates = {"status": to}
        if to == VacancyStatus.SUBMITTED:
            updates["submitted_at"] = now
        if to == VacancyStatus.PUBLISHED:
            updates["rejection_reason"] = ""
            if vacancy.published_at is None or current.status != VacancyStatus.FILLED:
                updates["published_at"] = now
            if not vacancy.expires_on or vacancy.expires_on < timezone.localdate():
                updates["expires_on"] = timezone.localdate() + datetime.timedelta(
                    days=settings.VACANCY_DEFAULT_LIFETIME_DAYS
                )
        if to == VacancyStatus.REJECTED:
            updates["rejection_reason"] = reason
        for field, value in updates.items():
            setattr(vacancy, field, value)
        Vacancy.objects.filter(pk=vacancy.pk).update(**updates)
        # Published vacancies get candidates at once; others drop theirs.
        vacancy_changed.send(sender=__name__, vacancy_id=vacancy.pk)
        if to == VacancyStatus.PUBLISHED:
            _announce_published(vacancy)  # partner webhooks (exchange.events)
        return VacancyTransition.objects.create(
            vacancy=vacancy, from_status=current.status, to_status=to, by=by, reason=reason, at=now
        )


def _announce_published(vacancy: Vacancy) -> None:
    """vacancy.published for partners' webhooks, inside the publishing transaction."""
    emit(
        VACANCY_PUBLISHED,
        {
            "vacancy": vacancy.pk,
            "title": vacancy.title,
            "occupation": vacancy.occupation_id,
            "region": vacancy.region_id,
            "positions_open": vacancy.positions_total - vacancy.positions_filled,
            "url": vacancy.get_absolute_url(),
        },
    )


def record_creation(vacancy: Vacancy, *, by: User) -> VacancyTransition:
    """The first history line of a new draft."""
    return VacancyTransition.objects.create(
        vacancy=vacancy, from_status="", to_status=vacancy.status, by=by
    )


def submit_vacancy(vacancy: Vacancy, *, by: User) -> VacancyTransition:
    """The employer sends the vacancy to moderation; only verified employers may."""
    if not vacancy.employer.is_verified:
        raise TransitionError(
            _(
                "Your organization is not verified yet, so its vacancies cannot be sent to "
                "moderation. You can keep editing the draft meanwhile."
            )
        )
    return change_status(vacancy, VacancyStatus.SUBMITTED, by=by)


def withdraw_vacancy(vacancy: Vacancy, *, by: User) -> VacancyTransition:
    """The employer takes a vacancy back from moderation (or after rejection) to edit it."""
    return change_status(vacancy, VacancyStatus.DRAFT, by=by)


def publish_vacancy(vacancy: Vacancy, *, by: User) -> VacancyTransition:
    if not vacancy.employer.is_verified:
        raise TransitionError(_("The employer is not verified: verify the organization first."))
    return change_status(vacancy, VacancyStatus.PUBLISHED, by=by)


def reject_vacancy(vacancy: Vacancy, *, by: User, reason: str) -> VacancyTransition:
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Say why the vacancy is rejected: the employer sees the reason."))
    return change_status(vacancy, VacancyStatus.REJECTED, by=by, reason=reason)


def close_vacancy(vacancy: Vacancy, *, by: User, reason: str = "") -> VacancyTransition:
    return change_status(vacancy, VacancyStatus.CLOSED, by=by, reason=reason)


def record_edit(vacancy: Vacancy, *, by: User, changed: set[str]) -> VacancyTransition | None:
    """After the employer saved changes: a published (or filled, or expired) vacancy whose
    substantive fields changed goes back to moderation. Call inside the saving transaction."""
    if vacancy.is_editable_without_moderation or not (changed & SUBSTANTIVE_FIELDS):
        return None
    return change_status(
        vacancy, VacancyStatus.SUBMITTED, by=by, reason=_("Edited after publication")
    )


def save_vacancy(
    *, form: ModelForm, languages: BaseInlineFormSet, by: User
) -> tuple[Vacancy, bool]:
    """Save the employer's validated vacancy form and its language requirements, with the
    search text and the history, in one transaction. Returns the vacancy and whether the
    edit sent it back to moderation."""
    creating = form.instance.pk is None
    changed = set(form.changed_data) | ({"languages"} if languages.has_changed() else set())
    with transaction.atomic():
        vacancy = form.save()
        languages.instance = vacancy
        languages.save()
        refresh_search_text(vacancy)
        if creating:
            record_creation(vacancy, by=by)
        back_to_moderation = record_edit(vacancy, by=by, changed=changed)
    return vacancy, back_to_moderation is not None


def update_positions(vacancy: Vacancy, *, by: User, total: int, filled: int) -> None:
    """Change the head count. Reaching the total marks the vacancy filled; opening
    positions again on a filled vacancy publishes it again (no new moderation)."""
    if filled > total:
        raise TransitionError(_("More positions filled than the vacancy has."))
    with transaction.atomic():
        Vacancy.objects.filter(pk=vacancy.pk).update(positions_total=total, positions_filled=filled)
        vacancy.positions_total, vacancy.positions_filled = total, filled
        vacancy_changed.send(sender=__name__, vacancy_id=vacancy.pk)
        if vacancy.status == VacancyStatus.PUBLISHED and filled == total:
            change_status(vacancy, VacancyStatus.FILLED, by=by, reason=_("All positions filled"))
        elif vacancy.status == VacancyStatus.FILLED and filled < total:
            change_status(vacancy, VacancyStatus.PUBLISHED, by=by, reason=_("Positions reopened"))


def expire_vacancies(*, today: datetime.date | None = None) -> int:
    """Move published vacancies past their expiry date to expired. Idempotent."""
    today = today or timezone.localdate()
    expired = 0
    for vacancy in Vacancy.objects.filter(status=VacancyStatus.PUBLISHED, expires_on__lt=today):
        change_status(vacancy, VacancyStatus.EXPIRED, by=None, reason=_("Expiry date passed"))
        expired += 1
    return expired


def duplicate_vacancy(vacancy: Vacancy, *, by: User) -> Vacancy:
    """A new draft with the same content (a common need: the same job again next season)."""
    with transaction.atomic():
        copy = Vacancy.objects.get(pk=vacancy.pk)
        copy.pk = None
        copy.id = None
        copy._state.adding = True
        copy.title = _("%(title)s (copy)") % {"title": vacancy.title}
        copy.status = VacancyStatus.DRAFT
        copy.positions_filled = 0
        copy.rejection_reason = ""
        copy.submitted_at = copy.published_at = copy.expires_on = None
        copy.save()
        copy.skills.set(vacancy.skills.all())
        for requirement in vacancy.languages.all():
            copy.languages.create(language=requirement.language, min_level=requirement.min_level)
        refresh_search_text(copy)
        VacancyTransition.objects.create(
            vacancy=copy,
            from_status="",
            to_status=VacancyStatus.DRAFT,
            by=by,
            reason=_("Copied from vacancy #%(id)s") % {"id": vacancy.pk},
        )
    return copy


def build_search_text(vacancy: Vacancy) -> str:
    """Everything a job seeker might type, lower-cased (SQLite's LIKE folds only ASCII)."""
    occupation_titles = []
    group = vacancy.occupation
    while group is not None:
        occupation_titles += [
            group.title_en,
            group.title_ru,
            group.title_uz,
            group.title_tg,
            group.title_ky,
        ]
        group = group.parent
    skill_titles = [
        title
        for skill in vacancy.skills.all()
        for title in (
            skill.title_en,
            skill.title_ru,
            skill.title_uz,
            skill.title_tg,
            skill.title_ky,
        )
    ]
    parts = [
        vacancy.title,
        vacancy.description,
        vacancy.duties,
        vacancy.requirements,
        vacancy.city,
        *occupation_titles,
        *skill_titles,
    ]
    return "\n".join(part for part in parts if part).lower()


def refresh_search_text(vacancy: Vacancy) -> None:
    vacancy.search_text = build_search_text(vacancy)
    Vacancy.objects.filter(pk=vacancy.pk).update(search_text=vacancy.search_text)
