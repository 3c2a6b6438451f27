"""Applicant selection: the one transition table and the services that move applications.

Every move goes through `_move()`, which locks the vacancy and then the application
(always in that order, so concurrent moves on one vacancy queue instead of
deadlocking), checks the table and who is asking, records the history row, emits the
domain event and writes the notifications, all in one transaction.

Quota ledger (workers who need a work permit, on quota-bound vacancies): approval
holds a place (checked against what the quota has left), the offer reserves it,
placement uses it; a candidacy that ends releases what it held.
"""

import datetime

import numpy as np
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from exchange.choices import Role
from exchange.events import APPLICATION_STAGE_CHANGED, emit
from exchange.models import Agency, User
from matching.assignment import deferred_acceptance
from matching.models import Match
from matching.scheduling import schedule_worker_rematch
from migrants.choices import Regime
from migrants.models import CountryRegime, MigrantProfile
from notifications.services import Message, notify
from selection.models import (
    PLACED_STAGES,
    QUOTA_HELD_STAGES,
    Application,
    ApplicationTransition,
    OfferTerms,
    Origin,
    Quota,
    Stage,
)
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy

# Who may make a move. SYSTEM is the exchange itself (shortlisting, a vacancy filling).
WORKER, AGENCY, EMPLOYER, ADMINISTRATOR, SYSTEM = (
    "worker",
    "agency",
    "employer",
    "administrator",
    "system",
)
_WITHDRAWERS = frozenset({WORKER, AGENCY, ADMINISTRATOR})

# from stage -> {to stage: who may make that move}. The one table of the pipeline.
TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    Stage.APPLIED: {
        Stage.SHORTLISTED: frozenset({ADMINISTRATOR, SYSTEM}),
        Stage.APPROVED: frozenset({ADMINISTRATOR}),
        Stage.REJECTED: frozenset({ADMINISTRATOR}),
        Stage.WITHDRAWN: _WITHDRAWERS,
    },
    Stage.PROPOSED: {
        Stage.SHORTLISTED: frozenset({ADMINISTRATOR, SYSTEM}),
        Stage.APPROVED: frozenset({ADMINISTRATOR}),
        Stage.REJECTED: frozenset({ADMINISTRATOR}),
        Stage.WITHDRAWN: _WITHDRAWERS,
    },
    Stage.SHORTLISTED: {
        Stage.APPROVED: frozenset({ADMINISTRATOR}),
        Stage.REJECTED: frozenset({ADMINISTRATOR}),
        Stage.WITHDRAWN: _WITHDRAWERS,
    },
    Stage.APPROVED: {
        Stage.SELECTED: frozenset({EMPLOYER}),
        Stage.DECLINED_BY_EMPLOYER: frozenset({EMPLOYER}),
        Stage.WITHDRAWN: _WITHDRAWERS,
    },
    Stage.SELECTED: {
        Stage.OFFERED: frozenset({EMPLOYER}),
        Stage.DECLINED_BY_EMPLOYER: frozenset({EMPLOYER}),
        Stage.WITHDRAWN: _WITHDRAWERS,
    },
    Stage.OFFERED: {
        Stage.PLACED: frozenset({WORKER, AGENCY}),
        Stage.DECLINED_BY_WORKER: frozenset({WORKER, AGENCY}),
        Stage.DECLINED_BY_EMPLOYER: frozenset({EMPLOYER}),  # the employer takes the offer back
        Stage.WITHDRAWN: _WITHDRAWERS | {SYSTEM},  # SYSTEM: the vacancy filled
    },
    Stage.PLACED: {
        Stage.ARRIVED: frozenset({EMPLOYER, ADMINISTRATOR}),
        Stage.WITHDRAWN: _WITHDRAWERS,  # did not come after all: the position reopens
    },
    Stage.REJECTED: {},
    Stage.DECLINED_BY_EMPLOYER: {},
    Stage.DECLINED_BY_WORKER: {},
    Stage.ARRIVED: {},
    Stage.WITHDRAWN: {},
}

