"""The selection pipeline: the transition table, who may move what, placement without
overbooking, the quota ledger, shortlists from matching, events and notices."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from exchange.events import APPLICATION_STAGE_CHANGED, domain_event
from exchange.models import Occupation, Region
from matching.engine import Weights
from matching.models import Match, MatchRun
from notifications import sms
from notifications.models import Channel, Notification
from selection import services as selection
from selection.models import Application, Quota, Stage
from tests.factories import make_profile, make_user, make_vacancy, verified, walk
from vacancies.choices import VacancyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(administrator, employer_member, migrant, agency_member):
    return {
        "administrator": administrator,
        "employer": employer_member,
        "worker": migrant,
        "agency": agency_member,
    }


def at_stage(stage, *, vacancy, worker, agency_worker, people):
    """An application of `worker` (or the agency's worker for PROPOSED) at `stage`."""
    if stage == Stage.PROPOSED:
        return selection.propose_by_agency(
            vacancy, agency_worker, agency=people["agency"].agency, user=people["agency"]
        )
    application = selection.apply(vacancy, worker, user=people["worker"])
    if stage == Stage.APPLIED:
        return application
    if stage == Stage.SHORTLISTED:
        return selection.shortlist(application, user=people["administrator"])
    return walk(
        application,
        stage,
        administrator=people["administrator"],
        employer_member=people["employer"],
        worker_user=people["worker"],
    )


def do_move(application, to, people):
    """Make the move to `to` as someone the table allows."""
    admin, employer, worker = people["administrator"], people["employer"], people["worker"]
    owner = people["agency"] if application.stage == Stage.PROPOSED else worker
    if to == Stage.SHORTLISTED:
        return selection.shortlist(application, user=admin)
    if to == Stage.APPROVED:
        return selection.approve(application, user=admin)
    if to == Stage.REJECTED:
        return selection.reject(application, user=admin, reason_code="documents")
    if to == Stage.SELECTED:
        return selection.select(application, user=employer)
    if to == Stage.DECLINED_BY_EMPLOYER:
        return selection.decline(application, user=employer, reason="другой кандидат")
    if to == Stage.OFFERED:
        terms = selection.default_offer_terms(application.vacancy)
        return selection.send_offer(application, user=employer, **terms)
    if to == Stage.PLACED:
        return selection.accept_offer(application, user=owner)
    if to == Stage.DECLINED_BY_WORKER:
        return selection.decline_offer(application, user=owner, reason="далеко")
    if to == Stage.ARRIVED:
        return selection.mark_arrived(application, user=employer)
    if to == Stage.WITHDRAWN:
        return selection.withdraw(application, user=owner, reason="передумал")
    raise AssertionError(to)


ALLOWED = [(src, dst) for src, moves in selection.TRANSITIONS.items() for dst in moves]


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=[f"{s}->{t}" for s, t in ALLOWED])
def test_every_allowed_transition_moves_and_is_recorded(
    source, target, vacancy, worker, agency_worker, people
):
    application = at_stage(
        source, vacancy=vacancy, worker=worker, agency_worker=agency_worker, people=people
    )
    do_move(application, target, people)
    application.refresh_from_db()
    assert application.stage == target
    last = application.transitions.last()
    assert (last.from_stage, last.to_stage) == (source, target)


# One move each stage must refuse (final stages refuse everything, even withdrawal).
REFUSED = {
    Stage.APPLIED: Stage.SELECTED,
    Stage.PROPOSED: Stage.OFFERED,
    Stage.SHORTLISTED: Stage.SELECTED,
    Stage.APPROVED: Stage.PLACED,
    Stage.SELECTED: Stage.PLACED,
    Stage.OFFERED: Stage.APPROVED,
    Stage.PLACED: Stage.OFFERED,
    Stage.REJECTED: Stage.APPROVED,
    Stage.DECLINED_BY_EMPLOYER: Stage.SELECTED,
    Stage.DECLINED_BY_WORKER: Stage.PLACED,
    Stage.ARRIVED: Stage.WITHDRAWN,
    Stage.WITHDRAWN: Stage.APPROVED,
}


def test_every_stage_has_a_refused_move_listed():
    assert set(REFUSED) == set(Stage.values)


