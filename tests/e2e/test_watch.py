"""The browser tests' watch over each page catches real breakage: a missing static file
and a script the Content-Security-Policy refuses. (The journeys rely on it.)"""

from tests.e2e.steps import E2E

pytestmark = E2E


def test_a_missing_file_and_a_refused_script_are_reported(open_page, evidence):
    page = open_page("visitor")
    page.goto("/vacancies/")
    assert not evidence.problems, evidence.problems  # our own pages load cleanly

    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate(
            """() => document.head.insertAdjacentHTML(
                "beforeend", '<link rel="stylesheet" href="/static/css/no-such-file.css">')"""
        )
    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.append(script);
            }"""
        )
    assert page.evaluate("window.injected") is None  # the policy refused the inline script

    reported = "\n".join(evidence.problems)
    assert "404" in reported and "Content Security Policy" in reported, reported
    evidence.problems.clear()  # seen: this test is about them
