"""How rematches run: a failure midway, incremental updates and what triggers them,
the command, the split over Celery workers, the parallel writes."""

import os
import random
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from exchange.choices import VerificationStatus
from exchange.models import Skill
from matching import bulk_store, services, tasks
from matching.models import BlockWorker, Match, MatchRun
from matching.services import full, incremental, storing
from migrants.models import MigrantLanguage, MigrantOccupation
from tests.factories import make_vacancy
from tests.matching.helpers import worker
from vacancies import services as vacancy_services
from vacancies.choices import VacancyStatus as S

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("dies_in", ["explain", "store"])
def test_a_rematch_that_fails_midway_leaves_the_previous_results_in_place(
    employer, monkeypatch, dies_in
):
    worker(1)
    vacancy = make_vacancy(employer, status=S.PUBLISHED, occupation_id="7112")
    first = services.rematch_all()
    before = list(services.matches_for_vacancy(vacancy.pk).values_list("profile_id", "score"))
    encoded_before = list(BlockWorker.objects.values_list("profile_id", "block"))
    worker(2)

    def explode(*args, **kwargs):
        raise RuntimeError("worker killed")

    if dies_in == "explain":
        monkeypatch.setattr(storing, "_explain", explode)
    elif connection.vendor == "postgresql":
        # The new rows are copied into the next table; it dies before the swap.
        monkeypatch.setattr(bulk_store, "_build_indexes_and_constraints", explode)
    else:
        store = storing._store_orm

        def store_then_die(*args, **kwargs):
            store(*args, **kwargs)
            raise RuntimeError("worker killed")

        monkeypatch.setattr(storing, "_store_orm", store_then_die)
    with pytest.raises(RuntimeError):
        services.rematch_all()
    assert MatchRun.current() == first
    assert (
        list(services.matches_for_vacancy(vacancy.pk).values_list("profile_id", "score")) == before
    )
    assert MatchRun.objects.filter(status=MatchRun.Status.FAILED).count() == 1
    assert not Match.objects.exclude(run=first).exists()
    assert list(BlockWorker.objects.values_list("profile_id", "block")) == encoded_before
    monkeypatch.undo()
    again = services.rematch_all()  # and the next run cleans up after the failed one
    assert MatchRun.current() == again and services.matches_for_vacancy(vacancy.pk).count() == 2


def test_incremental_updates_equal_a_full_rematch_for_the_touched_rows(employer, other_employer):
    rng = random.Random(5)
    skills = list(
        Skill.objects.filter(occupations__code__in=["7112", "711"]).distinct().order_by("pk")[:6]
    )
    workers = [
        worker(
            n,
            code=rng.choice(["7112", "7115"]),
            skills=rng.sample(skills, 2),
            min_salary=rng.choice([0, 90000]),
        )
        for n in range(12)
    ]
    vacancies = [
        make_vacancy(
            rng.choice([employer, other_employer]),
            status=S.PUBLISHED,
            occupation_id=rng.choice(["7112", "7115"]),
            skills=rng.sample(skills, 3),
            salary_min=rng.choice([60000, 100000]),
            salary_max=None,
        )
        for _ in range(5)
    ]
    services.rematch_all()
    touched_vacancies, touched_workers = set(), set()
    for _step in range(15):
        if rng.random() < 0.5:
            vacancy = rng.choice(vacancies)
            vacancy.skills.set(rng.sample(skills, rng.randint(0, 4)))
            vacancy.salary_min = rng.choice([50000, 80000, 120000])
            vacancy.save()
            services.rematch_vacancy(vacancy.pk)
            touched_vacancies.add(vacancy.pk)
        else:
            profile = rng.choice(workers)
            profile.skills.set(rng.sample(skills, rng.randint(0, 4)))
            MigrantLanguage.objects.filter(profile=profile).update(
                level=rng.choice(["A1", "A2", "B1", "C1"])
            )
            services.rematch_worker(profile.pk)
            touched_workers.add(profile.pk)

    def lists():
        return (
            {
                v: [(m.profile_id, round(m.score, 6)) for m in services.matches_for_vacancy(v)]
                for v in touched_vacancies
            },
            {
                w: [(m.vacancy_id, round(m.score, 6)) for m in services.matches_for_worker(w)]
                for w in touched_workers
            },
        )

    incremental = lists()
    services.rematch_all()
    assert lists() == incremental


