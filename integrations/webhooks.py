"""Webhooks: who hears about which event, and delivery signed per the Standard
Webhooks specification (https://www.standardwebhooks.com/).

A domain event (exchange.events) writes one WebhookDelivery row per subscribed
endpoint in the transaction that made the change; after commit a task on the
`webhooks` queue sends it. Failures are retried with exponential backoff and full
jitter by the minutely sweep, always under the same `webhook-id`; an endpoint
that keeps failing is disabled and the organization's members are told by e-mail.
"""

import base64
import datetime
import hashlib
import hmac
import ipaddress
import json
import logging
import random
import secrets
import socket
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exchange.celery import enqueue
from exchange.events import EVENT_TYPES, VACANCY_PUBLISHED, domain_event
from integrations.models import WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

SECRET_PREFIX = "whsec_"  # noqa: S105 (the spec's marker, not a secret)
USER_AGENT = "LaborExchange-Webhooks/1"


# --- Target addresses ---------------------------------------------------------------


def _refused_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_target(url: str) -> None:
    """Refuse what is not https, and hosts that resolve to loopback, private,
    link-local or other non-public addresses (unless the setting allows it, for
    development and tests). Checked when the endpoint is saved and before each send."""
    allow_private = settings.INTEGRATIONS_WEBHOOKS_ALLOW_PRIVATE
    parts = urlsplit(url)
    if parts.scheme != "https" and not (allow_private and parts.scheme == "http"):
        raise ValidationError(_("The address must start with https://."), code="not_https")
    if not parts.hostname or parts.username or parts.password:
        raise ValidationError(_("Enter a web address without a user name or password."))
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        raise ValidationError(_("The host name cannot be resolved."), code="unresolvable") from None
    if any(_refused_address(info[4][0]) for info in infos):
        raise ValidationError(
            _("The address points to a private or local network; use a public address."),
            code="private_address",
        )


def _check_url_field(url: str) -> None:
    try:
        check_target(url)
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from None


# --- Secrets and signatures -----------------------------------------------------------


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


# --- Endpoints ------------------------------------------------------------------------


def clean_subscription(*, events: list[str], occupations: list[str], regions: list[str]) -> None:
    unknown = [event for event in events if event not in EVENT_TYPES]
    if unknown or not events:
        raise ValidationError(
            {"events": _("Choose events from: %(events)s") % {"events": ", ".join(EVENT_TYPES)}}
        )
    if (occupations or regions) and VACANCY_PUBLISHED not in events:
        raise ValidationError(
            {"occupations": _("Occupation and region filters apply to vacancy.published only.")}
        )


@transaction.atomic
def create_endpoint(
    *,
    organization,
    by,
    url: str,
    events: list[str],
    description: str = "",
    occupations: list[str] = (),
    regions: list[str] = (),
) -> WebhookEndpoint:
    """A new endpoint with a fresh secret, which the caller shows once."""
    _check_url_field(url)
    clean_subscription(events=events, occupations=list(occupations), regions=list(regions))
    return WebhookEndpoint.objects.create(
        agency=organization if organization._meta.model_name == "agency" else None,
        employer=organization if organization._meta.model_name == "employer" else None,
        url=url,
        description=description,
        secret=new_secret(),
        events=list(events),
        occupations=list(occupations),
        regions=list(regions),
        created_by=by,
    )


@transaction.atomic
def update_endpoint(endpoint: WebhookEndpoint, **changes) -> WebhookEndpoint:
    if "url" in changes:
        _check_url_field(changes["url"])
    merged = {
        name: changes.get(name, getattr(endpoint, name))
        for name in ("events", "occupations", "regions")
    }
    clean_subscription(**merged)
    for name, value in changes.items():
        setattr(endpoint, name, value)
    if changes.get("is_active"):
        # Switching a disabled endpoint back on gives it a clean slate.
        endpoint.disabled_at = None
        endpoint.disabled_reason = ""
        endpoint.consecutive_failures = 0
    endpoint.save()
    return endpoint


@transaction.atomic
def rotate_secret(endpoint: WebhookEndpoint) -> str:
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    return endpoint.secret


# --- Events to deliveries (the outbox) -------------------------------------------------


def _matches_filters(endpoint: WebhookEndpoint, event: str, data: dict) -> bool:
    if event != VACANCY_PUBLISHED:
        return True
    occupation = str(data.get("occupation") or "")
    region = str(data.get("region") or "")
    if endpoint.occupations and not any(occupation.startswith(p) for p in endpoint.occupations):
        return False
    return not (endpoint.regions and region not in endpoint.regions)


