"""Open data: published vacancies without contacts, and anonymised aggregates.

Each dataset is a list of field names and a row generator; `write_all()` (daily, by
beat) writes every dataset as CSV and JSON into `settings.ANALYTICS_OPEN_DATA_DIR`,
each file replaced atomically, and the stable URLs serve those files. The schema is in
docs/open-data.md; `DATASETS` is its single source in code.

Disclosure control on the aggregates: a count of people (available workers,
registrations, placements) from 1 to SMALL_CELL − 1 is published as empty, and so is
any figure computed from it (the shortage index). Where a group of cells adds up to a
total published elsewhere (the citizenships of one region add up to the region's
supply in the balance), a single suppressed cell could be recovered by subtraction, so
the next smallest cell of that group is suppressed too.
"""

import csv
import io
import json
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from analytics.models import BalanceCell, RegistrationMonth, SupplyShare
from analytics.reports import SMALL_CELL, shortage_index
from vacancies.models import Vacancy

CSV_BOM = "\ufeff"  # so that Excel reads the file as UTF-8


def suppress(value: int | None) -> int | None:
    """A count of people small enough to single someone out is withheld (None)."""
    if value is None or value == 0 or value >= SMALL_CELL:
        return value
    return None


def suppress_group(values: list[int]) -> list[int | None]:
    """Primary suppression of each value, then secondary: if exactly one value of a group
    whose total is known was withheld, withhold the smallest published non-zero one too."""
    result = [suppress(value) for value in values]
    withheld = [i for i, value in enumerate(result) if value is None]
    if len(withheld) == 1:
        candidates = [i for i, value in enumerate(result) if value]
        if candidates:
            result[min(candidates, key=lambda i: result[i])] = None
    return result


@dataclass
class Dataset:
    name: str
    title: str
    fields: list[str]
    rows: Callable[[], Iterable[dict]]


def vacancy_rows() -> Iterator[dict]:
    """Vacancies open to the public today, without contact person, phone, e-mail, address
    or free text (an employer may type a phone number into a description)."""
    vacancies = (
        Vacancy.objects.visible_to_public()
        .order_by("pk")
        .values(
            "pk",
            "title",
            "occupation_id",
            "occupation__title_en",
            "occupation__title_ru",
            "region_id",
            "region__name_en",
            "region__name_ru",
            "city",
            "employer__legal_name",
            "positions_total",
            "positions_filled",
            "salary_min",
            "salary_max",
            "currency",
            "salary_basis",
            "employment_type",
            "schedule",
            "contract_months",
            "start_date",
            "housing",
            "meals",
            "transport_provided",
            "document_help",
            "open_to_foreign_workers",
            "quota_bound",
            "published_at",
            "expires_on",
        )
    )
    base = settings.ANALYTICS_PUBLIC_BASE_URL.rstrip("/")
    for v in vacancies.iterator(chunk_size=5000):
        yield {
            "id": v["pk"],
            "url": base + reverse("vacancy_detail", args=[v["pk"]]),
            "title": v["title"],
            "occupation_code": v["occupation_id"],
            "occupation_title_en": v["occupation__title_en"],
            "occupation_title_ru": v["occupation__title_ru"],
            "region_code": v["region_id"],
            "region_name_en": v["region__name_en"],
            "region_name_ru": v["region__name_ru"],
            "city": v["city"],
            "employer": v["employer__legal_name"],
            "positions_open": v["positions_total"] - v["positions_filled"],
            "salary_min": v["salary_min"],
            "salary_max": v["salary_max"],
            "currency": v["currency"],
            "salary_basis": v["salary_basis"],
            "employment_type": v["employment_type"],
            "schedule": v["schedule"],
            "contract_months": v["contract_months"],
            "start_date": v["start_date"].isoformat() if v["start_date"] else None,
            "housing": v["housing"],
            "meals": v["meals"],
            "transport_provided": v["transport_provided"],
            "document_help": v["document_help"],
            "open_to_foreign_workers": v["open_to_foreign_workers"],
            "quota_bound": v["quota_bound"],
            "published_at": v["published_at"].isoformat() if v["published_at"] else None,
            "expires_on": v["expires_on"].isoformat() if v["expires_on"] else None,
        }


def balance_row(cell: BalanceCell) -> dict:
    """One balance cell as published: people counts suppressed, the index only when the
    supply behind it is published."""
    supply = suppress(cell.supply)
    index = shortage_index(cell.demand, cell.supply) if supply is not None else None
    return {
        "month": cell.month.strftime("%Y-%m"),
        "as_of": cell.as_of.isoformat(),
        "region_code": cell.region_id or "",
        "occupation_code": cell.occupation_id or "",
        "isco_level": cell.level,
        "open_positions": cell.demand,
        "open_vacancies": cell.vacancies,
        "available_workers": supply,
        "shortage_index": round(index, 4) if index is not None else None,
        "no_available_workers": cell.supply == 0,
        "placements": suppress(cell.placements),
    }


