"""Job alerts: a worker's saved searches, evaluated once a day by the same filters as
the search page, sent as one digest per worker."""

from django.db import transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from notifications.models import SavedSearch
from notifications.services import Message, notify
from vacancies.filters import VacancyFilter
from vacancies.models import Vacancy

# At most this many vacancies are listed in one digest (the link shows the rest).
DIGEST_LIMIT = 10

# Parameters that only page or sort the search and say nothing about what is wanted.
IGNORED_PARAMETERS = {"cursor", "sort"}


def clean_query(query: str) -> str:
    params = QueryDict(query.lstrip("?"), mutable=True)
    for name in IGNORED_PARAMETERS:
        params.pop(name, None)
    for name in [name for name, values in params.lists() if not any(v.strip() for v in values)]:
        params.pop(name)
    return params.urlencode()


def save_search(*, user, query: str, name: str = "") -> SavedSearch:
    """Save (or re-activate) a search; alerts list vacancies published from now on."""
    query = clean_query(query)
    filters = VacancyFilter(QueryDict(query), queryset=Vacancy.objects.none())
    if not filters.is_valid():
        from django.core.exceptions import ValidationError

        raise ValidationError(_("This search has an error; correct it before saving."))
    name = (name or "").strip() or describe(query)
    saved, created = SavedSearch.objects.get_or_create(
        user=user, query=query, defaults={"name": name[:120]}
    )
    if not created and not saved.is_active:
        saved.is_active = True
        saved.checked_at = timezone.now()
        saved.save(update_fields=["is_active", "checked_at"])
    return saved


def describe(query: str) -> str:
    params = QueryDict(query)
    words = params.get("q", "").strip()
    return words or str(_("All vacancies"))


def new_vacancies(saved: SavedSearch, *, now=None):
    """Public vacancies matching the saved search that were published since it was last
    checked, newest first; None when the saved search no longer validates."""
    now = now or timezone.now()
    queryset = Vacancy.objects.visible_to_public().filter(
        published_at__gt=saved.checked_at, published_at__lte=now
    )
    filters = VacancyFilter(QueryDict(saved.query), queryset=queryset)
    if not filters.is_valid():
        return None
    return filters.qs.order_by("-published_at", "-pk")


def send_job_alerts(*, now=None) -> int:
    """One digest per worker with new vacancies; returns how many workers were told."""
    now = now or timezone.now()
    told = 0
    searches = (
        SavedSearch.objects.filter(is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("user_id", "pk")
    )
    by_user: dict[int, list[SavedSearch]] = {}
    for saved in searches:
        by_user.setdefault(saved.user_id, []).append(saved)
    for user_searches in by_user.values():
        user = user_searches[0].user
        found: dict[int, Vacancy] = {}
        for saved in user_searches:
            matches = new_vacancies(saved, now=now)
            if matches is None:
                continue
            for vacancy in matches[: DIGEST_LIMIT + 1]:
                found.setdefault(vacancy.pk, vacancy)
        with transaction.atomic():
            SavedSearch.objects.filter(pk__in=[s.pk for s in user_searches]).update(checked_at=now)
            if not found:
                continue
            vacancies = sorted(found.values(), key=lambda v: (v.published_at, v.pk), reverse=True)
            lines = "\n".join(
                f"• {v.title}, {v.city} — {reverse('vacancy_detail', args=[v.pk])}"
                for v in vacancies[:DIGEST_LIMIT]
            )
            notify(
                [user],
                event="job_alert",
                key=f"job-alert:{now:%Y-%m-%d}",
                message=Message(
                    subject=ngettext_lazy(
                        "%(count)d new vacancy for your saved searches",
                        "%(count)d new vacancies for your saved searches",
                        "count",
                    ),
                    body=_("New vacancies that match your saved searches:\n%(lines)s"),
                    params={"count": len(vacancies), "lines": lines},
                    url=reverse("alerts:saved_searches"),
                ),
                payload={"vacancy_ids": [v.pk for v in vacancies[:DIGEST_LIMIT]]},
            )
            told += 1
    return told
