"""Loading the reference data shipped in exchange/data/ (ISCO-08, regions).

Used by a data migration, so that a fresh database has it, and by the
`load_reference_data` command after the CSV files change. Loading is an upsert
by code: running it again changes nothing, and edits to titles are applied.
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
ISCO_CSV = DATA_DIR / "isco08.csv"
REGIONS_CSV = DATA_DIR / "regions.csv"
SKILLS_CSV = DATA_DIR / "skills.csv"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _upsert(model, rows: list[dict], fields: list[str]) -> int:
    existing = set(model.objects.values_list("pk", flat=True))
    new = [model(**row) for row in rows if row["code"] not in existing]
    old = [model(**row) for row in rows if row["code"] in existing]
    model.objects.bulk_create(new, batch_size=500)
    if old:
        model.objects.bulk_update(old, fields, batch_size=500)
    return len(new)


def load_occupations(model) -> int:
    """Create or update every ISCO-08 group; returns how many were new.

    Rows are sorted by level so that a parent always exists before its children.
    """
    rows = sorted(read_rows(ISCO_CSV), key=lambda r: (int(r["level"]), r["code"]))
    records = [
        {
            "code": r["code"],
            "level": int(r["level"]),
            "parent_id": r["parent"] or None,
            "title_en": r["title_en"],
            "title_ru": r["title_ru"],
            "title_uz": r["title_uz"],
            "title_tg": r["title_tg"],
            "title_ky": r["title_ky"],
        }
        for r in rows
    ]
    created = 0
    for level in (1, 2, 3, 4):
        created += _upsert(
            model,
            [r for r in records if r["level"] == level],
            ["level", "parent_id", "title_en", "title_ru", "title_uz", "title_tg", "title_ky"],
        )
    return created


def load_regions(model) -> int:
    records = [
        {
            "code": r["code"],
            "iso_code": r["iso_code"],
            "name_ru": r["name_ru"],
            "name_en": r["name_en"],
            "kind": r["kind"],
            "federal_district": r["federal_district"],
        }
        for r in read_rows(REGIONS_CSV)
    ]
    return _upsert(model, records, ["iso_code", "name_ru", "name_en", "kind", "federal_district"])


def load_skills(model) -> int:
    """Create or update the curated skills and their links to ISCO-08 groups.

    Skills administrators added in the admin (codes not in the file) are left alone.
    """
    rows = read_rows(SKILLS_CSV)
    existing = {skill.code: skill for skill in model.objects.all()}
    created = 0
    for row in rows:
        skill = existing.get(row["code"])
        if skill is None:
            skill = model.objects.create(
                code=row["code"], title_en=row["title_en"], title_ru=row["title_ru"]
            )
            created += 1
        elif (skill.title_en, skill.title_ru) != (row["title_en"], row["title_ru"]):
            skill.title_en, skill.title_ru = row["title_en"], row["title_ru"]
            skill.save(update_fields=["title_en", "title_ru"])
        skill.occupations.set(row["occupations"].split())
    return created
