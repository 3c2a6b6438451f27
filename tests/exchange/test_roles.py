"""Each page checks the role; no one sees another tenant's organization."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EMPLOYER_PAGES = ["employer_organization", "employer_organization_new"]
STAFF_PAGES = ["staff_employers"]


@pytest.mark.parametrize("page", EMPLOYER_PAGES + STAFF_PAGES + ["agency_home", "profile"])
def test_anonymous_visitors_are_sent_to_sign_in(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page", EMPLOYER_PAGES + STAFF_PAGES + ["agency_home"])
def test_a_migrant_cannot_open_employer_agency_or_staff_pages(client_for, migrant, page):
    response = client_for(migrant).get(reverse(page))
    assert response.status_code == 403


@pytest.mark.parametrize("page", [*STAFF_PAGES, "agency_home"])
def test_an_employer_cannot_open_staff_or_agency_pages(client_for, employer_member, page):
    assert client_for(employer_member).get(reverse(page)).status_code == 403


def test_an_employer_cannot_see_another_employers_organization(
    client_for, employer_member, other_employer
):
    client = client_for(employer_member)
    response = client.get(reverse("employer_detail", args=[other_employer.pk]))
    assert response.status_code == 404
    assert other_employer.inn not in response.content.decode()
    own = client.get(reverse("employer_detail", args=[employer_member.employer_id]))
    assert own.status_code == 200


def test_an_employer_edits_only_its_own_organization(client_for, employer_member, other_employer):
    client = client_for(employer_member)
    page = client.get(reverse("employer_organization")).content.decode()
    assert employer_member.employer.legal_name in page
    assert other_employer.legal_name not in page


def test_an_agency_member_sees_only_their_own_agency(client_for, agency_member, other_agency):
    page = client_for(agency_member).get(reverse("agency_home")).content.decode()
    assert agency_member.agency.name in page
    assert other_agency.name not in page


def test_an_agency_member_cannot_see_employer_cards(client_for, agency_member, employer):
    response = client_for(agency_member).get(reverse("employer_detail", args=[employer.pk]))
    assert response.status_code == 403


def test_an_administrator_sees_any_employer(client_for, administrator, employer, other_employer):
    client = client_for(administrator)
    for org in (employer, other_employer):
        assert client.get(reverse("employer_detail", args=[org.pk])).status_code == 200


def test_a_non_staff_user_cannot_open_the_admin_site(client_for, employer_member):
    response = client_for(employer_member).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_the_navigation_depends_on_the_role(client_for, migrant, administrator):
    migrant_page = client_for(migrant).get(reverse("home")).content.decode()
    assert reverse("staff_employers") not in migrant_page
    admin_page = client_for(administrator).get(reverse("home")).content.decode()
    assert reverse("staff_employers") in admin_page
