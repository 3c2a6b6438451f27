"""Sign-up, sign-in (by e-mail or phone), lockout, profile and passwords."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from exchange.choices import Role
from exchange.models import User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def sign_up(client, **fields):
    data = {
        "role": Role.MIGRANT,
        "login": "+998 90 765 43 21",
        "full_name": "Dilnoza Yusupova",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(fields)
    return client.post(reverse("signup"), data, HTTP_ACCEPT_LANGUAGE="en")


def test_a_migrant_signs_up_with_a_phone_number_stored_in_e164(client):
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(full_name="Dilnoza Yusupova")
    assert str(user.phone) == "+998907654321"
    assert user.email is None
    assert user.role == Role.MIGRANT
    assert user.check_password(PASSWORD)
    assert user.password.startswith("argon2")
    assert client.get(reverse("profile")).status_code == 200  # signed in


def test_an_employer_signs_up_by_email_and_is_sent_to_register_the_organization(client):
    response = sign_up(client, role=Role.EMPLOYER, login="HR@Example.COM ")
    assert response.status_code == 302
    assert response.url == reverse("employer_organization_new")
    assert User.objects.get(role=Role.EMPLOYER).email == "HR@example.com"


def test_sign_up_cannot_claim_the_administrator_role(client):
    response = sign_up(client, role=Role.ADMINISTRATOR)
    assert response.status_code == 200
    assert not User.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_sign_up_with_a_taken_login_says_so_and_creates_nothing(client, migrant):
    response = sign_up(client, login="8 (998) 90 123-45-67".replace("8 (998)", "+998"))
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_sign_up_keeps_what_was_typed_when_the_passwords_differ(client):
    response = sign_up(client, password2="something-else-42")
    page = response.content.decode()
    assert "The two passwords differ." in page
    assert 'value="Dilnoza Yusupova"' in page
    assert not User.objects.exists()


def test_sign_up_rejects_a_login_that_is_neither_email_nor_phone(client):
    response = sign_up(client, login="hello")
    assert "Enter a valid e-mail address or a phone number" in response.content.decode()


def test_sign_in_by_email_or_by_phone_in_any_common_format(client, migrant):
    employer = make_user(email="anna@example.com", role=Role.EMPLOYER)
    for login, user in [
        ("anna@example.com", employer),
        ("ANNA@example.com", employer),
        ("+998 (90) 123-45-67", migrant),
        ("+998901234567", migrant),
    ]:
        response = client.post(reverse("login"), {"username": login, "password": PASSWORD})
        assert response.status_code == 302, login
        assert int(client.session["_auth_user_id"]) == user.pk
        client.post(reverse("logout"))


def test_a_wrong_password_gets_a_clear_message(client, migrant):
    response = client.post(
        reverse("login"),
        {"username": "+998901234567", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()


def test_sign_in_locks_after_five_failures_and_then_refuses_even_the_right_password(
    client, migrant
):
    for _ in range(4):
        client.post(reverse("login"), {"username": "+998901234567", "password": "wrong"})
    locked = client.post(
        reverse("login"),
        {"username": "+998901234567", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert locked.status_code == 429
    assert "sign-in is paused" in locked.content.decode()
    again = client.post(reverse("login"), {"username": "+998901234567", "password": PASSWORD})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_message_is_in_the_users_language(client, migrant):
    for _ in range(5):
        response = client.post(
            reverse("login"),
            {"username": "+998901234567", "password": "wrong"},
            HTTP_ACCEPT_LANGUAGE="ru",
        )
    assert response.status_code == 429
    assert "Вход временно приостановлен" in response.content.decode()


def test_a_locked_account_can_still_be_used_from_another_address(client, migrant):
    for _ in range(5):
        client.post(reverse("login"), {"username": "+998901234567", "password": "wrong"})
    response = client.post(
        reverse("login"),
        {"username": "+998901234567", "password": PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302


def test_sign_out_needs_a_post(client_for, migrant):
    client = client_for(migrant)
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_the_profile_page_saves_the_name_and_keeps_the_login(client_for, migrant):
    client = client_for(migrant)
    response = client.post(
        reverse("profile"),
        {"full_name": "Jasur K.", "email": "", "phone": "+998901234567", "language": "uz"},
    )
    assert response.status_code == 302
    migrant.refresh_from_db()
    assert migrant.full_name == "Jasur K."
    assert migrant.language == "uz"


def test_the_profile_refuses_to_drop_both_email_and_phone(client_for, migrant):
    client = client_for(migrant)
    response = client.post(
        reverse("profile"),
        {"full_name": "X", "email": "", "phone": "", "language": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Keep an e-mail address or a phone number" in response.content.decode()
    migrant.refresh_from_db()
    assert str(migrant.phone) == "+998901234567"


def test_password_reset_sends_a_working_link_by_email(client):
    user = make_user(email="anna@example.com", role=Role.EMPLOYER)
    response = client.post(reverse("password_reset"), {"email": "anna@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-pass-77", "new_password2": "a-brand-new-pass-77"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-brand-new-pass-77")


def test_password_change_needs_the_old_password(client_for, migrant):
    client = client_for(migrant)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "n3w-pass-word-x",
            "new_password2": "n3w-pass-word-x",
        },
    )
    assert response.status_code == 200
    migrant.refresh_from_db()
    assert migrant.check_password(PASSWORD)
