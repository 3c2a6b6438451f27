"""API keys: made by an organization's members, shown once, revoked by members or
administrators."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from exchange.choices import Role
from exchange.models import ApiKey, User


def organization_of(user: User):
    """The agency or employer a member acts for, or None."""
    if user.role == Role.AGENCY:
        return user.agency
    if user.role == Role.EMPLOYER:
        return user.employer
    return None


@transaction.atomic
def create_api_key(*, by: User, name: str, scope: str) -> tuple[ApiKey, str]:
    """A new key for the member's organization; the raw key is returned once and
    never stored."""
    organization = organization_of(by)
    if organization is None or not by.is_active:
        raise PermissionDenied
    raw = ApiKey.generate()
    key = ApiKey.objects.create(
        name=name,
        scope=scope,
        prefix=raw[:10],
        digest=ApiKey.digest_of(raw),
        created_by=by,
        agency=by.agency if by.role == Role.AGENCY else None,
        employer=by.employer if by.role == Role.EMPLOYER else None,
    )
    return key, raw


@transaction.atomic
def revoke_api_key(*, key: ApiKey, by: User) -> None:
    own = ApiKey.objects.of_user_organization(by).filter(pk=key.pk).exists()
    if not (by.is_administrator or own):
        raise PermissionDenied
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
