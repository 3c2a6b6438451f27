"""Who sees the dashboard, what it shows, and CSV a spreadsheet can open."""

import csv
import io
import re

import pytest
from django.urls import reverse

from analytics.charts import CHARTS
from analytics.refresh import refresh
from exchange.choices import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

DASHBOARD = "/staff/analytics/"


@pytest.fixture
def refreshed(market):
    refresh()
    return market


def parse_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 byte order mark"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert client.get("/staff/analytics/charts/vacancies.csv").status_code == 302


@pytest.mark.parametrize(
    "persona", ["migrant", "employer_member", "agency_member", "other_agency_member"]
)
def test_other_roles_may_not_open_the_dashboard_or_its_csv(persona, request, client_for):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get("/staff/analytics/charts/citizenship.csv").status_code == 403
    assert client.get("/staff/analytics/balance/regions.csv").status_code == 403


def test_staff_flag_without_the_administrator_role_is_not_enough(client_for):
    user = make_user(email="clerk@example.com", role=Role.EMPLOYER, is_staff=True)
    assert client_for(user).get(DASHBOARD).status_code == 403


def test_administrator_sees_every_chart_with_its_numbers(refreshed, administrator, client_for):
    response = client_for(administrator).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= len(CHARTS)
    for key in CHARTS:
        assert f'id="chart-{key}"' in html
        assert reverse("analytics_chart_csv", args=[key]) in html
    # Accessible charts: a title and a description named by aria-labelledby.
    first_svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in first_svg and "<title" in first_svg and "<desc" in first_svg
    assert "style=" not in first_svg  # the CSP forbids inline style
    # The headline: 9 open positions, 4 workers, for all of Russia.
    assert re.search(r'class="kpi">9</span>\s*open positions', html)
    assert re.search(r'class="kpi">4</span>\s*available workers', html)


def test_drill_down_from_major_group_to_unit_group_and_to_one_region(
    refreshed, administrator, client_for
):
    client = client_for(administrator)
    top = client.get(DASHBOARD).context
    assert {row.key for row in top["occupation_rows"]} == {"7", "8"}
    crafts = next(row for row in top["occupation_rows"] if row.key == "7")
    assert crafts.link == "occupation=7"
    level2 = client.get(f"{DASHBOARD}?occupation=7").context["occupation_rows"]
    assert [row.key for row in level2] == ["71"]
    units = client.get(f"{DASHBOARD}?occupation=711&region=77").context
    rows = {row.key: (row.demand, row.supply) for row in units["occupation_rows"]}
    assert rows == {"7112": (4, 3), "7115": (3, 1)}
    assert units["headline"].demand == 7 and units["headline"].supply == 3
    assert [group.code for group, _query in units["breadcrumbs"][1:]] == ["7", "71", "711"]
    regions = {row.key: row for row in top["region_rows"]}
    assert regions["50"].no_supply is False  # level 0 in region 50: w2 and w3
    assert regions["77"].link == "region=77"


def test_filters_narrow_the_charts(refreshed, administrator, client_for):
    client = client_for(administrator)
    charts = client.get(f"{DASHBOARD}?citizenship=TJ").context["charts"]
    assert charts["citizenship"].rows == [["TJ", "Tajikistan", 1]]
    charts = client.get(f"{DASHBOARD}?region=50").context["charts"]
    assert [row[0] for row in charts["quota"].rows] == ["Moscow Oblast"]
    charts = client.get(f"{DASHBOARD}?occupation=8").context["charts"]
    assert sum(row[1] for row in charts["vacancies"].rows) == 1


def test_bad_filters_are_reported_and_the_page_still_answers(refreshed, administrator, client_for):
    client = client_for(administrator)
    response = client.get(f"{DASHBOARD}?month_from=2026-13&occupation=99999&region=zz")
    assert response.status_code == 200
    form = response.context["form"]
    assert "month_from" in form.errors and "occupation" in form.errors
    assert "region" in form.errors
    assert "Enter a month as YYYY-MM." in response.content.decode()
    response = client.get(f"{DASHBOARD}?month_from=2026-05&month_to=2026-01")
    assert "The period ends before it starts." in response.content.decode()


@pytest.mark.parametrize("key", list(CHARTS))
def test_every_chart_downloads_as_csv_that_the_csv_module_reads(
    key, refreshed, administrator, client_for
):
    response = client_for(administrator).get(f"/staff/analytics/charts/{key}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = parse_csv(response)
    widths = {len(row) for row in rows}
    assert len(widths) == 1, "every row as wide as the header"


def test_chart_csv_holds_the_charts_numbers(refreshed, administrator, client_for):
    client = client_for(administrator)
    rows = parse_csv(client.get("/staff/analytics/charts/shortages.csv"))
    assert rows[0][0] == "Code"
    assert rows[1][:4] == ["8322", "Car, taxi and van drivers", "2", "0"]
    assert rows[1][4] == "no workers"
    regions = parse_csv(client.get("/staff/analytics/balance/regions.csv?occupation=7112"))
    moscow = next(row for row in regions if row[0] == "77")
    assert moscow[2] == "4" and moscow[4] == "3"


def test_unknown_chart_is_not_found(administrator, client_for):
    client = client_for(administrator)
    assert client.get("/staff/analytics/charts/nothing.csv").status_code == 404
    assert client.get("/staff/analytics/balance/nothing.csv").status_code == 404


def test_dashboard_before_any_refresh_says_so(administrator, client_for):
    response = client_for(administrator).get(DASHBOARD)
    assert response.status_code == 200
    assert "have not been computed yet" in response.content.decode()


def test_navigation_links_the_dashboard_for_administrators_only(administrator, migrant, client):
    client.force_login(administrator)
    assert DASHBOARD in client.get("/").content.decode()
    client.force_login(migrant)
    assert DASHBOARD not in client.get("/").content.decode()
