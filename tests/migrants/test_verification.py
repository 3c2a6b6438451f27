"""Administrators verify profiles and documents; the reason for a rejection reaches
the worker and the agency; a change of identity sends the profile back to the queue."""

import re

import pytest
from django.urls import reverse

from exchange.choices import VerificationStatus
from migrants import services
from migrants.files import clean_upload
from migrants.models import MigrantProfile
from tests.factories import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(agency_worker):
    agency_worker.submitted_at = agency_worker.created_at
    agency_worker.save()
    return agency_worker


def test_the_queue_lists_submitted_profiles_and_pending_documents(
    client_for, administrator, submitted, worker
):
    services.upload_document(
        profile=worker, actor=worker.user, doc_type="diploma", clean_file=clean_upload(upload())
    )
    html = client_for(administrator).get(reverse("migrants:staff_queues")).content.decode()
    assert "Bobur Tursunov" in html
    assert "Jasur Karimov" in html  # for the document


def test_each_review_form_on_the_profile_page_has_ids_of_its_own(client_for, administrator, worker):
    for doc_type in ("passport", "diploma"):
        services.upload_document(
            profile=worker, actor=worker.user, doc_type=doc_type, clean_file=clean_upload(upload())
        )
    url = reverse("migrants:staff_profile", args=[worker.pk])
    html = client_for(administrator).get(url).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert html.count('name="decision"') == 3 * 2  # the profile's form and two documents'


def test_a_rejection_needs_a_reason_that_the_worker_and_the_agency_see(
    client_for, administrator, submitted, agency_member
):
    url = reverse("migrants:staff_profile", args=[submitted.pk])
    client = client_for(administrator)
    response = client.post(url, {"decision": "reject", "reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert 'id="id_reason-error"' in response.content.decode()
    client.post(url, {"decision": "reject", "reason": "Passport photo unreadable"})
    submitted.refresh_from_db()
    assert submitted.verification_status == VerificationStatus.REJECTED
    agency_page = client_for(agency_member).get(
        reverse("migrants:agency_worker", args=[submitted.pk])
    )
    assert "Passport photo unreadable" in agency_page.content.decode()


def test_the_worker_sees_the_reason_on_the_dashboard(client_for, administrator, worker):
    services.review_profile(
        profile=worker, by=administrator, approve=False, reason="Wrong birth date"
    )
    html = client_for(worker.user).get(reverse("migrants:dashboard")).content.decode()
    assert "Wrong birth date" in html


def test_a_verified_profile_is_matchable_until_its_identity_changes(administrator, worker):
    services.review_profile(profile=worker, by=administrator, approve=True)
    assert worker in MigrantProfile.objects.matchable()
    services.update_profile(profile=worker, actor=worker.user, changes={"min_salary": 80000})
    assert worker in MigrantProfile.objects.matchable()  # not an identity field
    services.update_profile(
        profile=worker, actor=worker.user, changes={"last_name_latin": "Karimova"}
    )
    worker.refresh_from_db()
    assert worker.verification_status == VerificationStatus.PENDING
    assert worker in MigrantProfile.objects.awaiting_verification()
    assert worker not in MigrantProfile.objects.matchable()


def test_a_hidden_profile_is_not_matchable(administrator, worker):
    services.review_profile(profile=worker, by=administrator, approve=True)
    services.update_profile(profile=worker, actor=worker.user, changes={"is_visible": False})
    assert worker not in MigrantProfile.objects.matchable()


def test_an_administrator_verifies_or_rejects_a_document(client_for, administrator, worker):
    document = services.upload_document(
        profile=worker, actor=worker.user, doc_type="passport", clean_file=clean_upload(upload())
    )
    url = reverse("migrants:staff_document_review", args=[document.pk])
    client_for(administrator).post(url, {"decision": "reject", "reason": "Blurred"})
    document.refresh_from_db()
    assert document.verification_status == VerificationStatus.REJECTED
    assert "Blurred" in client_for(worker.user).get(reverse("migrants:documents")).content.decode()


def test_only_administrators_review(client_for, agency_member, submitted):
    url = reverse("migrants:staff_profile", args=[submitted.pk])
    assert client_for(agency_member).post(url, {"decision": "verify"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.verification_status == VerificationStatus.PENDING