@pytest.mark.parametrize("source", list(REFUSED), ids=list(REFUSED))
def test_each_stage_refuses_a_move_the_table_does_not_allow(
    source, vacancy, worker, agency_worker, people
):
    before = {
        Stage.REJECTED: Stage.APPLIED,
        Stage.DECLINED_BY_EMPLOYER: Stage.APPROVED,
        Stage.DECLINED_BY_WORKER: Stage.OFFERED,
        Stage.WITHDRAWN: Stage.APPLIED,
    }.get(source, source)
    application = at_stage(
        before, vacancy=vacancy, worker=worker, agency_worker=agency_worker, people=people
    )
    if before != source:
        do_move(application, source, people)
    target = REFUSED[source]
    with pytest.raises(selection.SelectionError) as refused:
        do_move(application, target, people)
    assert refused.value.code == "invalid_transition"
    assert "cannot become" in refused.value.messages[0]
    application.refresh_from_db()
    assert application.stage == source


def test_an_employer_cannot_approve_and_a_worker_cannot_select(
    vacancy, worker, migrant, employer_member, administrator
):
    application = selection.apply(vacancy, worker, user=migrant)
    with pytest.raises(selection.SelectionError) as refused:
        selection.approve(application, user=employer_member)
    assert refused.value.code == "not_allowed"
    selection.approve(application, user=administrator)
    with pytest.raises(selection.SelectionError):
        selection.select(application, user=migrant)
    with pytest.raises(selection.SelectionError):
        selection.select(application, user=administrator)  # the employer's choice
    application.refresh_from_db()
    assert application.stage == Stage.APPROVED


def test_another_employer_or_agency_cannot_move_the_application(
    vacancy,
    worker,
    agency_worker,
    migrant,
    administrator,
    other_employer_member,
    other_agency_member,
    agency_member,
):
    application = selection.apply(vacancy, worker, user=migrant)
    selection.approve(application, user=administrator)
    with pytest.raises(selection.SelectionError):
        selection.select(application, user=other_employer_member)
    with pytest.raises(selection.SelectionError):
        selection.withdraw(application, user=other_agency_member)
    # The agency that registered a worker may withdraw that worker, not others.
    proposed = selection.propose_by_agency(
        vacancy, agency_worker, agency=agency_member.agency, user=agency_member
    )
    with pytest.raises(selection.SelectionError):
        selection.withdraw(application, user=agency_member)
    selection.withdraw(proposed, user=agency_member, reason="уехал")
    assert proposed.stage == Stage.WITHDRAWN


def test_an_agency_cannot_propose_another_agencys_worker(
    vacancy, agency_member, other_agency_member
):
    foreign = verified(make_profile(agency=other_agency_member.agency, passport_number="400999888"))
    with pytest.raises(selection.SelectionError):
        selection.propose_by_agency(
            vacancy, foreign, agency=agency_member.agency, user=agency_member
        )
    with pytest.raises(selection.SelectionError):
        selection.propose_by_agency(
            vacancy, foreign, agency=other_agency_member.agency, user=agency_member
        )


def test_only_verified_workers_apply_and_only_once(vacancy, migrant, worker):
    worker.verification_status = "pending"
    worker.save()
    with pytest.raises(selection.SelectionError) as refused:
        selection.apply(vacancy, worker, user=migrant)
    assert refused.value.code == "profile_not_verified"
    verified(worker)
    selection.apply(vacancy, worker, user=migrant)
    with pytest.raises(selection.SelectionError) as again:
        selection.apply(vacancy, worker, user=migrant)
    assert again.value.code == "duplicate"


def test_nobody_applies_to_an_unpublished_vacancy(employer, worker, migrant):
    draft = make_vacancy(employer)
    with pytest.raises(selection.SelectionError):
        selection.apply(draft, worker, user=migrant)


def test_rejection_needs_a_listed_reason_and_text_for_other(
    vacancy, worker, migrant, administrator
):
    application = selection.apply(vacancy, worker, user=migrant)
    with pytest.raises(selection.SelectionError):
        selection.reject(application, user=administrator, reason_code="")
    with pytest.raises(selection.SelectionError):
        selection.reject(application, user=administrator, reason_code="other", reason=" ")
    selection.reject(application, user=administrator, reason_code="other", reason="Нет медкнижки")
    last = application.transitions.last()
    assert (last.reason_code, last.reason) == ("other", "Нет медкнижки")


def test_an_offer_keeps_its_terms_and_refuses_a_past_start(
    vacancy, worker, migrant, administrator, employer_member
):
    application = walk(
        selection.apply(vacancy, worker, user=migrant),
        Stage.SELECTED,
        administrator=administrator,
        employer_member=employer_member,
    )
    with pytest.raises(selection.SelectionError) as refused:
        selection.send_offer(
            application,
            user=employer_member,
            wage=90000,
            start_date=timezone.localdate() - datetime.timedelta(days=1),
            contract_months=12,
        )
    assert "start_date" in refused.value.message_dict
    start = timezone.localdate() + datetime.timedelta(days=10)
    selection.send_offer(
        application,
        user=employer_member,
        wage=95000,
        start_date=start,
        contract_months=9,
        housing="dormitory",
        note="Питание за счёт работодателя",
    )
    application.refresh_from_db()
    assert application.stage == Stage.OFFERED
    assert (application.offer.wage, application.offer.start_date) == (95000, start)
    assert application.offer.get_housing_display() == "Dormitory"


