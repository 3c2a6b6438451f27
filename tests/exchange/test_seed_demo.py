"""seed_demo makes a deterministic demo data set, safely twice."""

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from stdnum.ru import inn, ogrn

from exchange.choices import Role
from exchange.models import Agency, Employer, User
from exchange.seeding import DEMO_PASSWORD, demo_logins

pytestmark = pytest.mark.django_db


def counts():
    return {
        "users": User.objects.count(),
        "migrants": User.objects.filter(role=Role.MIGRANT).count(),
        "employers": Employer.objects.count(),
        "agencies": Agency.objects.count(),
    }


@override_settings(DEBUG=True)
def test_seed_demo_creates_every_role_and_is_safe_to_run_twice(client):
    call_command("seed_demo", migrants=25, seed=7, verbosity=0)
    first = counts()
    assert first["migrants"] >= 25 + 1  # plus the named demo migrant (other apps may add more)
    assert first["employers"] == 12
    assert {a.country for a in Agency.objects.all()} == {"UZ", "TJ", "KG"}
    inns = sorted(Employer.objects.values_list("inn", flat=True))
    call_command("seed_demo", migrants=25, seed=7, verbosity=0)
    assert counts() == first
    assert sorted(Employer.objects.values_list("inn", flat=True)) == inns
    for employer in Employer.objects.all():
        assert inn.is_valid(employer.inn) and ogrn.is_valid(employer.ogrn)
    for _who, login in demo_logins():
        response = client.post(reverse("login"), {"username": login, "password": DEMO_PASSWORD})
        assert response.status_code == 302, login
        client.post(reverse("logout"))


@override_settings(DEBUG=True)
def test_demo_migrants_sign_in_with_valid_phone_numbers(client):
    call_command("seed_demo", migrants=12, verbosity=0)
    for user in User.objects.filter(role=Role.MIGRANT, phone__isnull=False):
        assert user.phone.is_valid(), user.phone
    some = User.objects.filter(role=Role.MIGRANT, phone__isnull=False).first()
    response = client.post(
        reverse("login"), {"username": str(some.phone), "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


@override_settings(DEBUG=False)
def test_seed_demo_refuses_to_create_known_passwords_in_production():
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()
