"""The selection pages of every role, and that each role sees only its own side."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from migrants.models import ProfileChange
from notifications.models import Notification
from selection import services as selection
from selection.models import Application, Stage
from tests.factories import make_profile, make_user, verified, walk
from tests.selection.test_services import stored_matches
from vacancies.choices import VacancyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(vacancy, worker, migrant, administrator):
    return selection.approve(selection.apply(vacancy, worker, user=migrant), user=administrator)


def test_a_worker_applies_from_the_vacancy_page(client_for, migrant, worker, vacancy):
    client = client_for(migrant)
    page = client.get(reverse("vacancy_detail", args=[vacancy.pk]))
    assert "Apply for this job" in page.content.decode()
    response = client.post(reverse("vacancy_apply", args=[vacancy.pk]))
    assert response.status_code == 302
    application = Application.objects.get(vacancy=vacancy, profile=worker)
    assert (application.stage, application.origin) == (Stage.APPLIED, "applied")
    page = client.get(reverse("vacancy_detail", args=[vacancy.pk])).content.decode()
    assert "Apply for this job" not in page and "See my applications" in page
    # Applying twice says why instead of failing.
    again = client.post(reverse("vacancy_apply", args=[vacancy.pk]), follow=True)
    assert "already a candidate" in again.content.decode()


def test_an_unverified_worker_is_told_to_wait_for_verification(
    client_for, migrant, worker, vacancy
):
    worker.verification_status = "pending"
    worker.save()
    page = client_for(migrant).get(reverse("vacancy_detail", args=[vacancy.pk]))
    assert "once the exchange has verified your profile" in page.content.decode()


def test_the_worker_sees_stage_next_step_and_accepts_an_offer(
    client_for, migrant, worker, vacancy, administrator, employer_member
):
    application = walk(
        selection.apply(vacancy, worker, user=migrant),
        Stage.OFFERED,
        administrator=administrator,
        employer_member=employer_member,
    )
    client = client_for(migrant)
    page = client.get(reverse("worker_applications")).content.decode()
    assert "Offer sent" in page
    assert "Read the terms, then accept or decline it." in page
    assert "Monthly wage" in page and "Accept the offer" in page
    client.post(reverse("application_action", args=[application.pk, "accept"]))
    application.refresh_from_db()
    assert application.stage == Stage.PLACED
    vacancy.refresh_from_db()
    assert vacancy.positions_filled == 1


@pytest.mark.parametrize("language", ["ru", "uz"])
def test_the_worker_pages_speak_russian_and_uzbek(
    client, migrant, worker, vacancy, language, administrator, employer_member
):
    walk(
        selection.apply(vacancy, worker, user=migrant),
        Stage.OFFERED,
        administrator=administrator,
        employer_member=employer_member,
    )
    client.force_login(migrant)
    for name in ("worker_applications", "notifications:inbox"):
        response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert f'<html lang="{language}">' in response.content.decode()
    page = client.get(reverse("vacancy_detail", args=[vacancy.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200


def test_a_worker_cannot_select_or_open_another_workers_application(
    client_for, migrant, approved, other_vacancy, administrator
):
    client = client_for(migrant)
    client.post(reverse("application_action", args=[approved.pk, "select"]))
    approved.refresh_from_db()
    assert approved.stage == Stage.APPROVED
    someone = make_user(phone="+992930000001")
    stranger = verified(make_profile(user=someone, passport_number="XX1000001"))
    foreign = selection.apply(other_vacancy, stranger, user=someone)
    response = client.post(reverse("application_action", args=[foreign.pk, "withdraw"]))
    assert response.status_code == 404


def test_the_employer_sees_approved_candidates_without_contacts_until_selected(
    client_for, employer_member, approved, worker
):
    client = client_for(employer_member)
    url = reverse("employer_vacancy_applicants", args=[approved.vacancy_id])
    page = client.get(url).content.decode()
    assert f"Candidate no. {approved.pk}" in page
    assert str(worker.phone) not in page and worker.last_name_latin not in page
    client.post(reverse("application_action", args=[approved.pk, "select"]))
    page = client.get(url).content.decode()
    assert str(worker.phone) in page and worker.last_name_latin in page
    assert "Send an offer" in page
    overview = client.get(reverse("employer_applicants")).content.decode()
    assert approved.vacancy.title in overview


def test_the_employer_stays_on_the_vacancys_candidates_after_selecting(
    client_for, employer_member, approved
):
    """ "Selected. Now send an offer." must be said where the offer button is, not on the
    overview of all vacancies."""
    client = client_for(employer_member)
    url = reverse("employer_vacancy_applicants", args=[approved.vacancy_id])
    page = client.get(url).content.decode()
    select = reverse("application_action", args=[approved.pk, "select"])
    form = page[page.index(f'action="{select}"') :]
    assert f'name="next" value="{url}"' in form[: form.index("</form>")]
    response = client.post(
        reverse("application_action", args=[approved.pk, "select"]), {"next": url}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    page = response.content.decode()
    assert "Candidate selected. Now send an offer." in page and "Send an offer" in page


def test_the_employer_sends_an_offer_with_edited_terms_and_errors_beside_fields(
    client_for, employer_member, approved
):
    client = client_for(employer_member)
    selection.select(approved, user=employer_member)
    url = reverse("employer_send_offer", args=[approved.pk])
    form = client.get(url).content.decode()
    assert 'name="wage"' in form and "120000" in form  # copied from the vacancy
    bad = client.post(
        url, {"wage": "90000", "currency": "RUB", "start_date": "2001-01-01", "contract_months": 12}
    )
    assert "The start date must not be in the past." in bad.content.decode()
    approved.refresh_from_db()
    assert approved.stage == Stage.SELECTED
    client.post(
        url,
        {
            "wage": "90000",
            "currency": "RUB",
            "start_date": "2099-03-01",
            "contract_months": 6,
            "housing": "dormitory",
        },
    )
    approved.refresh_from_db()
    assert approved.stage == Stage.OFFERED
    assert approved.offer.wage == 90000


def test_an_employer_cannot_approve_and_another_employer_sees_nothing(
    client_for, employer_member, other_employer_member, vacancy, worker, migrant, approved
):
    pending = selection.apply(
        make_other_vacancy(vacancy), worker, user=migrant
    )  # in review: employers do not see it yet
    client = client_for(employer_member)
    assert (
        client.post(reverse("application_action", args=[pending.pk, "approve"])).status_code == 404
    )
    assert client.get(reverse("staff_review_queue")).status_code == 403
    other = client_for(other_employer_member)
    assert other.get(reverse("employer_vacancy_applicants", args=[vacancy.pk])).status_code == 404
    assert (
        other.post(reverse("application_action", args=[approved.pk, "select"])).status_code == 404
    )
    assert other.get(reverse("employer_send_offer", args=[approved.pk])).status_code == 404


def make_other_vacancy(vacancy):
    from tests.factories import make_vacancy

    return make_vacancy(vacancy.employer, status=VacancyStatus.PUBLISHED, title="Плотник")


def test_the_review_queue_is_oldest_first_with_a_detail_page_and_bulk_approve(
    client_for, administrator, vacancy, worker, migrant, agency_worker, agency_member
):
    first = selection.apply(vacancy, worker, user=migrant)
    second = selection.propose_by_agency(
        vacancy, agency_worker, agency=agency_member.agency, user=agency_member
    )
    client = client_for(administrator)
    page = client.get(reverse("staff_review_queue")).content.decode()
    assert page.index(f"pick-{first.pk}") < page.index(f"pick-{second.pk}")
    detail = client.get(reverse("staff_review_detail", args=[first.pk])).content.decode()
    for part in ("Is the worker eligible for this job?", "Documents", "Approve", "Reason"):
        assert part in detail
    done = client.post(
        reverse("staff_review_bulk_approve"),
        {"application": [first.pk, second.pk]},
        follow=True,
    )
    assert "2 candidates approved." in done.content.decode()
    assert set(
        Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("stage", flat=True)
    ) == {Stage.APPROVED}


def test_an_administrator_rejects_with_a_reason_from_the_list(
    client_for, administrator, vacancy, worker, migrant
):
    application = selection.apply(vacancy, worker, user=migrant)
    client = client_for(administrator)
    url = reverse("application_action", args=[application.pk, "reject"])
    client.post(url, {"reason_code": "nonsense"})
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED
    client.post(url, {"reason_code": "language", "reason": "Нужен B1"})
    application.refresh_from_db()
    assert application.stage == Stage.REJECTED
    notice = Notification.objects.get(
        recipient=migrant, event="application.rejected", channel="in_app"
    )
    with translation.override(notice.language):  # written in the worker's language
        assert gettext("Russian language level too low for this job") in notice.body


def test_administrators_draw_up_shortlists_and_read_the_match_breakdown(
    client_for, administrator, vacancy, worker
):
    run = stored_matches([(vacancy, worker, 0.8)])
    run.matches.update(occupation=1.0, salary=0.5)
    client = client_for(administrator)
    client.post(reverse("staff_propose_shortlists"))
    application = Application.objects.get(profile=worker)
    assert application.stage == Stage.SHORTLISTED
    page = client.get(reverse("staff_review_detail", args=[application.pk])).content.decode()
    assert "Match: 80" in page and "Occupation" in page and "Pay" in page


def test_an_agency_proposes_its_worker_and_follows_the_application(
    client_for, agency_member, agency_worker, vacancy, other_agency_member
):
    client = client_for(agency_member)
    page = client.get(reverse("vacancy_detail", args=[vacancy.pk])).content.decode()
    assert "Propose a worker for this job" in page
    url = reverse("agency_propose", args=[vacancy.pk])
    client.post(url, {"profile": agency_worker.pk})
    application = Application.objects.get(profile=agency_worker)
    assert (application.stage, application.agency_id) == (Stage.PROPOSED, agency_member.agency_id)
    listing = client.get(reverse("agency_applications")).content.decode()
    assert vacancy.title in listing
    other = client_for(other_agency_member)
    assert vacancy.title not in other.get(reverse("agency_applications")).content.decode()
    # The other agency cannot pick this worker: not among the form's choices.
    other.post(url, {"profile": agency_worker.pk})
    assert Application.objects.filter(profile=agency_worker).count() == 1


def test_the_audit_page_lists_application_vacancy_and_profile_changes(
    client_for, administrator, approved, employer_member, migrant
):
    from vacancies.services import close_vacancy

    close_vacancy(approved.vacancy, by=employer_member, reason="Набрали сами")
    ProfileChange.objects.create(
        profile=approved.profile,
        field="min_salary",
        old_value="70000",
        new_value="85000",
        changed_by=migrant,
    )
    client = client_for(administrator)
    page = client.get(reverse("staff_audit")).content.decode()
    assert "Approved by the exchange" in page and "Набрали сами" in page and "85000" in page
    one = client.get(
        reverse("staff_audit"), {"kind": "application", "object": approved.pk}
    ).content.decode()
    assert "Approved by the exchange" in one and "85000" not in one
    only_vacancies = client.get(reverse("staff_audit"), {"kind": "vacancy"}).content.decode()
    assert "Approved by the exchange" not in only_vacancies
    assert client_for(migrant).get(reverse("staff_audit")).status_code == 403


@pytest.mark.django_db
def test_seed_demo_leaves_applications_in_every_stage_and_runs_twice_safely(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", migrants=80, vacancies=60, seed=3, verbosity=0)
    stages = set(Application.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    count = Application.objects.count()
    offered = Application.objects.filter(stage=Stage.OFFERED).first()
    assert offered.offer.wage > 0 and offered.transitions.count() == 4
    call_command("seed_demo", migrants=80, vacancies=60, seed=3, verbosity=0)
    assert Application.objects.count() == count


def test_administrators_manage_quotas_and_read_applications_in_the_admin(
    client_for, administrator, approved
):
    client = client_for(administrator)
    assert client.get(reverse("admin:selection_quota_changelist")).status_code == 200
    assert client.get(reverse("admin:selection_quota_add")).status_code == 200
    page = client.get(reverse("admin:selection_application_change", args=[approved.pk]))
    assert page.status_code == 200 and "Approved by the exchange" in page.content.decode()


def test_the_staff_candidates_page_draws_up_that_vacancys_shortlist(
    client_for, administrator, vacancy, worker, employer_member
):
    stored_matches([(vacancy, worker, 0.7)])
    client = client_for(administrator)
    page = client.get(reverse("staff_vacancy_candidates", args=[vacancy.pk])).content.decode()
    assert "Draw up the shortlist of this vacancy" in page
    response = client.post(
        reverse("staff_propose_shortlists"),
        {"vacancy": vacancy.pk, "next": f"/staff/selection/?vacancy={vacancy.pk}"},
    )
    assert response["Location"] == f"/staff/selection/?vacancy={vacancy.pk}"
    assert Application.objects.get(profile=worker).stage == Stage.SHORTLISTED
    manage = client_for(employer_member).get(reverse("vacancy_manage", args=[vacancy.pk]))
    assert reverse("employer_vacancy_applicants", args=[vacancy.pk]) in manage.content.decode()


def test_a_placed_worker_is_not_offered_the_apply_button(
    client_for, migrant, worker, vacancy, other_vacancy, administrator, employer_member
):
    walk(
        selection.apply(vacancy, worker, user=migrant),
        Stage.PLACED,
        administrator=administrator,
        employer_member=employer_member,
        worker_user=migrant,
    )
    page = client_for(migrant).get(reverse("vacancy_detail", args=[other_vacancy.pk]))
    text = page.content.decode()
    assert "You already have a job through the exchange." in text
    assert "Apply for this job" not in text