def test_the_default_offer_terms_are_copied_from_the_vacancy(employer):
    vacancy = make_vacancy(
        employer,
        status=VacancyStatus.PUBLISHED,
        salary_max=110000,
        contract_months=6,
        housing="dormitory",
        start_date=timezone.localdate() + datetime.timedelta(days=20),
    )
    terms = selection.default_offer_terms(vacancy)
    assert terms["wage"] == 110000
    assert terms["contract_months"] == 6
    assert terms["housing"] == "dormitory"
    assert terms["start_date"] == vacancy.start_date


# --- Placement ----------------------------------------------------------------------------


def offered(vacancy, n, *, administrator, employer_member):
    """n workers holding offers for the vacancy; returns (application, user) pairs."""
    pairs = []
    for i in range(n):
        user = make_user(phone=f"+99890777{i:04d}", full_name=f"Worker {i}")
        profile = verified(
            make_profile(user=user, passport_number=f"FB{i:07d}", phone=f"+99890777{i:04d}")
        )
        application = selection.apply(vacancy, profile, user=user)
        walk(
            application,
            Stage.OFFERED,
            administrator=administrator,
            employer_member=employer_member,
        )
        pairs.append((application, user))
    return pairs


def test_the_last_position_is_filled_once_and_the_other_offers_are_withdrawn(
    employer, administrator, employer_member
):
    vacancy = make_vacancy(employer, status=VacancyStatus.PUBLISHED, positions_total=1)
    (first, first_user), (second, second_user) = offered(
        vacancy, 2, administrator=administrator, employer_member=employer_member
    )
    selection.accept_offer(first, user=first_user)
    vacancy.refresh_from_db()
    assert (vacancy.positions_filled, vacancy.status) == (1, VacancyStatus.FILLED)
    assert vacancy.history.last().to_status == VacancyStatus.FILLED
    second.refresh_from_db()
    assert second.stage == Stage.WITHDRAWN
    assert second.transitions.last().reason_code == "vacancy_filled"
    assert second.transitions.last().by is None
    notice = Notification.objects.get(
        recipient=second_user, channel=Channel.IN_APP, event="application.withdrawn"
    )
    with translation.override(notice.language):  # written in the recipient's language
        assert gettext("all positions of the vacancy are filled") in notice.body
    with pytest.raises(selection.SelectionError):
        selection.accept_offer(second, user=second_user)
    assert Application.objects.filter(vacancy=vacancy, stage=Stage.PLACED).count() == 1


def test_a_placed_worker_who_withdraws_reopens_the_position(
    employer, administrator, employer_member
):
    vacancy = make_vacancy(employer, status=VacancyStatus.PUBLISHED, positions_total=1)
    [(application, user)] = offered(
        vacancy, 1, administrator=administrator, employer_member=employer_member
    )
    selection.accept_offer(application, user=user)
    assert application.placed_at is not None
    selection.withdraw(application, user=user, reason="семейные обстоятельства")
    vacancy.refresh_from_db()
    assert (vacancy.positions_filled, vacancy.status) == (0, VacancyStatus.PUBLISHED)


def test_a_placed_worker_cannot_apply_elsewhere(
    vacancy, other_vacancy, worker, migrant, administrator, employer_member
):
    walk(
        selection.apply(vacancy, worker, user=migrant),
        Stage.PLACED,
        administrator=administrator,
        employer_member=employer_member,
        worker_user=migrant,
    )
    with pytest.raises(selection.SelectionError) as refused:
        selection.apply(other_vacancy, worker, user=migrant)
    assert refused.value.code == "already_placed"


# --- Quota ------------------------------------------------------------------------------------


@pytest.fixture
def quota_vacancy(employer):
    return make_vacancy(
        employer, status=VacancyStatus.PUBLISHED, positions_total=5, quota_bound=True
    )


def visa_worker(n):
    """A citizen of a visa country (Vietnam: not in the regime table), who needs a work
    permit within the quota."""
    user = make_user(phone=f"+8490123{n:04d}", full_name=f"Nguyen {n}")
    return user, verified(
        make_profile(
            user=user, citizenship="VN", passport_number=f"C{n:07d}", phone=f"+8490123{n:04d}"
        )
    )


