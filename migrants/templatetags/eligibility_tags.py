"""The legal-help panel a worker sees on a vacancy's page: what taking this job would
require of them. A template tag, because the vacancy page belongs to vacancies, which
must not import the registry (its sibling in the layers)."""

from django import template

from exchange.choices import Role
from migrants.eligibility import job_requirements

register = template.Library()


@register.simple_tag(takes_context=True)
def job_requirements_for(context, vacancy):
    """For a signed-in worker with a profile, their checklist for `vacancy`; else None."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated or user.role != Role.MIGRANT:
        return None
    profile = getattr(user, "migrant_profile", None)
    if profile is None:
        return None
    return job_requirements(profile, region=vacancy.region, quota_bound=vacancy.quota_bound)
