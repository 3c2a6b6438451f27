"""Employers register, INN/OGRN are checked with clear errors, administrators verify."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from exchange.choices import Role, VerificationStatus
from exchange.models import Employer
from exchange.validators import validate_inn, validate_inn_matches_ogrn, validate_ogrn
from tests.factories import VALID_INNS, VALID_OGRNS, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("7707083894", "check digits are wrong"),
        ("77070838", "this one has 8"),
        ("77O7083893", "digits only"),
    ],
)
def test_a_bad_inn_gets_an_error_that_says_what_is_wrong(number, message):
    with pytest.raises(ValidationError) as error:
        validate_inn(number)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1027700132196", "check digit is wrong"),
        ("102770013219", "this one has 12"),
        ("10277001321x5", "digits only"),
    ],
)
def test_a_bad_ogrn_gets_an_error_that_says_what_is_wrong(number, message):
    with pytest.raises(ValidationError) as error:
        validate_ogrn(number)
    assert message in str(error.value)


def test_valid_numbers_pass_including_an_individual_entrepreneurs():
    validate_inn("7707083893")
    validate_inn("500100732259")  # 12 digits: individual entrepreneur
    validate_ogrn("1027700132195")
    validate_ogrn("304500116000157")  # 15 digits: OGRNIP
    validate_inn_matches_ogrn("500100732259", "304500116000157")


def test_an_organizations_inn_with_an_entrepreneurs_ogrnip_is_refused():
    with pytest.raises(ValidationError, match="same kind of employer"):
        validate_inn_matches_ogrn("7707083893", "304500116000157")


def employer_form_data(**overrides):
    data = {
        "legal_name": "ООО «Ромашка»",
        "inn": "7707 083 893",
        "ogrn": "1027700132195",
        "region": "66",
        "address": "г. Екатеринбург, ул. Ленина, д. 1",
        "contact_name": "Пётр Иванов",
        "contact_email": "hr@romashka.example",
        "contact_phone": "+7 343 123-45-67",
        "website": "romashka.example",
    }
    data.update(overrides)
    return data


@pytest.fixture
def new_employer_member(db):
    return make_user(email="new@example.com", role=Role.EMPLOYER)


def test_an_employer_registers_the_organization_and_it_awaits_verification(
    client_for, new_employer_member
):
    client = client_for(new_employer_member)
    response = client.post(reverse("employer_organization_new"), employer_form_data())
    assert response.status_code == 302
    employer = Employer.objects.get()
    assert employer.inn == "7707083893"  # spaces dropped
    assert employer.verification_status == VerificationStatus.PENDING
    assert employer.website == "https://romashka.example"
    new_employer_member.refresh_from_db()
    assert new_employer_member.employer == employer


def test_a_wrong_inn_is_shown_beside_the_field_and_the_rest_is_kept(
    client_for, new_employer_member
):
    client = client_for(new_employer_member)
    response = client.post(
        reverse("employer_organization_new"),
        employer_form_data(inn="7707083894"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "check digits are wrong" in page
    assert "romashka.example" in page  # nothing typed is lost
    assert 'aria-invalid="true"' in page
    assert not Employer.objects.exists()


def test_a_registered_inn_cannot_be_registered_again(client_for, new_employer_member, employer):
    client = client_for(new_employer_member)
    response = client.post(
        reverse("employer_organization_new"),
        employer_form_data(inn=employer.inn, ogrn=VALID_OGRNS[2]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "already exists" in response.content.decode()
    assert Employer.objects.count() == 1


def test_an_administrator_verifies_a_pending_employer(client_for, administrator):
    pending = Employer.objects.create(
        **{k: v for k, v in employer_form_data().items() if k != "region"},
        region_id="66",
    )
    pending.inn = VALID_INNS[3]
    pending.save()
    client = client_for(administrator)
    queue = client.get(reverse("staff_employers")).content.decode()
    assert pending.legal_name.replace("«", "&laquo;") in queue or pending.legal_name in queue
    response = client.post(
        reverse("staff_employer_review", args=[pending.pk]), {"decision": "verify"}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.is_verified
    assert pending.verified_by == administrator


def test_rejecting_an_employer_needs_a_reason_that_the_employer_then_sees(
    client_for, administrator, employer_member
):
    employer = employer_member.employer
    admin_client = client_for(administrator)
    no_reason = admin_client.post(
        reverse("staff_employer_review", args=[employer.pk]),
        {"decision": "reject", "reason": " "},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Say why" in no_reason.content.decode()
    admin_client.post(
        reverse("staff_employer_review", args=[employer.pk]),
        {"decision": "reject", "reason": "OGRN belongs to another company"},
    )
    employer.refresh_from_db()
    assert employer.verification_status == VerificationStatus.REJECTED
    page = client_for(employer_member).get(reverse("employer_organization")).content.decode()
    assert "OGRN belongs to another company" in page


def test_changing_the_inn_of_a_verified_employer_sends_it_back_to_verification(
    client_for, employer_member
):
    employer = employer_member.employer
    client = client_for(employer_member)
    data = employer_form_data(
        legal_name=employer.legal_name, inn=VALID_INNS[2], ogrn=employer.ogrn, region="77"
    )
    client.post(reverse("employer_organization"), data)
    employer.refresh_from_db()
    assert employer.inn == VALID_INNS[2]
    assert employer.verification_status == VerificationStatus.PENDING


def test_changing_only_the_contacts_keeps_the_verification(client_for, employer_member):
    employer = employer_member.employer
    client = client_for(employer_member)
    data = employer_form_data(
        legal_name=employer.legal_name,
        inn=employer.inn,
        ogrn=employer.ogrn,
        contact_name="Новый Контакт",
    )
    client.post(reverse("employer_organization"), data)
    employer.refresh_from_db()
    assert employer.contact_name == "Новый Контакт"
    assert employer.is_verified


def test_an_employer_member_cannot_register_a_second_organization(client_for, employer_member):
    response = client_for(employer_member).post(
        reverse("employer_organization_new"),
        employer_form_data(inn=VALID_INNS[3], ogrn=VALID_OGRNS[3]),
    )
    assert response.status_code == 302
    assert Employer.objects.count() == 1
