"""How partner systems authenticate: `Authorization: Bearer <API key>`, a scope per
key (read only / read and write), and a request budget per key."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from exchange.models import ApiKey

# last_used_at is written at most this often per key, so busy keys do not turn
# every read into a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as “Bearer <key>”."))
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The API key is not valid.")) from None
        key = (
            ApiKey.objects.select_related("created_by", "agency", "employer")
            .filter(digest=ApiKey.digest_of(raw))
            .first()
        )
        if key is None or not key.is_active:
            raise exceptions.AuthenticationFailed(_("The API key is not valid or was revoked."))
        user = key.created_by
        # The key acts for the member who made it, only while they still belong to the
        # organization: a member who left takes no access along.
        still_member = (
            user.agency_id == key.agency_id
            if key.agency_id
            else user.employer_id == key.employer_id
        )
        if not user.is_active or not still_member:
            raise exceptions.AuthenticationFailed(_("The API key is not valid or was revoked."))
        now = timezone.now()
        if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=key.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
            ).update(last_used_at=now)
        return user, key

    def authenticate_header(self, request):
        return self.keyword


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key made by a member of your organization on the exchange.",
        }


def caller_key(request) -> ApiKey | None:
    return request.auth if isinstance(request.auth, ApiKey) else None


class HasKeyScope(permissions.BasePermission):
    """Any key may read; writing needs a read-and-write key."""

    message = _("This API key is read only.")

    def has_permission(self, request, view):
        key = caller_key(request)
        if key is None:
            return False
        return request.method in permissions.SAFE_METHODS or key.can_write


class IsAgencyKey(HasKeyScope):
    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.auth.agency_id is None:
            self.message = _("Only a partner agency's key may use this endpoint.")
            return False
        return True


class IsEmployerKey(HasKeyScope):
    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.auth.employer_id is None:
            self.message = _("Only an employer's key may use this endpoint.")
            return False
        return True


class ApiKeyRateThrottle(throttling.SimpleRateThrottle):
    """A budget per key (setting `api_key`); DRF answers 429 with Retry-After."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        key = caller_key(request)
        if key is None:
            return None  # anonymous callers are counted by AnonRateThrottle
        return self.cache_format % {"scope": self.scope, "ident": key.pk}
