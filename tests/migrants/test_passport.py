"""Passport numbers: encrypted at rest, masked on pages, every administrator view logged,
never in logs, keys rotated without losing data."""

import logging

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from migrants.crypto import DecryptionError, normalize_passport_number, passport_hash
from migrants.models import MigrantProfile, PassportView
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def raw_row(profile) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT passport_number, passport_hash FROM {MigrantProfile._meta.db_table} WHERE id = %s",  # noqa: S608
            [profile.pk],
        )
        return cursor.fetchone()


def test_the_passport_number_is_never_stored_in_plaintext(worker):
    stored, blind_index = raw_row(worker)
    assert "FA1234567" not in stored
    assert stored.startswith("gAAAAA")  # a Fernet token
    assert "FA1234567" not in blind_index
    assert blind_index == passport_hash("UZ", "FA1234567")
    assert MigrantProfile.objects.get(pk=worker.pk).passport_number == "FA1234567"


def test_a_passport_typed_in_a_cyrillic_layout_or_with_spaces_is_the_same_passport():
    assert normalize_passport_number("фа 123-4567") != "FA1234567"  # Ф is no homoglyph
    assert normalize_passport_number("АС 123 45-67") == "AC1234567"
    assert passport_hash("kg", "ас1234567") == passport_hash("KG", "AC1234567")


def test_an_agency_sees_the_passport_masked_the_worker_in_full(
    client_for, agency_member, agency_worker, worker
):
    agency_page = client_for(agency_member).get(
        reverse("migrants:agency_worker", args=[agency_worker.pk])
    )
    html = agency_page.content.decode()
    assert "FA7654321" not in html
    assert "FA•••••21" in html
    step = client_for(agency_member).get(
        reverse("migrants:agency_profile_step", args=[agency_worker.pk, "passport"])
    )
    assert "FA7654321" not in step.content.decode()
    own = client_for(worker.user).get(reverse("migrants:dashboard")).content.decode()
    assert "FA1234567" in own


def test_every_administrator_view_of_a_passport_is_recorded(client_for, administrator, worker):
    client = client_for(administrator)
    html = client.get(reverse("migrants:staff_profile", args=[worker.pk])).content.decode()
    assert "FA1234567" in html
    client.get(reverse("migrants:staff_profile", args=[worker.pk]))
    views = PassportView.objects.filter(profile=worker, viewer=administrator)
    assert views.count() == 2


def test_the_passport_number_never_reaches_the_logs(client_for, caplog, agency_member, migrant):
    caplog.set_level(logging.DEBUG)
    client = client_for(agency_member)
    data = {
        "first_name_latin": "Sherzod",
        "last_name_latin": "Nazarov",
        "first_name_cyrillic": "Шерзод",
        "last_name_cyrillic": "Назаров",
        "birth_date": "1990-01-01",
        "gender": "male",
        "citizenship": "UZ",
        "phone": "+998901119988",
        "preferred_language": "uz",
        "passport_number": "AB9988776",
        "passport_expiry": "2031-01-01",
        "consent_method": "in_person",
        "consent_obtained_on": "2026-01-10",
        "consent_confirmed": "on",
    }
    client.post(reverse("migrants:agency_worker_new"), data)
    client.post(reverse("migrants:agency_worker_new"), data)  # the duplicate attempt, too
    make_profile(user=migrant, passport_number="ZZ5550001")
    assert MigrantProfile.objects.count() == 2
    assert "AB9988776" not in caplog.text
    assert "ZZ5550001" not in caplog.text


def test_a_wrong_key_fails_loudly_instead_of_returning_ciphertext(worker, settings):
    settings.MIGRANTS_PASSPORT_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(DecryptionError):
        MigrantProfile.objects.get(pk=worker.pk)


def test_keys_rotate_without_losing_a_number(worker, other_worker, settings):
    old_key = settings.MIGRANTS_PASSPORT_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.MIGRANTS_PASSPORT_KEYS = [new_key, old_key]
    call_command("rotate_passport_keys", verbosity=0)
    settings.MIGRANTS_PASSPORT_KEYS = [new_key]  # the old key can now be dropped
    assert MigrantProfile.objects.get(pk=worker.pk).passport_number == "FA1234567"
    assert MigrantProfile.objects.get(pk=other_worker.pk).passport_number == "400111222"
    assert Fernet(new_key.encode()).decrypt(raw_row(worker)[0].encode()) == b"FA1234567"


def test_a_new_hash_key_is_applied_by_the_rotation_command(worker, settings):
    settings.MIGRANTS_PASSPORT_HASH_KEY = "a-brand-new-blind-index-key-0123456789abcdef"
    call_command("rotate_passport_keys", verbosity=0)
    assert raw_row(worker)[1] == passport_hash("UZ", "FA1234567")


def test_production_refuses_to_start_without_passport_keys():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MIGRANTS_"))}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="example.org",
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
         "'exchange.settings'; django.setup()"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode != 0
    assert "MIGRANTS_PASSPORT_KEYS and MIGRANTS_PASSPORT_HASH_KEY must be set" in result.stderr
