"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live
server on a real (committed) test database.

Every test here is marked `e2e` and `django_db(transaction=True, serialized_rollback=True)`
(see `E2E` in steps.py): the live server answers from another thread, so the data must be
committed, and the reference data (occupations, regions, skills, eligibility rules) is
restored before each test because the flush after a transactional test empties it.

- `open_page(who, ...)` opens a page in a fresh browser context (its own cookies), one per
  person of a journey. Each page is watched: a console error, an uncaught script error, a
  failed request or an answer of 500 and above fails the test.
- `evidence.shot(page, "step")` saves `artifacts/e2e/<test>/NN-step.png`.
- A failing test leaves a Playwright trace per person in `artifacts/e2e/`
  (`playwright show-trace <file>` opens it).

Without Chromium the tests are skipped with the reason; `.ci/run` fails on such a skip.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect, sync_playwright

from notifications import sms
from tests.e2e.steps import DESKTOP

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "e2e"
# How long a step or an expectation may wait for the page (a cold numba compile in an
# eager task can take several seconds on a busy 2-core machine).
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(config, items):
    """Without Chromium, skip before any fixture runs, so that no transactional flush
    happens for nothing."""
    if os.access(CHROMIUM, os.X_OK):
        return
    skip = pytest.mark.skip(
        reason=f"browser tests: no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    )
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so that fixtures know whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def e2e_settings(settings, tmp_path):
    """Uploaded scans in a temporary folder; text messages kept in memory for reading."""
    settings.MIGRANTS_PRIVATE_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MIGRANTS_SMS_BACKEND = "notifications.sms.LocMemBackend"
    sms.outbox.clear()
    yield settings
    sms.outbox.clear()


@pytest.fixture
def browser(monkeypatch):
    """One Chromium per test. Starting it costs well under a second, and a browser kept
    for the session would leave Playwright's event loop running in the main thread for
    the tests that follow.

    Playwright's sync API runs an asyncio loop in this thread, so Django's async-safety
    check sees a "running event loop" and refuses every ORM call of the test and its
    fixtures (SynchronousOnlyOperation), although no coroutine ever touches the database.
    The live server answers from its own threads, which are unaffected; allowing it here,
    for the browser's lifetime only, is the documented way out.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _test_slug(request) -> str:
    return re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")


class Evidence:
    """Numbered screenshots of a journey's key pages, in the folder CI keeps."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        self.problems: list[str] = []

    def shot(self, page, step: str) -> Path:
        """Screenshot the whole page, after checking that it loaded without errors."""
        self.assert_no_problems()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        name = re.sub(r"[^\w-]+", "-", step)
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def assert_no_problems(self):
        if self.problems:
            found, self.problems = self.problems, []
            pytest.fail("the browser reported problems:\n  " + "\n  ".join(found))


@pytest.fixture
def evidence(request) -> Evidence:
    # Nothing of an earlier run stays: neither its screenshots nor its traces.
    slug = _test_slug(request)
    shutil.rmtree(ARTIFACTS / slug, ignore_errors=True)
    for trace in ARTIFACTS.glob(f"{slug}-*-trace.zip"):
        trace.unlink()
    return Evidence(ARTIFACTS / slug)


def _session_cookie(user, url: str) -> dict:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return {"name": cookie.key, "value": cookie.value, "url": url}


@pytest.fixture
def open_page(request, browser, live_server, evidence):
    """open_page(who, viewport=DESKTOP, language="en", signed_in=None) -> a Page in its own
    browser context.

    `language` is what the browser asks for (Accept-Language); the test client of the other
    tests speaks English too. Navigation takes paths: page.goto("/vacancies/").
    `signed_in=user` starts with that user's session, for checks of pages; the journeys
    sign in through the form.
    """
    contexts = []

    def watch(page, who: str):
        def on_console(message):
            if message.type == "error":
                evidence.problems.append(f"{who}: console error on {page.url}: {message.text}")

        def on_request_failed(req):
            # ERR_ABORTED: the page itself cancelled it (a navigation, or htmx replacing a
            # search in flight); anything else did not reach or come back from the server.
            if req.failure != "net::ERR_ABORTED":
                evidence.problems.append(f"{who}: request failed: {req.url} ({req.failure})")

        def on_response(response):
            if response.status >= 500:
                evidence.problems.append(f"{who}: {response.status} from {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: evidence.problems.append(f"{who}: {error}"))
        page.on("requestfailed", on_request_failed)
        page.on("response", on_response)

    def open_one(who: str, *, viewport=DESKTOP, language: str = "en", signed_in=None):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, locale=language)
        if signed_in is not None:
            context.add_cookies([_session_cookie(signed_in, live_server.url)])
        context.set_default_timeout(TIMEOUT_MS)
        context.tracing.start(title=f"{request.node.name}: {who}", screenshots=True, snapshots=True)
        contexts.append((who, context))
        page = context.new_page()
        watch(page, who)
        return page

    yield open_one

    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    ) or bool(evidence.problems)
    for who, context in contexts:
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            trace = ARTIFACTS / f"{_test_slug(request)}-{who}-trace.zip"
            context.tracing.stop(path=str(trace))
        else:
            context.tracing.stop()
        context.close()
    evidence.assert_no_problems()
