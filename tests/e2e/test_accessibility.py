"""Accessibility smoke check of the main pages, by simple DOM checks in the browser:
every form control has a label, `<html lang>` is the language shown, every image has
alt text, one `<h1>`, no id used twice (a label would point at the wrong input), and
the keyboard focus is visible on everything reachable from the keyboard."""

import pytest

from migrants.choices import DocumentType
from migrants.files import clean_upload
from migrants.services import upload_document
from tests.e2e.steps import E2E, PHONE
from tests.factories import add_work, make_employer, make_profile, make_vacancy, upload
from vacancies.choices import VacancyStatus

pytestmark = E2E

LANGUAGES = ["en", "ru", "uz", "tg", "ky"]

DOM_PROBLEMS = """() => {
  const problems = [];
  const show = (el) => el.outerHTML.slice(0, 140);
  const skipped = new Set(["hidden", "submit", "button", "reset", "image"]);
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (skipped.has(el.type)) continue;
    const byLabel = [...(el.labels || [])].some((label) => label.textContent.trim());
    const byAria = (el.getAttribute("aria-label") || "").trim()
      || (el.getAttribute("aria-labelledby") || "").split(/\\s+/).some(
        (id) => id && (document.getElementById(id)?.textContent || "").trim());
    if (!byLabel && !byAria) problems.push("no label: " + show(el));
  }
  for (const img of document.querySelectorAll("img")) {
    if (!img.hasAttribute("alt")) problems.push("no alt text: " + show(img));
  }
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) problems.push(`${h1} <h1> elements instead of one`);
  const seen = new Set();
  for (const el of document.querySelectorAll("[id]")) {
    if (seen.has(el.id)) problems.push("id used twice: " + el.id);
    seen.add(el.id);
  }
  if (!document.title.trim()) problems.push("no <title>");
  return {lang: document.documentElement.lang, problems};
}"""

FOCUS_PROBLEMS = """() => {
  // Every element a keyboard user can reach, focused in turn. The caller pressed Tab
  // first, so the browser treats these focus moves as keyboard ones (:focus-visible).
  // Folded sections are opened first, as the user would to reach what is inside.
  document.querySelectorAll("details").forEach((details) => { details.open = true; });
  const reachable = [...document.querySelectorAll(
    "a[href], button, input, select, textarea, summary, [tabindex]")].filter((el) =>
      !el.disabled && el.type !== "hidden" && el.tabIndex >= 0 && el.checkVisibility());
  const problems = [];
  for (const el of reachable) {
    el.focus();
    // Pico fades its focus ring in: look at the end of the transition, not its start.
    el.getAnimations().forEach((animation) => animation.finish());
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    if (!outline && !shadow) problems.push("no visible focus on " + el.outerHTML.slice(0, 140));
  }
  return problems;
}"""


def page_problems(page, path: str, language: str) -> list[str]:
    page.goto(path)
    found = page.evaluate(DOM_PROBLEMS)
    problems = list(found["problems"])
    if found["lang"] != language:
        problems.append(f'<html lang="{found["lang"]}"> on a page in {language}')
    return [f"{path} ({language}): {problem}" for problem in problems]


def focus_problems(page, path: str) -> list[str]:
    """Focus everything reachable from the keyboard; each must show that it has the focus."""
    page.goto(path)
    page.keyboard.press("Tab")
    return [f"{path}: {problem}" for problem in page.evaluate(FOCUS_PROBLEMS)]


@pytest.fixture
def published(db):
    return make_vacancy(
        make_employer(2),
        status=VacancyStatus.PUBLISHED,
        title="Каменщик",
        languages=[("ru", "A2")],
    )


def test_public_pages_in_every_language(open_page, published):
    paths = [
        "/",
        "/vacancies/",
        f"/vacancies/{published.pk}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/worker/register/",
    ]
    problems = []
    for language in LANGUAGES:
        page = open_page(f"visitor-{language}", language=language)
        for path in paths:
            problems += page_problems(page, path, language)
    page = open_page("keyboard-user")
    for path in paths:
        problems += focus_problems(page, path)
    assert not problems, "\n".join(problems)


def test_signed_in_pages_of_every_role(
    open_page, published, employer_member, agency_member, administrator, migrant
):
    worker = make_profile(user=migrant)
    add_work(worker)
    for doc_type in (DocumentType.PASSPORT, DocumentType.MIGRATION_CARD):
        upload_document(
            profile=worker, actor=migrant, doc_type=doc_type, clean_file=clean_upload(upload())
        )
    own = make_vacancy(employer_member.employer, title="Сварщик")
    pages = {
        employer_member: [
            "/employer/vacancies/",
            "/employer/vacancies/new/",
            f"/employer/vacancies/{own.pk}/",
            "/employer/organization/",
        ],
        migrant: [
            "/worker/",
            "/worker/documents/",
            "/worker/profile/identity/",
            "/worker/profile/work/",
            f"/vacancies/{published.pk}/",
        ],
        agency_member: ["/agency/workers/", "/agency/workers/new/"],
        administrator: [
            "/staff/vacancies/",
            "/staff/employers/",
            "/staff/registry/",
            f"/staff/registry/workers/{worker.pk}/",
        ],
    }
    problems = []
    for user, paths in pages.items():
        page = open_page(user.role, signed_in=user)
        for path in paths:
            problems += page_problems(page, path, "en")
            problems += focus_problems(page, path)
    # The worker's pages in the worker's language, on a phone.
    page = open_page("worker-in-uzbek", signed_in=migrant, language="uz", viewport=PHONE)
    for path in pages[migrant]:
        problems += page_problems(page, path, "uz")
    assert not problems, "\n".join(problems)
