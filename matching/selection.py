"""Placeholder for the selection helper's module, replaced at merge.

Only the three names the partner API calls, with the behaviour it relies on: an
agency proposes one of its workers for a published vacancy (an Application with
origin "agency" in stage "proposed", its first ApplicationTransition, and the
application.stage_changed event, in one transaction), and withdraws it.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange.events import APPLICATION_STAGE_CHANGED, emit
from matching.models import Application, ApplicationTransition, Origin, Stage
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy


class SelectionError(ValidationError):
    """A selection rule refused the step; the message says why."""


def _announce(application: Application, from_stage: str) -> None:
    emit(
        APPLICATION_STAGE_CHANGED,
        {
            "application": application.pk,
            "vacancy": application.vacancy_id,
            "worker": application.profile_id,
            "from_stage": from_stage,
            "stage": application.stage,
        },
        agency_ids=[application.agency_id] if application.agency_id else [],
        employer_ids=[application.vacancy.employer_id],
    )


@transaction.atomic
def propose_by_agency(vacancy, profile, *, agency, user) -> Application:
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if vacancy.status != VacancyStatus.PUBLISHED or vacancy.positions_open <= 0:
        raise SelectionError(_("This vacancy does not take candidates now."))
    if profile.registered_by_id != agency.pk:
        raise SelectionError(_("Only the agency that registered the worker can propose them."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                vacancy=vacancy,
                profile=profile,
                origin=Origin.AGENCY,
                agency=agency,
                stage=Stage.PROPOSED,
            )
    except IntegrityError:
        raise SelectionError(_("The worker is already a candidate for this vacancy.")) from None
    ApplicationTransition.objects.create(
        application=application, from_stage="", to_stage=Stage.PROPOSED, by=user
    )
    _announce(application, "")
    return application


@transaction.atomic
def withdraw(application, *, user, reason="") -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_open:
        raise SelectionError(_("This application is already closed."))
    from_stage = application.stage
    application.stage = Stage.WITHDRAWN
    application.stage_changed_at = timezone.now()
    application.save(update_fields=["stage", "stage_changed_at"])
    ApplicationTransition.objects.create(
        application=application,
        from_stage=from_stage,
        to_stage=Stage.WITHDRAWN,
        by=user,
        reason=reason,
    )
    _announce(application, from_stage)
    return application
