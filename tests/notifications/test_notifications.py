"""The notification outbox: written in the change's transaction, delivered once after the
commit, retried with backoff, visible to administrators; the inbox; job alerts."""

import datetime
import smtplib
import time
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exchange.celery import app
from notifications import services
from notifications.models import (
    Channel,
    DeliveryStatus,
    Notification,
    SavedSearch,
)
from notifications.services import Message, notify
from notifications.tasks import deliver_notification, resend_due
from tests.factories import make_user, make_vacancy
from vacancies import alerts
from vacancies.choices import VacancyStatus

HELLO = Message(
    subject=_("Application received: %(vacancy)s"),
    body=_("Your application for “%(vacancy)s” (%(city)s) is received.\n%(next)s"),
    params={"vacancy": "Каменщик", "city": "Москва", "next": "—"},
    url="/worker/applications/",
)


def write(user, key="test:1"):
    with transaction.atomic():
        return notify([user], event="test", key=key, message=HELLO)


@pytest.mark.django_db
def test_one_row_per_channel_rendered_in_the_recipients_language(employer_member, migrant):
    employer_member.language = "ru"
    employer_member.save()
    rows = write(employer_member)
    assert {row.channel for row in rows} == {Channel.IN_APP, Channel.EMAIL}
    email = next(row for row in rows if row.channel == Channel.EMAIL)
    assert email.language == "ru" and email.status == DeliveryStatus.PENDING
    assert "Каменщик" in email.body and "http://127.0.0.1:8000/worker/applications/" in email.body
    assert 'lang="ru"' in email.body_html or "<html" in email.body_html
    # A worker with a phone and no e-mail gets a text message instead.
    assert {row.channel for row in write(migrant, key="test:2")} == {Channel.IN_APP, Channel.SMS}


@pytest.mark.django_db
def test_notifying_twice_about_the_same_thing_writes_nothing_new(employer_member):
    write(employer_member)
    assert write(employer_member) == []
    assert Notification.objects.filter(recipient=employer_member).count() == 2


@pytest.mark.django_db
def test_a_notification_is_delivered_once_when_its_task_runs_twice(employer_member):
    email = next(row for row in write(employer_member) if row.channel == Channel.EMAIL)
    assert deliver_notification.apply(args=[email.pk]).get() is True
    assert deliver_notification.apply(args=[email.pk]).get() is False
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.SENT, 1)
    assert mail.outbox[0].alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_a_row_claimed_by_a_live_worker_is_left_alone_and_a_stale_claim_is_taken_over(
    employer_member,
):
    email = next(row for row in write(employer_member) if row.channel == Channel.EMAIL)
    Notification.objects.filter(pk=email.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=timezone.now()
    )
    assert services.deliver(email.pk) is False
    assert mail.outbox == []
    Notification.objects.filter(pk=email.pk).update(
        claimed_at=timezone.now() - services.CLAIM_LEASE - datetime.timedelta(seconds=1)
    )
    assert services.deliver(email.pk) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_transient_failure_is_retried_with_growing_delays_then_marked_failed(
    employer_member, settings
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    email = next(row for row in write(employer_member) if row.channel == Channel.EMAIL)
    down = smtplib.SMTPServerDisconnected("connection lost")
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=down):
        with pytest.raises(services.TransientDeliveryError):
            services.deliver(email.pk)
        email.refresh_from_db()
        assert (email.status, email.attempts) == (DeliveryStatus.PENDING, 1)
        assert "connection lost" in email.last_error
        assert email.next_attempt_at > timezone.now() + datetime.timedelta(seconds=20)
        with pytest.raises(services.TransientDeliveryError):
            services.deliver(email.pk)
        assert services.deliver(email.pk) is False  # the third and last attempt
    email.refresh_from_db()
    assert (email.status, email.attempts) == (DeliveryStatus.FAILED, 3)
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 10)] == [30, 60, 120, 3600]


@pytest.mark.django_db
def test_a_permanent_failure_is_not_retried(employer_member):
    email = next(row for row in write(employer_member) if row.channel == Channel.EMAIL)
    employer_member.email = None
    employer_member.phone = "+79161234567"
    employer_member.save()
    assert services.deliver(email.pk) is False
    email.refresh_from_db()
    assert email.status == DeliveryStatus.FAILED and "no e-mail" in email.last_error


