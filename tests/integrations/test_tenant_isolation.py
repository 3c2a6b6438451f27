"""Walk the OpenAPI schema: every operation, called by every role of one tenant with
the other tenant's objects, must neither show nor change them. A new endpoint is
covered automatically; one whose path parameter this table does not know fails
the test until someone says which foreign object to try on it."""

import json
import re

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from exchange.models import ApiKey
from integrations.models import ImportJob, WebhookDelivery, WebhookEndpoint
from integrations.services import revoke_api_key
from integrations.webhooks import create_endpoint
from migrants.models import Document, MigrantProfile
from selection.models import Application, ApplicationTransition, Origin, Stage
from tests.factories import key_for, make_profile, make_vacancy
from vacancies.choices import VacancyStatus

MARKERS = ("ZZFOREIGN", "FOREIGN-EXT", "foreign-hook", "FOREIGN DRAFT")
DENIED = {401, 403, 404}


@pytest.fixture
def foreign(other_agency, other_agency_member, other_employer, other_employer_member, settings):
    """The other tenants' objects, each carrying a marker that must never leak."""
    worker = make_profile(
        agency=other_agency,
        last_name_latin="ZZFOREIGN",
        external_id="FOREIGN-EXT",
        passport_number="ZZ0000001",
        phone="+992900000001",
    )
    document = Document.objects.create(
        profile=worker, doc_type="passport", content_type="application/pdf", size=1, file="x.pdf"
    )
    published = make_vacancy(other_employer, status=VacancyStatus.PUBLISHED)
    draft = make_vacancy(other_employer, title="FOREIGN DRAFT")
    application = Application.objects.create(
        vacancy=published,
        profile=worker,
        origin=Origin.AGENCY,
        agency=other_agency,
        stage=Stage.PROPOSED,
    )
    ApplicationTransition.objects.create(application=application, to_stage=Stage.PROPOSED)
    endpoints = [
        create_endpoint(
            organization=organization,
            by=member,
            url="https://93.184.216.34/foreign-hook",
            events=["application.stage_changed"],
        )
        for organization, member in (
            (other_agency, other_agency_member),
            (other_employer, other_employer_member),
        )
    ]
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            message_id=f"msg_foreign{endpoint.pk}",
            event="application.stage_changed",
            payload={"data": {"marker": "ZZFOREIGN"}},
            status=WebhookDelivery.Status.FAILED,
            next_attempt_at=timezone.now(),
        )
        for endpoint in endpoints
    ]
    job = ImportJob.objects.create(
        agency=other_agency,
        created_by=other_agency_member,
        mode="partial",
        source_format="json",
        status="done",
        report=[{"row": 1, "external_id": "FOREIGN-EXT", "status": "created", "id": worker.pk}],
    )
    return {
        "worker": worker,
        "document": document,
        "draft": draft,
        "published": published,
        "application": application,
        "endpoints": endpoints,
        "deliveries": deliveries,
        "job": job,
    }


def foreign_ids(foreign, path: str) -> list[dict]:
    """Values for the path's parameters, one dict per foreign object to try."""
    prefix = path.removeprefix("/api/v1/").split("/{")[0]
    table = {
        "workers": [{"pk": foreign["worker"].pk, "id": foreign["worker"].pk}],
        "applications": [{"id": foreign["application"].pk}],
        "imports": [{"id": foreign["job"].pk}],
        "employer/vacancies": [{"id": foreign["draft"].pk}],
        "vacancies": [{"id": foreign["draft"].pk}],
        "webhooks": [
            {"id": endpoint.pk, "delivery_id": delivery.pk}
            for endpoint, delivery in zip(foreign["endpoints"], foreign["deliveries"], strict=True)
        ],
    }
    if prefix not in table:
        pytest.fail(f"{path}: no foreign object known for this endpoint; add it to the table")
    return table[prefix]


