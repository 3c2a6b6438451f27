"""A worker downloads all their data, and an erasure confirmed by an administrator removes it."""

import json

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from exchange.models import User
from migrants import services
from migrants.files import clean_upload
from migrants.models import Document, ErasureRequest, MigrantProfile, ProfileChange
from migrants.storage import private_storage
from tests.factories import add_work, upload

pytestmark = pytest.mark.django_db


def download(client):
    response = client.get(reverse("migrants:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    return json.loads(response.content)


def test_the_export_contains_all_of_the_workers_data(client_for, worker, settings):
    add_work(worker)
    services.update_profile(profile=worker, actor=worker.user, changes={"min_salary": 90000})
    document = services.upload_document(
        profile=worker, actor=worker.user, doc_type="passport", clean_file=clean_upload(upload())
    )
    data = download(client_for(worker.user))
    profile = data["profile"]
    for field in MigrantProfile._meta.concrete_fields:
        if field.name != "passport_hash":
            assert field.name in profile, field.name
    assert profile["passport_number"] == "FA1234567"
    assert profile["first_name_cyrillic"] == "Жасур"
    assert profile["min_salary"] == 90000
    assert data["occupations"][0]["occupation"] == "7212"
    assert data["languages"][0] == {"language": "ru", "level": "B1"}
    assert data["documents"][0]["id"] == document.pk
    assert data["documents"][0]["content_base64"]
    assert {"min_salary", "documents"} <= {change["field"] for change in data["changes"]}
    assert data["account"]["phone"] == "+998901234567"


def test_every_model_pointing_at_a_profile_is_exported_or_excluded_on_purpose():
    exported = {
        "migrantoccupation", "migrantlanguage", "consentrecord", "document", "profilechange",
        "passportview", "accessrequest", "erasurerequest", "migrantprofile",
    }  # fmt: skip
    for model in apps.get_models():
        if model._meta.app_label not in {"migrants", "exchange"}:
            continue  # other apps register theirs when they add a link to profiles
        links = [
            f
            for f in model._meta.get_fields()
            if isinstance(f, models.ForeignKey | models.OneToOneField)
            and f.related_model is MigrantProfile
        ]
        if links:
            name = model._meta.model_name
            assert name in exported or name in services.EXPORT_EXCLUDED, name


def test_erasure_is_requested_by_the_worker_and_confirmed_by_an_administrator(
    client_for, worker, administrator, django_capture_on_commit_callbacks
):
    add_work(worker)
    document = services.upload_document(
        profile=worker, actor=worker.user, doc_type="passport", clean_file=clean_upload(upload())
    )
    services.update_profile(
        profile=worker, actor=worker.user, changes={"email": "jasur@example.com"}
    )
    stored_file = document.file.name
    user_pk = worker.user.pk

    client_for(worker.user).post(reverse("migrants:erasure"))
    erasure = ErasureRequest.objects.get(profile=worker)
    assert MigrantProfile.objects.get(pk=worker.pk).first_name_latin == "Jasur"  # not yet

    with django_capture_on_commit_callbacks(execute=True):
        client_for(administrator).post(
            reverse("migrants:staff_erasure", args=[erasure.pk]), {"action": "confirm"}
        )
    profile = MigrantProfile.objects.get(pk=worker.pk)
    assert profile.erased_at is not None
    assert profile.user is None
    for value in ("Jasur", "Karimov", "Жасур", "FA1234567", "+998901112233", "jasur@example.com"):
        assert not _anywhere_in_the_database(value), value
    assert profile.passport_hash is None and profile.passport_number == ""
    assert not Document.objects.filter(profile=profile).exists()
    assert not private_storage.exists(stored_file)
    assert not profile.occupations.exists() and not profile.languages.exists()
    assert profile.consents.exists()  # the trace the law needs: consent given, when
    assert (
        ProfileChange.objects.filter(profile=profile).exclude(old_value="", new_value="").count()
        == 0
    )
    user = User.objects.get(pk=user_pk)
    assert not user.is_active and not user.has_usable_password()
    assert profile not in MigrantProfile.objects.matchable()


def _anywhere_in_the_database(value: str) -> bool:
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.EmailField)
            and f.name != "passport_number"
        ]
        for row in model.objects.values_list(*text_fields) if text_fields else []:
            if any(value in str(cell) for cell in row if cell):
                return True
    return False


def test_an_administrator_may_refuse_an_erasure_with_a_reason(client_for, worker, administrator):
    erasure = services.request_erasure(profile=worker, by=worker.user)
    client_for(administrator).post(
        reverse("migrants:staff_erasure", args=[erasure.pk]),
        {"action": "refuse", "note": "A placement contract is running"},
    )
    erasure.refresh_from_db()
    assert erasure.status == "refused"
    assert MigrantProfile.objects.get(pk=worker.pk).erased_at is None


def test_nobody_else_can_ask_to_erase_a_worker(agency_member, agency_worker):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.request_erasure(profile=agency_worker, by=agency_member)