# Stages waiting for the administrators' review.
REVIEW_STAGES = (Stage.APPLIED, Stage.PROPOSED, Stage.SHORTLISTED)
# Stages the employer sees (approved by the exchange, and what followed).
EMPLOYER_STAGES = (
    Stage.APPROVED,
    Stage.SELECTED,
    Stage.OFFERED,
    Stage.PLACED,
    Stage.ARRIVED,
    Stage.DECLINED_BY_EMPLOYER,
    Stage.DECLINED_BY_WORKER,
)
# Stages in which the employer sees the worker's name and contacts.
CONTACTS_VISIBLE_STAGES = (
    Stage.SELECTED,
    Stage.OFFERED,
    Stage.PLACED,
    Stage.ARRIVED,
    Stage.DECLINED_BY_WORKER,
)
# Candidacies still in progress (they count towards a vacancy's shortlist size).
IN_PROGRESS_STAGES = (*REVIEW_STAGES, Stage.APPROVED, Stage.SELECTED, Stage.OFFERED)

# Shortlist size: this many candidates per open position, best first.
SHORTLIST_PER_POSITION = 3
# A worker already in this many candidacies in progress gets no new proposals, so one
# strong worker is not on dozens of shortlists at once.
MAX_OPEN_CANDIDACIES = 3


class RejectReason:
    """Why an administrator does not approve a candidate (the list; free text adds detail)."""

    NOT_ELIGIBLE = "not_eligible"
    DOCUMENTS = "documents"
    REQUIREMENTS = "requirements"
    LANGUAGE = "language"
    QUOTA = "quota"
    PROFILE = "profile"
    OTHER = "other"

    choices = [
        (NOT_ELIGIBLE, _("Not eligible for this job under the migration rules")),
        (DOCUMENTS, _("Documents missing, expired or not verified")),
        (REQUIREMENTS, _("Does not meet the job's requirements")),
        (LANGUAGE, _("Russian language level too low for this job")),
        (QUOTA, _("No quota left for this region and occupation")),
        (PROFILE, _("Profile incomplete or doubtful")),
        (OTHER, _("Other (explain below)")),
    ]

    @classmethod
    def label(cls, code: str) -> str:
        return str(dict(cls.choices).get(code, code))


# What a worker reads next to each stage: what happens next.
NEXT_STEP = {
    Stage.APPLIED: _("The exchange checks your application. You will be told the result."),
    Stage.PROPOSED: _("Your agency proposed you. The exchange checks the proposal."),
    Stage.SHORTLISTED: _(
        "You are on the shortlist. The exchange checks that you can take this job."
    ),
    Stage.APPROVED: _("The exchange approved you. The employer now looks at your profile."),
    Stage.REJECTED: _("This application was not approved. You can apply for other jobs."),
    Stage.SELECTED: _("The employer chose you. Wait for the job offer with its terms."),
    Stage.DECLINED_BY_EMPLOYER: _("The employer chose other candidates. Try other jobs."),
    Stage.OFFERED: _("You have a job offer. Read the terms, then accept or decline it."),
    Stage.DECLINED_BY_WORKER: _("You declined this offer."),
    Stage.PLACED: _("You accepted the offer: the job is yours. Prepare your documents and travel."),
    Stage.ARRIVED: _("You have arrived at work. We wish you success!"),
    Stage.WITHDRAWN: _("This application was withdrawn."),
}


class SelectionError(ValidationError):
    """A move the rules do not allow, or that the asker may not make; the message
    (translated) says why."""


# --- Who is asking ------------------------------------------------------------------


def actors_of(user: User | None, application: Application) -> set[str]:
    """The parts `user` plays in this application (None is the exchange itself)."""
    if user is None:
        return {SYSTEM}
    if not user.is_authenticated or not user.is_active:
        return set()
    parts = set()
    if user.is_administrator:
        parts.add(ADMINISTRATOR)
    profile = application.profile
    if user.role == Role.MIGRANT and profile.user_id == user.pk:
        parts.add(WORKER)
    if (
        user.role == Role.AGENCY
        and user.agency_id
        and user.agency_id in (profile.registered_by_id, application.agency_id)
    ):
        parts.add(AGENCY)
    if user.role == Role.EMPLOYER and user.employer_id == application.vacancy.employer_id:
        parts.add(EMPLOYER)
    return parts


def applications_visible_to(user: User):
    """The only applications `user` may open; anything else is a 404. Employers see a
    candidacy only once the exchange approved it."""
    rows = Application.objects.all()
    if not user.is_authenticated or not user.is_active:
        return rows.none()
    if user.is_administrator:
        return rows
    if user.role == Role.MIGRANT:
        return rows.filter(profile__user=user)
    if user.role == Role.AGENCY and user.agency_id:
        return rows.filter(Q(profile__registered_by_id=user.agency_id) | Q(agency=user.agency_id))
    if user.role == Role.EMPLOYER and user.employer_id:
        return rows.filter(vacancy__employer_id=user.employer_id).filter(
            Q(stage__in=EMPLOYER_STAGES)
            | Q(stage=Stage.WITHDRAWN, transitions__to_stage=Stage.APPROVED)
        )
    return rows.none()


