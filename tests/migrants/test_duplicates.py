"""The same passport is a hard stop, across agencies too; likely duplicates go to review."""

import datetime

import pytest
from django.urls import reverse

from migrants import services
from migrants.choices import FlagStatus, RequestStatus
from migrants.models import AccessRequest, DuplicateFlag, MigrantProfile
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def agency_form(**change):
    data = {
        "first_name_latin": "Bobur",
        "last_name_latin": "Tursunov",
        "first_name_cyrillic": "Бобур",
        "last_name_cyrillic": "Турсунов",
        "birth_date": "1991-07-07",
        "gender": "male",
        "citizenship": "UZ",
        "phone": "+998935554400",
        "preferred_language": "uz",
        "passport_number": "FA7654321",
        "passport_expiry": "2031-01-01",
        "consent_method": "in_person",
        "consent_obtained_on": "2026-01-10",
        "consent_confirmed": "on",
    }
    data.update(change)
    return data


def test_a_worker_cannot_enter_a_passport_already_registered(client_for, worker, other_migrant):
    second = make_profile(user=other_migrant, passport_number="", phone="+992931234567")
    response = client_for(other_migrant).post(
        reverse("migrants:profile_step", args=["passport"]),
        {"passport_number": "FA 123-45-67", "passport_expiry": "2031-01-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_passport_number-error"' in html
    assert "already registered" in html
    assert 'value="FA 123-45-67"' in html
    second.refresh_from_db()
    assert second.passport_number == "" and second.passport_hash is None


def test_the_same_number_of_another_country_is_another_passport(client_for, worker, other_migrant):
    second = make_profile(user=other_migrant, citizenship="KG", passport_number="", phone="")
    response = client_for(other_migrant).post(
        reverse("migrants:profile_step", args=["passport"]),
        {"passport_number": "FA1234567", "passport_expiry": "2031-01-01"},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.passport_number == "FA1234567"


def test_another_agency_cannot_register_a_worker_already_registered_and_may_ask_for_access(
    client_for, agency_worker, other_agency_member
):
    client = client_for(other_agency_member)
    response = client.post(
        reverse("migrants:agency_worker_new"),
        agency_form(passport_number="fa 765-4321", first_name_latin="Boburjon"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "already registered on the exchange" in html
    assert 'value="Boburjon"' in html  # what was typed stays
    assert "Bobur Tursunov" not in html  # and nothing about the existing worker leaks
    assert MigrantProfile.objects.count() == 1
    assert reverse("migrants:agency_access_request") in html

    client.post(
        reverse("migrants:agency_access_request"),
        {"citizenship": "UZ", "passport_number": "FA7654321", "message": "He came to us"},
    )
    request = AccessRequest.objects.get()
    assert request.agency == other_agency_member.agency
    assert request.profile == agency_worker
    detail = reverse("migrants:agency_worker", args=[agency_worker.pk])
    assert client.get(detail).status_code == 404  # not until an administrator shares it


def test_a_shared_worker_is_readable_but_not_editable_by_the_second_agency(
    client_for, administrator, agency_worker, other_agency_member
):
    access = services.request_access(profile=agency_worker, by=other_agency_member)
    client_for(administrator).post(
        reverse("migrants:staff_access_request", args=[access.pk]), {"action": "grant"}
    )
    access.refresh_from_db()
    assert access.status == RequestStatus.GRANTED
    client = client_for(other_agency_member)
    assert client.get(reverse("migrants:agency_worker", args=[agency_worker.pk])).status_code == 200
    step = reverse("migrants:agency_profile_step", args=[agency_worker.pk, "identity"])
    assert client.get(step).status_code == 403


def test_the_database_refuses_the_same_passport_even_past_the_form(agency_member, worker):
    with pytest.raises(services.DuplicatePassport):
        services.register_worker_by_agency(
            by=agency_member,
            data={"citizenship": "UZ", "passport_number": "FA1234567", "first_name_latin": "X"},
            consent_method="in_person",
            consent_obtained_on=datetime.date(2026, 1, 1),
        )
    assert MigrantProfile.objects.count() == 1


@pytest.mark.parametrize(
    ("first", "last"),
    [("Jasur", "Karimov"), ("Djasur", "Karimov"), ("Жасур", "Каримов"), ("Karimov", "Jasur")],
)
def test_a_worker_registered_again_under_another_spelling_is_flagged(worker, agency, first, last):
    twin = make_profile(
        agency=agency,
        first_name_latin=first if first.isascii() else "",
        last_name_latin=last if last.isascii() else "",
        first_name_cyrillic="" if first.isascii() else first,
        last_name_cyrillic="" if last.isascii() else last,
        passport_number="FA0000001",
    )
    flags = services.flag_likely_duplicates(twin)
    assert len(flags) == 1
    assert {flags[0].profile, flags[0].other} == {worker, twin}


def test_yusupov_iusupov_and_cyrillic_yusupov_are_one_person(migrant, agency, other_agency):
    first = make_profile(
        user=migrant, last_name_latin="Yusupov", last_name_cyrillic="", passport_number="FA1"
    )
    second = make_profile(
        agency=agency, last_name_latin="Iusupov", last_name_cyrillic="", passport_number="FA2"
    )
    third = make_profile(agency=other_agency, last_name_latin="", last_name_cyrillic="Юсупов",
                         first_name_latin="", passport_number="FA3")  # fmt: skip
    services.flag_likely_duplicates(second)
    services.flag_likely_duplicates(third)
    assert DuplicateFlag.objects.count() == 3
    assert {first, second, third} == {
        p for flag in DuplicateFlag.objects.all() for p in (flag.profile, flag.other)
    }


def test_same_name_with_another_birth_date_or_citizenship_is_not_flagged(worker, agency):
    born_later = make_profile(
        agency=agency, birth_date=datetime.date(1996, 5, 17), passport_number="FA9"
    )
    other_country = make_profile(agency=agency, citizenship="KG", passport_number="AC9")
    assert services.flag_likely_duplicates(born_later) == []
    assert services.flag_likely_duplicates(other_country) == []


def test_an_agency_registration_flags_a_likely_duplicate_for_review(
    client_for, agency_member, worker
):
    client_for(agency_member).post(
        reverse("migrants:agency_worker_new"),
        agency_form(
            first_name_latin="Dzhasur",
            last_name_latin="Karimov",
            first_name_cyrillic="Жасур",
            last_name_cyrillic="Каримов",
            birth_date="1995-05-17",
            passport_number="FA5550055",
        ),
    )
    assert DuplicateFlag.objects.filter(status=FlagStatus.OPEN).count() == 1


def test_an_administrator_merges_a_duplicate_and_keeps_the_workers_account(
    client_for, administrator, worker, agency
):
    from migrants.models import Document  # noqa: F401

    twin = make_profile(agency=agency, first_name_latin="Djasur", passport_number="", phone="",
                        education="", min_salary=None)  # fmt: skip
    twin.passport_hash = None
    twin.save()
    from tests.factories import add_work

    add_work(twin, code="7115")
    (flag,) = services.flag_likely_duplicates(twin)
    client = client_for(administrator)
    assert client.get(reverse("migrants:staff_duplicate", args=[flag.pk])).status_code == 200
    client.post(
        reverse("migrants:staff_duplicate", args=[flag.pk]), {"action": "merge", "keep": worker.pk}
    )
    worker.refresh_from_db()
    twin.refresh_from_db()
    assert worker.registered_by == agency
    assert worker.occupations.filter(occupation_id="7115").exists()
    assert twin.merged_into == worker
    assert twin.first_name_latin == ""
    assert twin not in MigrantProfile.objects.active()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.MERGED


def test_an_administrator_dismisses_different_people(client_for, administrator, worker, agency):
    twin = make_profile(agency=agency, passport_number="FA1112223")
    (flag,) = services.flag_likely_duplicates(twin)
    client_for(administrator).post(
        reverse("migrants:staff_duplicate", args=[flag.pk]), {"action": "dismiss", "note": "twins"}
    )
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED
    services.flag_likely_duplicates(twin)  # a later check does not reopen it
    assert DuplicateFlag.objects.get().status == FlagStatus.DISMISSED
