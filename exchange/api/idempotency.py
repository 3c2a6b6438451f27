"""Safe retries of POST requests: the `Idempotency-Key` header.

The first request with a key claims it (a row, committed before the work starts);
its response is stored when it is done. A retry with the same key and the same
request gets the stored response again (header `Idempotent-Replayed: true`); the
same key with a different request is refused with 422; a retry while the first is
still running gets 409. Keys are scoped to the API key and kept for
INTEGRATIONS_IDEMPOTENCY_HOURS.
"""

import datetime
import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response

from exchange.api.authentication import caller_key
from exchange.models import IdempotencyRecord

HEADER = "Idempotency-Key"
# A claim older than this is from a request that died; a retry may take it over.
ABANDONED_AFTER = datetime.timedelta(minutes=5)

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID) per logical request: a retry with the same key "
    "and body returns the first response instead of acting twice.",
)


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used for a different request.")
    default_code = "idempotency_key_reused"


class IdempotencyInFlight(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "A request with this Idempotency-Key is still being processed; retry in a moment."
    )
    default_code = "idempotency_in_flight"


class _Replay(Exception):
    def __init__(self, record: IdempotencyRecord):
        self.record = record


def request_digest(request) -> str:
    """The same logical request gives the same digest, whatever multipart boundary the
    client picked: JSON is canonicalised, form fields sorted, files hashed by content."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    if request.content_type.startswith("multipart/") or request.content_type.startswith(
        "application/x-www-form-urlencoded"
    ):
        for name in sorted(request.data.keys()):
            for value in request.data.getlist(name):
                if hasattr(value, "read"):
                    value.seek(0)
                    content = hashlib.sha256(value.read()).hexdigest()
                    value.seek(0)
                    digest.update(f"{name}=file:{content}\n".encode())
                else:
                    digest.update(f"{name}={value}\n".encode())
    elif request.content_type.startswith("application/json"):
        digest.update(json.dumps(request.data, sort_keys=True, default=str).encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _claim(request) -> IdempotencyRecord | None:
    value = request.headers.get(HEADER)
    api_key = caller_key(request)
    if request.method != "POST" or not value or api_key is None:
        return None
    if len(value) > 255:
        raise exceptions.ValidationError({HEADER: [_("At most 255 characters.")]})
    digest = request_digest(request)
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                api_key=api_key,
                key=value,
                method=request.method,
                path=request.path,
                request_digest=digest,
            )
    except IntegrityError:
        pass
    record = IdempotencyRecord.objects.get(api_key=api_key, key=value)
    if record.request_digest != digest:
        raise IdempotencyKeyReused
    if record.state == IdempotencyRecord.State.DONE:
        raise _Replay(record)
    now = timezone.now()
    # Take over a claim whose request died; the conditional update lets one retry win.
    if IdempotencyRecord.objects.filter(
        pk=record.pk,
        state=IdempotencyRecord.State.IN_FLIGHT,
        created_at__lt=now - ABANDONED_AFTER,
    ).update(created_at=now):
        record.created_at = now
        return record
    raise IdempotencyInFlight


class IdempotentPostMixin:
    """For API views whose POST creates or changes something."""

    _idempotency_record = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._idempotency_record = _claim(request)

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            record = exc.record
            headers = {**record.response_headers, "Idempotent-Replayed": "true"}
            content_type = headers.pop("Content-Type", None)
            return Response(
                record.response_body,
                status=record.response_status,
                headers=headers,
                content_type=content_type,
            )
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record, self._idempotency_record = self._idempotency_record, None
        if record is None:
            return response
        if response.status_code >= 500 or response.status_code in (409, 429):
            # Not a final answer: the client may retry with the same key.
            IdempotencyRecord.objects.filter(pk=record.pk).delete()
            return response
        headers = {}
        if response.get("Location"):
            headers["Location"] = response["Location"]
        if response.content_type:
            headers["Content-Type"] = response.content_type
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            state=IdempotencyRecord.State.DONE,
            response_status=response.status_code,
            response_body=json.loads(json.dumps(response.data, default=str)),
            response_headers=headers,
        )
        return response


def purge_idempotency_records() -> int:
    cutoff = timezone.now() - datetime.timedelta(hours=settings.INTEGRATIONS_IDEMPOTENCY_HOURS)
    deleted, _rows = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
