"""The checklist is right for a citizen of each regime: EAEU (KG), patent (UZ), visa (VN)."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from exchange.models import Region
from migrants import services
from migrants.choices import Regime, StepStatus
from migrants.eligibility import add_working_days, checklist, job_requirements, regime_for
from migrants.files import clean_upload
from migrants.models import RegimeStep
from tests.factories import make_profile, upload

pytestmark = pytest.mark.django_db


def codes(requirements):
    return [r.code for r in requirements]


def by_code(requirements):
    return {r.code: r for r in requirements}


def add_document(profile, doc_type, *, issued_on=None, expires_on=None, verified=False, by=None):
    document = services.upload_document(
        profile=profile,
        actor=by or profile.user,
        doc_type=doc_type,
        clean_file=clean_upload(upload()),
        issued_on=issued_on,
        expires_on=expires_on,
    )
    if verified:
        document.verification_status = "verified"
        document.save()
    return document


def test_regimes_come_from_the_rule_table_and_unknown_countries_need_a_permit():
    assert regime_for("KG") == Regime.EAEU
    assert regime_for("AM") == Regime.EAEU
    assert regime_for("UZ") == Regime.PATENT
    assert regime_for("TJ") == Regime.PATENT
    assert regime_for("VN") == Regime.WORK_PERMIT
    assert regime_for("BR") == Regime.WORK_PERMIT  # not in the table: visa rules


def test_a_kyrgyz_citizen_needs_no_patent_and_no_permit(migrant):
    profile = make_profile(user=migrant, citizenship="KG", passport_number="AC1234567")
    steps = checklist(profile)
    assert "patent" not in codes(steps) and "work-permit" not in codes(steps)
    assert {"migration-registration", "medical-examination", "contract"} <= set(codes(steps))
    registration = by_code(steps)["migration-registration"]
    assert (
        registration.deadline_text.endswith("30 days of entry")
        or "30" in registration.deadline_text
    )
    assert "Eurasian Economic Union" in registration.legal_basis
    assert all(step.status == StepStatus.MISSING for step in steps)


def test_an_uzbek_citizen_needs_a_patent_within_30_days_and_registration_within_7_working_days(
    migrant,
):
    profile = make_profile(user=migrant, citizenship="UZ")
    entry = datetime.date(2026, 3, 6)  # a Friday
    add_document(profile, "migration_card", issued_on=entry, verified=True)
    add_document(
        profile, "medical", issued_on=entry, expires_on=entry + datetime.timedelta(days=365)
    )
    steps = by_code(checklist(profile))
    assert list(steps)[:2] == ["migration-card", "migration-registration"]
    assert steps["migration-card"].status == StepStatus.DONE
    assert steps["medical-examination"].status == StepStatus.PENDING  # uploaded, not yet checked
    assert steps["patent"].status == StepStatus.MISSING
    assert steps["migration-registration"].deadline == datetime.date(2026, 3, 17)  # 7 working days
    assert steps["patent"].deadline == entry + datetime.timedelta(days=30)
    assert "115-FZ" in steps["patent"].legal_basis
    assert {"language-exam", "fingerprinting", "health-insurance", "inn"} <= set(steps)


def test_the_patent_costs_the_rate_of_the_vacancys_region(migrant):
    profile = make_profile(user=migrant, citizenship="TJ", passport_number="400123123")
    moscow = Region.objects.get(code="77")
    payment = by_code(job_requirements(profile, region=moscow, quota_bound=False))["patent-payment"]
    assert payment.cost_rub == 8900
    assert "Moscow" in payment.cost_text or "Москва" in payment.cost_text
    no_rate = Region.objects.get(code="01")
    payment = by_code(job_requirements(profile, region=no_rate, quota_bound=False))[
        "patent-payment"
    ]
    assert payment.cost_rub is None and payment.cost_text


def test_a_vietnamese_citizen_can_take_only_a_quota_bound_job(migrant):
    profile = make_profile(user=migrant, citizenship="VN", passport_number="C1234567")
    region = Region.objects.get(code="66")
    outside = by_code(job_requirements(profile, region=region, quota_bound=False))
    within = by_code(job_requirements(profile, region=region, quota_bound=True))
    assert outside["employer-quota"].status == StepStatus.BLOCKED
    assert within["employer-quota"].status == StepStatus.DONE
    assert within["work-permit"].cost_rub == 3500
    assert {"work-visa", "work-permit", "migration-registration"} <= set(within)
    assert "patent" not in within


def test_an_expired_document_does_not_count(migrant):
    profile = make_profile(user=migrant, citizenship="UZ")
    add_document(
        profile,
        "patent",
        issued_on=datetime.date(2024, 1, 1),
        expires_on=datetime.date(2025, 1, 1),
        verified=True,
    )
    assert by_code(checklist(profile))["patent"].status == StepStatus.EXPIRED


def test_working_days_skip_weekends():
    assert add_working_days(datetime.date(2026, 3, 6), 1) == datetime.date(2026, 3, 9)
    assert add_working_days(datetime.date(2026, 3, 2), 5) == datetime.date(2026, 3, 9)


def test_the_include_renders_what_a_job_requires(migrant):
    profile = make_profile(user=migrant, citizenship="VN", passport_number="C7654321")
    with translation.override("en"):
        requirements = job_requirements(
            profile, region=Region.objects.get(code="77"), quota_bound=False
        )
        html = render_to_string(
            "migrants/_job_requirements.html", {"job_requirements": requirements}
        )
    assert "Work permit" in html
    assert "Not possible for this job" in html
    assert "Legal basis" in html


def test_the_dashboard_shows_the_checklist(client_for, worker):
    html = client_for(worker.user).get(reverse("migrants:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Work patent for the region of work" in html.content.decode()


def test_the_rules_are_editable_in_the_admin(client_for, administrator):
    client = client_for(administrator)
    for model in ("countryregime", "regimestep", "patentrate"):
        assert client.get(reverse(f"admin:migrants_{model}_changelist")).status_code == 200


def test_every_step_reads_in_uzbek_tajik_and_kyrgyz():
    steps = list(RegimeStep.objects.filter(is_active=True))
    assert steps
    for step in steps:
        for language in ("uz", "tg", "ky"):
            assert getattr(step, f"title_{language}").strip(), (step.regime, step.code, language)
            assert getattr(step, f"detail_{language}").strip(), (step.regime, step.code, language)
        assert step.localized("title", "uz") != step.title_ru
