"""Shared core models: accounts, organizations, reference data and API keys."""

from exchange.models.accounts import User, UserManager, WorkerHeartbeat
from exchange.models.api_keys import (
    KEY_PREFIX,
    ApiKey,
    ApiKeyQuerySet,
    IdempotencyRecord,
    OrganizationOwned,
    one_organization,
)
from exchange.models.classifications import LocalizedTitleMixin, Occupation, Region, Skill
from exchange.models.organizations import Agency, Employer, Verifiable, WebsiteField

__all__ = [
    "KEY_PREFIX",
    "Agency",
    "ApiKey",
    "ApiKeyQuerySet",
    "Employer",
    "IdempotencyRecord",
    "LocalizedTitleMixin",
    "Occupation",
    "OrganizationOwned",
    "Region",
    "Skill",
    "User",
    "UserManager",
    "Verifiable",
    "WebsiteField",
    "WorkerHeartbeat",
    "one_organization",
]
