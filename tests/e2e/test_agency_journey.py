"""A partner agency registers a worker who agreed, follows the worker in its list, and
follows a worker's application through the selection."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from migrants.models import MigrantProfile
from selection.models import Application, Stage
from tests.e2e.steps import E2E, choose, expect_message, field, fill, follow, press, sign_in
from tests.factories import add_work, make_employer, make_profile, make_vacancy, verified
from vacancies.choices import VacancyStatus

pytestmark = E2E


def test_an_agency_registers_a_worker_with_consent_and_sees_them_in_its_list(
    open_page, evidence, agency_member
):
    # The agency and its member come from the data setup, as administrators create them.
    page = open_page("agency")
    sign_in(page, agency_member.email)
    follow(page.locator("main"), "Our workers")
    expect(page.locator("main table")).to_contain_text("No workers yet.")
    follow(page, "Register a worker")

    fill(
        page.locator("main"),
        {
            "First name (Latin)": "Aziz",
            "Last name (Latin)": "Rakhimov",
            "First name (Cyrillic)": "Азиз",
            "Last name (Cyrillic)": "Рахимов",
            "Date of birth": "1990-07-01",
            "Phone number": "+998 93 111 22 33",
            "Passport number": "FB1122334",
            "Passport valid until": (
                timezone.localdate() + datetime.timedelta(days=3 * 365)
            ).isoformat(),
            "Consent obtained on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "Note on the consent": "Consent form read aloud in Uzbek at the Tashkent office.",
        },
    )
    field(page, "Male").check()
    choose(
        page,
        {
            "Citizenship": "Uzbekistan",
            "Language for messages": "Oʻzbekcha",
            "How the worker gave consent": "Given in person at the agency's office",
        },
    )
    field(
        page, "The worker was shown the consent text in a language they read and agreed to it"
    ).check()
    evidence.shot(page, "registration-form")
    press(page, "Register the worker")
    expect_message(page, "The worker is registered. Continue with their profile.")

    # The profile goes on at the work step.
    expect(page.get_by_role("heading", level=1)).to_have_text("Work experience and skills")
    field(page, "Occupation").fill("bricklayer")
    page.locator("#id_occupation-options").get_by_role("radio").first.check()
    fill(page, {"Years of experience": "4"})
    press(page, "Add occupation")
    expect_message(page, "Occupation added.")
    evidence.shot(page, "work-step")

    # The worker is in the agency's list, with the consent on record.
    follow(page.get_by_role("navigation", name="Main"), "Our workers")
    row = page.get_by_role("row", name="Aziz Rakhimov")
    expect(row).to_contain_text("Uzbekistan")
    expect(row).to_contain_text("Awaiting")
    evidence.shot(page, "workers-list")
    follow(row, "Aziz Rakhimov")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aziz Rakhimov")
    evidence.shot(page, "worker-page")

    profile = MigrantProfile.objects.get(last_name_latin="Rakhimov")
    assert profile.registered_by == agency_member.agency
    consent = profile.consents.get()
    assert consent.agency == agency_member.agency and consent.method == "in_person"


TITLE = "Каменщик на строительство больницы"


@pytest.fixture
def vacancy(db):
    return make_vacancy(
        make_employer(0),
        status=VacancyStatus.PUBLISHED,
        title=TITLE,
        occupation_id="7112",
        city="Москва",
        open_to_foreign_workers=True,
    )


@pytest.fixture
def agency_worker(agency_member):
    """A worker the agency registered and the exchange verified (the journey above shows
    the registration)."""
    profile = verified(
        make_profile(
            agency=agency_member.agency,
            first_name_latin="Bobur",
            last_name_latin="Tursunov",
            passport_number="FA7654321",
            phone="+998935554433",
        )
    )
    add_work(profile, code="7112", years=4)
    return profile


def test_an_agency_proposes_its_worker_and_follows_the_application(
    open_page, evidence, agency_member, agency_worker, vacancy, administrator
):
    # The agency finds the vacancy and proposes its worker from the vacancy's page.
    page = open_page("agency")
    sign_in(page, agency_member.email)
    follow(page.get_by_role("navigation", name="Main"), "Find a job")
    fill(page, {"Words": "каменщик больницы"})
    result = page.locator("#results").get_by_role("link", name=TITLE)
    expect(result).to_be_visible()
    result.click()
    follow(page.locator("main"), "Propose a worker for this job")
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a worker")
    choose(page.locator("main"), {"Worker": str(agency_worker)})
    evidence.shot(page, "propose")
    press(page.locator("main"), "Propose")
    expect_message(page, "The worker is proposed. The exchange reviews the proposal.")

    # Its applications page shows the stage and what happens next.
    expect(page.get_by_role("heading", level=1)).to_have_text("Applications of our workers")
    card = page.locator("main article").filter(has_text=TITLE)
    expect(card).to_contain_text("Bobur Tursunov")
    expect(card.locator(".badge")).to_have_text("Proposed")
    expect(card).to_contain_text("Your agency proposed you. The exchange checks the proposal.")
    evidence.shot(page, "applications-proposed")

    # The administrator approves the proposal from the review queue.
    admin = open_page("administrator")
    sign_in(admin, administrator.email)
    follow(admin.get_by_role("navigation", name="Main"), "Shortlist review")
    row = admin.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Proposed by an agency")
    row.get_by_role("checkbox").check()
    evidence.shot(admin, "review-queue")
    press(admin.locator("main"), "Approve the ticked candidates")
    expect_message(admin, "1 candidate approved.")

    # The agency sees the new stage, and finds it again with the stage filter.
    page.reload()
    card = page.locator("main article").filter(has_text=TITLE)
    expect(card.locator(".badge")).to_have_text("Approved by the exchange")
    expect(card).to_contain_text("The employer now looks at your profile.")
    choose(page.locator("main"), {"Stage": "Approved by the exchange"})
    press(page.locator("main"), "Filter")
    expect(page.locator("main article")).to_have_count(1)
    evidence.shot(page, "applications-approved")
    choose(page.locator("main"), {"Stage": "Proposed"})
    press(page.locator("main"), "Filter")
    expect(page.locator("main")).to_contain_text("No applications yet.")

    application = Application.objects.get(vacancy=vacancy, profile=agency_worker)
    assert application.stage == Stage.APPROVED
    assert application.agency == agency_member.agency