def balance_rows() -> Iterator[dict]:
    cells = BalanceCell.objects.order_by("month", "level", "region_id", "occupation_id")
    for cell in cells.iterator(chunk_size=5000):
        yield balance_row(cell)


def supply_share_rows() -> Iterator[dict]:
    """Available workers by citizenship in each region (agencies summed over)."""
    groups: dict[tuple, list[tuple[str, int]]] = defaultdict(list)
    shares = (
        SupplyShare.objects.values("month", "region_id", "citizenship")
        .annotate(n=Sum("supply"))
        .order_by("month", "region_id", "citizenship")
    )
    for row in shares:
        groups[(row["month"], row["region_id"] or "")].append((row["citizenship"], row["n"]))
    for (month, region), cells in groups.items():
        published = suppress_group([n for _code, n in cells])
        for (code, _n), value in zip(cells, published, strict=True):
            yield {
                "month": month.strftime("%Y-%m"),
                "region_code": region,
                "citizenship": code,
                "available_workers": value,
            }


def registration_rows() -> Iterator[dict]:
    """Registrations and verifications per month by citizenship (agencies summed over)."""
    groups: dict = defaultdict(list)
    rows = (
        RegistrationMonth.objects.values("month", "citizenship")
        .annotate(r=Sum("registrations"), v=Sum("verified"))
        .order_by("month", "citizenship")
    )
    for row in rows:
        groups[row["month"]].append(row)
    for month, cells in groups.items():
        registered = suppress_group([row["r"] for row in cells])
        verified = suppress_group([row["v"] for row in cells])
        for row, r, v in zip(cells, registered, verified, strict=True):
            yield {
                "month": month.strftime("%Y-%m"),
                "citizenship": row["citizenship"],
                "registrations": r,
                "verified": v,
            }


# Not the API's field list, though it overlaps: a published file schema (docs/open-data.md)
# without free text, which changes with that document, never because the API did.
VACANCY_FIELDS = [
    "id",
    "url",
    "title",
    "occupation_code",
    "occupation_title_en",
    "occupation_title_ru",
    "region_code",
    "region_name_en",
    "region_name_ru",
    "city",
    "employer",
    "positions_open",
    "salary_min",
    "salary_max",
    "currency",
    "salary_basis",
    "employment_type",
    "schedule",
    "contract_months",
    "start_date",
    "housing",
    "meals",
    "transport_provided",
    "document_help",
    "open_to_foreign_workers",
    "quota_bound",
    "published_at",
    "expires_on",
]
BALANCE_FIELDS = [
    "month",
    "as_of",
    "region_code",
    "occupation_code",
    "isco_level",
    "open_positions",
    "open_vacancies",
    "available_workers",
    "shortage_index",
    "no_available_workers",
    "placements",
]

DATASETS: dict[str, Dataset] = {
    dataset.name: dataset
    for dataset in (
        Dataset("vacancies", "Published vacancies", VACANCY_FIELDS, vacancy_rows),
        Dataset(
            "balance",
            "Demand, supply and shortage index by region and occupation group",
            BALANCE_FIELDS,
            balance_rows,
        ),
        Dataset(
            "supply-by-citizenship",
            "Available workers by citizenship and region",
            ["month", "region_code", "citizenship", "available_workers"],
            supply_share_rows,
        ),
        Dataset(
            "registrations",
            "Worker registrations and verifications per month by citizenship",
            ["month", "citizenship", "registrations", "verified"],
            registration_rows,
        ),
    )
}
FORMATS = ("csv", "json")


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(dataset: Dataset, out: io.TextIOBase) -> None:
    out.write(CSV_BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(dataset.fields)
    for row in dataset.rows():
        writer.writerow([_csv_value(row[name]) for name in dataset.fields])


def write_json(dataset: Dataset, out: io.TextIOBase) -> None:
    """{"dataset", "generated_at", "fields", "rows": [{...}, ...]}, written row by row so
    a large dataset never sits in memory whole."""
    head = {
        "dataset": dataset.name,
        "title": dataset.title,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "schema": "docs/open-data.md",
        "fields": dataset.fields,
    }
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "rows": [')
    for index, row in enumerate(dataset.rows()):
        out.write(("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False))
    out.write("\n]}\n")


WRITERS = {"csv": write_csv, "json": write_json}


def file_path(name: str, fmt: str) -> Path:
    return Path(settings.ANALYTICS_OPEN_DATA_DIR) / f"{name}.{fmt}"


def write_file(name: str, fmt: str) -> Path:
    """Write one file next to its final place, then rename over it: a reader never sees
    half a file."""
    path = file_path(name, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            WRITERS[fmt](DATASETS[name], out)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_all() -> list[str]:
    return [write_file(name, fmt).name for name in DATASETS for fmt in FORMATS]