def test_the_quota_cannot_be_exceeded(quota_vacancy, administrator, employer_member):
    quota = Quota.objects.create(
        year=timezone.localdate().year,
        region=Region.objects.get(code="77"),
        occupation=Occupation.objects.get(code="71"),
        allotted=1,
    )
    (user1, first), (user2, second) = visa_worker(1), visa_worker(2)
    a1 = selection.apply(quota_vacancy, first, user=user1)
    a2 = selection.apply(quota_vacancy, second, user=user2)
    selection.approve(a1, user=administrator)
    assert a1.quota_id == quota.pk
    with pytest.raises(selection.SelectionError) as refused:
        selection.approve(a2, user=administrator)
    assert refused.value.code == "quota_exhausted"
    # The offer reserves the place, acceptance uses it.
    walk(a1, Stage.OFFERED, administrator=administrator, employer_member=employer_member)
    quota.refresh_from_db()
    assert (quota.reserved, quota.used) == (1, 0)
    selection.accept_offer(a1, user=user1)
    quota.refresh_from_db()
    assert (quota.reserved, quota.used, quota.left) == (0, 1, 0)
    with pytest.raises(selection.SelectionError):
        selection.approve(a2, user=administrator)


def test_a_declined_offer_gives_the_quota_place_back(quota_vacancy, administrator, employer_member):
    quota = Quota.objects.create(
        year=timezone.localdate().year,
        region=Region.objects.get(code="77"),
        occupation=Occupation.objects.get(code="7112"),
        allotted=1,
    )
    (user1, first), (user2, second) = visa_worker(1), visa_worker(2)
    a1 = walk(
        selection.apply(quota_vacancy, first, user=user1),
        Stage.OFFERED,
        administrator=administrator,
        employer_member=employer_member,
    )
    selection.decline_offer(a1, user=user1)
    quota.refresh_from_db()
    assert (quota.reserved, quota.used) == (0, 0)
    selection.approve(selection.apply(quota_vacancy, second, user=user2), user=administrator)


def test_a_quota_bound_vacancy_without_a_quota_refuses_visa_workers_only(
    quota_vacancy, worker, migrant, administrator
):
    user, visa = visa_worker(3)
    with pytest.raises(selection.SelectionError) as refused:
        selection.approve(selection.apply(quota_vacancy, visa, user=user), user=administrator)
    assert refused.value.code == "no_quota"
    # An Uzbek citizen works on a patent: no quota needed.
    application = selection.approve(
        selection.apply(quota_vacancy, worker, user=migrant), user=administrator
    )
    assert application.quota_id is None


# --- Shortlists from matching -------------------------------------------------------------------


def stored_matches(pairs):
    """A finished run with these (vacancy, profile, score) rows in the vacancies' lists."""
    run = MatchRun.objects.create(
        engine_version="test", status=MatchRun.Status.FINISHED, finished_at=timezone.now()
    )
    for vacancy, profile, score in pairs:
        Match.objects.create(
            run=run,
            vacancy=vacancy,
            profile=profile,
            score=score,
            in_vacancy_top=True,
            engine_version="test",
            **dict.fromkeys(Weights.COMPONENTS, score),
        )
    return run


def many_workers(n, start=0):
    return [
        verified(
            make_profile(
                agency=None,
                user=make_user(phone=f"+99891{start + i:07d}"),
                passport_number=f"FC{start + i:07d}",
            )
        )
        for i in range(n)
    ]


def test_a_shortlist_is_three_per_open_position_best_first(employer, administrator):
    vacancy = make_vacancy(employer, status=VacancyStatus.PUBLISHED, positions_total=2)
    workers = many_workers(8)
    stored_matches([(vacancy, w, 0.9 - i * 0.05) for i, w in enumerate(workers)])
    shortlisted = selection.propose_shortlist(vacancy, user=administrator)
    assert [a.profile_id for a in shortlisted] == [w.pk for w in workers[:6]]
    assert all(a.stage == Stage.SHORTLISTED and a.origin == "matching" for a in shortlisted)
    assert selection.propose_shortlist(vacancy, user=administrator) == []  # full already