def allowed_moves(application: Application, user: User | None) -> set[str]:
    """Stages `user` may move this application to now (for showing buttons)."""
    parts = actors_of(user, application)
    return {to for to, who in TRANSITIONS[application.stage].items() if who & parts}


# --- The one move -------------------------------------------------------------------


def _lock(application: Application) -> tuple[Vacancy, Application]:
    """Lock the vacancy, then the application: the one lock order of every move."""
    vacancy = Vacancy.objects.select_for_update().get(pk=application.vacancy_id)
    current = Application.objects.select_for_update().get(pk=application.pk)
    current.vacancy = vacancy
    current.profile = application.profile
    return vacancy, current


def _check_move(application: Application, to: str, user: User | None) -> None:
    """Raise SelectionError unless the table allows the move and `user` may make it."""
    current = application.stage
    if to not in TRANSITIONS[current]:
        raise SelectionError(
            _("An application that is “%(current)s” cannot become “%(target)s”.")
            % {"current": Stage(current).label, "target": Stage(to).label},
            code="invalid_transition",
        )
    if not (TRANSITIONS[current][to] & actors_of(user, application)):
        raise SelectionError(
            _("You may not move this application to “%(target)s”.") % {"target": Stage(to).label},
            code="not_allowed",
        )


def _move(
    application: Application,
    to: str,
    *,
    user: User | None,
    reason_code: str = "",
    reason: str = "",
    **fields,
) -> Application:
    """Move a locked application (from `_lock`) to `to`, or raise SelectionError."""
    _check_move(application, to, user)
    current = application.stage
    now = timezone.now()
    application.stage = to
    application.stage_changed_at = now
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["stage", "stage_changed_at", *fields])
    ApplicationTransition.objects.create(
        application=application,
        from_stage=current,
        to_stage=to,
        at=now,
        by=user,
        reason_code=reason_code,
        reason=reason,
    )
    _announce(application, current, to, by=user, reason_code=reason_code, reason=reason)
    if (current in PLACED_STAGES) != (to in PLACED_STAGES):
        # A placed worker leaves matching (and one whose placement ends comes back).
        schedule_worker_rematch(application.profile_id)
    return application


def _created(application: Application, *, user: User | None, reason: str = "") -> Application:
    """The first history line, event and notices of a new application."""
    ApplicationTransition.objects.create(
        application=application,
        from_stage="",
        to_stage=application.stage,
        at=application.stage_changed_at,
        by=user,
        reason=reason,
    )
    _announce(application, "", application.stage, by=user, reason_code="", reason=reason)
    return application


def _sync(target: Application, source: Application) -> Application:
    """Copy the moved state back onto the caller's object."""
    for name in ("stage", "stage_changed_at", "placed_at", "quota_id", "score"):
        setattr(target, name, getattr(source, name))
    return target


def _reason_text(text: str) -> str:
    return (text or "").strip()[:2000]


# --- Notices and events ---------------------------------------------------------------


def _agency_ids(application: Application) -> set[int]:
    return {pk for pk in (application.profile.registered_by_id, application.agency_id) if pk}


def _announce(application, from_stage, to_stage, *, by, reason_code, reason) -> None:
    profile, vacancy = application.profile, application.vacancy
    agency_ids = _agency_ids(application)
    emit(
        APPLICATION_STAGE_CHANGED,
        {
            "application_id": application.pk,
            "vacancy_id": vacancy.pk,
            "profile_id": profile.pk,
            "origin": application.origin,
            "from_stage": from_stage,
            "to_stage": to_stage,
            "reason_code": reason_code,
            "at": application.stage_changed_at.isoformat(),
        },
        agency_ids=sorted(agency_ids),
        employer_ids=[vacancy.employer_id],
    )
    key = f"application:{application.pk}:{from_stage or 'new'}:{to_stage}"
    params = {
        "vacancy": vacancy.title,
        "city": vacancy.city,
        "employer": vacancy.employer.legal_name if vacancy.employer_id else "",
        "stage": Stage(to_stage).label,
        "next": NEXT_STEP[to_stage],
        "reason": lazy(_reason_line, str)(reason_code, reason),
        "number": application.pk,
        "worker": profile.full_name or _("the candidate"),
    }
    payload = {
        "application_id": application.pk,
        "vacancy_id": vacancy.pk,
        "stage": to_stage,
    }
    worker_side = [profile.user] if profile.user_id else []
    worker_side += list(User.objects.filter(agency_id__in=agency_ids, is_active=True))
    worker_side = [u for u in worker_side if by is None or u.pk != by.pk]
    if to_stage in WORKER_MESSAGES:
        subject, body = WORKER_MESSAGES[to_stage]
        notify(
            worker_side,
            event=f"application.{to_stage}",
            key=key,
            message=Message(subject, body, params, url=reverse("worker_applications")),
            payload=payload,
        )
    employer_side = to_stage in EMPLOYER_MESSAGES and (
        to_stage != Stage.WITHDRAWN or from_stage in (*EMPLOYER_STAGES, Stage.OFFERED)
    )
    if employer_side:
        members = User.objects.filter(employer_id=vacancy.employer_id, is_active=True)
        members = [u for u in members if by is None or u.pk != by.pk]
        subject, body = EMPLOYER_MESSAGES[to_stage]
        notify(
            members,
            event=f"application.{to_stage}",
            key=key,
            message=Message(
                subject, body, params, url=reverse("employer_vacancy_applicants", args=[vacancy.pk])
            ),
            payload=payload,
        )


