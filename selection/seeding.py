"""Demo applications for `seed_demo`: candidacies in every stage of the selection
pipeline, with their full history, so each role's pages show something real.

Rows are written directly (no notices are sent for demo history). The pairs are
chosen deterministically from the seeded vacancies and verified workers; once any
application exists the seeder adds nothing, so running it twice is safe.
"""

import datetime
import random

from django.db.models import F
from django.utils import timezone

from exchange.choices import Role
from exchange.models import User
from exchange.seeding import ADMIN_LOGIN, DEMO_DOMAIN
from migrants.models import MigrantProfile
from selection.models import Application, ApplicationTransition, OfferTerms, Origin, Stage
from selection.services import RejectReason
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy

# Each target stage and the path that leads to it (the first step is the entry stage).
PATHS = {
    Stage.APPLIED: [Stage.APPLIED],
    Stage.PROPOSED: [Stage.PROPOSED],
    Stage.SHORTLISTED: [Stage.SHORTLISTED],
    Stage.APPROVED: [Stage.SHORTLISTED, Stage.APPROVED],
    Stage.REJECTED: [Stage.APPLIED, Stage.REJECTED],
    Stage.SELECTED: [Stage.SHORTLISTED, Stage.APPROVED, Stage.SELECTED],
    Stage.DECLINED_BY_EMPLOYER: [Stage.SHORTLISTED, Stage.APPROVED, Stage.DECLINED_BY_EMPLOYER],
    Stage.OFFERED: [Stage.APPLIED, Stage.APPROVED, Stage.SELECTED, Stage.OFFERED],
    Stage.DECLINED_BY_WORKER: [
        Stage.SHORTLISTED,
        Stage.APPROVED,
        Stage.SELECTED,
        Stage.OFFERED,
        Stage.DECLINED_BY_WORKER,
    ],
    Stage.PLACED: [Stage.SHORTLISTED, Stage.APPROVED, Stage.SELECTED, Stage.OFFERED, Stage.PLACED],
    Stage.ARRIVED: [
        Stage.SHORTLISTED,
        Stage.APPROVED,
        Stage.SELECTED,
        Stage.OFFERED,
        Stage.PLACED,
        Stage.ARRIVED,
    ],
    Stage.WITHDRAWN: [Stage.APPLIED, Stage.WITHDRAWN],
}
ORIGIN = {Stage.APPLIED: Origin.APPLIED, Stage.PROPOSED: Origin.AGENCY}
PER_STAGE = 3
# The demo migrant's own applications: one offer to answer, one approved, one applied.
NAMED_STAGES = [Stage.OFFERED, Stage.APPROVED, Stage.APPLIED]


def seed(ctx) -> dict[str, int]:
    vacancies = list(
        Vacancy.objects.filter(status=VacancyStatus.PUBLISHED, positions_total__gte=3)
        .filter(positions_filled__lte=F("positions_total") - 3)
        .order_by("pk")[:60]
    )
    profiles = list(
        MigrantProfile.objects.matchable().exclude(applications__isnull=False).order_by("pk")
    )
    admin = User.objects.filter(email=ADMIN_LOGIN).first()
    existing = Application.objects.count()
    if not vacancies or not profiles or existing:
        return {"applications": existing, "new applications": 0}
    members = {
        user.employer_id: user
        for user in User.objects.filter(role=Role.EMPLOYER, employer__isnull=False).order_by("-pk")
    }
    named = MigrantProfile.objects.filter(user__email=f"migrant@{DEMO_DOMAIN}").first()
    plan = []  # (profile, target stage)
    if named and named in profiles:
        profiles.remove(named)
        plan += [(named, stage) for stage in NAMED_STAGES]
    agency_profiles = [p for p in profiles if p.registered_by_id]
    own_profiles = [p for p in profiles if not p.registered_by_id]
    for stage in PATHS:
        for _ in range(PER_STAGE):
            pool = agency_profiles if stage == Stage.PROPOSED and agency_profiles else own_profiles
            if not pool:
                pool = agency_profiles
            if pool:
                plan.append((pool.pop(0), stage))

    now = timezone.now()
    created = 0
    for index, (profile, stage) in enumerate(plan):
        rng = random.Random(f"{ctx.seed}-application-{index}")
        vacancy = vacancies[index % len(vacancies)]
        if profile == named:
            vacancy = vacancies[(index * 7) % len(vacancies)]
        if Application.objects.filter(vacancy=vacancy, profile=profile).exists():
            continue
        path = PATHS[stage]
        if stage in (Stage.PLACED, Stage.ARRIVED):
            vacancy.refresh_from_db(fields=["positions_filled", "positions_total"])
            if vacancy.positions_total - vacancy.positions_filled < 2:
                continue  # keep every demo vacancy open
        entry = path[0]
        at = now - datetime.timedelta(days=rng.randint(25, 40), hours=rng.randint(0, 23))
        application = Application.objects.create(
            vacancy=vacancy,
            profile=profile,
            origin=ORIGIN.get(entry, Origin.MATCHING),
            agency=profile.registered_by if entry == Stage.PROPOSED else None,
            stage=stage,
            stage_changed_at=at,
            score=round(rng.uniform(0.55, 0.95), 3),
        )
        employer_user = members.get(vacancy.employer_id)
        previous = ""
        for step in path:
            changed_at = at
            by = {
                Stage.APPLIED: profile.user,
                Stage.APPROVED: admin,
                Stage.REJECTED: admin,
                Stage.SELECTED: employer_user,
                Stage.DECLINED_BY_EMPLOYER: employer_user,
                Stage.OFFERED: employer_user,
                Stage.PLACED: profile.user,
                Stage.DECLINED_BY_WORKER: profile.user,
                Stage.ARRIVED: employer_user,
                Stage.WITHDRAWN: profile.user,
            }.get(step)
            ApplicationTransition.objects.create(
                application=application,
                from_stage=previous,
                to_stage=step,
                at=at,
                by=by,
                reason_code=RejectReason.DOCUMENTS if step == Stage.REJECTED else "",
                reason="Нашёл работу ближе к дому" if step == Stage.WITHDRAWN else "",
            )
            if step == Stage.OFFERED:
                OfferTerms.objects.create(
                    application=application,
                    wage=vacancy.salary_max or vacancy.salary_min or 70000,
                    currency=vacancy.currency,
                    start_date=timezone.localdate() + datetime.timedelta(days=rng.randint(14, 45)),
                    contract_months=vacancy.contract_months or 12,
                    housing=vacancy.housing,
                    sent_at=at,
                )
            previous = step
            at += datetime.timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 12))
        Application.objects.filter(pk=application.pk).update(
            stage_changed_at=changed_at,
            placed_at=changed_at if stage in (Stage.PLACED, Stage.ARRIVED) else None,
        )
        if stage in (Stage.PLACED, Stage.ARRIVED):
            Vacancy.objects.filter(pk=vacancy.pk).update(positions_filled=F("positions_filled") + 1)
        created += 1
        ctx.advance()
    return {"applications": existing + created, "new applications": created}
