"""What matching must know of the selection pipeline, which sits above it in the
layers: who is placed (never proposed again), how many quota places a vacancy's
region and occupation have left, and whose candidacy moved since a moment.

Matching cannot import selection, so selection registers the answers here in its
AppConfig.ready() (selection/facts.py; docs/decisions/0014-apps-and-layers.md).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Expression, QuerySet


@dataclass(frozen=True)
class SelectionFacts:
    # The profile ids of placed workers, as a subquery (`.values("profile_id")`).
    placed_profiles: Callable[[], QuerySet]
    # Per vacancy row (OuterRef to its region_id, occupation_id, start_date): the
    # places left in the quota that binds it, or NULL when no quota row applies.
    quota_left: Callable[[], Expression]
    # Profile ids whose candidacy changed stage after `moment`.
    profiles_moved_since: Callable[[datetime.datetime], Iterable[int]]


_registered: SelectionFacts | None = None


def register(facts: SelectionFacts) -> None:
    global _registered
    _registered = facts


def selection_facts() -> SelectionFacts:
    if _registered is None:
        raise ImproperlyConfigured(
            "matching needs the selection app (INSTALLED_APPS) to know who is placed"
        )
    return _registered