def _reason_line(code: str, text: str) -> str:
    parts = [RejectReason.label(code)] if code and code in dict(RejectReason.choices) else []
    if code == "vacancy_filled":
        parts.append(str(_("all positions of the vacancy are filled")))
    if text:
        parts.append(text)
    return "; ".join(str(p) for p in parts) or "—"


WORKER_MESSAGES = {
    Stage.APPLIED: (
        _("Application received: %(vacancy)s"),
        _("Your application for “%(vacancy)s” (%(city)s) is received.\n%(next)s"),
    ),
    Stage.PROPOSED: (
        _("Proposed for a job: %(vacancy)s"),
        _("You are proposed for “%(vacancy)s” (%(city)s).\n%(next)s"),
    ),
    Stage.SHORTLISTED: (
        _("You are on a shortlist: %(vacancy)s"),
        _("The exchange put you on the shortlist for “%(vacancy)s” (%(city)s).\n%(next)s"),
    ),
    Stage.APPROVED: (
        _("Approved: %(vacancy)s"),
        _("The exchange approved you for “%(vacancy)s” (%(city)s).\n%(next)s"),
    ),
    Stage.REJECTED: (
        _("Not approved: %(vacancy)s"),
        _("The exchange did not approve you for “%(vacancy)s”. Reason: %(reason)s\n%(next)s"),
    ),
    Stage.SELECTED: (
        _("The employer chose you: %(vacancy)s"),
        _("%(employer)s chose you for “%(vacancy)s” (%(city)s).\n%(next)s"),
    ),
    Stage.DECLINED_BY_EMPLOYER: (
        _("Not chosen: %(vacancy)s"),
        _("The employer did not choose you for “%(vacancy)s”.\n%(next)s"),
    ),
    Stage.OFFERED: (
        _("Job offer: %(vacancy)s"),
        _("%(employer)s sent you a job offer for “%(vacancy)s” (%(city)s).\n%(next)s"),
    ),
    Stage.PLACED: (
        _("Placement confirmed: %(vacancy)s"),
        _("You accepted the offer for “%(vacancy)s” (%(city)s).\n%(next)s"),
    ),
    Stage.ARRIVED: (
        _("Arrival recorded: %(vacancy)s"),
        _("Your arrival at “%(vacancy)s” (%(city)s) is recorded."),
    ),
    Stage.WITHDRAWN: (
        _("Application withdrawn: %(vacancy)s"),
        _("The application for “%(vacancy)s” is withdrawn. Reason: %(reason)s"),
    ),
}

EMPLOYER_MESSAGES = {
    Stage.APPROVED: (
        _("New approved candidate: %(vacancy)s"),
        _(
            "The exchange approved candidate no. %(number)s for “%(vacancy)s”. "
            "Look at the profile and choose or decline."
        ),
    ),
    Stage.PLACED: (
        _("Offer accepted: %(vacancy)s"),
        _("%(worker)s accepted your offer for “%(vacancy)s”. The placement is recorded."),
    ),
    Stage.DECLINED_BY_WORKER: (
        _("Offer declined: %(vacancy)s"),
        _("%(worker)s declined your offer for “%(vacancy)s”. Reason: %(reason)s"),
    ),
    Stage.WITHDRAWN: (
        _("Candidate withdrew: %(vacancy)s"),
        _("Candidate no. %(number)s for “%(vacancy)s” withdrew. Reason: %(reason)s"),
    ),
}


