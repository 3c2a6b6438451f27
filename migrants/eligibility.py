"""What a worker must do to work in Russia, from the rule table in the database.

`checklist(profile)` is the worker's own list (have / missing / deadline);
`job_requirements(profile, region=..., quota_bound=...)` is the same list for one
vacancy: the patent fee of the vacancy's region, and whether a visa-country
citizen can take the job at all (only within the quota). The template
`migrants/_job_requirements.html` renders either.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from exchange.choices import VerificationStatus
from exchange.models import Region
from migrants.choices import DocumentType, Regime, StepStatus
from migrants.models import CountryRegime, Document, MigrantProfile, PatentRate, RegimeStep

EMPLOYER_QUOTA_STEP = "employer-quota"


@dataclass(frozen=True)
class Requirement:
    """One line of a checklist."""

    code: str
    title: str
    detail: str
    status: str  # a StepStatus value
    deadline: datetime.date | None  # known when the entry date is
    deadline_text: str  # "within 30 days of entry", when the date is not known
    cost_rub: int | None
    cost_text: str
    legal_basis: str

    @property
    def status_label(self) -> str:
        return StepStatus(self.status).label

    @property
    def is_done(self) -> bool:
        return self.status == StepStatus.DONE

    @property
    def is_overdue(self) -> bool:
        return (
            self.deadline is not None
            and self.status != StepStatus.DONE
            and self.deadline < timezone.localdate()
        )


def regime_for(citizenship: str) -> str:
    """The citizenship's regime; countries not in the table are visa countries."""
    rule = CountryRegime.objects.filter(country=citizenship.upper()).first()
    return rule.regime if rule else Regime.WORK_PERMIT


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """Weekends skipped; public holidays are not (a deadline may come a day early)."""
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def patent_rate(region: Region | None) -> PatentRate | None:
    if region is None:
        return None
    return PatentRate.objects.filter(region=region).order_by("-year").first()


def _documents_by_type(profile: MigrantProfile) -> dict[str, list[Document]]:
    found: dict[str, list[Document]] = {}
    for document in profile.documents.exclude(verification_status=VerificationStatus.REJECTED):
        found.setdefault(document.doc_type, []).append(document)
    return found


def _entry_date(documents: dict[str, list[Document]]) -> datetime.date | None:
    """The latest migration card's issue date is the day of entry."""
    dates = [d.issued_on for d in documents.get(DocumentType.MIGRATION_CARD, []) if d.issued_on]
    return max(dates) if dates else None


def _status(step: RegimeStep, documents, *, quota_bound: bool | None) -> str:
    if step.code == EMPLOYER_QUOTA_STEP:
        if quota_bound is None:
            return StepStatus.MISSING
        return StepStatus.DONE if quota_bound else StepStatus.BLOCKED
    if not step.proof_document:
        return StepStatus.MISSING
    held = documents.get(step.proof_document, [])
    if not held:
        return StepStatus.MISSING
    today = timezone.localdate()
    current = [d for d in held if not d.is_expired(today)]
    if not current:
        return StepStatus.EXPIRED
    if any(d.verification_status == VerificationStatus.VERIFIED for d in current):
        return StepStatus.DONE
    return StepStatus.PENDING


def _deadline_text(step: RegimeStep) -> str:
    if step.deadline_days is None:
        return ""
    if step.deadline_days == 0:
        return _("on entry")
    if step.deadline_working_days:
        return _("within %(days)d working days of entry") % {"days": step.deadline_days}
    return _("within %(days)d days of entry") % {"days": step.deadline_days}


def _cost(step: RegimeStep, region: Region | None) -> tuple[int | None, str]:
    if step.monthly_regional_fee:
        rate = patent_rate(region)
        if rate is None:
            return None, _("monthly, at the rate of the region of work")
        return rate.monthly_rub, _("%(amount)s roubles a month in %(region)s (%(year)d)") % {
            "amount": f"{rate.monthly_rub:,}".replace(",", "\u00a0"),
            "region": rate.region.name,
            "year": rate.year,
        }
    if step.cost_rub is None:
        return None, ""
    if step.cost_rub == 0:
        return 0, _("free")
    return step.cost_rub, _("%(amount)s roubles") % {
        "amount": f"{step.cost_rub:,}".replace(",", "\u00a0")
    }


def _requirements(
    profile: MigrantProfile, *, region: Region | None, quota_bound: bool | None
) -> list[Requirement]:
    if not profile.citizenship:
        return []
    regime = regime_for(profile.citizenship)
    documents = _documents_by_type(profile)
    entry = _entry_date(documents)
    requirements = []
    for step in RegimeStep.objects.filter(regime=regime, is_active=True):
        deadline = None
        if entry is not None and step.deadline_days is not None:
            deadline = (
                add_working_days(entry, step.deadline_days)
                if step.deadline_working_days
                else entry + datetime.timedelta(days=step.deadline_days)
            )
        cost, cost_text = _cost(step, region)
        requirements.append(
            Requirement(
                code=step.code,
                title=step.title,
                detail=step.detail,
                status=_status(step, documents, quota_bound=quota_bound),
                deadline=deadline,
                deadline_text=_deadline_text(step),
                cost_rub=cost,
                cost_text=cost_text,
                legal_basis=step.legal_basis,
            )
        )
    return requirements


def checklist(profile: MigrantProfile) -> list[Requirement]:
    """The worker's personal checklist for their citizenship, before any particular job."""
    return _requirements(profile, region=None, quota_bound=None)


def job_requirements(
    profile: MigrantProfile, *, region: Region | None, quota_bound: bool
) -> list[Requirement]:
    """What taking a job in `region` (quota-bound or not) would require of this worker,
    worded in the active language."""
    return _requirements(profile, region=region, quota_bound=quota_bound)


def can_take_job(requirements: list[Requirement]) -> bool:
    return not any(r.status == StepStatus.BLOCKED for r in requirements)
