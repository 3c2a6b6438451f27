"""Shared plumbing of the partner API: API-key authentication, scope, throttles,
pagination, filtering and ordering; and turning a Django form's errors into the
API's error format, so the API validates exactly as the web forms do."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle

from exchange.api.authentication import (
    ApiKeyAuthentication,
    ApiKeyRateThrottle,
    HasKeyScope,
)


class PartnerPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class PartnerAPIMixin:
    """Every partner endpoint: a key is required, writes need a read-and-write key,
    querysets start from the caller's organization (a foreign object is a 404)."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasKeyScope]
    throttle_classes = [ApiKeyRateThrottle, AnonRateThrottle]
    pagination_class = PartnerPagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]

    @property
    def api_key(self):
        return self.request.auth

    @property
    def agency_id(self):
        return getattr(self.request.auth, "agency_id", None)

    @property
    def employer_id(self):
        return getattr(self.request.auth, "employer_id", None)


def form_errors(form) -> dict:
    errors = {}
    for field, messages in form.errors.items():
        errors["non_field_errors" if field == "__all__" else field] = list(messages)
    return errors


def validate_form(form):
    if not form.is_valid():
        raise exceptions.ValidationError(form_errors(form))
    return form


class Conflict(exceptions.APIException):
    """The request is valid but clashes with what exists (a duplicate, say)."""

    status_code = 409
    default_detail = _("This conflicts with data already on the exchange.")
    default_code = "conflict"
