"""Employers manage their own vacancies in the browser; nobody else's."""

import pytest
from django.urls import reverse

from exchange.choices import VerificationStatus
from exchange.models import Skill
from tests.factories import make_vacancy
from vacancies import services
from vacancies.choices import VacancyStatus as S
from vacancies.forms import LanguageRequirementFormSet, VacancyForm
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "Сварщик НАКС",
        "occupation": "7212",
        "description": "Сварка металлоконструкций.",
        "region": "72",
        "city": "Тюмень",
        "positions_total": "3",
        "salary_min": "120000",
        "salary_max": "160000",
        "currency": "RUB",
        "salary_basis": "gross",
        "employment_type": "full",
        "schedule": "rotation",
        "experience_years": "2",
        "education": "vocational",
        "housing": "site_camp",
        "meals": "free",
        "open_to_foreign_workers": "on",
        "contact_name": "Ирина",
        "contact_phone": "+73452123456",
        "languages-TOTAL_FORMS": "2",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "6",
        "languages-0-language": "ru",
        "languages-0-min_level": "A2",
        "languages-1-language": "",
        "languages-1-min_level": "",
    }
    data.update(overrides)
    return data


def test_an_employer_creates_a_draft_with_skills_and_languages(client_for, employer_member):
    welding = Skill.objects.filter(occupations__code="7212").order_by("code").first()
    client = client_for(employer_member)
    response = client.post(reverse("vacancy_create"), form_data(skills=[welding.pk]))
    assert response.status_code == 302, response.content.decode()[:3000]
    vacancy = Vacancy.objects.get()
    assert vacancy.employer == employer_member.employer
    assert vacancy.status == S.DRAFT
    assert list(vacancy.skills.all()) == [welding]
    assert [(r.language, r.min_level) for r in vacancy.languages.all()] == [("ru", "A2")]
    assert welding.title_ru.lower() in vacancy.search_text
    assert vacancy.history.get().to_status == S.DRAFT


def test_saving_a_new_vacancy_records_its_creation_languages_and_search_text(employer_member):
    employer = employer_member.employer
    data = form_data()
    vacancy = Vacancy(employer=employer)
    form = VacancyForm(data, instance=vacancy, employer=employer)
    languages = LanguageRequirementFormSet(data, instance=vacancy, prefix="languages")
    assert form.is_valid(), form.errors
    assert languages.is_valid(), languages.errors
    saved, back_to_moderation = services.save_vacancy(
        form=form, languages=languages, by=employer_member
    )
    assert not back_to_moderation
    assert [(r.language, r.min_level) for r in saved.languages.all()] == [("ru", "A2")]
    assert "тюмень" in Vacancy.objects.get(pk=saved.pk).search_text
    assert [(t.from_status, t.to_status) for t in saved.history.all()] == [("", S.DRAFT)]


