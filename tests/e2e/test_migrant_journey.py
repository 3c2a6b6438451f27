"""A worker registers on a phone in Uzbek, fills the profile, uploads a scan, finds a job
and reads what it would require of them."""

import datetime
import io
from functools import partial

import pytest
from django.utils import timezone, translation
from django.utils.text import capfirst
from PIL import Image
from playwright.sync_api import expect

from exchange.choices import CEFRLevel, EducationLevel
from exchange.classifications import country_choices, language_choices
from migrants.choices import DocumentType, Gender, NotificationChannel
from migrants.models import MigrantProfile
from tests.e2e.steps import (
    E2E,
    PHONE,
    choose,
    expect_message,
    field,
    fill,
    follow,
    in_language,
    press,
    switch_language,
)
from tests.factories import PASSWORD, make_employer, make_vacancy
from vacancies.choices import VacancyStatus

pytestmark = E2E

uz = partial(in_language, "uz")


def uz_field(verbose_name: str) -> str:
    """A model field's label: its verbose name (lower case msgid), capitalised by the form."""
    return capfirst(uz(verbose_name))


TITLE = "Каменщик на строительство жилого дома"


def choice_in_uzbek(choices, value) -> str:
    """An option's text on an Uzbek page; `choices` may be a callable, as for `choices=`."""
    with translation.override("uz"):
        return str(dict(choices() if callable(choices) else choices)[value])


@pytest.fixture
def published_vacancy(db):
    """A vacancy already in the search (the employer's journey shows how it gets there)."""
    return make_vacancy(
        make_employer(0),
        status=VacancyStatus.PUBLISHED,
        title=TITLE,
        occupation_id="7112",
        region_id="77",
        city="Москва",
        open_to_foreign_workers=True,
    )


def scan_of_a_passport() -> bytes:
    """A small, valid JPEG, as a phone camera would send."""
    out = io.BytesIO()
    Image.new("RGB", (320, 220), (235, 230, 220)).save(out, "JPEG", quality=80)
    return out.getvalue()


