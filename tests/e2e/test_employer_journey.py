"""An employer joins, is verified, and gets a vacancy published and found."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.steps import E2E, choose, expect_message, field, fill, follow, press, sign_in
from tests.factories import PASSWORD, VALID_INNS, VALID_OGRNS

pytestmark = E2E

TITLE = "Сварщик на монтаж металлоконструкций"


def test_an_employer_signs_up_is_verified_and_gets_a_vacancy_published(
    open_page, evidence, administrator
):
    # The employer opens an account from the home page and registers the organization.
    employer = open_page("employer")
    employer.goto("/")
    follow(employer, "Register as an employer")
    expect(employer.get_by_label("I hire workers for my organization")).to_be_checked()
    fill(
        employer,
        {
            "E-mail or phone number": "hr@stroymontazh.example",
            "Your name": "Irina Petrova",
            "Password": PASSWORD,
            "Password again": PASSWORD,
        },
    )
    press(employer, "Create the account")
    expect(employer.get_by_role("heading", name="Register the organization")).to_be_visible()
    fill(
        employer,
        {
            "Legal name": "ООО «СтройМонтаж»",
            "INN": VALID_INNS[2],
            "OGRN / OGRNIP": VALID_OGRNS[2],
            "Legal address": "г. Тюмень, ул. Республики, д. 10",
            "Contact person": "Ирина Петрова",
            "Contact e-mail": "hr@stroymontazh.example",
            "Contact phone": "+7 345 212-34-56",
        },
    )
    choose(employer, {"Region": "Tyumen Oblast"})
    evidence.shot(employer, "organization-form")
    press(employer.locator("main"), "Register")
    expect_message(employer, "The organization is registered.")
    expect(employer.locator(".badge-pending")).to_be_visible()
    evidence.shot(employer, "organization-awaits-verification")

    # An administrator verifies it.
    admin = open_page("administrator")
    sign_in(admin, administrator.email)
    follow(admin, "Open the verification queue")
    row = admin.get_by_role("row", name="ООО «СтройМонтаж»")
    expect(row).to_contain_text(VALID_INNS[2])
    follow(row, "Review")
    field(admin, "Verify").check()
    evidence.shot(admin, "administrator-verifies")
    press(admin, "Save the decision")
    expect_message(admin, "ООО «СтройМонтаж» is verified.")

    # The employer drafts a vacancy: occupation and skills from the search-as-you-type
    # pickers, a language requirement, and sends it to moderation.
    employer.reload()
    expect(employer.locator(".badge-verified")).to_be_visible()
    follow(employer, "My vacancies")
    follow(employer, "New vacancy")
    # The organization's region and contacts are filled in already.
    expect(field(employer, "Region").locator("option:checked")).to_have_text("Tyumen Oblast")
    expect(field(employer, "Contact person")).to_have_value("Ирина Петрова")
    fill(
        employer,
        {
            "Job title": TITLE,
            "Description": "Сварка и монтаж металлоконструкций на строительстве склада.",
            "City or town": "Тюмень",
            "Positions": "3",
            "Salary from": "120000",
            "Salary up to": "160000",
            "Contract length, months": "6",
            "Start date": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        },
    )
    field(employer, "Occupation (ISCO-08)").fill("welder")
    employer.get_by_label("7212 Welders and flamecutters").check()
    field(employer, "Required skills").fill("weld")
    skills = employer.locator("#id_skills-options").get_by_role("checkbox")
    expect(skills.first).to_be_visible()
    skills.first.check()
    chosen_skill = employer.locator("#id_skills-options label").first.inner_text().strip()
    choose(employer, {"Schedule": "Rotation (vakhta)", "Housing": "Rotation camp on site"})
    first_language = employer.locator(".language-row").nth(0)
    choose(first_language, {"Language": "Russian", "Minimum level": "A2 — elementary"})
    field(employer, "Open to foreign workers").check()
    evidence.shot(employer, "vacancy-form")
    press(employer.locator("main"), "Save")
    expect_message(employer, "Saved.")
    expect(employer.locator(".badge-draft")).to_be_visible()
    press(employer, "Send to moderation")
    expect_message(employer, "Sent to moderation.")
    evidence.shot(employer, "vacancy-submitted")

    # The administrator publishes it.
    follow(admin, "Vacancy moderation")
    follow(admin, TITLE)
    expect(admin.locator("main")).to_contain_text(chosen_skill)
    evidence.shot(admin, "moderation-review")
    press(admin, "Publish")
    expect_message(admin, f"Published: {TITLE}")

    # Anyone finds it in the search and reads it.
    visitor = open_page("visitor")
    visitor.goto("/")
    follow(visitor, "Find a job")
    field(visitor, "Words").fill("сварщик металлоконструкций")
    result = visitor.locator("#results").get_by_role("link", name=TITLE)
    expect(result).to_be_visible()
    expect(visitor).to_have_url(re.compile(r"\?q=\S+"))
    evidence.shot(visitor, "search-finds-the-vacancy")
    result.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    facts = visitor.locator("dl.card-fields")
    expect(facts).to_contain_text("Russian — A2 — elementary")
    expect(facts).to_contain_text(chosen_skill)
    expect(facts).to_contain_text("ISCO-08 7212")
    expect(visitor.locator(".badge-verified")).to_be_visible()
    evidence.shot(visitor, "vacancy-page")