@pytest.mark.django_db
def test_the_task_is_sent_only_after_the_commit_and_never_after_a_rollback(
    employer_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                notify([employer_member], event="test", key="test:rollback", message=HELLO)
                raise RuntimeError("the change fails")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not Notification.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        write(employer_member)
    assert len(callbacks) == 1 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_sweeper_resends_only_rows_whose_task_was_lost(employer_member):
    email = next(row for row in write(employer_member) if row.channel == Channel.EMAIL)
    assert resend_due.apply().get() == 0  # too fresh: its own task is on the way
    old = timezone.now() - datetime.timedelta(minutes=5)
    Notification.objects.filter(pk=email.pk).update(created_at=old, next_attempt_at=old)
    assert resend_due.apply().get() == 1
    email.refresh_from_db()
    assert email.status == DeliveryStatus.SENT and len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_inbox_shows_the_unread_count_and_marks_read(client_for, migrant, employer_member):
    write(migrant)
    client = client_for(migrant)
    home = client.get(reverse("home")).content.decode()
    assert "Notifications (1)" in home
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    notice = Notification.objects.get(recipient=migrant, channel=Channel.IN_APP)
    # Written in the worker's language when it happened, and shown as written.
    with translation.override(notice.language):
        assert notice.subject == gettext("Application received: %(vacancy)s") % {
            "vacancy": "Каменщик"
        }
    assert escape(notice.subject) in inbox
    response = client.post(reverse("notifications:open", args=[notice.pk]))
    assert response["Location"] == "/worker/applications/"
    notice.refresh_from_db()
    assert notice.is_read
    assert "Notifications (1)" not in client.get(reverse("home")).content.decode()
    # Someone else's notice is a 404.
    other = client_for(employer_member)
    assert other.post(reverse("notifications:open", args=[notice.pk])).status_code == 404


@pytest.mark.django_db
def test_administrators_see_deliveries_with_status_attempts_and_last_error(
    client_for, administrator, employer_member
):
    email = next(row for row in write(employer_member) if row.channel == Channel.EMAIL)
    Notification.objects.filter(pk=email.pk).update(
        status=DeliveryStatus.FAILED, attempts=6, last_error="SMTPServerDisconnected: gone"
    )
    page = client_for(administrator).get(reverse("admin:notifications_notification_changelist"))
    assert page.status_code == 200
    assert "SMTPServerDisconnected: gone" in page.content.decode()


# --- Job alerts ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_worker_saves_a_search_and_gets_one_daily_digest_of_new_matches(
    client_for, migrant, employer
):
    old = make_vacancy(employer, status=VacancyStatus.PUBLISHED, title="Сварщик старый")
    client = client_for(migrant)
    client.post(reverse("alerts:save_search"), {"query": "q=сварщик&region=77&cursor=abc"})
    saved = SavedSearch.objects.get(user=migrant)
    assert saved.query == "q=%D1%81%D0%B2%D0%B0%D1%80%D1%89%D0%B8%D0%BA&region=77"
    assert saved.name == "сварщик"
    SavedSearch.objects.filter(pk=saved.pk).update(
        checked_at=old.published_at + datetime.timedelta(seconds=1)
    )
    later = timezone.now() + datetime.timedelta(seconds=5)
    new = make_vacancy(
        employer, status=VacancyStatus.PUBLISHED, title="Сварщик", published_at=later
    )
    make_vacancy(
        employer,
        status=VacancyStatus.PUBLISHED,
        title="Сварщик в Казани",
        region_id="16",
        published_at=later,
    )
    make_vacancy(employer, status=VacancyStatus.PUBLISHED, title="Повар", published_at=later)
    now = later + datetime.timedelta(minutes=1)
    assert alerts.send_job_alerts(now=now) == 1
    [digest] = Notification.objects.filter(recipient=migrant, event="job_alert", channel="in_app")
    assert f"/vacancies/{new.pk}/" in digest.body
    assert "Казани" not in digest.body and "старый" not in digest.body
    assert alerts.send_job_alerts(now=now + datetime.timedelta(minutes=1)) == 0
    page = client.get(reverse("alerts:saved_searches")).content.decode()
    assert "сварщик" in page


@pytest.mark.django_db
def test_saved_searches_belong_to_their_worker(client_for, migrant):
    other = make_user(phone="+998909999999")
    saved = alerts.save_search(user=other, query="q=повар")
    client = client_for(migrant)
    assert client.post(reverse("alerts:delete_search", args=[saved.pk])).status_code == 404
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


# --- Through a real worker (PostgreSQL + Redis, see .ci/run) ----------------------------------


def wait_until(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_committed_notification_is_sent_by_the_worker_and_a_rolled_back_one_never():
    if app.conf.task_always_eager:
        pytest.skip("needs CELERY_BROKER_URL and a running worker (see .ci/run)")
    user = make_user(email=f"notify-{time.monotonic_ns()}@example.com", role="employer")
    try:
        with transaction.atomic():
            notify([user], event="test", key="integration:rolled-back", message=HELLO)
            raise RuntimeError("the change fails")
    except RuntimeError:
        pass
    with transaction.atomic():
        notify([user], event="test", key="integration:committed", message=HELLO)
    committed = Notification.objects.get(
        recipient=user, channel=Channel.EMAIL, idempotency_key__startswith="integration:committed"
    )
    assert wait_until(
        lambda: Notification.objects.filter(pk=committed.pk, status=DeliveryStatus.SENT).exists()
    ), "the worker did not deliver the committed notification within 60 s"
    # The rolled-back one left no row, so nothing can ever send it.
    assert not Notification.objects.filter(
        idempotency_key__startswith="integration:rolled-back"
    ).exists()
    committed.refresh_from_db()
    assert committed.attempts == 1
    # Sending its task again (a redelivery) sends nothing twice.
    deliver_notification.delay(committed.pk)
    deliver_notification.delay(committed.pk)
    time.sleep(2)
    committed.refresh_from_db()
    assert (committed.status, committed.attempts) == (DeliveryStatus.SENT, 1)


@pytest.mark.django_db
def test_document_expiry_reminders_also_wait_in_the_workers_inbox(
    migrant, django_capture_on_commit_callbacks
):
    from migrants import services as registry
    from tests.factories import make_profile

    today = timezone.localdate()
    make_profile(user=migrant, passport_expiry=today + datetime.timedelta(days=20))
    for _run in range(2):  # the second run reminds nobody again
        with django_capture_on_commit_callbacks(execute=True):
            registry.send_expiry_reminders(today=today)
    [notice] = Notification.objects.filter(recipient=migrant, event="document.expiring")
    assert notice.channel == Channel.IN_APP and notice.url == reverse("migrants:dashboard")


@pytest.mark.django_db
def test_a_worker_can_save_the_current_search_from_the_results(client_for, migrant):
    page = client_for(migrant).get(reverse("vacancy_search"), {"q": "повар"}).content.decode()
    assert "Send me new jobs like these every day" in page
    assert 'name="query" value="q=%D0%BF%D0%BE%D0%B2%D0%B0%D1%80"' in page