# --- Quota ledger -------------------------------------------------------------------------


def needs_quota(vacancy: Vacancy, profile: MigrantProfile) -> bool:
    """Only visa-country citizens need a work permit within the quota (EAEU citizens
    need no permit, visa-free citizens a patent); countries not in the regime table
    are visa countries."""
    if not vacancy.quota_bound:
        return False
    regime = (
        CountryRegime.objects.filter(country=(profile.citizenship or "").upper())
        .values_list("regime", flat=True)
        .first()
    )
    return (regime or Regime.WORK_PERMIT) == Regime.WORK_PERMIT


def quota_for(vacancy: Vacancy) -> Quota | None:
    """The most specific quota row for the vacancy's region, occupation and year."""
    year = (vacancy.start_date or timezone.localdate()).year
    code = vacancy.occupation_id or ""
    groups = [code[:n] for n in range(1, len(code) + 1)]
    return (
        Quota.objects.filter(year=year, region_id=vacancy.region_id, occupation_id__in=groups)
        .order_by(Length("occupation_id").desc())
        .first()
    )


def quota_available(quota: Quota) -> int:
    """Places left for new approvals: allotted − reserved − used − held by approvals."""
    held = Application.objects.filter(quota=quota, stage__in=QUOTA_HELD_STAGES).count()
    return quota.allotted - quota.reserved - quota.used - held


def _hold_quota(application: Application) -> Quota | None:
    if not needs_quota(application.vacancy, application.profile):
        return None
    quota = quota_for(application.vacancy)
    if quota is None:
        raise SelectionError(
            _(
                "This vacancy is within the quota, and no quota is set for its region, "
                "occupation and year. Add the quota in the data administration first."
            ),
            code="no_quota",
        )
    quota = Quota.objects.select_for_update().get(pk=quota.pk)  # approvals queue here
    if quota_available(quota) < 1:
        raise SelectionError(
            _("The quota for this region and occupation is used up (%(used)s of %(allotted)s).")
            % {"used": quota.allotted - quota_available(quota), "allotted": quota.allotted},
            code="quota_exhausted",
        )
    return quota


def _release_quota(application: Application, from_stage: str) -> None:
    """Give back what an ending candidacy held in the quota ledger."""
    if not application.quota_id:
        return
    if from_stage == Stage.OFFERED:
        Quota.objects.filter(pk=application.quota_id).update(reserved=F("reserved") - 1)
    elif from_stage == Stage.PLACED:
        Quota.objects.filter(pk=application.quota_id).update(used=F("used") - 1)
    # Held by approval only: counting stages already frees it.


# --- Creating candidacies ----------------------------------------------------------------


def _check_can_be_candidate(vacancy: Vacancy, profile: MigrantProfile) -> None:
    if not vacancy.is_public or vacancy.positions_open <= 0:
        raise SelectionError(_("This vacancy is not open for candidates."), code="vacancy_not_open")
    if profile.is_erased or profile.merged_into_id or not profile.is_verified:
        raise SelectionError(
            _("Only a verified worker profile can be put forward for a job."),
            code="profile_not_verified",
        )
    if Application.objects.filter(profile=profile, stage__in=PLACED_STAGES).exists():
        raise SelectionError(
            _("This worker already has a job through the exchange."), code="already_placed"
        )


def _match_score(vacancy_id: int, profile_id: int) -> float | None:
    return (
        Match.objects.current()
        .filter(vacancy_id=vacancy_id, profile_id=profile_id)
        .values_list("score", flat=True)
        .first()
    )


def _create(vacancy, profile, *, origin, stage, user, agency=None, score=None) -> Application:
    with transaction.atomic():
        vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
        _check_can_be_candidate(vacancy, profile)
        if Application.objects.filter(vacancy=vacancy, profile=profile).exists():
            raise SelectionError(
                _("This worker is already a candidate for this vacancy."), code="duplicate"
            )
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    vacancy=vacancy,
                    profile=profile,
                    origin=origin,
                    agency=agency,
                    stage=stage,
                    score=score if score is not None else _match_score(vacancy.pk, profile.pk),
                )
        except IntegrityError as error:  # a concurrent request created it first
            raise SelectionError(
                _("This worker is already a candidate for this vacancy."), code="duplicate"
            ) from error
        return _created(application, user=user)


