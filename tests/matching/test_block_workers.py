"""The encoded workers of each occupation block (BlockWorker): what a changed vacancy
is scored against. They must always read back as the registry's own tables encode the
same workers, and follow every change of a worker that matching is told about."""

import datetime
from types import SimpleNamespace

import numpy as np
import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone

from exchange.choices import CEFRLevel
from matching import scheduling, services, tasks
from matching.encoding import encode, open_vacancies, open_workers, read_block
from matching.models import BlockWorker, Match
from migrants.models import MigrantLanguage, MigrantOccupation, MigrantProfile
from selection import services as selection
from selection.models import Stage
from tests.factories import make_vacancy, walk
from tests.matching.helpers import worker
from vacancies.choices import VacancyStatus as S
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def in_block(minor: str):
    return open_workers().filter(
        pk__in=MigrantOccupation.objects.filter(occupation__code__startswith=minor).values(
            "profile_id"
        )
    )


def assert_block_reads_as_encoded(minor: str) -> None:
    workers, profile_ids = read_block(int(minor))
    expected = encode(in_block(minor), open_vacancies())
    assert profile_ids.tolist() == expected.profile_ids.tolist()
    for name, array in vars(expected.workers).items():
        assert array.dtype == getattr(workers, name).dtype, name
        assert (array == getattr(workers, name)).all(), name


@pytest.fixture
def registry(employer):
    """Workers that exercise every column: two slots in one block, slots in two
    blocks, a fourth occupation, regions in both words of the mask, no start date,
    several languages, and a hidden worker who has no rows."""
    from exchange.models import Skill

    masonry = list(Skill.objects.filter(occupations__code__startswith="711").order_by("pk")[:4])
    cooking = list(Skill.objects.filter(occupations__code__startswith="512").order_by("pk")[:2])
    one_block = worker(1, skills=masonry[:3], available_from=None, min_salary=95000)
    MigrantOccupation.objects.create(profile=one_block, occupation_id="7115", years_experience=9)
    one_block.desired_regions.set(["01", "95"])  # bits 0 and 88: both words of the mask
    two_blocks = worker(2, code="5120", skills=[masonry[3], *cooking], citizenship="KZ")
    MigrantOccupation.objects.create(profile=two_blocks, occupation_id="7112", years_experience=1)
    MigrantLanguage.objects.create(profile=two_blocks, language="en", level=CEFRLevel.C1)
    four = worker(3, code="7113", available_from=timezone.localdate() + datetime.timedelta(9))
    for code in ("3112", "5120", "7114"):  # only the first three are slots
        MigrantOccupation.objects.create(profile=four, occupation_id=code, years_experience=2)
    worker(4, is_visible=False)
    make_vacancy(employer, status=S.PUBLISHED, occupation_id="7112")
    return SimpleNamespace(one_block=one_block, two_blocks=two_blocks, four=four)


def test_a_full_rematch_writes_each_blocks_workers_as_the_registry_encodes_them(registry):
    run = services.rematch_all()
    assert run.block_workers_written
    for minor in ("711", "512", "311"):
        assert_block_reads_as_encoded(minor)
    rows = sorted(BlockWorker.objects.values_list("profile_id", "block"))
    assert rows == sorted(
        [
            (registry.one_block.pk, 711),  # two slots, one row
            (registry.two_blocks.pk, 512),
            (registry.two_blocks.pk, 711),
            (registry.four.pk, 711),
            (registry.four.pk, 311),
            (registry.four.pk, 512),
        ]
    )


def test_a_split_rematch_writes_them_too(registry, settings):
    settings.MATCHING_REMATCH_PARTS = 3
    tasks.rematch_all.delay()
    assert services.MatchRun.current().block_workers_written
    for minor in ("711", "512", "311"):
        assert_block_reads_as_encoded(minor)
    assert BlockWorker.objects.count() == 6


def test_a_workers_update_rewrites_their_rows(registry):
    services.rematch_all()
    profile = registry.two_blocks
    MigrantOccupation.objects.filter(profile=profile, occupation_id="7112").update(
        occupation_id="3112"
    )
    profile.skills.clear()
    services.rematch_worker(profile.pk)
    for minor in ("711", "512", "311"):
        assert_block_reads_as_encoded(minor)
    assert set(BlockWorker.objects.filter(profile=profile).values_list("block", flat=True)) == {
        311,
        512,
    }
    MigrantProfile.objects.filter(pk=profile.pk).update(is_visible=False)
    services.rematch_worker(profile.pk)
    assert not BlockWorker.objects.filter(profile=profile).exists()
    assert_block_reads_as_encoded("512")


