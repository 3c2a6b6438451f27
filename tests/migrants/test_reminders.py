"""Reminders before a passport, patent or permit expires: sent once per document and threshold."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from migrants import services, sms
from migrants.files import clean_upload
from migrants.tasks import send_expiry_reminders
from tests.factories import make_profile, upload

pytestmark = pytest.mark.django_db


def run(today, capture):
    with capture(execute=True):
        return services.send_expiry_reminders(today=today)


def test_a_passport_reminder_is_sent_once_per_threshold(worker, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    worker.passport_expiry = today + datetime.timedelta(days=25)
    worker.save()
    assert run(today, django_capture_on_commit_callbacks) == 1
    assert run(today, django_capture_on_commit_callbacks) == 0
    assert run(today + datetime.timedelta(days=1), django_capture_on_commit_callbacks) == 0
    assert len(sms.outbox) == 1
    assert sms.outbox[0].to == "+998901112233"
    assert (
        run(today + datetime.timedelta(days=19), django_capture_on_commit_callbacks) == 1
    )  # 7 days
    assert run(today + datetime.timedelta(days=20), django_capture_on_commit_callbacks) == 0
    assert len(sms.outbox) == 2


def test_a_patent_reminder_goes_by_e_mail_when_the_worker_chose_it(
    migrant, django_capture_on_commit_callbacks
):
    profile = make_profile(user=migrant, email="w@example.com", notification_channel="email")
    today = timezone.localdate()
    services.upload_document(
        profile=profile,
        actor=migrant,
        doc_type="patent",
        clean_file=clean_upload(upload()),
        expires_on=today + datetime.timedelta(days=5),
    )
    assert run(today, django_capture_on_commit_callbacks) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["w@example.com"]
    assert run(today, django_capture_on_commit_callbacks) == 0


def test_far_or_erased_expiries_are_not_reminded(worker, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    worker.passport_expiry = today + datetime.timedelta(days=200)
    worker.save()
    assert run(today, django_capture_on_commit_callbacks) == 0
    worker.passport_expiry = today + datetime.timedelta(days=3)
    worker.erased_at = timezone.now()
    worker.save()
    assert run(today, django_capture_on_commit_callbacks) == 0


def test_the_beat_task_runs_the_reminders(worker, django_capture_on_commit_callbacks):
    worker.passport_expiry = timezone.localdate() + datetime.timedelta(days=2)
    worker.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_expiry_reminders.delay().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_expiry_reminders.delay().get() == 0


def test_the_task_is_in_the_beat_schedule(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "migrants.send_expiry_reminders" in tasks
