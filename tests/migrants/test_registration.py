"""A worker registers with consent, then fills the profile in short resumable steps."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from exchange.choices import Role
from exchange.models import User
from migrants.choices import ConsentMethod
from migrants.models import CONSENT_TEXT_VERSION, MigrantProfile
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REGISTER = {
    "login": "+998 90 765 43 21",
    "full_name": "Dilshod",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "consent": "on",
}


def page(response) -> str:
    return response.content.decode()


def test_registration_creates_the_account_the_profile_and_a_dated_consent(client):
    response = client.post(reverse("migrants:register"), REGISTER, HTTP_ACCEPT_LANGUAGE="uz")
    assert response.status_code == 302
    assert response.url == reverse("migrants:profile_step", args=["identity"])
    user = User.objects.get(phone="+998907654321")
    assert user.role == Role.MIGRANT
    assert user.language == "uz"
    profile = user.migrant_profile
    assert str(profile.phone) == "+998907654321"
    consent = profile.consents.get()
    assert consent.text_version == CONSENT_TEXT_VERSION
    assert consent.method == ConsentMethod.ONLINE
    assert abs((timezone.now() - consent.given_at).total_seconds()) < 60


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"login": "not a phone"}, "login", "valid e-mail address or a phone number"),
        ({"password2": "something-else-1"}, "password2", "The two passwords differ."),
        ({"password1": "123", "password2": "123"}, "password1", "too short"),
        ({"consent": ""}, "consent", "Without your consent"),
    ],
)
def test_registration_with_bad_input_shows_the_error_beside_the_field_and_keeps_the_typing(
    client, change, field, message
):
    data = {**REGISTER, **change}
    response = client.post(reverse("migrants:register"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = page(response)
    assert message in html
    assert f'id="id_{field}-error"' in html
    assert 'value="Dilshod"' in html  # what was typed stays
    assert not User.objects.filter(full_name="Dilshod").exists()
    assert not MigrantProfile.objects.exists()


def test_registration_errors_are_localized(client):
    data = {**REGISTER, "password2": "different-password-7"}
    english = page(client.post(reverse("migrants:register"), data, HTTP_ACCEPT_LANGUAGE="en"))
    russian = page(client.post(reverse("migrants:register"), data, HTTP_ACCEPT_LANGUAGE="ru"))
    assert "The two passwords differ." in english
    assert "The two passwords differ." not in russian


def identity(**change):
    data = {
        "first_name_latin": "Dilshod",
        "last_name_latin": "Yusupov",
        "first_name_cyrillic": "Дилшод",
        "last_name_cyrillic": "Юсупов",
        "patronymic": "",
        "birth_date": "1996-04-01",
        "gender": "male",
        "citizenship": "UZ",
    }
    data.update(change)
    return data


def test_an_under_18_worker_is_refused_and_what_was_typed_is_kept(client_for, worker):
    client = client_for(worker.user)
    seventeen = timezone.localdate().replace(year=timezone.localdate().year - 17)
    response = client.post(
        reverse("migrants:profile_step", args=["identity"]),
        identity(birth_date=seventeen.isoformat()),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    html = page(response)
    assert "at least 18 years old" in html
    assert 'value="Dilshod"' in html and 'value="Юсупов"' in html
    worker.refresh_from_db()
    assert worker.birth_date == datetime.date(1995, 5, 17)  # nothing saved


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"first_name_latin": "Дилшод"}, "first_name_latin"),
        ({"last_name_cyrillic": "Yusupov"}, "last_name_cyrillic"),
        ({"birth_date": "31.02.1990"}, "birth_date"),
        ({"citizenship": ""}, "citizenship"),
    ],
)
def test_identity_step_bad_input_is_shown_beside_the_field(client_for, worker, change, field):
    response = client_for(worker.user).post(
        reverse("migrants:profile_step", args=["identity"]), identity(**change)
    )
    assert response.status_code == 200
    assert f'id="id_{field}-error"' in page(response)


def test_steps_save_as_they_go_and_the_worker_resumes_where_they_stopped(client_for, migrant):
    client = client_for(migrant)
    client.post(reverse("migrants:consent"), {"consent": "on"})
    response = client.post(
        reverse("migrants:profile_step", args=["identity"]), {**identity(), "save_and_exit": "1"}
    )
    assert response.url == reverse("migrants:dashboard")
    profile = migrant.migrant_profile
    assert profile.last_name_cyrillic == "Юсупов"
    dashboard = page(client.get(reverse("migrants:dashboard")))
    assert reverse("migrants:profile_step", args=["passport"]) in dashboard
    percent, missing = profile.completeness()
    assert 0 < percent < 100
    assert "Passport number and expiry date" in missing


def test_a_worker_who_signed_up_on_the_general_page_is_asked_for_consent_first(client_for, migrant):
    client = client_for(migrant)
    response = client.get(reverse("migrants:dashboard"))
    assert response.url == reverse("migrants:consent")
    assert client.post(reverse("migrants:consent"), {}).status_code == 200
    assert not MigrantProfile.objects.exists()
    client.post(reverse("migrants:consent"), {"consent": "on"})
    assert migrant.migrant_profile.consents.count() == 1


def test_the_whole_profile_can_be_completed_and_sent_for_verification(client_for, worker):
    from migrants.models import Document
    from tests.factories import upload

    client = client_for(worker.user)
    client.post(
        reverse("migrants:profile_step", args=["work"]),
        {"action": "add", "occupation": "7212", "years_experience": "4"},
    )
    assert worker.occupations.get().years_experience == 4
    client.post(
        reverse("migrants:profile_step", args=["languages"]),
        {
            "form-TOTAL_FORMS": "2",
            "form-INITIAL_FORMS": "0",
            "form-0-language": "ru",
            "form-0-level": "B1",
            "form-1-language": "uz",
            "form-1-level": "native",
        },
    )
    assert dict(worker.languages.values_list("language", "level")) == {"ru": "B1", "uz": "native"}
    client.post(
        reverse("migrants:documents"),
        {"doc_type": "passport", "file": upload()},
    )
    assert Document.objects.filter(profile=worker).exists()
    assert worker.completeness() == (100, [])
    client.post(reverse("migrants:submit"))
    worker.refresh_from_db()
    assert worker.submitted_at is not None
    assert worker in MigrantProfile.objects.awaiting_verification()


def test_contacts_step_needs_the_contact_for_the_chosen_channel(client_for, worker):
    response = client_for(worker.user).post(
        reverse("migrants:profile_step", args=["contacts"]),
        {"phone": "", "email": "", "preferred_language": "uz", "notification_channel": "email"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Give an e-mail address to get e-mails." in page(response)


def test_the_registration_page_is_served_in_uzbek(client):
    html = page(client.get(reverse("migrants:register"), HTTP_ACCEPT_LANGUAGE="uz"))
    assert '<html lang="uz">' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
