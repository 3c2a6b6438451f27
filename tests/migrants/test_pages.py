"""Every page of the registry renders for the role it is meant for, in every language."""

import pytest
from django.urls import reverse

from migrants import services
from tests.factories import add_work

pytestmark = pytest.mark.django_db

STEPS = ["identity", "passport", "contacts", "work", "languages", "preferences"]


@pytest.mark.parametrize("language", ["en", "ru", "uz", "tg", "ky"])
def test_the_workers_pages_render(client_for, worker, language):
    add_work(worker)
    client = client_for(worker.user)
    urls = [reverse("migrants:profile_step", args=[step]) for step in STEPS]
    urls += [
        reverse(f"migrants:{name}")
        for name in ("dashboard", "documents", "history", "erasure", "claim")
    ]
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode()


def test_the_agencys_pages_render(client_for, agency_member, agency_worker):
    add_work(agency_worker)
    client = client_for(agency_member)
    urls = [reverse("migrants:agency_profile_step", args=[agency_worker.pk, s]) for s in STEPS]
    urls += [
        reverse("migrants:agency_workers"),
        reverse("migrants:agency_worker_new"),
        reverse("migrants:agency_worker", args=[agency_worker.pk]),
        reverse("migrants:agency_documents", args=[agency_worker.pk]),
        reverse("migrants:agency_history", args=[agency_worker.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_administrators_pages_render(client_for, administrator, worker, agency_worker, agency):
    from tests.factories import make_profile

    twin = make_profile(agency=agency, passport_number="FA0101010")
    services.flag_likely_duplicates(twin)
    services.request_erasure(profile=worker, by=worker.user)
    client = client_for(administrator)
    html = client.get(reverse("migrants:staff_queues")).content.decode()
    assert "Jasur Karimov" in html
    for name in ("migrantprofile", "document", "profilechange", "duplicateflag", "passportview"):
        assert client.get(reverse(f"admin:migrants_{name}_changelist")).status_code == 200, name
    change = client.get(reverse("admin:migrants_migrantprofile_change", args=[worker.pk]))
    assert change.status_code == 200
    assert "FA1234567" not in change.content.decode()


def test_the_navigation_leads_each_role_to_the_registry(
    client_for, migrant, agency_member, administrator
):
    assert reverse("migrants:dashboard") in client_for(migrant).get("/").content.decode()
    assert reverse("migrants:agency_workers") in client_for(agency_member).get("/").content.decode()
    assert reverse("migrants:staff_queues") in client_for(administrator).get("/").content.decode()
