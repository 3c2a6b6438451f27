"""Notices to a phone number or e-mail address rather than an account (a worker an
agency registered, a code to claim that profile) go through the same outbox."""

from unittest import mock

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from notifications import services, sms
from notifications.models import Channel, DeliveryStatus, Notification
from notifications.services import Message, notify_contact

CODE = Message(
    subject=_("Your Labor Exchange code"),
    body=_(
        "Your code to take over your profile on the Labor Exchange: %(code)s. "
        "Valid 30 minutes. Do not tell it to anyone."
    ),
    params={"code": "123456"},
)


def write(**contact):
    with transaction.atomic():
        return notify_contact(
            language=contact.pop("language", "ru"),
            event="test.contact",
            key=contact.pop("key", "contact:1"),
            message=CODE,
            **contact,
        )


@pytest.mark.django_db
def test_a_text_message_goes_to_the_phone_without_an_account(text_messages_in_memory):
    row = write(phone="+998901234567", email="w@example.com", sensitive=True)
    assert (row.recipient, row.channel, row.address) == (None, Channel.SMS, "+998901234567")
    assert row.language == "ru" and "123456" in row.body and "«Бирже труда»" in row.body
    assert services.deliver(row.pk) is True
    assert [(m.to, m.text) for m in sms.outbox] == [("+998901234567", row.body)]
    row.refresh_from_db()
    # The one-time code does not stay readable in the outbox once it is sent.
    assert (row.status, row.body, row.body_html) == (DeliveryStatus.SENT, "", "")


@pytest.mark.django_db
def test_the_preferred_channel_wins_when_its_address_is_there(text_messages_in_memory):
    row = write(phone="+998901234567", email="w@example.com", prefer=Channel.EMAIL)
    assert (row.channel, row.address) == (Channel.EMAIL, "w@example.com")
    assert "<html" in row.body_html and "Hello" not in row.body_html
    assert services.deliver(row.pk) is True
    assert mail.outbox[0].to == ["w@example.com"] and sms.outbox == []
    row.refresh_from_db()
    assert row.body  # not sensitive: the text stays for the administrators' list
    # Without an e-mail address the other channel is used; without any, nothing.
    assert write(phone="+998901234567", prefer=Channel.EMAIL, key="c:2").channel == Channel.SMS
    assert write(key="c:3") is None


@pytest.mark.django_db
def test_writing_the_same_notice_twice_is_a_no_op():
    assert write(phone="+998901234567") is not None
    assert write(phone="+998901234567") is None
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_sensitive_notice_that_fails_for_good_is_blanked_too(settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    row = write(phone="+998901234567", sensitive=True)
    with mock.patch("notifications.sms.send_sms", side_effect=sms.SmsError("gateway down")):
        assert services.deliver(row.pk) is False
    row.refresh_from_db()
    assert row.status == DeliveryStatus.FAILED and row.body == ""


@pytest.mark.django_db
def test_a_notice_needs_an_account_or_an_address():
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            event="x", channel=Channel.SMS, subject="s", body="b", idempotency_key="x"
        )