def snapshot(foreign) -> dict:
    worker = MigrantProfile.objects.get(pk=foreign["worker"].pk)
    return {
        "worker": (worker.min_salary, worker.last_name_latin, worker.external_id, worker.erased_at),
        "documents": Document.objects.filter(profile=worker).count(),
        "draft": tuple(
            foreign["draft"]
            .__class__.objects.filter(pk=foreign["draft"].pk)
            .values_list("title", "status", "salary_min")
        ),
        "application": Application.objects.get(pk=foreign["application"].pk).stage,
        "transitions": ApplicationTransition.objects.count(),
        "endpoints": list(
            WebhookEndpoint.objects.filter(pk__in=[e.pk for e in foreign["endpoints"]])
            .order_by("pk")
            .values_list("url", "is_active", "events", "secret")
        ),
        "deliveries": list(
            WebhookDelivery.objects.filter(pk__in=[d.pk for d in foreign["deliveries"]])
            .order_by("pk")
            .values_list("status", "attempts")
        ),
        "applications_of_foreign_worker": Application.objects.filter(
            profile=foreign["worker"]
        ).count(),
    }


def operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, items in schema["paths"].items():
        for method, operation in items.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


@pytest.fixture
def callers(agency_member, employer_member):
    revoked = key_for(agency_member)
    revoke_api_key(key=ApiKey.objects.get(digest=ApiKey.digest_of(revoked)), by=agency_member)
    return {
        "anonymous": None,
        "agency": key_for(agency_member),
        "agency read-only": key_for(agency_member, ApiKey.Scope.READ),
        "employer": key_for(employer_member),
        "employer read-only": key_for(employer_member, ApiKey.Scope.READ),
        "revoked": revoked,
    }


def body_with_foreign_references(foreign) -> dict:
    return {
        "worker": foreign["worker"].pk,
        "vacancy": foreign["published"].pk,
        "profile": foreign["worker"].pk,
        "url": "https://93.184.216.34/own-hook",
        "events": ["worker.verified"],
        "title": "changed",
        "min_salary": 1,
        "reason": "x",
    }


def test_no_operation_reads_or_writes_across_tenants(api, foreign, callers, agency_member):
    before = snapshot(foreign)
    tried = 0
    for path, method, _operation in operations():
        if path.startswith("/api/v1/schema") or ("{" not in path and method == "delete"):
            continue
        param_sets = foreign_ids(foreign, path) if "{" in path else [{}]
        for params in param_sets:
            url = re.sub(r"\{(\w+)\}", lambda m, p=params: str(p[m.group(1)]), path)
            for role, raw_key in callers.items():
                client = api(raw_key)
                body = json.dumps(body_with_foreign_references(foreign))
                response = client.generic(
                    method.upper(), url, body, content_type="application/json"
                )
                tried += 1
                text = response.content.decode(errors="replace")
                for marker in MARKERS:
                    assert marker not in text, f"{role} {method.upper()} {url} shows {marker}"
                if "{" in path:
                    assert response.status_code in DENIED, (
                        f"{role} {method.upper()} {url}: {response.status_code} on another "
                        f"tenant's object"
                    )
                assert response.status_code < 500, f"{role} {method.upper()} {url}: {text[:300]}"
    assert tried > 100
    assert snapshot(foreign) == before


def test_the_walk_covers_every_partner_operation():
    paths = {path for path, _method, _op in operations()}
    for expected in (
        "/api/v1/workers/{id}/",
        "/api/v1/workers/{id}/documents/",
        "/api/v1/workers/{id}/matches/",
        "/api/v1/imports/{id}/",
        "/api/v1/applications/{id}/withdraw/",
        "/api/v1/webhooks/{id}/deliveries/{delivery_id}/replay/",
        "/api/v1/employer/vacancies/{id}/",
    ):
        assert expected in paths


def test_own_objects_are_reachable_so_the_walk_is_meaningful(api, agency, agency_member):
    """The denials above are not because every call fails: the owner gets through."""
    worker = make_profile(agency=agency, external_id="mine")
    response = api(key_for(agency_member)).get(f"/api/v1/workers/{worker.pk}/")
    assert response.status_code == 200