def test_a_vacancy_is_scored_against_the_workers_as_matching_last_saw_them(registry, employer):
    """After a full rematch a vacancy reads its block from BlockWorker, not from the
    registry: an edit no one told matching about stays unseen until it is."""
    services.rematch_all()
    vacancy = make_vacancy(employer, status=S.PUBLISHED, occupation_id="7112", salary_max=None)
    profile = registry.one_block
    services.rematch_vacancy(vacancy.pk)
    before = Match.objects.get(vacancy=vacancy, profile=profile).salary
    MigrantProfile.objects.filter(pk=profile.pk).update(min_salary=0)  # no trigger
    services.rematch_vacancy(vacancy.pk)
    assert Match.objects.get(vacancy=vacancy, profile=profile).salary == before < 1
    services.rematch_worker(profile.pk)
    services.rematch_vacancy(vacancy.pk)
    assert Match.objects.get(vacancy=vacancy, profile=profile).salary == 1


def test_a_placed_worker_leaves_matching(
    vacancy, migrant, administrator, employer_member, django_capture_on_commit_callbacks
):
    from tests.factories import add_work, make_profile, verified

    profile = verified(make_profile(user=migrant))
    add_work(profile, code=vacancy.occupation_id)
    services.rematch_all()
    assert BlockWorker.objects.filter(profile=profile).exists()
    assert Match.objects.filter(profile=profile).exists()
    with django_capture_on_commit_callbacks(execute=True):
        walk(
            selection.apply(vacancy, profile, user=migrant),
            Stage.PLACED,
            administrator=administrator,
            employer_member=employer_member,
            worker_user=migrant,
        )
    assert not BlockWorker.objects.filter(profile=profile).exists()
    assert not Match.objects.filter(profile=profile).exists()


def test_a_worker_placed_while_a_rematch_runs_leaves_matching_after_it(
    registry, employer, monkeypatch, django_capture_on_commit_callbacks
):
    """The rematch scores its snapshot, where the worker was still open; placing a
    worker does not touch the profile, yet the rematch's own rescoring of what changed
    meanwhile must take them out again."""
    from selection.models import Application, Origin

    vacancy = Vacancy.objects.get(occupation_id="7112")
    top_k = services.engine.top_k

    def place_then_score(*args, **kwargs):
        Application.objects.create(
            vacancy=vacancy, profile=registry.four, origin=Origin.MATCHING, stage=Stage.PLACED
        )
        return top_k(*args, **kwargs)

    monkeypatch.setattr(services.engine, "top_k", place_then_score)
    with django_capture_on_commit_callbacks(execute=True):
        services.rematch_all()
    assert not BlockWorker.objects.filter(profile=registry.four).exists()
    assert not Match.objects.filter(profile=registry.four).exists()
    assert BlockWorker.objects.filter(profile=registry.one_block).exists()


def test_saving_a_profile_in_the_admin_rescores_the_worker(registry, monkeypatch):
    scheduled = []
    monkeypatch.setattr(scheduling, "schedule_worker_rematch", scheduled.append)
    admin = site._registry[MigrantProfile]
    form = SimpleNamespace(instance=registry.four, save_m2m=lambda: None)
    admin.save_related(RequestFactory().post("/"), form, [], change=True)
    assert scheduled == [registry.four.pk]


def test_rows_pack_every_language_and_region_bit(registry):
    """The packed columns hold all eight language bytes and both region words."""
    for level, language in enumerate(("ru", "en", "uz", "tg", "ky", "kk", "zh", "tr"), start=1):
        MigrantLanguage.objects.update_or_create(
            profile=registry.one_block,
            language=language,
            defaults={"level": ["A1", "A2", "B1", "B2", "C1", "C2"][level % 6]},
        )
    services.rematch_all()
    workers, profile_ids = read_block(711)
    row = int(np.flatnonzero(profile_ids == registry.one_block.pk)[0])
    assert (workers.lang[row] > 0).all()
    assert workers.regions[row, 0] and workers.regions[row, 1]
    assert_block_reads_as_encoded("711")


def test_deleting_a_profile_deletes_its_rows(registry):
    services.rematch_all()
    assert BlockWorker.objects.filter(profile=registry.four).count() == 3
    registry.four.delete()  # no database constraint: Django's cascade does it
    assert not BlockWorker.objects.filter(profile_id=registry.four.pk).exists()
    assert BlockWorker.objects.filter(profile=registry.two_blocks).count() == 2
