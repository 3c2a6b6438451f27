"""Bulk import of workers: per-row report, all-or-nothing or partial, idempotent
by external_id, asynchronous for large files."""

import pytest

from integrations.models import ImportJob
from migrants.models import ConsentRecord, DuplicateFlag, MigrantProfile
from tests.factories import worker_payload


def rows():
    return [
        worker_payload(external_id="a-1", passport_number="AA1000001"),
        worker_payload(external_id="a-2", passport_number="AA1000002", first_name_latin="Жасур"),
        worker_payload(
            external_id="a-3",
            passport_number="AA1000003",
            first_name_latin="Timur",
            first_name_cyrillic="Тимур",
            occupations=[{"occupation": "0000", "years_experience": 1}],
        ),
        worker_payload(
            external_id="a-4",
            passport_number="AA1000004",
            first_name_latin="Aziz",
            first_name_cyrillic="Азиз",
        ),
    ]


def test_partial_import_reports_each_row_and_keeps_the_good_ones(api, agency_key, agency):
    response = api(agency_key).post("/api/v1/imports/?mode=partial", rows(), format="json")
    assert response.status_code == 200, response.json()
    job = response.json()
    assert job["status"] == "done"
    assert (job["created_count"], job["error_count"]) == (2, 2)
    report = {entry["row"]: entry for entry in job["report"]}
    assert report[1]["status"] == "created" and report[1]["id"]
    assert report[2]["status"] == "error" and "first_name_latin" in report[2]["errors"]
    assert report[3]["status"] == "error" and "occupations" in report[3]["errors"]
    assert report[4]["status"] == "created"
    created = MigrantProfile.objects.get(pk=report[1]["id"])
    assert created.registered_by == agency and created.external_id == "a-1"
    assert created.occupations.get().occupation_id == "7112"
    assert ConsentRecord.objects.filter(profile=created, agency=agency).exists()


def test_all_or_nothing_stores_nothing_when_a_row_is_bad(api, agency_key):
    response = api(agency_key).post("/api/v1/imports/", rows(), format="json")
    job = response.json()
    assert job["created_count"] == 0
    assert {e["status"] for e in job["report"]} == {"error", "skipped"}
    assert not MigrantProfile.objects.exists()


def test_resending_the_same_file_creates_nothing_new(api, agency_key):
    client = api(agency_key)
    first = client.post("/api/v1/imports/?mode=partial", rows(), format="json").json()
    again = client.post("/api/v1/imports/?mode=partial", rows(), format="json").json()
    assert again["created_count"] == 0
    created_ids = {e["row"]: e["id"] for e in first["report"] if e["status"] == "created"}
    for entry in again["report"]:
        if entry["row"] in created_ids:
            assert entry["status"] == "exists" and entry["id"] == created_ids[entry["row"]]
    assert MigrantProfile.objects.count() == 2


def test_passports_already_registered_and_repeated_in_the_file_are_errors(
    api, agency_key, other_agency_key
):
    api(other_agency_key).post(
        "/api/v1/workers/", worker_payload(passport_number="AA1000001"), format="json"
    )
    good = rows()[:1] + [worker_payload(external_id="dup", passport_number="BB2000002")] * 1
    repeated = worker_payload(external_id="dup-2", passport_number="BB2000002")
    job = (
        api(agency_key)
        .post("/api/v1/imports/?mode=partial", [*good, repeated], format="json")
        .json()
    )
    statuses = [(e["status"], sorted(e.get("errors", {}))) for e in job["report"]]
    assert statuses == [
        ("error", ["passport_number"]),
        ("created", []),
        ("error", ["passport_number"]),
    ]


def test_csv_import_with_lists(api, agency_key):
    header = (
        "external_id,first_name_latin,last_name_latin,first_name_cyrillic,last_name_cyrillic,"
        "birth_date,gender,citizenship,passport_number,passport_expiry,phone,preferred_language,"
        "consent_method,consent_obtained_on,consent_confirmed,occupations,languages,desired_regions"
    )
    base = worker_payload()
    line = (
        f"c-1,Jasur,Karimov,Жасур,Каримов,1995-05-17,male,UZ,FA1234567,{base['passport_expiry']},"
        f"+998901112233,uz,in_person,{base['consent_obtained_on']},yes,7112:4;9313:1,ru:B1,77;50"
    )
    response = api(agency_key).generic(
        "POST",
        "/api/v1/imports/?mode=partial",
        f"{header}\n{line}\n".encode(),
        content_type="text/csv",
    )
    assert response.status_code == 200, response.json()
    entry = response.json()["report"][0]
    assert entry["status"] == "created", entry
    profile = MigrantProfile.objects.get(pk=entry["id"])
    assert set(profile.occupations.values_list("occupation_id", flat=True)) == {"7112", "9313"}
    assert set(profile.desired_regions.values_list("code", flat=True)) == {"77", "50"}
    assert profile.languages.get().level == "B1"


def test_likely_duplicates_are_flagged(api, agency_key):
    twins = [
        worker_payload(external_id="t-1", passport_number="CC1000001"),
        worker_payload(external_id="t-2", passport_number="CC1000002", first_name_latin="Dzhasur"),
    ]
    api(agency_key).post("/api/v1/imports/?mode=partial", twins, format="json")
    assert DuplicateFlag.objects.count() == 1


def test_unreadable_body_is_a_clear_error(api, agency_key):
    response = api(agency_key).generic(
        "POST", "/api/v1/imports/", b"{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]


def test_large_files_run_in_the_background_with_a_status_endpoint(
    api, agency_key, settings, django_capture_on_commit_callbacks
):
    settings.INTEGRATIONS_IMPORT_SYNC_MAX_ROWS = 2
    client = api(agency_key)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/imports/?mode=partial", rows(), format="json")
    assert response.status_code == 202
    status_url = response["Location"]
    job = client.get(status_url).json()
    assert job["status"] == "done" and job["created_count"] == 2
    assert ImportJob.objects.get().source.name == ""  # the upload is not kept


@pytest.mark.parametrize("mode", ["sometimes"])
def test_unknown_mode_is_refused(api, agency_key, mode):
    response = api(agency_key).post(f"/api/v1/imports/?mode={mode}", rows(), format="json")
    assert response.status_code == 400 and "mode" in response.json()["errors"]


def test_another_agency_cannot_read_an_import(api, agency_key, other_agency_key):
    job = api(agency_key).post("/api/v1/imports/?mode=partial", rows(), format="json").json()
    assert api(other_agency_key).get(f"/api/v1/imports/{job['id']}/").status_code == 404
    assert api(other_agency_key).get("/api/v1/imports/").json()["count"] == 0


def test_nul_characters_are_refused_before_anything_is_stored(api, agency_key):
    response = api(agency_key).generic(
        "POST",
        "/api/v1/imports/",
        b'[{"external_id": "a\\u0000b"}]',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not ImportJob.objects.exists()
