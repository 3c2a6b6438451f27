"""Five interface languages: a switcher for everyone, remembered per user, complete catalogs."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"


def switch(client, language, next_url="/"):
    return client.post(
        reverse("switch_language"),
        {"language": language, "next": next_url},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_an_anonymous_visitor_switches_to_uzbek_and_back(client):
    response = switch(client, "uz")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "uz"
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="uz">' in page
    assert "Work in Russia, organized and fair" not in page  # translated
    switch(client, "en")
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert "Work in Russia, organized and fair" in page


def test_a_signed_in_users_choice_is_saved_and_follows_them_to_another_device(
    client_for, migrant, client
):
    switch(client_for(migrant), "ky")
    migrant.refresh_from_db()
    assert migrant.language == "ky"
    from django.test import Client

    other_device = Client(HTTP_ACCEPT_LANGUAGE="en")
    other_device.force_login(migrant)
    assert '<html lang="ky">' in other_device.get(reverse("home")).content.decode()


def test_the_language_chosen_before_signing_in_is_kept_for_a_user_who_had_none(client, migrant):
    migrant.language = ""
    migrant.save()
    switch(client, "tg")
    client.post(
        reverse("login"), {"username": "+998901234567", "password": "correct-horse-battery-9"}
    )
    migrant.refresh_from_db()
    assert migrant.language == "tg"


def test_an_unknown_language_is_refused_with_a_message(client):
    response = switch(client, "xx")
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "This language is not available." in page


def test_the_switcher_never_redirects_to_another_site(client):
    response = switch(client, "ru", next_url="https://evil.example/phish")
    assert response.url == "/"


@pytest.mark.parametrize("language", ["uz", "tg", "ky", "ru"])
def test_sign_up_and_sign_in_pages_are_translated(client, language):
    for name in ("login", "signup", "home"):
        page = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'<html lang="{language}">' in page
        for english in ("Sign in", "Register", "Forgot the password?", "I am looking for work"):
            assert f">{english}<" not in page, (name, english)


@pytest.mark.parametrize("language", ["ru", "uz", "tg", "ky"])
def test_every_message_is_translated_and_none_is_fuzzy(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalog = read_po(handle)
    untranslated = [
        m.id
        for m in catalog
        if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists()


def test_the_password_rules_follow_the_visitors_language(client):
    russian = client.get(reverse("signup"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    english = client.get(reverse("signup"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "at least 8 characters" in english
    assert "at least 8 characters" not in russian


def test_an_uzbek_worker_reads_the_password_rules_in_uzbek(client):
    # Django's own uz catalog misses these; exchange/django_messages.py carries them.
    page = client.get(reverse("migrants:register"), HTTP_ACCEPT_LANGUAGE="uz").content.decode()
    assert '<html lang="uz">' in page
    assert "Parolingiz kamida 8 ta belgidan iborat boʻlishi kerak." in page
    assert "Пароль" not in page
    assert "Ваш пароль" not in page
