"""Demo data for the analytics dashboard: a history of applications and the year's
quotas, when no other seeder made them, then a refresh of the summary tables (for the
previous month too, so that the trend has something to compare with)."""

import datetime
import random

from django.utils import timezone

from analytics.refresh import refresh
from exchange.models import Occupation
from exchange.seeding import SeedContext
from migrants.models import MigrantProfile
from selection.models import Application, ApplicationTransition, Origin, Quota, Stage
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy

# Where the demo's applications end up now, with weights (roughly an EPS-like funnel).
STAGE_WEIGHTS = {
    Stage.APPLIED: 14,
    Stage.PROPOSED: 8,
    Stage.SHORTLISTED: 8,
    Stage.APPROVED: 8,
    Stage.REJECTED: 12,
    Stage.SELECTED: 5,
    Stage.DECLINED_BY_EMPLOYER: 6,
    Stage.OFFERED: 5,
    Stage.DECLINED_BY_WORKER: 4,
    Stage.PLACED: 12,
    Stage.ARRIVED: 8,
    Stage.WITHDRAWN: 10,
}
HISTORY_DAYS = 180


def seed(ctx: SeedContext) -> dict[str, int]:
    created = 0 if Application.objects.exists() else _applications(ctx)
    quotas = _quotas(ctx)
    today = timezone.localdate()
    refresh(full=True, as_of=today.replace(day=1) - datetime.timedelta(days=1))
    refresh(full=True)
    return {"demo applications": created, "demo quotas": quotas}


def _applications(ctx: SeedContext) -> int:
    rng = random.Random(f"{ctx.seed}-analytics")
    profiles = list(
        MigrantProfile.objects.matchable().order_by("pk").values_list("pk", "registered_by_id")
    )
    vacancies = list(
        Vacancy.objects.filter(status=VacancyStatus.PUBLISHED)
        .order_by("pk")
        .values_list("pk", "positions_total", "positions_filled")
    )
    if not profiles or not vacancies:
        return 0
    now = timezone.now()
    room = {pk: total - filled for pk, total, filled in vacancies}
    stages, weights = list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values())
    seen, applications, created = set(), [], {}
    for _i in range(min(len(profiles) * 2, 600)):
        profile, agency = rng.choice(profiles)
        vacancy = rng.choice(vacancies)[0]
        if (profile, vacancy) in seen:
            continue
        seen.add((profile, vacancy))
        stage = rng.choices(stages, weights)[0]
        created_at = now - datetime.timedelta(days=rng.randint(0, HISTORY_DAYS), hours=rng.random())
        created[(vacancy, profile)] = created_at
        placed_at = None
        if stage in (Stage.PLACED, Stage.ARRIVED):
            if room[vacancy] <= 0:
                stage = Stage.REJECTED  # no position left: the employer said no
            else:
                room[vacancy] -= 1
                placed_at = min(created_at + datetime.timedelta(days=rng.randint(4, 45)), now)
        origin = rng.choice([Origin.APPLIED, Origin.MATCHING, Origin.EMPLOYER])
        if agency and rng.random() < 0.3:
            origin = Origin.AGENCY
        applications.append(
            Application(
                vacancy_id=vacancy,
                profile_id=profile,
                origin=origin,
                agency_id=agency if origin == Origin.AGENCY else None,
                stage=stage,
                stage_changed_at=placed_at
                or min(created_at + datetime.timedelta(days=rng.randint(0, 10)), now),
                placed_at=placed_at,
            )
        )
    Application.objects.bulk_create(applications, ignore_conflicts=True)
    # created_at is set on insert; move it back to the demo history.
    saved = {
        (a.vacancy_id, a.profile_id): a
        for a in Application.objects.filter(
            vacancy_id__in={a.vacancy_id for a in applications}
        ).only("pk", "vacancy_id", "profile_id")
    }
    transitions = []
    for app in applications:
        row = saved[(app.vacancy_id, app.profile_id)]
        row.created_at = created[(app.vacancy_id, app.profile_id)]
        first = Stage.APPLIED if app.origin == Origin.APPLIED else Stage.PROPOSED
        transitions.append(
            ApplicationTransition(application_id=row.pk, to_stage=first, at=row.created_at)
        )
        if app.stage != first:
            transitions.append(
                ApplicationTransition(
                    application_id=row.pk,
                    from_stage=first,
                    to_stage=app.stage,
                    at=app.stage_changed_at,
                )
            )
    Application.objects.bulk_update(saved.values(), ["created_at"])
    ApplicationTransition.objects.bulk_create(transitions)
    filled = {}
    for app in applications:
        if app.placed_at:
            filled[app.vacancy_id] = filled.get(app.vacancy_id, 0) + 1
    for vacancy in Vacancy.objects.filter(pk__in=filled):
        vacancy.positions_filled += filled[vacancy.pk]
        if vacancy.positions_filled >= vacancy.positions_total:
            vacancy.status = VacancyStatus.FILLED
        vacancy.save(update_fields=["positions_filled", "status"])
    ctx.advance()
    return len(applications)


def _quotas(ctx: SeedContext) -> int:
    """The year's quotas in the regions with demo vacancies, for the major groups that
    employ most foreign workers (construction, plant and machine operators, labourers)."""
    year = timezone.localdate().year
    if Quota.objects.filter(year=year).exists():
        return 0
    rng = random.Random(f"{ctx.seed}-quotas")
    regions = sorted(set(Vacancy.objects.values_list("region_id", flat=True)))
    groups = list(Occupation.objects.filter(code__in=["7", "8", "9"]).order_by("code"))
    quotas = []
    for region in regions:
        for group in groups:
            allotted = rng.randrange(50, 600, 10)
            used = rng.randrange(0, allotted // 2)
            reserved = rng.randrange(0, (allotted - used) // 3)
            quotas.append(
                Quota(
                    year=year,
                    region_id=region,
                    occupation=group,
                    allotted=allotted,
                    used=used,
                    reserved=reserved,
                )
            )
    Quota.objects.bulk_create(quotas, ignore_conflicts=True)
    return len(quotas)
