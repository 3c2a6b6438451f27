"""Matches for an agency's workers, and applications: propose, read, withdraw."""

import pytest
from django.utils import timezone

from exchange.choices import VerificationStatus
from matching.engine import Weights
from matching.models import Match, MatchRun
from migrants.models import MigrantProfile
from selection.models import Application
from tests.factories import make_vacancy, worker_payload
from vacancies.choices import VacancyStatus


@pytest.fixture
def published(employer):
    return make_vacancy(employer, status=VacancyStatus.PUBLISHED)


@pytest.fixture
def own_worker(api, agency_key):
    body = api(agency_key).post("/api/v1/workers/", worker_payload(), format="json").json()
    # Only verified workers can be put forward; administrators verify outside the API.
    MigrantProfile.objects.filter(pk=body["id"]).update(
        verification_status=VerificationStatus.VERIFIED
    )
    return MigrantProfile.objects.get(pk=body["id"])


def test_matches_list_the_workers_best_vacancies_with_the_breakdown(
    api, agency_key, own_worker, published
):
    run = MatchRun.objects.create(
        status=MatchRun.Status.FINISHED, engine_version="t", finished_at=timezone.now()
    )
    Match.objects.create(
        run=run,
        vacancy=published,
        profile=own_worker,
        score=0.8,
        in_worker_top=True,
        **{**dict.fromkeys(Weights.COMPONENTS, 1.0), "skills": 0.5},
        engine_version="t",
    )
    response = api(agency_key).get(f"/api/v1/workers/{own_worker.pk}/matches/")
    assert response.status_code == 200
    result = response.json()["results"][0]
    assert result["vacancy"] == published.pk and result["score"] == 0.8
    assert result["components"]["skills"] == 0.5
    assert any(reason["good"] for reason in result["reasons"])


def test_agency_proposes_reads_history_and_withdraws(api, agency_key, own_worker, published):
    client = api(agency_key)
    created = client.post(
        "/api/v1/applications/",
        {"vacancy": published.pk, "worker": own_worker.pk},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["origin"], body["stage"]) == ("agency", "proposed")
    assert [h["to_stage"] for h in body["history"]] == ["proposed"]
    listed = client.get("/api/v1/applications/").json()["results"]
    assert [a["id"] for a in listed] == [body["id"]]
    withdrawn = client.post(
        f"/api/v1/applications/{body['id']}/withdraw/", {"reason": "found work"}, format="json"
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["stage"] == "withdrawn"
    assert [h["to_stage"] for h in withdrawn.json()["history"]] == ["proposed", "withdrawn"]


def test_proposing_twice_or_for_a_draft_is_refused(
    api, agency_key, own_worker, published, employer
):
    client = api(agency_key)
    payload = {"vacancy": published.pk, "worker": own_worker.pk}
    assert client.post("/api/v1/applications/", payload, format="json").status_code == 201
    assert client.post("/api/v1/applications/", payload, format="json").status_code == 400
    draft = make_vacancy(employer)
    response = client.post(
        "/api/v1/applications/", {"vacancy": draft.pk, "worker": own_worker.pk}, format="json"
    )
    assert response.status_code == 400 and "vacancy" in response.json()["errors"]
    assert Application.objects.count() == 1


def test_foreign_workers_and_applications_are_not_found(
    api, agency_key, other_agency_key, own_worker, published
):
    client = api(agency_key)
    application = client.post(
        "/api/v1/applications/", {"vacancy": published.pk, "worker": own_worker.pk}, format="json"
    ).json()
    other = api(other_agency_key)
    assert other.get(f"/api/v1/applications/{application['id']}/").status_code == 404
    assert other.post(f"/api/v1/applications/{application['id']}/withdraw/").status_code == 404
    assert other.get(f"/api/v1/workers/{own_worker.pk}/matches/").status_code == 404
    proposed = other.post(
        "/api/v1/applications/", {"vacancy": published.pk, "worker": own_worker.pk}, format="json"
    )
    assert proposed.status_code == 400 and "worker" in proposed.json()["errors"]
    assert Application.objects.get().stage == "proposed"
