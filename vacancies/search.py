"""Public vacancy search: filters, ordering, keyset pagination and a capped count.

Built to stay fast at a million vacancies (see docs/decisions/0004-vacancy-search.md):
- only published, unexpired rows, through partial indexes;
- pages by keyset (a cursor naming the last row), never a deep OFFSET;
- the total is counted up to COUNT_CAP and shown as "1000+" beyond;
- a selective query (up to CANDIDATE_LIMIT matches) is sorted as a set of ids,
  a broad one by walking the sort's index;
- ranking by text relevance only when the matching set is small, since ranking a
  broad match set costs hundreds of milliseconds; otherwise newest first.
"""

import base64
import binascii
import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchRank
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F, Q, QuerySet

from vacancies.choices import SortOrder
from vacancies.filters import VacancyFilter, search_query
from vacancies.models import Vacancy

PAGE_SIZE = 20
COUNT_CAP = 1000
CANDIDATE_LIMIT = 2000
RANK_CANDIDATE_LIMIT = COUNT_CAP  # ts_rank reads every candidate's vector: keep the set small
MAX_RELEVANCE_PAGES = 25

# The columns a result row loads (`.only()`), not the API's keys: ids and salary_top serve
# links and sorting.
LIST_FIELDS = (
    "id",
    "title",
    "city",
    "region_id",
    "occupation_id",
    "employer_id",
    "salary_min",
    "salary_max",
    "salary_top",
    "currency",
    "salary_basis",
    "employment_type",
    "schedule",
    "housing",
    "meals",
    "open_to_foreign_workers",
    "positions_total",
    "positions_filled",
    "published_at",
    "expires_on",
)


@dataclass
class SearchResult:
    filters: VacancyFilter
    vacancies: list = field(default_factory=list)
    count: int | None = 0
    count_capped: bool = False
    next_cursor: str | None = None
    sort: str = SortOrder.NEWEST
    relevance_fallback: bool = False  # asked for relevance, too many matches to rank

    @property
    def is_valid(self) -> bool:
        return self.filters.is_valid()

    @property
    def count_display(self) -> str:
        return f"{COUNT_CAP}+" if self.count_capped else str(self.count)


def encode_cursor(values: dict) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return values if isinstance(values, dict) else None


def search_vacancies(
    params,
    *,
    cursor: str | None = None,
    page_size: int = PAGE_SIZE,
    profile_id: int | None = None,
    count: bool = True,
) -> SearchResult:
    """Run a search from query parameters (a QueryDict or dict) and return one page.

    With `profile_id` (a signed-in worker), sorting by "match" lists the vacancies the
    matching engine found for that worker, best score first.
    """
    filters = VacancyFilter(params, queryset=Vacancy.objects.visible_to_public())
    result = SearchResult(filters=filters)
    if not filters.is_valid():
        return result
    queryset = filters.qs
    text = filters.form.cleaned_data.get("q") or ""
    sort = filters.form.cleaned_data.get("sort") or SortOrder.NEWEST
    if sort == SortOrder.RELEVANCE and not text.strip():
        sort = SortOrder.NEWEST
    if sort == SortOrder.MATCH:
        if profile_id is None:
            sort = SortOrder.NEWEST
        else:
            return _match_page(result, queryset, profile_id, decode_cursor(cursor), page_size)

    if text.strip():
        # Text matches can be few and scattered: collect their ids (a cheap bitmap scan
        # of the GIN index) and sort a small set as a set. Walking the date or pay index
        # and testing each row's vector instead reads thousands of rows (120 ms at 1M).
        candidates = list(queryset.order_by().values_list("pk", flat=True)[: CANDIDATE_LIMIT + 1])
        matches = len(candidates)
        if matches <= CANDIDATE_LIMIT:
            queryset = Vacancy.objects.filter(pk__in=candidates)
    elif count:
        # Filters on indexed columns: the planner's estimates hold; just count, capped.
        matches = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
    else:
        matches = None  # the caller does not show a total (later pages of the API)
    if matches is None:
        result.count, result.count_capped = None, False
    else:
        result.count = min(matches, COUNT_CAP)
        result.count_capped = matches > COUNT_CAP

    if sort == SortOrder.RELEVANCE and (
        connection.vendor != "postgresql" or matches is None or matches > RANK_CANDIDATE_LIMIT
    ):
        sort, result.relevance_fallback = SortOrder.NEWEST, connection.vendor == "postgresql"
    result.sort = sort
    position = decode_cursor(cursor)

    offset = 0
    if sort == SortOrder.RELEVANCE:
        # A rank is not a stable key, so relevance pages by a capped offset.
        offset = min(_int((position or {}).get("offset")), MAX_RELEVANCE_PAGES * page_size)
        ordered = _ranked(queryset, text)
    else:
        ordered = _keyset_page(queryset, sort, position)
    rows = list(_with_list_fields(ordered)[offset : offset + page_size + 1])
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    result.vacancies = rows
    if has_more and rows:
        result.next_cursor = encode_cursor(_position_after(rows[-1], sort, position, page_size))
    return result