def test_a_worker_registers_on_a_phone_in_uzbek_and_reads_what_a_job_requires(
    open_page, evidence, published_vacancy
):
    page = open_page("worker", viewport=PHONE)
    page.goto("/")
    switch_language(page, "uz", "Oʻzbekcha")
    evidence.shot(page, "home-in-uzbek")

    # The account: phone number, password and consent on one short page.
    follow(page, uz("Register as a worker"))
    fill(
        page.locator("main"),
        {
            uz("E-mail or phone number"): "+998 90 555 12 34",
            uz("Your name, as you want us to call you"): "Dilshod",
            uz("Password"): PASSWORD,
            uz("Password again"): PASSWORD,
        },
    )
    field(page, uz("I have read and agree to the processing of my personal data")).check()
    evidence.shot(page, "registration")
    press(page, uz("Create my account"))
    expect_message(page, uz("Your account is ready. Now tell us about yourself."))

    # The profile, step by step.
    expect(page.get_by_role("heading", level=1)).to_have_text(uz("About you"))
    fill(
        page.locator("main"),
        {
            uz("First name (Latin)"): "Dilshod",
            uz("Last name (Latin)"): "Yusupov",
            uz("First name (Cyrillic)"): "Дилшод",
            uz("Last name (Cyrillic)"): "Юсупов",
            uz("Date of birth"): "1994-03-12",
        },
    )
    field(page, choice_in_uzbek(Gender.choices, Gender.MALE)).check()
    choose(page, {uz("Citizenship"): choice_in_uzbek(country_choices, "UZ")})
    evidence.shot(page, "profile-about-you")
    press(page, uz("Save and continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text(uz("Passport"))
    expiry = timezone.localdate() + datetime.timedelta(days=5 * 365)
    fill(
        page.locator("main"),
        {uz("Passport number"): "FA 7654321", uz("Passport valid until"): expiry.isoformat()},
    )
    press(page, uz("Save and continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text(uz("Contacts"))
    expect(field(page, uz_field("phone number"))).to_have_value("+998905551234")
    choose(page, {uz("Language for messages"): "Oʻzbekcha"})
    field(page, choice_in_uzbek(NotificationChannel.choices, NotificationChannel.SMS)).check()
    press(page, uz("Save and continue"))

    # Work: the occupation picker searches as the worker types (here, the ISCO code).
    expect(page.get_by_role("heading", level=1)).to_have_text(uz("Work experience and skills"))
    field(page, uz("Occupation")).fill("7112")
    page.locator("#id_occupation-options").get_by_role("radio").first.check()
    fill(page, {uz("Years of experience"): "6"})
    press(page, uz("Add occupation"))
    expect_message(page, uz("Occupation added."))
    page.locator("#id_skills").get_by_role("checkbox").first.check()
    evidence.shot(page, "profile-work")
    press(page, uz("Save and continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text(uz("Languages"))
    first = page.locator("main fieldset").first
    choose(
        first,
        {
            uz("Language"): choice_in_uzbek(language_choices, "ru"),
            uz("Level"): choice_in_uzbek(CEFRLevel.choices, CEFRLevel.B1),
        },
    )
    press(page, uz("Save and continue"))

    expect(page.get_by_role("heading", level=1)).to_have_text(uz("Education and wishes"))
    choose(
        page,
        {uz_field("education"): choice_in_uzbek(EducationLevel.choices, EducationLevel.VOCATIONAL)},
    )
    field(page, uz_field("ready to work anywhere in Russia")).check()
    fill(
        page,
        {
            uz("Minimum salary, roubles a month"): "70000",
            uz("I can start from"): timezone.localdate().isoformat(),
        },
    )
    evidence.shot(page, "profile-wishes")
    press(page, uz("Save and continue"))

    # The dashboard: the profile is complete but for documents.
    expect(page.get_by_role("heading", level=1)).to_have_text(uz("My profile"))
    evidence.shot(page, "dashboard")

    # A scan of the passport, from the phone.
    follow(page.locator("main"), uz("Upload a document"))
    choose(page, {uz("Document"): choice_in_uzbek(DocumentType.choices, DocumentType.PASSPORT)})
    fill(page, {uz("Number"): "FA7654321", uz("Valid until"): expiry.isoformat()})
    field(page, uz("File: PDF, JPEG or PNG")).set_input_files(
        files=[{"name": "passport.jpg", "mimeType": "image/jpeg", "buffer": scan_of_a_passport()}]
    )
    press(page, uz("Upload"))
    expect_message(page, uz("The document is uploaded. An administrator will check it."))
    documents = page.locator("main table")
    expect(documents).to_contain_text(choice_in_uzbek(DocumentType.choices, "passport"))
    evidence.shot(page, "document-uploaded")
    profile = MigrantProfile.objects.get(user__phone="+998905551234")
    assert profile.citizenship == "UZ" and profile.passport_number == "FA7654321"
    assert profile.documents.get().content_type == "image/jpeg"

    # The search, then the job's page with what it would require of this worker.
    follow(page.get_by_role("navigation", name=uz("Main")), uz("Find a job"))
    fill(page, {uz("Words"): "каменщик"})
    result = page.locator("#results").get_by_role("link", name=TITLE)
    expect(result).to_be_visible()
    evidence.shot(page, "search")
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    requirements = page.locator("#requirements")
    expect(requirements).to_contain_text(uz("What this job would require of you"))
    expect(requirements.locator("tbody tr").first).to_be_visible()
    expect(requirements).to_contain_text(uz("Legal basis:"))
    expect(page.locator("html")).to_have_attribute("lang", "uz")
    requirements.scroll_into_view_if_needed()
    evidence.shot(page, "vacancy-with-checklist")
