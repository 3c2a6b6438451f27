"""Workers through the partner API: the same rules as the agency's web form."""

from exchange.models import IdempotencyRecord
from migrants.models import ConsentRecord, MigrantProfile, ProfileChange
from tests.factories import worker_payload


def test_agency_registers_a_worker_with_consent_and_work_profile(api, agency_key, agency):
    response = api(agency_key).post("/api/v1/workers/", worker_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    profile = MigrantProfile.objects.get(pk=body["id"])
    assert profile.registered_by == agency
    assert profile.external_id == "crm-1"
    assert body["passport_number"] != "FA1234567"  # masked
    assert body["occupations"] == [{"occupation": "7112", "years_experience": 4}]
    assert {entry["language"] for entry in body["languages"]} == {"ru", "uz"}
    consent = ConsentRecord.objects.get(profile=profile)
    assert consent.method == "in_person" and consent.agency == agency
    assert ProfileChange.objects.filter(profile=profile, field="occupations").exists()


def test_invalid_worker_gets_problem_details_with_field_errors(api, agency_key):
    response = api(agency_key).post(
        "/api/v1/workers/",
        worker_payload(first_name_latin="Жасур", consent_confirmed=False),
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400 and problem["code"] == "invalid"
    assert "first_name_latin" in problem["errors"]
    assert "consent_confirmed" in problem["errors"]
    assert not MigrantProfile.objects.exists()


def test_signed_form_consent_needs_the_evidence_scan(api, agency_key, pdf_bytes):
    import base64

    response = api(agency_key).post(
        "/api/v1/workers/", worker_payload(consent_method="signed_form"), format="json"
    )
    assert response.status_code == 400
    assert "consent_evidence" in response.json()["errors"]
    response = api(agency_key).post(
        "/api/v1/workers/",
        worker_payload(
            consent_method="signed_form",
            consent_evidence_base64=base64.b64encode(pdf_bytes).decode(),
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert ConsentRecord.objects.get().evidence.name


def test_same_passport_twice_is_a_conflict(api, agency_key, other_agency_key):
    assert (
        api(agency_key).post("/api/v1/workers/", worker_payload(), format="json").status_code == 201
    )
    response = api(other_agency_key).post(
        "/api/v1/workers/", worker_payload(external_id="x"), format="json"
    )
    assert response.status_code == 400
    assert "passport_number" in response.json()["errors"]


def test_external_id_is_unique_per_agency(api, agency_key, other_agency_key):
    assert (
        api(agency_key).post("/api/v1/workers/", worker_payload(), format="json").status_code == 201
    )
    again = api(agency_key).post(
        "/api/v1/workers/", worker_payload(passport_number="FA7654321"), format="json"
    )
    assert again.status_code == 409 and again.json()["code"] == "external_id_exists"
    other = api(other_agency_key).post(
        "/api/v1/workers/", worker_payload(passport_number="FA7654321"), format="json"
    )
    assert other.status_code == 201  # another agency's numbering is its own


def test_idempotency_key_replays_the_first_response(api, agency_key):
    client = api(agency_key)
    headers = {"HTTP_IDEMPOTENCY_KEY": "3b1d7c2e"}
    first = client.post("/api/v1/workers/", worker_payload(), format="json", **headers)
    second = client.post("/api/v1/workers/", worker_payload(), format="json", **headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert MigrantProfile.objects.count() == 1


def test_idempotency_key_with_another_body_is_refused(api, agency_key):
    client = api(agency_key)
    headers = {"HTTP_IDEMPOTENCY_KEY": "k-1"}
    client.post("/api/v1/workers/", worker_payload(), format="json", **headers)
    response = client.post(
        "/api/v1/workers/", worker_payload(external_id="crm-2"), format="json", **headers
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert MigrantProfile.objects.count() == 1


def test_idempotency_key_in_flight_is_a_conflict(api, agency_key):
    from exchange.api.authentication import ApiKey

    key = ApiKey.objects.get()
    client = api(agency_key)
    # What the first request leaves while it is still running.
    from exchange.api.idempotency import request_digest  # noqa: F401

    first = client.post(
        "/api/v1/workers/", worker_payload(), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    record = IdempotencyRecord.objects.get(api_key=key, key="k")
    IdempotencyRecord.objects.filter(pk=record.pk).update(state=IdempotencyRecord.State.IN_FLIGHT)
    response = client.post(
        "/api/v1/workers/", worker_payload(), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert first.status_code == 201
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_in_flight"


def test_idempotency_keys_of_two_api_keys_do_not_mix(api, agency_key, other_agency_key):
    headers = {"HTTP_IDEMPOTENCY_KEY": "same"}
    api(agency_key).post("/api/v1/workers/", worker_payload(), format="json", **headers)
    response = api(other_agency_key).post(
        "/api/v1/workers/",
        worker_payload(passport_number="AB9999999"),
        format="json",
        **headers,
    )
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response


def test_update_goes_through_the_registry_rules(api, agency_key):
    client = api(agency_key)
    worker = client.post("/api/v1/workers/", worker_payload(), format="json").json()
    response = client.patch(
        f"/api/v1/workers/{worker['id']}/",
        {"min_salary": 90000, "languages": [{"language": "ru", "level": "B2"}], "skills": []},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["min_salary"] == 90000
    assert response.json()["languages"] == [{"language": "ru", "level": "B2"}]
    bad = client.patch(
        f"/api/v1/workers/{worker['id']}/", {"birth_date": "2020-01-01"}, format="json"
    )
    assert bad.status_code == 400 and "birth_date" in bad.json()["errors"]


def test_worker_entered_fields_cannot_be_overwritten(api, agency_key, migrant):
    client = api(agency_key)
    worker = client.post("/api/v1/workers/", worker_payload(), format="json").json()
    profile = MigrantProfile.objects.get(pk=worker["id"])
    profile.user = migrant
    profile.save()
    ProfileChange.objects.create(profile=profile, field="min_salary", changed_by=migrant)
    response = client.patch(f"/api/v1/workers/{profile.pk}/", {"min_salary": 1}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "worker_owned_field"


def test_documents_are_checked_by_content(api, agency_key, pdf_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api(agency_key)
    worker = client.post("/api/v1/workers/", worker_payload(), format="json").json()
    url = f"/api/v1/workers/{worker['id']}/documents/"
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    bad = client.post(url, {"doc_type": "passport", "file": fake}, format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()["errors"]
    good = SimpleUploadedFile("scan.pdf", pdf_bytes, content_type="application/pdf")
    response = client.post(url, {"doc_type": "passport", "file": good}, format="multipart")
    assert response.status_code == 201, response.json()
    assert client.get(url).json()[0]["doc_type"] == "passport"


def test_list_filters_and_orders(api, agency_key):
    client = api(agency_key)
    client.post("/api/v1/workers/", worker_payload(), format="json")
    client.post(
        "/api/v1/workers/",
        worker_payload(external_id="crm-2", passport_number="FB1111111", citizenship="TJ"),
        format="json",
    )
    page = client.get("/api/v1/workers/?citizenship=TJ").json()
    assert [w["external_id"] for w in page["results"]] == ["crm-2"]
    ordered = client.get("/api/v1/workers/?ordering=created_at").json()
    assert [w["external_id"] for w in ordered["results"]] == ["crm-1", "crm-2"]
    assert client.get("/api/v1/workers/?occupation=71").json()["count"] == 2