# Matching sits above vacancies: it registers where a worker's match scores come from
# (MatchingConfig.ready), so that "sort by match" needs no import of it.
_match_scores: Callable[[int], dict[int, float]] | None = None


def register_match_scores(source: Callable[[int], dict[int, float]]) -> None:
    """`source(profile_id)` gives {vacancy_id: score} for the worker's current matches."""
    global _match_scores
    _match_scores = source


def _match_scores_of(profile_id: int) -> dict[int, float]:
    if _match_scores is None:
        raise ImproperlyConfigured(
            "Sorting by match needs the matching app, which is not installed: "
            "nothing called vacancies.search.register_match_scores()."
        )
    return _match_scores(profile_id)


def _match_page(result, queryset, profile_id: int, position: dict | None, page_size: int):
    """The worker's matched vacancies that pass the filters, best score first."""
    scores = _match_scores_of(profile_id)
    ids = list(queryset.filter(pk__in=list(scores)).values_list("pk", flat=True))
    ids.sort(key=lambda pk: (-scores[pk], -pk))
    offset = _int((position or {}).get("offset"))
    page_ids = ids[offset : offset + page_size + 1]
    rows = {v.pk: v for v in _with_list_fields(Vacancy.objects.filter(pk__in=page_ids))}
    vacancies = [rows[pk] for pk in page_ids if pk in rows]
    result.sort = SortOrder.MATCH
    result.count = min(len(ids), COUNT_CAP)
    result.count_capped = len(ids) > COUNT_CAP
    result.vacancies = vacancies[:page_size]
    if len(vacancies) > page_size:
        result.next_cursor = encode_cursor({"offset": offset + page_size})
    return result


def _with_list_fields(queryset: QuerySet) -> QuerySet:
    """What a result list shows, in one query."""
    return queryset.select_related("region", "occupation", "employer").only(
        *LIST_FIELDS,
        "region__name_ru",
        "region__name_en",
        "occupation__title_en",
        "occupation__title_ru",
        "occupation__title_uz",
        "occupation__title_tg",
        "occupation__title_ky",
        "employer__legal_name",
        "employer__verification_status",
    )


def _keyset_page(queryset: QuerySet, sort: str, position: dict | None) -> QuerySet:
    """Rows after the cursor's position, in the sort's order (served by a partial index)."""
    if sort == SortOrder.SALARY:
        if position:
            last_id, last_salary = _int(position.get("id")), _int(position.get("salary"))
            queryset = queryset.filter(
                Q(salary_top__lt=last_salary) | Q(salary_top=last_salary, id__lt=last_id)
            )
        return queryset.order_by("-salary_top", "-id")
    if position and position.get("published"):
        try:
            last_published = datetime.datetime.fromisoformat(str(position["published"]))
        except ValueError:
            last_published = None
        if last_published is not None:
            last_id = _int(position.get("id"))
            queryset = queryset.filter(
                Q(published_at__lt=last_published) | Q(published_at=last_published, id__lt=last_id)
            )
    return queryset.order_by(F("published_at").desc(), F("id").desc())


def _ranked(queryset: QuerySet, text: str) -> QuerySet:
    """Best text match first; only called for small candidate sets."""
    ranked = queryset.annotate(rank=SearchRank(F("search_vector"), search_query(text)))
    return ranked.order_by(F("rank").desc(), F("published_at").desc(), F("id").desc())


def _int(value) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _position_after(vacancy: Vacancy, sort: str, position: dict | None, page_size: int) -> dict:
    if sort == SortOrder.RELEVANCE:
        return {"offset": _int((position or {}).get("offset")) + page_size}
    if sort == SortOrder.SALARY:
        return {"id": vacancy.pk, "salary": vacancy.salary_top}
    return {"id": vacancy.pk, "published": vacancy.published_at.isoformat()}
