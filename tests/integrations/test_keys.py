"""API keys: made in the browser, shown once, stored hashed, scoped, revocable,
throttled per key."""

import hashlib

from exchange.models import ApiKey
from tests.factories import key_for


def test_key_is_shown_once_and_stored_only_as_a_hash(client_for, agency_member):
    client = client_for(agency_member)
    response = client.post("/integrations/keys/", {"name": "CRM", "scope": "write"})
    assert response.status_code == 200
    raw = response.context["new_key"]
    assert raw.startswith("lx_") and raw in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    key = ApiKey.objects.get()
    assert key.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(getattr(key, f.attname)) for f in ApiKey._meta.concrete_fields]
    assert raw not in stored
    # The list never shows it again.
    assert raw not in client.get("/integrations/keys/").content.decode()


def test_key_authenticates_and_records_last_use(api, agency_member):
    raw = key_for(agency_member)
    assert api(raw).get("/api/v1/workers/").status_code == 200
    assert ApiKey.objects.get().last_used_at is not None


def test_revoked_key_fails(api, client_for, agency_member):
    raw = key_for(agency_member)
    key = ApiKey.objects.get()
    client_for(agency_member).post(f"/integrations/keys/{key.pk}/revoke/")
    response = api(raw).get("/api/v1/workers/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Bearer"


def test_wrong_and_missing_keys_are_401(api, db):
    assert api("lx_not-a-key").get("/api/v1/workers/").status_code == 401
    assert api().get("/api/v1/workers/").status_code == 401


def test_key_of_a_member_who_left_fails(api, agency_member):
    raw = key_for(agency_member)
    agency_member.is_active = False
    agency_member.save()
    assert api(raw).get("/api/v1/workers/").status_code == 401


def test_read_only_key_cannot_write(api, agency_member):
    raw = key_for(agency_member, ApiKey.Scope.READ)
    assert api(raw).get("/api/v1/workers/").status_code == 200
    response = api(raw).post("/api/v1/workers/", {}, format="json")
    assert response.status_code == 403


def test_members_cannot_revoke_another_organizations_key(
    client_for, agency_member, other_agency_member
):
    key_for(other_agency_member)
    key = ApiKey.objects.get()
    response = client_for(agency_member).post(f"/integrations/keys/{key.pk}/revoke/")
    assert response.status_code == 404
    assert ApiKey.objects.get().revoked_at is None


def test_members_see_only_their_organizations_keys(client_for, agency_member, other_agency_member):
    key_for(other_agency_member)
    page = client_for(agency_member).get("/integrations/keys/")
    assert page.status_code == 200
    assert list(page.context["keys"]) == []


def test_administrator_lists_and_revokes_any_key(api, client_for, administrator, agency_member):
    raw = key_for(agency_member)
    key = ApiKey.objects.get()
    client = client_for(administrator)
    assert key.name in client.get("/staff/api-keys/").content.decode()
    client.post(f"/staff/api-keys/{key.pk}/revoke/")
    assert api(raw).get("/api/v1/workers/").status_code == 401


def test_keys_pages_are_for_organization_members_only(client_for, migrant):
    assert client_for(migrant).get("/integrations/keys/").status_code == 403
    assert client_for(migrant).get("/staff/api-keys/").status_code == 403


def test_throttle_per_key_answers_429_with_retry_after(
    api, settings, agency_member, other_agency_member
):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute", "api_key": "3/minute"},
    }
    from rest_framework.settings import api_settings

    api_settings.reload()
    try:
        from exchange.api.authentication import ApiKeyRateThrottle

        ApiKeyRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        client = api(key_for(agency_member))
        statuses = [client.get("/api/v1/workers/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        limited = client.get("/api/v1/workers/")
        assert int(limited["Retry-After"]) > 0
        assert limited.json()["code"] == "throttled"
        # Another key has its own budget.
        assert api(key_for(other_agency_member)).get("/api/v1/workers/").status_code == 200
    finally:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": "10000/minute", "api_key": "10000/minute"},
        }
        api_settings.reload()
        ApiKeyRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES


def test_anonymous_callers_are_throttled_per_address(api, settings, db):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import AnonRateThrottle

    old = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**old, "anon": "2/minute"}
    try:
        client = api()
        statuses = [client.get("/api/v1/vacancies/").status_code for _ in range(3)]
        assert statuses[-1] == 429
    finally:
        AnonRateThrottle.THROTTLE_RATES = old
        api_settings.reload()
