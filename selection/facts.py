"""The answers selection gives matching (matching/selection_facts.py): who is placed,
how many quota places are left for a vacancy, whose candidacy moved. Registered in
SelectionConfig.ready()."""

import datetime

from django.db.models import Count, Expression, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, ExtractYear, Length, Substr
from django.utils import timezone

from matching import selection_facts
from selection.models import PLACED_STAGES, QUOTA_HELD_STAGES, Application, Quota


def placed_profiles() -> QuerySet:
    return Application.objects.filter(stage__in=PLACED_STAGES).values("profile_id")


def quota_left() -> Expression:
    # Quota left, as selection counts it (services.quota_available): the most
    # specific quota row for the vacancy's region, occupation and year (of its start
    # date, or this year) has a place not allotted, reserved, used or held by approvals.
    held = (
        Application.objects.filter(quota=OuterRef("pk"), stage__in=QUOTA_HELD_STAGES)
        .order_by()
        .values("quota")
        .annotate(count=Count("pk"))
        .values("count")
    )
    occupation = OuterRef("occupation_id")
    left = (
        Quota.objects.filter(
            year=Coalesce(ExtractYear(OuterRef("start_date")), timezone.localdate().year),
            region_id=OuterRef("region_id"),
        )
        .filter(
            Q(occupation_id=occupation)
            | Q(occupation_id=Substr(occupation, 1, 3))
            | Q(occupation_id=Substr(occupation, 1, 2))
            | Q(occupation_id=Substr(occupation, 1, 1))
        )
        .annotate(left=F("allotted") - F("reserved") - F("used") - Coalesce(Subquery(held), 0))
        .order_by(Length("occupation_id").desc())
        .values("left")[:1]
    )
    return Subquery(left)


def profiles_moved_since(moment: datetime.datetime) -> list[int]:
    return list(
        Application.objects.filter(stage_changed_at__gt=moment).values_list("profile_id", flat=True)
    )


def register() -> None:
    selection_facts.register(
        selection_facts.SelectionFacts(
            placed_profiles=placed_profiles,
            quota_left=quota_left,
            profiles_moved_since=profiles_moved_since,
        )
    )
