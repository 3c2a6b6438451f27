"""Who may open what: a migrant only their own profile, an agency only its workers,
administrators all; a foreign object is a 404."""

import pytest
from django.urls import reverse

from migrants import services
from tests.factories import upload

pytestmark = pytest.mark.django_db

AGENCY_PAGES = ["agency_worker", "agency_history", "agency_documents"]
AGENCY_STEPS = ["identity", "passport", "contacts", "work", "languages", "preferences"]
OWN_PAGES = ["dashboard", "history", "documents", "export", "erasure", "claim"]


@pytest.mark.parametrize("page", AGENCY_PAGES)
def test_an_agency_cannot_see_another_agencys_worker(
    client_for, agency_member, other_agency_worker, agency_worker, page
):
    client = client_for(agency_member)
    response = client.get(reverse(f"migrants:{page}", args=[other_agency_worker.pk]))
    assert response.status_code == 404
    assert "Sharipov" not in response.content.decode()
    assert client.get(reverse(f"migrants:{page}", args=[agency_worker.pk])).status_code == 200


@pytest.mark.parametrize("step", AGENCY_STEPS)
def test_an_agency_cannot_edit_another_agencys_worker(
    client_for, agency_member, other_agency_worker, step
):
    url = reverse("migrants:agency_profile_step", args=[other_agency_worker.pk, step])
    client = client_for(agency_member)
    assert client.get(url).status_code == 404
    assert client.post(url, {"first_name_latin": "Hacked"}).status_code == 404
    other_agency_worker.refresh_from_db()
    assert other_agency_worker.first_name_latin == "Firdavs"


def test_an_agency_list_shows_only_its_own_workers(
    client_for, agency_member, agency_worker, other_agency_worker, worker
):
    html = client_for(agency_member).get(reverse("migrants:agency_workers")).content.decode()
    assert "Tursunov" in html
    assert "Sharipov" not in html
    assert "Karimov" not in html  # a self-registered worker is not the agency's


def test_an_agency_cannot_open_a_self_registered_workers_profile(client_for, agency_member, worker):
    response = client_for(agency_member).get(reverse("migrants:agency_worker", args=[worker.pk]))
    assert response.status_code == 404


def test_a_migrant_cannot_see_another_migrants_profile_or_documents(
    client_for, worker, other_worker
):
    document = services.upload_document(
        profile=other_worker,
        actor=other_worker.user,
        doc_type="passport",
        clean_file=__import__("migrants.files", fromlist=["x"]).clean_upload(upload()),
    )
    client = client_for(worker.user)
    assert client.get(reverse("migrants:document_file", args=[document.pk])).status_code == 404
    assert client.post(reverse("migrants:document_delete", args=[document.pk])).status_code == 404
    assert client.get(reverse("migrants:agency_worker", args=[other_worker.pk])).status_code == 403
    html = client.get(reverse("migrants:dashboard")).content.decode()
    assert "Rahmonov" not in html and "400111222" not in html
    export = client.get(reverse("migrants:export")).content.decode()
    assert "400111222" not in export and "FA1234567" in export


def test_a_migrant_cannot_reach_agency_or_staff_pages(client_for, worker, agency_worker):
    client = client_for(worker.user)
    assert client.get(reverse("migrants:agency_workers")).status_code == 403
    assert client.get(reverse("migrants:agency_worker_new")).status_code == 403
    assert client.get(reverse("migrants:staff_queues")).status_code == 403
    assert client.get(reverse("migrants:staff_profile", args=[agency_worker.pk])).status_code == 403


@pytest.mark.parametrize("page", OWN_PAGES)
def test_employers_and_agencies_have_no_worker_pages(
    client_for, employer_member, agency_member, page
):
    assert client_for(employer_member).get(reverse(f"migrants:{page}")).status_code == 403
    # The pages shared with agencies (history, documents) need a worker's id: 404 without.
    assert client_for(agency_member).get(reverse(f"migrants:{page}")).status_code in (403, 404)


@pytest.mark.parametrize("page", [*OWN_PAGES, "agency_workers", "staff_queues"])
def test_anonymous_visitors_are_sent_to_sign_in(client, page):
    response = client.get(reverse(f"migrants:{page}"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_employer_cannot_see_a_workers_card(client_for, employer_member, agency_worker):
    url = reverse("migrants:agency_worker", args=[agency_worker.pk])
    assert client_for(employer_member).get(url).status_code == 403


def test_administrators_see_every_worker(
    client_for, administrator, worker, agency_worker, other_agency_worker
):
    client = client_for(administrator)
    for profile in (worker, agency_worker, other_agency_worker):
        assert client.get(reverse("migrants:staff_profile", args=[profile.pk])).status_code == 200
