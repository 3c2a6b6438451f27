"""The data admin works with the custom user model and the core's models."""

import pytest
from django.contrib import admin
from django.urls import reverse

from exchange.choices import Role
from exchange.models import Agency, User

pytestmark = pytest.mark.django_db


def test_every_admin_list_and_add_page_opens(
    client_for, administrator, employer_member, agency_member
):
    client = client_for(administrator)
    for model in admin.site._registry:
        meta = model._meta
        for view in ("changelist", "add"):
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}")
            assert client.get(url).status_code in (200, 403), url
    user_change = reverse("admin:exchange_user_change", args=[employer_member.pk])
    assert client.get(user_change).status_code == 200


def test_an_administrator_creates_an_agency_member_in_the_admin(client_for, administrator, agency):
    client = client_for(administrator)
    response = client.post(
        reverse("admin:exchange_user_add"),
        {
            "email": "recruiter@agency.example",
            "phone": "",
            "full_name": "Recruiter",
            "role": Role.AGENCY,
            "agency": agency.pk,
            "usable_password": "true",
            "password1": "a-strong-pass-word-1",
            "password2": "a-strong-pass-word-1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="recruiter@agency.example")
    assert user.agency == agency and user.check_password("a-strong-pass-word-1")


def test_agency_countries_are_chosen_from_a_list(client_for, administrator):
    client = client_for(administrator)
    response = client.post(
        reverse("admin:exchange_agency_add"),
        {
            "name": "Samarkand Recruit",
            "country": "UZ",
            "licence_number": "UZ-9",
            "licence_status": "valid",
            "countries_served": ["UZ", "KZ"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Agency.objects.get(name="Samarkand Recruit").countries_served == ["UZ", "KZ"]
