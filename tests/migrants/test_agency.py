"""Agencies register workers with consent evidence; a worker claims the profile by a
one-time code and from then on the agency cannot overwrite what the worker entered."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from exchange.choices import LicenceStatus
from migrants import services, sms
from migrants.choices import ConsentMethod
from migrants.models import ClaimCode, MigrantProfile, ProfileChange
from tests.factories import PDF_BYTES, upload

pytestmark = pytest.mark.django_db


def agency_form(**change):
    data = {
        "first_name_latin": "Sardor",
        "last_name_latin": "Mirzaev",
        "first_name_cyrillic": "Сардор",
        "last_name_cyrillic": "Мирзаев",
        "birth_date": "1993-02-11",
        "gender": "male",
        "citizenship": "UZ",
        "phone": "+998977770011",
        "preferred_language": "uz",
        "passport_number": "FA5551234",
        "passport_expiry": "2031-01-01",
        "consent_method": "signed_form",
        "consent_obtained_on": "2026-01-10",
        "consent_confirmed": "on",
    }
    data.update(change)
    return data


def test_an_agency_registers_a_worker_with_consent_evidence_and_provenance(
    client_for, agency_member
):
    response = client_for(agency_member).post(
        reverse("migrants:agency_worker_new"),
        agency_form(consent_evidence=upload("consent.pdf", PDF_BYTES, "application/pdf")),
    )
    assert response.status_code == 302
    profile = MigrantProfile.objects.get()
    assert profile.registered_by == agency_member.agency
    assert profile.registered_by_user == agency_member
    assert profile.user is None
    consent = profile.consents.get()
    assert consent.method == ConsentMethod.SIGNED_FORM
    assert consent.agency == agency_member.agency
    assert consent.obtained_on == datetime.date(2026, 1, 10)
    assert consent.evidence.read() == PDF_BYTES
    assert ProfileChange.objects.filter(profile=profile, changed_by=agency_member).exists()


def test_a_signed_form_needs_its_scan_and_the_typing_is_kept(client_for, agency_member):
    response = client_for(agency_member).post(
        reverse("migrants:agency_worker_new"), agency_form(), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "Attach the scan of the signed form." in html
    assert 'value="Mirzaev"' in html
    assert not MigrantProfile.objects.exists()


def test_without_confirmed_consent_no_worker_is_registered(client_for, agency_member):
    response = client_for(agency_member).post(
        reverse("migrants:agency_worker_new"),
        agency_form(consent_method="in_person", consent_confirmed=""),
    )
    assert 'id="id_consent_confirmed-error"' in response.content.decode()
    assert not MigrantProfile.objects.exists()


def test_an_agency_with_a_suspended_licence_cannot_register(client_for, agency_member):
    agency_member.agency.licence_status = LicenceStatus.SUSPENDED
    agency_member.agency.save()
    response = client_for(agency_member).post(
        reverse("migrants:agency_worker_new"), agency_form(consent_method="in_person")
    )
    assert response.status_code == 200
    assert not MigrantProfile.objects.exists()


def claim_code_from(message_text: str) -> str:
    return next(word.strip(".") for word in message_text.split() if word.strip(".").isdigit())


def test_a_worker_claims_the_profile_with_a_code_sent_by_text_message(
    client_for, agency_member, agency_worker, migrant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(agency_member).post(
            reverse("migrants:agency_send_claim_code", args=[agency_worker.pk])
        )
    assert len(sms.outbox) == 1
    assert sms.outbox[0].to == "+998935554433"
    code = claim_code_from(sms.outbox[0].text)
    assert not ClaimCode.objects.filter(code_hash__contains=code).exists()  # only a hash is kept

    client = client_for(migrant)
    client.post(reverse("migrants:consent"), {"consent": "on"})  # an empty profile of their own
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(
        reverse("migrants:claim"),
        {"action": "claim", "contact": "+998 93 555 44 33", "code": wrong, "consent": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "The code is wrong or has expired" in response.content.decode()
    assert ClaimCode.objects.get().attempts == 1

    response = client.post(
        reverse("migrants:claim"),
        {"action": "claim", "contact": "+998 93 555 44 33", "code": code, "consent": "on"},
    )
    assert response.status_code == 302
    agency_worker.refresh_from_db()
    assert agency_worker.user == migrant
    assert agency_worker.claimed_at is not None
    assert MigrantProfile.objects.filter(user=migrant).count() == 1
    assert agency_worker.consents.filter(method=ConsentMethod.ONLINE, recorded_by=migrant).exists()

    # The code works once.
    other = services.claim_profile
    with pytest.raises(services.RegistryError):
        other(user=migrant, contact="+998935554433", code=code)


def test_a_code_is_sent_by_e_mail_to_a_worker_without_a_phone(
    agency_member, agency_worker, django_capture_on_commit_callbacks
):
    agency_worker.phone = ""
    agency_worker.email = "bobur@example.com"
    agency_worker.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_claim_code(profile=agency_worker, by=agency_member)
    assert mail.outbox[0].to == ["bobur@example.com"]
    assert not sms.outbox


def test_an_expired_code_or_too_many_attempts_fail(
    agency_member, agency_worker, migrant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.send_claim_code(profile=agency_worker, by=agency_member)
    code = claim_code_from(sms.outbox[-1].text)
    ClaimCode.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(services.RegistryError):
        services.claim_profile(user=migrant, contact="+998935554433", code=code)
    ClaimCode.objects.update(expires_at=timezone.now() + datetime.timedelta(minutes=10), attempts=5)
    with pytest.raises(services.RegistryError):
        services.claim_profile(user=migrant, contact="+998935554433", code=code)


def test_asking_for_a_code_does_not_reveal_whether_a_profile_exists(client_for, migrant):
    client = client_for(migrant)
    response = client.post(
        reverse("migrants:claim"), {"action": "send", "contact": "+998900000001"}, follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert "If an agency registered you with this phone or e-mail" in response.content.decode()
    assert not sms.outbox


def test_after_the_claim_the_agency_cannot_overwrite_what_the_worker_entered(
    client_for, agency_member, agency_worker, migrant
):
    agency_worker.user = migrant
    agency_worker.save()
    client_for(migrant).post(
        reverse("migrants:profile_step", args=["identity"]),
        {
            "first_name_latin": "Boburjon",
            "last_name_latin": "Tursunov",
            "first_name_cyrillic": "Бобуржон",
            "last_name_cyrillic": "Турсунов",
            "birth_date": "1995-05-17",
            "gender": "male",
            "citizenship": "UZ",
        },
    )
    agency = client_for(agency_member)
    url = reverse("migrants:agency_profile_step", args=[agency_worker.pk, "identity"])
    page = agency.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Entered by the worker" in page
    agency.post(
        url,
        {
            "first_name_latin": "Bobur",  # ignored: the field is locked
            "last_name_latin": "Tursunov",
            "first_name_cyrillic": "Бобур",
            "last_name_cyrillic": "Турсунов",
            "patronymic": "Алишерович",  # the worker left it empty: the agency may fill it
            "birth_date": "1995-05-17",
            "gender": "male",
            "citizenship": "UZ",
        },
    )
    agency_worker.refresh_from_db()
    assert agency_worker.first_name_latin == "Boburjon"
    assert agency_worker.patronymic == "Алишерович"
    with pytest.raises(services.WorkerOwnedField):
        services.update_profile(
            profile=agency_worker, actor=agency_member, changes={"first_name_latin": "Bobur"}
        )
    history = client_for(migrant).get(reverse("migrants:history")).content.decode()
    assert agency_member.agency.name in history  # the worker sees who changed what


def test_the_history_records_who_changed_what(agency_member, agency_worker):
    services.update_profile(
        profile=agency_worker, actor=agency_member, changes={"min_salary": 99000}
    )
    change = ProfileChange.objects.filter(field="min_salary").get()
    assert change.changed_by == agency_member
    assert change.agency == agency_member.agency
    assert (change.old_value, change.new_value) == ("70000", "99000")
    services.update_profile(
        profile=agency_worker, actor=agency_member, changes={"passport_number": "FA7654322"}
    )
    change = ProfileChange.objects.filter(field="passport_number").get()
    assert "7654322" not in change.new_value and change.new_value.startswith("FA")