def test_publishing_a_vacancy_proposes_candidates_without_a_manual_step(
    employer, administrator, django_capture_on_commit_callbacks
):
    candidate = worker(1)
    vacancy = make_vacancy(employer, status=S.SUBMITTED, occupation_id="7112")
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_services.publish_vacancy(vacancy, by=administrator)
    assert [m.profile_id for m in services.matches_for_vacancy(vacancy.pk)] == [candidate.pk]
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_services.close_vacancy(vacancy, by=administrator)
    assert list(services.matches_for_vacancy(vacancy.pk)) == []


def test_a_verified_workers_edits_reach_their_jobs_list(
    employer, administrator, django_capture_on_commit_callbacks
):
    from migrants import services as registry

    profile = worker(1, verification_status=VerificationStatus.PENDING)
    vacancy = make_vacancy(employer, status=S.PUBLISHED, occupation_id="7112")
    with django_capture_on_commit_callbacks(execute=True):
        registry.review_profile(profile=profile, by=administrator, approve=True)
    assert [m.vacancy_id for m in services.matches_for_worker(profile.pk)] == [vacancy.pk]


def test_a_burst_of_edits_is_rescored_at_once_and_once_more_at_its_end(
    monkeypatch, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from exchange.celery import app
    from matching import scheduling

    sent = []

    def send_task(name, object_id, countdown=None):
        sent.append((name, object_id, countdown))

    monkeypatch.setitem(app.conf, "task_always_eager", False)  # as with a real broker
    monkeypatch.setattr(scheduling, "send_task", send_task)
    settings.MATCHING_DEBOUNCE_SECONDS = 60
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            scheduling.schedule_vacancy_rematch(71)
        scheduling.schedule_vacancy_rematch(72)
    rematch = "matching.rematch_vacancy"
    assert sent == [(rematch, 71, None), (rematch, 71, 60), (rematch, 72, None)]
    cache.clear()


def test_a_starting_worker_process_loads_the_engine(monkeypatch):
    from celery.signals import worker_process_init

    from matching import engine

    loaded = []
    monkeypatch.setattr(engine, "warm_up", lambda: loaded.append(True))
    worker_process_init.send(sender=None)
    assert loaded == [True]


def test_the_rematch_command_runs_a_full_rematch(employer, capsys):
    from django.core.management import call_command

    worker(1)
    make_vacancy(employer, status=S.PUBLISHED, occupation_id="7112")
    call_command("rematch")
    assert "matches stored: 1" in capsys.readouterr().out
    assert MatchRun.current().matches_stored == 1


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_published_vacancy_gets_its_candidates_through_a_real_worker(employer, administrator):
    from exchange.celery import app

    if app.conf.task_always_eager:
        pytest.skip("needs CELERY_BROKER_URL and a running worker (see .ci/run)")
    candidate = worker(os.getpid() % 10000)
    vacancy = make_vacancy(employer, status=S.SUBMITTED, occupation_id="7112")
    vacancy_services.publish_vacancy(vacancy, by=administrator)  # autocommit: on_commit fires now
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if Match.objects.filter(vacancy=vacancy, profile=candidate).exists():
            break
        time.sleep(0.2)
    else:
        pytest.fail(
            "no stored match 60 s after publishing: is a worker consuming matching_incremental?"
        )
    assert timezone.now()


@pytest.mark.parametrize("parts", [2, 3])
def test_a_rematch_split_by_occupation_blocks_equals_one_rematch(
    employer, other_employer, settings, monkeypatch, parts
):
    # Short lists, so that merging the parts' worker lists has something to cut.
    for module in full, incremental:
        monkeypatch.setattr(module, "K_PER_VACANCY", 2)
        monkeypatch.setattr(module, "K_PER_WORKER", 2)
    rng = random.Random(parts)
    codes = ["7112", "7115", "5120", "9313", "8332"]
    for n in range(14):
        profile = worker(n, code=rng.choice(codes), min_salary=rng.choice([0, 80000]))
        second = rng.choice(codes)  # many workers belong to blocks of two major groups
        if not profile.occupations.filter(occupation_id=second).exists():
            MigrantOccupation.objects.create(
                profile=profile, occupation_id=second, years_experience=rng.randint(0, 6)
            )
    for _ in range(10):
        make_vacancy(
            rng.choice([employer, other_employer]),
            status=S.PUBLISHED,
            occupation_id=rng.choice(codes),
            salary_min=None,
            salary_max=rng.choice([60000, 90000, 120000]),
        )

    def stored():
        return sorted(
            Match.objects.filter(run=MatchRun.current()).values_list(
                "vacancy_id", "profile_id", "score", "in_vacancy_top", "in_worker_top"
            )
        )

    services.rematch_all()
    expected = stored()
    settings.MATCHING_REMATCH_PARTS = parts
    assert len(services.split_parts(parts)) == parts
    run_id = tasks.rematch_all.delay().get()
    run = MatchRun.current()
    assert run.pk == run_id and run.status == MatchRun.Status.FINISHED
    assert stored() == expected
    assert run.matches_stored == len(expected)


def _stored_rows():
    return sorted(
        Match.objects.values_list(
            "profile_id", "vacancy_id", "score", "in_vacancy_top", "in_worker_top", "skills"
        )
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_rematch_copies_over_several_connections_and_survives_a_failed_one(
    employer, other_employer, monkeypatch
):
    """Outside a transaction the rows go to PostgreSQL over parallel connections: the
    same rows as one connection writes, and a connection that fails fails the run."""
    if connection.vendor != "postgresql":
        pytest.skip("parallel COPY is the PostgreSQL path")
    rng = random.Random(7)
    codes = ["7112", "7115", "5120"]
    for n in range(12):
        worker(n, code=rng.choice(codes), min_salary=rng.choice([0, 80000]))
    for _ in range(6):
        make_vacancy(
            rng.choice([employer, other_employer]),
            status=S.PUBLISHED,
            occupation_id=rng.choice(codes),
        )
    # Many small chunks, so that both streams copy some.
    monkeypatch.setattr(storing, "EXPLAIN_CHUNK", 3)
    monkeypatch.setattr(bulk_store, "CHUNK_ROWS", 2)
    copied_by = set()
    copy = bulk_store.copy_rows

    def copy_and_note(*args):
        copied_by.add(threading.get_ident())
        time.sleep(0.05)  # still busy when the next chunk comes: the other stream takes it
        copy(*args)

    monkeypatch.setattr(bulk_store, "copy_rows", copy_and_note)
    threads_before = threading.active_count()
    parallel = services.rematch_all()
    assert len(copied_by) == 2 and threading.get_ident() not in copied_by
    rows = _stored_rows()
    assert len(rows) == parallel.matches_stored > 6

    monkeypatch.setattr(bulk_store, "COPY_STREAMS", 1)
    services.rematch_all()
    assert _stored_rows() == rows

    monkeypatch.setattr(bulk_store, "COPY_STREAMS", 2)
    calls = []

    def fail_on_the_third(*args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("connection lost")
        copy(*args)

    monkeypatch.setattr(bulk_store, "copy_rows", fail_on_the_third)
    current = MatchRun.current()
    with pytest.raises(RuntimeError, match="connection lost"):
        services.rematch_all()
    assert MatchRun.current() == current and _stored_rows() == rows
    assert threading.active_count() == threads_before  # every stream has ended
