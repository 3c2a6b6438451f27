"""Open data and the public page: no login, no personal data, small cells withheld."""

import csv
import io
import json

import pytest
from django.test import Client

from analytics import opendata
from analytics.refresh import refresh
from analytics.tasks import publish_open_data
from tests.analytics.market import (
    SECRET_CONTACT,
    SECRET_EMAILS,
    SECRET_NAMES,
    SECRET_PASSPORTS,
    SECRET_PHONES,
    make_worker,
)

pytestmark = pytest.mark.django_db

SECRETS = [
    *SECRET_NAMES,
    *SECRET_PASSPORTS,
    *SECRET_PHONES,
    *[phone.removeprefix("+") for phone in SECRET_PHONES],
    *SECRET_EMAILS,
    SECRET_CONTACT,
    "ул. Тайная",
]


@pytest.fixture(autouse=True)
def open_data_dir(settings, tmp_path):
    settings.ANALYTICS_OPEN_DATA_DIR = tmp_path / "open-data"
    return settings.ANALYTICS_OPEN_DATA_DIR


@pytest.fixture
def refreshed(market):
    refresh()
    return market


def body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig")


def public_outputs(client) -> dict[str, str]:
    """Everything anonymous visitors can fetch from the analytics."""
    urls = ["/balance/", "/api/v1/open-data/balance/", "/api/v1/open-data/balance/?region=any"]
    urls += ["/api/v1/open-data/balance/?level=4&region=any"]
    for name in opendata.DATASETS:
        for fmt in opendata.FORMATS:
            urls.append(f"/open-data/{name}.{fmt}")
    outputs = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        outputs[url] = body(response)
    return outputs


def test_public_outputs_need_no_login_and_hold_no_personal_data(refreshed, client):
    outputs = public_outputs(client)
    for url, text in outputs.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} in {url}"
    # The data is really there (the search above would pass on empty files too).
    assert "Каменщик" in outputs["/open-data/vacancies.csv"]
    assert "7112" in outputs["/open-data/balance.csv"]


@pytest.mark.parametrize("language", ["en", "ru", "uz", "tg", "ky"])
def test_public_page_answers_in_every_language(refreshed, language):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/balance/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    # Occupation groups carry their own titles in every language of the exchange.
    major = refreshed.vacancies["brick77"].occupation.parent.parent.parent
    assert getattr(major, f"title_{language}") in html


def test_vacancies_dataset_lists_open_vacancies_without_contacts(refreshed, client):
    rows = list(csv.DictReader(io.StringIO(body(client.get("/open-data/vacancies.csv")))))
    assert {row["id"] for row in rows} == {
        str(refreshed.vacancies[key].pk) for key in ("brick77", "carpenter77", "driver50")
    }
    assert list(rows[0]) == opendata.VACANCY_FIELDS
    assert not {"contact_name", "contact_phone", "contact_email", "address"} & set(rows[0])
    brick = next(row for row in rows if row["id"] == str(refreshed.vacancies["brick77"].pk))
    assert brick["positions_open"] == "4" and brick["region_code"] == "77"


def test_json_files_parse_and_match_the_csv(refreshed, client):
    for name in opendata.DATASETS:
        data = json.loads(body(client.get(f"/open-data/{name}.json")))
        rows = list(csv.DictReader(io.StringIO(body(client.get(f"/open-data/{name}.csv")))))
        assert data["dataset"] == name and data["fields"] == opendata.DATASETS[name].fields
        assert len(data["rows"]) == len(rows)


def test_small_counts_of_people_are_withheld(refreshed, client):
    rows = list(csv.DictReader(io.StringIO(body(client.get("/open-data/balance.csv")))))
    moscow_bricks = next(
        row for row in rows if row["region_code"] == "77" and row["occupation_code"] == "7112"
    )
    # 4 open positions are no personal data; 3 workers and 1 placement are too few to show.
    assert moscow_bricks["open_positions"] == "4"
    assert moscow_bricks["available_workers"] == ""
    assert moscow_bricks["shortage_index"] == ""  # it would reveal the supply
    assert moscow_bricks["placements"] == ""
    drivers = next(
        row for row in rows if row["region_code"] == "50" and row["occupation_code"] == "8322"
    )
    assert drivers["available_workers"] == "0" and drivers["no_available_workers"] == "true"
    shares = list(
        csv.DictReader(io.StringIO(body(client.get("/open-data/supply-by-citizenship.csv"))))
    )
    assert {row["available_workers"] for row in shares} == {""}
    page = body(client.get("/balance/"))
    assert "&lt;5" in page


def test_counts_of_five_and_more_are_published(market, client):
    for _i in range(5):
        make_worker(regions=("16",), citizenship="KG")
    refresh()
    rows = list(csv.DictReader(io.StringIO(body(client.get("/open-data/balance.csv")))))
    kazan = next(row for row in rows if row["region_code"] == "16" and row["isco_level"] == "0")
    assert kazan["available_workers"] == "6"  # five here, and w2 who goes anywhere


def test_a_lone_suppressed_cell_takes_its_smallest_neighbour_along():
    assert opendata.suppress_group([120, 3, 40, 9]) == [120, None, 40, None]
    assert opendata.suppress_group([120, 3, 2, 40]) == [120, None, None, 40]
    assert opendata.suppress_group([120, 0, 40]) == [120, 0, 40]
    assert opendata.suppress_group([4]) == [None]


def test_daily_task_writes_every_file_atomically(refreshed, open_data_dir):
    result = publish_open_data.delay().get()
    assert sorted(result["files"]) == sorted(
        f"{name}.{fmt}" for name in opendata.DATASETS for fmt in opendata.FORMATS
    )
    assert not list(open_data_dir.glob(".*.tmp"))
    text = (open_data_dir / "balance.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("month,as_of,region_code")


def test_files_are_served_from_the_last_daily_run(refreshed, client, open_data_dir):
    opendata.write_file("balance", "csv")
    (open_data_dir / "balance.csv").write_text("\ufeffmonth\r\nfrom-the-file\r\n")
    response = client.get("/open-data/balance.csv")
    assert "from-the-file" in body(response)
    assert response["Access-Control-Allow-Origin"] == "*"


def test_unknown_dataset_or_format_is_not_found(client):
    assert client.get("/open-data/passports.csv").status_code == 404
    assert client.get("/open-data/balance.xlsx").status_code == 404


def test_api_filters_the_balance(refreshed, client):
    rows = client.get("/api/v1/open-data/balance/?level=4&region=77").json()
    assert {row["occupation_code"] for row in rows} >= {"7112", "7115"}
    assert all(row["region_code"] == "77" for row in rows)
    russia = client.get("/api/v1/open-data/balance/?level=0").json()
    assert len(russia) == 1 and russia[0]["open_positions"] == 9
    assert russia[0]["available_workers"] is None  # 4 workers: withheld
    under = client.get("/api/v1/open-data/balance/?level=4&region=any&occupation=83").json()
    assert {row["occupation_code"] for row in under} == {"8322"}


def test_api_rejects_bad_parameters_clearly(client):
    response = client.get("/api/v1/open-data/balance/?level=9&month=May")
    assert response.status_code == 400
    problem = response.json()  # RFC 9457, as every API error (docs/partners.md)
    assert response["Content-Type"].startswith("application/problem+json")
    assert set(problem["errors"]) == {"level", "month"}


def test_api_schema_describes_the_endpoint_without_warnings(capsys):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
