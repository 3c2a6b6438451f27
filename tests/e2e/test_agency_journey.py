"""A partner agency registers a worker who agreed, and follows the worker in its list."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from migrants.models import MigrantProfile
from tests.e2e.conftest import E2E
from tests.e2e.steps import choose, expect_message, field, fill, follow, press, sign_in

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