def apply(vacancy: Vacancy, profile: MigrantProfile, *, user: User) -> Application:
    """The worker applies from the vacancy page."""
    if not (user.role == Role.MIGRANT and profile.user_id == user.pk):
        raise SelectionError(_("Only the worker may apply with this profile."), code="not_allowed")
    return _create(vacancy, profile, origin=Origin.APPLIED, stage=Stage.APPLIED, user=user)


def propose_by_agency(
    vacancy: Vacancy, profile: MigrantProfile, *, agency: Agency, user: User
) -> Application:
    """A partner agency proposes one of its workers (registered by it or shared with it)."""
    if not (user.role == Role.AGENCY and user.agency_id == agency.pk):
        raise SelectionError(_("You may not act for this agency."), code="not_allowed")
    if not MigrantProfile.objects.for_agency(agency.pk).filter(pk=profile.pk).exists():
        raise SelectionError(_("This worker is not one of your agency's."), code="not_allowed")
    return _create(
        vacancy, profile, origin=Origin.AGENCY, stage=Stage.PROPOSED, user=user, agency=agency
    )


def open_vacancies_for_shortlists():
    return Vacancy.objects.visible_to_public().filter(positions_filled__lt=F("positions_total"))


def propose_shortlists(
    vacancies=None, *, user: User | None = None, per_position: int = SHORTLIST_PER_POSITION
) -> dict[int, list[Application]]:
    """Shortlist workers from the stored matching results for the given (default: every
    open) vacancies: up to `per_position` × open positions per vacancy, counting the
    candidacies already in progress, best first.

    Capacity-aware: the workers propose down their own lists by score (deferred
    acceptance), so a strong worker lands on the one shortlist they fit best in this
    run instead of on every one; workers already placed, or already in
    MAX_OPEN_CANDIDACIES candidacies, are not proposed.
    """
    if user is not None and not user.is_administrator:
        raise SelectionError(_("Only administrators draw up shortlists."), code="not_allowed")
    if vacancies is None:
        vacancies = open_vacancies_for_shortlists()
    vacancies = [v for v in vacancies if v.is_public and v.positions_open > 0]
    if not vacancies:
        return {}
    in_progress = dict(
        Application.objects.filter(
            vacancy__in=[v.pk for v in vacancies], stage__in=IN_PROGRESS_STAGES
        )
        .values_list("vacancy")
        .annotate(n=Count("pk"))
    )
    slots = [max(per_position * v.positions_open - in_progress.get(v.pk, 0), 0) for v in vacancies]
    busy = set(
        Application.objects.filter(stage__in=PLACED_STAGES).values_list("profile_id", flat=True)
    )
    busy |= set(
        Application.objects.filter(stage__in=IN_PROGRESS_STAGES)
        .values_list("profile")
        .annotate(n=Count("pk"))
        .filter(n__gte=MAX_OPEN_CANDIDACIES)
        .values_list("profile", flat=True)
    )
    already = set(
        Application.objects.filter(vacancy__in=[v.pk for v in vacancies]).values_list(
            "vacancy_id", "profile_id"
        )
    )
    matchable = MigrantProfile.objects.matchable()
    edges: dict[int, list[tuple[float, int]]] = {}  # profile -> [(score, vacancy index)]
    from matching.services import matches_for_vacancy

    for j, vacancy in enumerate(vacancies):
        if not slots[j]:
            continue
        for profile_id, score in (
            matches_for_vacancy(vacancy.pk)
            .filter(profile__in=matchable)
            .values_list("profile_id", "score")
        ):
            if profile_id in busy or (vacancy.pk, profile_id) in already:
                continue
            edges.setdefault(profile_id, []).append((score, j))
    if not edges:
        return {}
    profile_ids = sorted(edges)
    width = max(len(edges[p]) for p in profile_ids)
    prefs = np.full((len(profile_ids), width), -1, dtype=np.int32)
    scores = np.zeros((len(profile_ids), width), dtype=np.float32)
    for i, profile_id in enumerate(profile_ids):
        ranked = sorted(edges[profile_id], key=lambda e: (-e[0], vacancies[e[1]].pk))
        for r, (score, j) in enumerate(ranked):
            prefs[i, r], scores[i, r] = j, score
    assigned = deferred_acceptance(prefs, scores, np.array(slots, dtype=np.int64))
    score_of = {(p, j): s for p in profile_ids for s, j in edges[p]}
    chosen: dict[int, list[tuple[float, int]]] = {}
    for i, j in enumerate(assigned.tolist()):
        if j >= 0:
            chosen.setdefault(j, []).append((score_of[(profile_ids[i], j)], profile_ids[i]))
    created: dict[int, list[Application]] = {}
    profiles = MigrantProfile.objects.in_bulk([p for pairs in chosen.values() for _, p in pairs])
    for j, pairs in sorted(chosen.items()):
        vacancy = vacancies[j]
        for score, profile_id in sorted(pairs, key=lambda pair: (-pair[0], pair[1])):
            try:
                application = _create(
                    vacancy,
                    profiles[profile_id],
                    origin=Origin.MATCHING,
                    stage=Stage.SHORTLISTED,
                    user=user,
                    score=score,
                )
            except SelectionError:
                continue  # changed since the matches were read (filled, placed, applied)
            created.setdefault(vacancy.pk, []).append(application)
    return created


