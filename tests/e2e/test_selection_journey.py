"""Matching proposes a shortlist, the exchange approves, the employer chooses and offers,
and the worker, on a phone in Uzbek, reads the news and accepts: one position filled."""

import re
from functools import partial

import pytest
from playwright.sync_api import expect

from exchange.choices import Role
from notifications.models import Notification
from selection.models import Application, Stage
from tests.e2e.steps import (
    E2E,
    PHONE,
    expect_message,
    follow,
    in_language,
    press,
    reload_until,
    sign_in,
)
from tests.factories import add_work, make_employer, make_profile, make_user, make_vacancy, verified
from vacancies.choices import VacancyStatus

pytestmark = E2E

ru = partial(in_language, "ru")
uz = partial(in_language, "uz")

TITLE = "Каменщик на строительство школы"
WORKER_PHONE = "+998901234567"
SLOW_MS = 180_000  # a full rematch, the engine compiled for the first time in this process


@pytest.fixture
def employer_member(db):
    return make_user(
        email="hr@stroitel.example",
        role=Role.EMPLOYER,
        employer=make_employer(0),
        full_name="Ирина Петрова",
    )


@pytest.fixture
def vacancy(employer_member):
    """Published with two positions (the employer's journey shows how it gets there)."""
    return make_vacancy(
        employer_member.employer,
        status=VacancyStatus.PUBLISHED,
        title=TITLE,
        occupation_id="7112",
        region_id="77",
        city="Москва",
        positions_total=2,
        open_to_foreign_workers=True,
    )


@pytest.fixture
def worker(db):
    """A bricklayer whose profile the exchange has verified (the migrant's journey shows
    how it is filled in): matching may propose him."""
    user = make_user(phone=WORKER_PHONE, role=Role.MIGRANT, full_name="Dilshod")
    profile = verified(
        make_profile(
            user=user,
            first_name_latin="Dilshod",
            last_name_latin="Yusupov",
            first_name_cyrillic="Дилшод",
            last_name_cyrillic="Юсупов",
            phone=WORKER_PHONE,
        )
    )
    add_work(profile, code="7112", years=6)
    return profile


def nav(page, language: str):
    return page.get_by_role("navigation", name=in_language(language, "Main"))