def test_shortlists_skip_placed_workers_and_spread_strong_ones(
    employer, other_employer, administrator, employer_member
):
    first = make_vacancy(employer, status=VacancyStatus.PUBLISHED, positions_total=1)
    second = make_vacancy(other_employer, status=VacancyStatus.PUBLISHED, positions_total=1)
    star, good, fair, placed = many_workers(4)
    third = make_vacancy(employer, status=VacancyStatus.PUBLISHED, positions_total=1)
    walk(
        selection.apply(third, placed, user=placed.user),
        Stage.PLACED,
        administrator=administrator,
        employer_member=employer_member,
        worker_user=placed.user,
    )
    stored_matches(
        [
            (first, star, 0.95),
            (second, star, 0.94),
            (first, placed, 0.99),
            (second, placed, 0.99),
            (first, good, 0.80),
            (second, good, 0.70),
            (second, fair, 0.60),
        ]
    )
    created = selection.propose_shortlists(user=administrator, per_position=1)
    on_first = {a.profile_id for a in created[first.pk]}
    on_second = {a.profile_id for a in created[second.pk]}
    # The star goes to the one vacancy they fit best, not to every shortlist; the
    # placed worker to none; the next best takes the other place.
    assert (on_first, on_second) == ({star.pk}, {good.pk})


def test_only_administrators_draw_up_shortlists(vacancy, employer_member):
    with pytest.raises(selection.SelectionError):
        selection.propose_shortlist(vacancy, user=employer_member)


# --- Events and notices -----------------------------------------------------------------------


def test_each_stage_change_emits_an_event_for_the_agencies_concerned(
    vacancy, agency_worker, agency_member, administrator
):
    heard = []

    def receiver(sender, event, data, agency_ids, employer_ids, **kwargs):
        heard.append((event, data["to_stage"], agency_ids, employer_ids))

    domain_event.connect(receiver)
    try:
        application = selection.propose_by_agency(
            vacancy, agency_worker, agency=agency_member.agency, user=agency_member
        )
        selection.approve(application, user=administrator)
    finally:
        domain_event.disconnect(receiver)
    agency_ids = (agency_member.agency_id,)
    assert heard == [
        (APPLICATION_STAGE_CHANGED, Stage.PROPOSED, agency_ids, (vacancy.employer_id,)),
        (APPLICATION_STAGE_CHANGED, Stage.APPROVED, agency_ids, (vacancy.employer_id,)),
    ]


def test_notices_go_to_each_side_in_its_own_language(
    vacancy, worker, migrant, administrator, employer_member, django_capture_on_commit_callbacks
):
    migrant.language = "uz"
    migrant.save()
    employer_member.language = "ru"
    employer_member.save()
    application = selection.apply(vacancy, worker, user=migrant)
    with django_capture_on_commit_callbacks(execute=True):
        selection.approve(application, user=administrator)
    to_worker = Notification.objects.get(
        recipient=migrant, event="application.approved", channel=Channel.IN_APP
    )
    assert to_worker.language == "uz"
    assert vacancy.title in to_worker.body
    # The worker has a phone only: a text message goes out too.
    assert Notification.objects.filter(
        recipient=migrant, event="application.approved", channel=Channel.SMS, status="sent"
    ).exists()
    assert [m.to for m in sms.outbox] == [str(migrant.phone)]
    to_employer = Notification.objects.get(
        recipient=employer_member, event="application.approved", channel=Channel.EMAIL
    )
    assert to_employer.language == "ru"
    assert to_employer.status == "sent"
    [email] = [m for m in mail.outbox if m.to == [employer_member.email]]
    assert email.subject == to_employer.subject
    assert email.alternatives[0][1] == "text/html"
    assert "text/html" not in to_employer.body and "<html" in to_employer.body_html
    # Nobody is told about their own move.
    assert not Notification.objects.filter(recipient=administrator).exists()


def test_a_worker_in_three_open_candidacies_is_not_proposed_again(employer, administrator):
    [busy] = many_workers(1, start=50)
    vacancies = [
        make_vacancy(employer, status=VacancyStatus.PUBLISHED, title=f"Job {i}") for i in range(4)
    ]
    for vacancy in vacancies[:3]:
        selection.apply(vacancy, busy, user=busy.user)
    stored_matches([(vacancies[3], busy, 0.9)])
    assert selection.propose_shortlist(vacancies[3], user=administrator) == []


def test_the_daily_task_shortlists_every_open_vacancy(employer, other_employer):
    from selection.tasks import propose_shortlists

    first = make_vacancy(employer, status=VacancyStatus.PUBLISHED, positions_total=1)
    second = make_vacancy(other_employer, status=VacancyStatus.PUBLISHED, positions_total=1)
    one, two = many_workers(2, start=60)
    stored_matches([(first, one, 0.9), (second, two, 0.8)])
    assert propose_shortlists.delay().get() == 2
    assert propose_shortlists.delay().get() == 0  # nothing new the second time
    assert set(Application.objects.values_list("vacancy_id", "profile_id")) == {
        (first.pk, one.pk),
        (second.pk, two.pk),
    }