def propose_shortlist(vacancy: Vacancy, *, user: User | None = None) -> list[Application]:
    """One vacancy's shortlist (see propose_shortlists)."""
    return propose_shortlists([vacancy], user=user).get(vacancy.pk, [])


# --- Review (administrators) -------------------------------------------------------------


def shortlist(application: Application, *, user: User | None) -> Application:
    """Put a worker's own application, or an agency's proposal, on the shortlist."""
    with transaction.atomic():
        _vacancy, current = _lock(application)
        return _sync(application, _move(current, Stage.SHORTLISTED, user=user))


def approve(application: Application, *, user: User) -> Application:
    """The exchange approves a candidate: the employer sees them from now on. A worker
    who needs a work permit holds a place in the quota (refused when none is left)."""
    with transaction.atomic():
        _vacancy, current = _lock(application)
        _check_move(current, Stage.APPROVED, user)
        moved = _move(current, Stage.APPROVED, user=user, quota=_hold_quota(current))
        return _sync(application, moved)


def approve_many(applications, *, user: User) -> tuple[list[Application], list[tuple]]:
    """Approve each (one transaction each, so one refusal stops nothing else);
    returns (approved, [(application, error message), ...])."""
    approved, refused = [], []
    for application in applications:
        try:
            approved.append(approve(application, user=user))
        except SelectionError as error:
            refused.append((application, " ".join(error.messages)))
    return approved, refused


def reject(
    application: Application, *, user: User, reason_code: str, reason: str = ""
) -> Application:
    reason = _reason_text(reason)
    if reason_code not in dict(RejectReason.choices):
        raise SelectionError(_("Choose a reason from the list."), code="reason_required")
    if reason_code == RejectReason.OTHER and not reason:
        raise SelectionError(
            _("Explain the reason: the worker and the agency see it."), code="reason_required"
        )
    with transaction.atomic():
        _vacancy, current = _lock(application)
        moved = _move(current, Stage.REJECTED, user=user, reason_code=reason_code, reason=reason)
        return _sync(application, moved)


# --- Employer ------------------------------------------------------------------------------


def select(application: Application, *, user: User) -> Application:
    with transaction.atomic():
        _vacancy, current = _lock(application)
        return _sync(application, _move(current, Stage.SELECTED, user=user))


def decline(application: Application, *, user: User, reason: str = "") -> Application:
    """The employer declines an approved or selected candidate, or takes an offer back."""
    with transaction.atomic():
        _vacancy, current = _lock(application)
        from_stage = current.stage
        moved = _move(current, Stage.DECLINED_BY_EMPLOYER, user=user, reason=_reason_text(reason))
        _release_quota(moved, from_stage)
        return _sync(application, moved)


def default_offer_terms(vacancy: Vacancy) -> dict:
    """Offer terms copied from the vacancy, for the employer to edit."""
    today = timezone.localdate()
    start = vacancy.start_date if vacancy.start_date and vacancy.start_date >= today else None
    return {
        "wage": vacancy.salary_max or vacancy.salary_min,
        "currency": vacancy.currency,
        "start_date": start or today + datetime.timedelta(days=30),
        "contract_months": vacancy.contract_months or 12,
        "housing": vacancy.housing,
        "note": "",
    }