@receiver(domain_event, dispatch_uid="integrations.webhook_outbox")
def record_deliveries(sender, *, event, data, agency_ids, employer_ids, **kwargs):
    """Write a delivery per subscribed endpoint, inside the caller's transaction."""
    # Filtered by event in Python: JSON containment is not portable to SQLite.
    endpoints = WebhookEndpoint.objects.filter(is_active=True)
    if agency_ids or employer_ids:
        endpoints = endpoints.filter(Q(agency_id__in=agency_ids) | Q(employer_id__in=employer_ids))
    now = timezone.now()
    created = []
    for endpoint in endpoints:
        if event not in endpoint.events or not _matches_filters(endpoint, event, data):
            continue
        created.append(
            WebhookDelivery(
                endpoint=endpoint,
                message_id=f"msg_{uuid.uuid4().hex}",
                event=event,
                payload={"type": event, "timestamp": now.isoformat(), "data": data},
                next_attempt_at=now,
            )
        )
    if not created:
        return
    WebhookDelivery.objects.bulk_create(created)
    for delivery in created:
        enqueue("integrations.deliver_webhook", delivery.pk)


# --- Sending -----------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead to a private address; a 3xx is a failed attempt."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST and return the status code; raises OSError on network failure."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=settings.INTEGRATIONS_WEBHOOK_TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def backoff(attempts: int) -> datetime.timedelta:
    """Exponential backoff with full jitter: up to base·2^(n-1), capped."""
    ceiling = min(
        settings.INTEGRATIONS_WEBHOOK_BACKOFF_MAX,
        settings.INTEGRATIONS_WEBHOOK_BACKOFF_BASE * 2 ** (attempts - 1),
    )
    return datetime.timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def deliver(delivery_id: int) -> str | None:
    """One attempt at one delivery, if it is due. Returns the new status, or None
    when there was nothing to do (already delivered, not due, endpoint disabled)."""
    with transaction.atomic():
        # The row lock keeps two workers (the after-commit task and the sweep) from
        # sending the same attempt twice.
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None or delivery.next_attempt_at > timezone.now():
            return None
        endpoint = delivery.endpoint
        if not endpoint.is_active:
            return None
        body = json.dumps(delivery.payload, separators=(",", ":")).encode()
        timestamp = int(timezone.now().timestamp())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "webhook-id": delivery.message_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(endpoint.secret, delivery.message_id, timestamp, body),
        }
        code, error = None, ""
        try:
            check_target(endpoint.url)
            code = post(endpoint.url, body, headers)
        except ValidationError as refused:
            error = "; ".join(refused.messages)
        except (OSError, ValueError) as failure:
            error = str(failure)[:300] or failure.__class__.__name__
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.last_response_status = code
        delivery.last_error = error
        if code is not None and 200 <= code < 300:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = delivery.last_attempt_at
            endpoint.consecutive_failures = 0
        else:
            if not error:
                delivery.last_error = f"HTTP {code}"
            endpoint.consecutive_failures += 1
            if delivery.attempts >= settings.INTEGRATIONS_WEBHOOK_MAX_ATTEMPTS:
                delivery.status = WebhookDelivery.Status.FAILED
            else:
                delivery.next_attempt_at = delivery.last_attempt_at + backoff(delivery.attempts)
        delivery.save()
        endpoint.save(update_fields=["consecutive_failures"])
        if endpoint.consecutive_failures >= settings.INTEGRATIONS_WEBHOOK_DISABLE_AFTER:
            disable_endpoint(endpoint, reason=delivery.last_error)
        return delivery.status


def due_deliveries():
    return WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=timezone.now(),
        endpoint__is_active=True,
    ).values_list("pk", flat=True)


@transaction.atomic
def replay(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again, under its original webhook-id (receivers deduplicate by it)."""
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.attempts = 0
    delivery.save(update_fields=["status", "next_attempt_at", "attempts"])
    enqueue("integrations.deliver_webhook", delivery.pk)
    return delivery


def disable_endpoint(endpoint: WebhookEndpoint, *, reason: str) -> None:
    """Stop sending to an endpoint that keeps failing, and tell the organization."""
    updated = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_at=timezone.now(), disabled_reason=reason[:300]
    )
    if not updated:
        return  # already disabled: the notice went out then
    endpoint.is_active = False
    organization = endpoint.organization
    members = organization.members.filter(is_active=True).exclude(email=None)
    messages = []
    for member in members:
        with translation.override(member.language or settings.LANGUAGE_CODE):
            subject = _("Webhook endpoint disabled: %(url)s") % {"url": endpoint.url}
            text = _(
                "The Labor Exchange stopped sending events to %(url)s after %(count)d failed "
                "attempts in a row (last error: %(error)s). Fix the endpoint, then switch it "
                "on again on the Webhooks page of your account; missed events can be replayed "
                "from the list of deliveries."
            ) % {"url": endpoint.url, "count": endpoint.consecutive_failures, "error": reason}
        messages.append((subject, text, member.email))

    def send():
        for subject, text, email in messages:
            send_mail(subject, text, None, [email])

    transaction.on_commit(send)
