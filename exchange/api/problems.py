"""One error format for the whole API: RFC 9457 problem details.

Every error answers `application/problem+json` with `type`, `title` (the HTTP
status phrase), `status`, `detail` (a sentence in the caller's language) and
`code` (stable, machine-readable); invalid input adds `errors`, a map of field
name to messages (`non_field_errors` for the request as a whole; nested fields as
nested maps or lists). The schema documents it as the `Problem` component.
"""

from http import HTTPStatus

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


def _as_drf(exc):
    """Domain rules raise Django's ValidationError; to the caller it is a 400 like any."""
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(serializers.as_serializer_error(exc))
    return exc


def problem_exception_handler(exc, context):
    exc = _as_drf(exc)
    response = exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
    }
    if isinstance(exc, exceptions.ValidationError):
        errors = response.data
        if isinstance(errors, list):
            errors = {"non_field_errors": errors}
        body["detail"] = _("Some fields are not valid; see errors.")
        body["code"] = "invalid"
        body["errors"] = errors
    else:
        data = response.data if isinstance(response.data, dict) else {}
        detail = data.get("detail", body["title"])
        body["detail"] = str(detail)
        body["code"] = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "Invalid input: field name → messages.",
        },
    },
    "required": ["type", "title", "status", "detail", "code"],
}

ERROR_STATUSES = {
    "400": "Invalid input.",
    "401": "No API key, or a key that is not valid or revoked.",
    "403": "The key may not do this (read-only key, or another kind of organization).",
    "404": "Not found, or not yours: other organizations' objects are never shown.",
    "409": "Conflict: a duplicate, or a request with the same Idempotency-Key is in progress.",
    "415": "Unsupported media type.",
    "422": "The Idempotency-Key was used with a different request.",
    "429": "Too many requests: wait for the seconds in Retry-After.",
}


def add_problem_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: document the error format on every operation."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    content = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if path.endswith(("/schema/", "/docs/", "/redoc/")):
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_STATUSES.items():
                if status in ("409", "415", "422") and method not in ("post", "put", "patch"):
                    continue
                if status == "400" and method == "delete":
                    continue
                responses.setdefault(status, {"description": description, "content": content})
    return result


def not_found(request, exception):
    """handler404: API paths answer in the API's error format, pages with the 404 page."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse(
            {
                "type": "about:blank",
                "title": HTTPStatus.NOT_FOUND.phrase,
                "status": 404,
                "detail": _("Not found."),
                "code": "not_found",
            },
            status=404,
            content_type=PROBLEM_CONTENT_TYPE,
        )
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)
