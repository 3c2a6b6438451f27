"""Steps the journeys share, done the way a person does them: inputs found by their
label, buttons and links by their accessible name. Labels are given as the English
msgids; `in_language` turns them into what a person reading another language sees."""

import re
import time

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

# The marks every browser test module sets: `pytestmark = E2E`.
E2E = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Viewports: a cheap phone, as many workers have, and an office desktop.
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def in_language(language: str, msgid: str) -> str:
    """The text a page in `language` shows for `msgid`; fails if it is not translated,
    so a journey in Uzbek also proves its pages are in Uzbek."""
    with translation.override(language):
        text = gettext(msgid)
    if language != "en":
        assert text != msgid, f"not translated into {language}: {msgid!r}"
    return text


def field(scope, label: str):
    """The input labelled exactly `label` (Django's labels end with a colon)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))


def fill(scope, values: dict[str, str]) -> None:
    """Type into the inputs with these labels (`scope`: a page or a part of one)."""
    for label, value in values.items():
        field(scope, label).fill(value)


def choose(scope, values: dict[str, str]) -> None:
    """Pick options, by their visible text, in the selects with these labels."""
    for label, option in values.items():
        field(scope, label).select_option(label=option)


def press(scope, name: str) -> None:
    """Click the button with this exact accessible name."""
    scope.get_by_role("button", name=name, exact=True).click()


def follow(scope, name: str) -> None:
    """Click the link with this exact accessible name (a link styled as a button has the
    role "button": a person sees a button)."""
    link = scope.get_by_role("link", name=name, exact=True)
    link.or_(scope.get_by_role("button", name=name, exact=True)).click()


def expect_message(page: Page, text: str) -> None:
    """The page shows the flash message (success, warning or error) containing `text`."""
    expect(page.locator(".messages")).to_contain_text(text)


def sign_in(page: Page, login: str, password: str = PASSWORD, *, language: str = "en") -> None:
    """Sign in through the header's link and the sign-in form."""
    page.goto("/")
    follow(
        page.get_by_role("navigation", name=in_language(language, "Main")),
        in_language(language, "Sign in"),
    )
    fill(
        page.locator("main"),
        {
            in_language(language, "E-mail or phone number"): login,
            in_language(language, "Password"): password,
        },
    )
    press(page.locator("main"), in_language(language, "Sign in"))
    expect(page.get_by_role("button", name=in_language(language, "Sign out"))).to_be_visible()


def switch_language(page: Page, language: str, name: str) -> None:
    """Choose the interface language in the footer's switcher (it submits on change)."""
    page.locator("footer").get_by_role("combobox").select_option(label=name)
    expect(page.locator("html")).to_have_attribute("lang", language)


def reload_until(page: Page, shown, *, timeout_ms: int = 90_000, every_ms: int = 2_000) -> None:
    """Reload the page until `shown(page)` (a locator) is visible, as a person waiting for
    background work does: with a real Celery worker (CI) a task finishes after the answer
    that started it; with eager tasks (a developer's machine) the first look succeeds."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            expect(shown(page)).to_be_visible(timeout=every_ms)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            page.reload()