def test_a_shortlist_becomes_a_placement(
    open_page, evidence, administrator, employer_member, vacancy, worker
):
    # The administrator runs matching, then draws up the shortlists from its results.
    admin = open_page("administrator", language="ru")
    sign_in(admin, administrator.email, language="ru")
    follow(nav(admin, "ru"), ru("Matching"))
    # With eager tasks (no broker) the rematch runs inside this request: the engine's
    # first compile can take a while on a busy machine.
    rematch = admin.locator("main").get_by_role("button", name=ru("Rematch everyone now"))
    rematch.click(timeout=SLOW_MS)
    expect_message(
        admin,
        ru("A full rematch has started. The results replace the current ones when it finishes."),
    )
    finished = ru("Finished")
    reload_until(
        admin,
        lambda page: page.locator("main tbody tr").first.get_by_text(finished),
        timeout_ms=SLOW_MS,
    )
    evidence.shot(admin, "matching-finished")

    follow(nav(admin, "ru"), ru("Shortlist review"))
    press(admin.locator("main"), ru("Draw up shortlists for all open vacancies"))
    expect_message(
        admin, in_language("ru", "%(count)d candidate put on shortlists.") % {"count": 1}
    )
    row = admin.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("Dilshod Yusupov")
    expect(row).to_contain_text(ru("Proposed by matching"))
    evidence.shot(admin, "shortlist")

    # The administrator reviews the candidate and approves.
    follow(row, ru("Review"))
    expect(admin.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(admin.locator("main")).to_contain_text(ru("Why matching proposed this worker"))
    evidence.shot(admin, "review")
    press(admin.locator("main"), ru("Approve"))
    expect_message(admin, ru("Candidate approved."))
    expect(admin.locator("main")).to_contain_text(ru("Nothing to review."))

    # The employer sees the approved candidate, anonymous, selects and sends an offer.
    employer = open_page("employer", language="ru")
    sign_in(employer, employer_member.email, language="ru")
    follow(nav(employer, "ru"), ru("Candidates"))
    vacancies = employer.locator("main table")
    expect(vacancies.get_by_role("row").filter(has_text=TITLE)).to_be_visible()
    evidence.shot(employer, "candidates")
    follow(vacancies, TITLE)
    candidate = employer.locator("main article").first
    expect(candidate).to_contain_text(ru("Approved by the exchange"))
    expect(candidate).not_to_contain_text("Yusupov")  # no name before the selection
    press(candidate, ru("Select this candidate"))
    expect_message(employer, ru("Candidate selected. Now send an offer."))
    candidate = employer.locator("main article").first
    expect(candidate).to_contain_text("Dilshod Yusupov")  # now with name and contacts
    expect(candidate.get_by_role("link", name=WORKER_PHONE)).to_be_visible()
    follow(candidate, ru("Send an offer"))
    expect(employer.get_by_role("heading", level=1)).to_have_text(ru("Send an offer"))
    # The terms are copied from the vacancy.
    expect(employer.get_by_label(ru("Monthly wage"))).to_have_value("120000")
    employer.get_by_label(ru("Other terms")).fill("Питание и проезд за счёт работодателя.")
    evidence.shot(employer, "offer-form")
    press(employer.locator("main"), ru("Send the offer"))
    expect_message(employer, ru("The offer is sent. The worker is told at once."))
    expect(employer.locator("main article").first).to_contain_text(ru("Offer sent"))

    # The worker, on a phone in Uzbek, sees the news in the header and the inbox.
    phone = open_page("worker", viewport=PHONE, language="uz")
    sign_in(phone, WORKER_PHONE, language="uz")
    unread = Notification.objects.inbox_of(worker.user).unread().count()
    assert unread >= 4  # shortlisted, approved, chosen, offered
    inbox_link = nav(phone, "uz").get_by_role(
        "link", name=uz("Notifications (%(count)d)") % {"count": unread}
    )
    expect(inbox_link).to_be_visible()
    evidence.shot(phone, "header-with-unread-count")
    inbox_link.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(uz("Notifications"))
    offer_notice = phone.locator("article.notice-unread").filter(
        has_text=uz("Job offer: %(vacancy)s") % {"vacancy": TITLE}
    )
    expect(offer_notice).to_be_visible()
    expect(offer_notice).to_contain_text(uz("New"))
    evidence.shot(phone, "inbox")
    press(offer_notice, uz("Open"))

    # The notice leads to the applications: the offer's terms, then "accept".
    expect(phone.get_by_role("heading", level=1)).to_have_text(uz("My applications"))
    card = phone.locator("article.application-card").filter(has_text=TITLE)
    expect(card).to_contain_text(uz("Offer sent"))
    expect(card.locator(".offer-terms")).to_contain_text("Питание и проезд")
    evidence.shot(phone, "offer")
    press(card, uz("Accept the offer"))
    expect_message(phone, uz("You accepted the offer. Congratulations: the job is yours!"))
    expect(card).to_contain_text(uz("Placed"))
    # The notice that was opened is read now; the header counts one fewer.
    expect(
        nav(phone, "uz").get_by_role("link", name=re.compile(re.escape(uz("Notifications"))))
    ).not_to_have_text(uz("Notifications (%(count)d)") % {"count": unread})
    evidence.shot(phone, "placed")

    # The employer's page shows one of the two positions filled.
    employer.reload()
    expect(employer.locator("main hgroup")).to_contain_text(
        in_language("ru", "%(filled)s of %(total)s positions filled") % {"filled": 1, "total": 2}
    )
    expect(employer.locator("main article").first).to_contain_text(ru("Placed"))
    evidence.shot(employer, "one-position-filled")

    application = Application.objects.get(vacancy=vacancy, profile=worker)
    assert application.stage == Stage.PLACED and application.origin == "matching"
    vacancy.refresh_from_db()
    assert (vacancy.positions_filled, vacancy.status) == (1, VacancyStatus.PUBLISHED)