def test_form_errors_are_shown_beside_the_field_and_nothing_typed_is_lost(
    client_for, employer_member
):
    client = client_for(employer_member)
    response = client.post(
        reverse("vacancy_create"),
        form_data(salary_min="200000", salary_max="100000", occupation="71"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The upper salary must not be below the lower one." in page
    assert "Choose an occupation from the list." in page
    assert "Сварщик НАКС" in page and "Сварка металлоконструкций." in page
    assert not Vacancy.objects.exists()


def test_a_new_vacancy_starts_with_the_organizations_region_and_contacts(
    client_for, employer_member
):
    form = client_for(employer_member).get(reverse("vacancy_create")).context["form"]
    employer = employer_member.employer
    assert form["region"].value() == employer.region_id
    assert form["contact_name"].value() == employer.contact_name
    assert form["contact_email"].value() == employer.contact_email
    assert str(form["contact_phone"].value()) == str(employer.contact_phone)


def test_the_employer_list_shows_only_own_vacancies_with_counts(
    client_for, employer_member, other_employer
):
    mine = make_vacancy(employer_member.employer, title="Моя вакансия")
    make_vacancy(other_employer, title="Чужая вакансия")
    page = client_for(employer_member).get(reverse("employer_vacancies")).content.decode()
    assert mine.title in page
    assert "Чужая вакансия" not in page


def test_another_employers_vacancy_is_404_for_every_employer_page(
    client_for, employer_member, other_employer
):
    theirs = make_vacancy(other_employer, title="Чужая")
    client = client_for(employer_member)
    for name in ("vacancy_manage", "vacancy_edit"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    for name in (
        "vacancy_submit",
        "vacancy_close",
        "vacancy_duplicate",
        "vacancy_withdraw",
        "vacancy_positions",
    ):
        assert client.post(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.post(reverse("vacancy_edit", args=[theirs.pk]), form_data()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Чужая" and theirs.status == S.DRAFT
    # A draft is not public either.
    assert client.get(reverse("vacancy_detail", args=[theirs.pk])).status_code == 404


def test_submit_from_the_page_and_the_unverified_message(client_for, employer_member):
    vacancy = make_vacancy(employer_member.employer)
    client = client_for(employer_member)
    client.post(reverse("vacancy_submit", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == S.SUBMITTED
    employer = employer_member.employer
    employer.verification_status = VerificationStatus.PENDING
    employer.save()
    draft = make_vacancy(employer)
    response = client.post(
        reverse("vacancy_submit", args=[draft.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "not verified yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_editing_a_published_vacancys_pay_sends_it_back_to_moderation(client_for, employer_member):
    vacancy = make_vacancy(
        employer_member.employer,
        status=S.PUBLISHED,
        occupation_id="7212",
        title="Сварщик НАКС",
        description="Сварка металлоконструкций.",
        region_id="72",
        city="Тюмень",
        positions_total=3,
        salary_min=120000,
        salary_max=160000,
        schedule="rotation",
        housing="site_camp",
        meals="free",
        experience_years=2,
        education="vocational",
        contact_phone="+73452123456",
        languages=[("ru", "A2")],
    )
    client = client_for(employer_member)
    data = form_data(
        **{
            "languages-INITIAL_FORMS": "1",
            "languages-0-id": str(vacancy.languages.get().pk),
            "languages-0-vacancy": str(vacancy.pk),
            "expires_on": vacancy.expires_on.isoformat(),
        }
    )
    data["contact_name"] = "Новый контакт"
    client.post(reverse("vacancy_edit", args=[vacancy.pk]), data)
    vacancy.refresh_from_db()
    assert vacancy.contact_name == "Новый контакт"
    assert vacancy.status == S.PUBLISHED  # contacts only
    data["salary_max"] = "180000"
    client.post(reverse("vacancy_edit", args=[vacancy.pk]), data)
    vacancy.refresh_from_db()
    assert vacancy.salary_max == 180000
    assert vacancy.status == S.SUBMITTED


def test_positions_update_and_duplicate_from_the_page(client_for, employer_member):
    vacancy = make_vacancy(employer_member.employer, status=S.PUBLISHED, positions_total=2)
    client = client_for(employer_member)
    client.post(
        reverse("vacancy_positions", args=[vacancy.pk]),
        {"positions_total": "2", "positions_filled": "2"},
    )
    vacancy.refresh_from_db()
    assert vacancy.status == S.FILLED
    response = client.post(reverse("vacancy_duplicate", args=[vacancy.pk]))
    copy = Vacancy.objects.exclude(pk=vacancy.pk).get()
    assert response.url == reverse("vacancy_edit", args=[copy.pk])
    assert copy.status == S.DRAFT


def test_the_manage_page_shows_the_history_and_the_rejection_reason(
    client_for, employer_member, administrator
):
    from vacancies import services

    vacancy = make_vacancy(employer_member.employer, status=S.SUBMITTED)
    services.reject_vacancy(vacancy, by=administrator, reason="Укажите адрес объекта")
    page = (
        client_for(employer_member)
        .get(reverse("vacancy_manage", args=[vacancy.pk]))
        .content.decode()
    )
    assert "Укажите адрес объекта" in page


def test_migrants_and_agencies_cannot_open_employer_vacancy_pages(
    client_for, migrant, agency_member
):
    for user in (migrant, agency_member):
        assert client_for(user).get(reverse("employer_vacancies")).status_code == 403
        assert client_for(user).get(reverse("vacancy_create")).status_code == 403