def send_offer(
    application: Application,
    *,
    user: User,
    wage: int,
    start_date: datetime.date,
    contract_months: int,
    housing: str = "",
    note: str = "",
    currency: str | None = None,
) -> Application:
    """The employer offers the selected worker the job on these terms. A worker who
    needs a work permit gets a reserved place in the quota."""
    errors = {}
    if not wage or wage <= 0:
        errors["wage"] = _("State the monthly wage.")
    if start_date is None or start_date < timezone.localdate():
        errors["start_date"] = _("The start date must not be in the past.")
    if not contract_months or not 1 <= contract_months <= 60:
        errors["contract_months"] = _("The contract lasts 1 to 60 months.")
    if errors:
        raise SelectionError(errors)
    with transaction.atomic():
        vacancy, current = _lock(application)
        if vacancy.status != VacancyStatus.PUBLISHED or vacancy.positions_open <= 0:
            raise SelectionError(_("This vacancy has no open positions left."), code="full")
        moved = _move(current, Stage.OFFERED, user=user)
        if moved.quota_id:
            reserved = Quota.objects.filter(
                pk=moved.quota_id, allotted__gte=F("reserved") + F("used") + 1
            ).update(reserved=F("reserved") + 1)
            if not reserved:
                raise SelectionError(
                    _("The quota for this region and occupation is used up."),
                    code="quota_exhausted",
                )
        OfferTerms.objects.update_or_create(
            application=moved,
            defaults={
                "wage": wage,
                "currency": currency or vacancy.currency,
                "start_date": start_date,
                "contract_months": contract_months,
                "housing": housing or "",
                "note": _reason_text(note),
                "sent_at": moved.stage_changed_at,
            },
        )
        return _sync(application, moved)


def mark_arrived(application: Application, *, user: User) -> Application:
    with transaction.atomic():
        _vacancy, current = _lock(application)
        return _sync(application, _move(current, Stage.ARRIVED, user=user))


# --- Worker (or their agency) ---------------------------------------------------------------


def accept_offer(application: Application, *, user: User) -> Application:
    """The worker accepts: placed, one position filled and the quota place used, in one
    transaction. The vacancy row is locked and the increment is conditional, so the
    last position is never filled twice (the database's check is the last guard).
    When this fills the vacancy, it becomes filled and other open offers are withdrawn."""
    from vacancies.services import change_status

    with transaction.atomic():
        vacancy, current = _lock(application)
        _check_move(current, Stage.PLACED, user)
        if vacancy.status != VacancyStatus.PUBLISHED:
            raise SelectionError(_("This vacancy is no longer open."), code="vacancy_not_open")
        filled = Vacancy.objects.filter(
            pk=vacancy.pk, positions_filled__lt=F("positions_total")
        ).update(positions_filled=F("positions_filled") + 1)
        if not filled:
            raise SelectionError(
                _("Sorry, the last position of this vacancy has just been filled."),
                code="full",
            )
        now = timezone.now()
        moved = _move(current, Stage.PLACED, user=user, placed_at=now)
        if moved.quota_id:
            Quota.objects.filter(pk=moved.quota_id).update(
                reserved=F("reserved") - 1, used=F("used") + 1
            )
        vacancy.refresh_from_db(fields=["positions_filled", "positions_total", "status"])
        if vacancy.positions_filled >= vacancy.positions_total:
            change_status(vacancy, VacancyStatus.FILLED, by=None, reason=_("All positions filled"))
            for other in Application.objects.select_for_update().filter(
                vacancy=vacancy, stage=Stage.OFFERED
            ):
                other.vacancy = vacancy
                _move(other, Stage.WITHDRAWN, user=None, reason_code="vacancy_filled")
                _release_quota(other, Stage.OFFERED)
        return _sync(application, moved)


def decline_offer(application: Application, *, user: User, reason: str = "") -> Application:
    with transaction.atomic():
        _vacancy, current = _lock(application)
        moved = _move(current, Stage.DECLINED_BY_WORKER, user=user, reason=_reason_text(reason))
        _release_quota(moved, Stage.OFFERED)
        return _sync(application, moved)


def withdraw(application: Application, *, user: User, reason: str = "") -> Application:
    """The worker (or their agency, or an administrator) withdraws at any open step.
    Withdrawing after placement frees the position (and the quota place) again."""
    from vacancies.services import change_status

    with transaction.atomic():
        vacancy, current = _lock(application)
        from_stage = current.stage
        moved = _move(current, Stage.WITHDRAWN, user=user, reason=_reason_text(reason))
        _release_quota(moved, from_stage)
        if from_stage == Stage.PLACED:
            Vacancy.objects.filter(pk=vacancy.pk, positions_filled__gt=0).update(
                positions_filled=F("positions_filled") - 1
            )
            if vacancy.status == VacancyStatus.FILLED:
                vacancy.refresh_from_db(fields=["positions_filled", "positions_total"])
                change_status(
                    vacancy,
                    VacancyStatus.PUBLISHED,
                    by=None,
                    reason=_("A placed worker withdrew; the position is open again"),
                )
        return _sync(application, moved)
