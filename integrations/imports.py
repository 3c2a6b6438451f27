"""Bulk import of workers by a partner agency: a JSON array or a CSV file, validated
row by row with the agency registration form of the web page, stored in batches.

Idempotent: each row carries the agency's `external_id`; a row whose external_id
the agency already has is reported as "exists" and nothing is written for it, so a
re-sent file creates nothing new. "all_or_nothing" stores nothing unless every row
is valid; "partial" stores the valid rows and reports the others.

This is `migrants.services.register_worker_by_agency` for many rows at once, with
the same checks (a licensed agency, the passport blind index unique, consent with
its text version, the change history, likely duplicates flagged), done per batch
instead of per row so 100,000 workers take about a minute, not an hour.
"""

import contextlib
import csv
import datetime
import io
import json
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchange.celery import enqueue
from exchange.choices import CEFR_RANK, EducationLevel, Role
from exchange.classifications import COUNTRY_CODES, LANGUAGE_CODES
from exchange.models import Occupation, Region, Skill, User
from integrations.models import ImportJob
from migrants.choices import DrivingCategory
from migrants.crypto import passport_hash
from migrants.forms import AgencyWorkerForm
from migrants.models import (
    CONSENT_TEXT_VERSION,
    ConsentRecord,
    DuplicateFlag,
    MigrantLanguage,
    MigrantOccupation,
    MigrantProfile,
    ProfileChange,
)
from migrants.services import RegistryError
from migrants.transliteration import person_keys

BATCH = 2000
LIST_COLUMNS = ("occupations", "languages", "skills", "desired_regions", "driving_categories")
BOOLEAN_COLUMNS = ("anywhere_in_russia", "rotation_ok", "is_visible", "consent_confirmed")
PREFERENCES = (
    "education",
    "anywhere_in_russia",
    "min_salary",
    "available_from",
    "rotation_ok",
    "driving_categories",
    "is_visible",
)
CREATED, EXISTS, ERROR, SKIPPED = "created", "exists", "error", "skipped"


class ImportRowForm(AgencyWorkerForm):
    """The agency's registration form; passports are checked for the whole file at once,
    and there is no evidence file per row (a signed paper form needs the single create).

    One instance validates every row (`validate_row`): building the form costs more
    than validating it (250 localised country names, sorted), and the model-level
    re-check of what the form's fields already checked is skipped; the database's
    constraints still hold on insert."""

    check_duplicate_passport = False

    DATE_FIELDS = ("birth_date", "passport_expiry", "consent_obtained_on")

    def validate_row(self, data: dict) -> bool:
        # ISO dates are read here: the form would try every localised input format
        # first (~150 µs a date). Anything else goes to the form as it came.
        for name in self.DATE_FIELDS:
            value = data.get(name)
            if isinstance(value, str) and len(value) == 10:
                with contextlib.suppress(ValueError):  # the form reports a bad date
                    data[name] = datetime.date.fromisoformat(value)
        self.data = data
        self.is_bound = True
        self._errors = None
        return self.is_valid()

    def _post_clean(self):
        pass


class UnreadableFile(ValueError):
    pass


# --- Reading ----------------------------------------------------------------------------


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _csv_row(raw: dict[str, str]) -> dict[str, Any]:
    """A CSV row in the shape of a JSON row: lists separated by ";", "code:level" pairs."""
    row: dict[str, Any] = {}
    for name, value in raw.items():
        if name is None:
            continue
        value = (value or "").strip()
        if value == "":
            continue
        if name == "occupations":
            entries = []
            for part in _split(value):
                code, _sep, years = part.partition(":")
                entries.append({"occupation": code, "years_experience": years or 0})
            row[name] = entries
        elif name == "languages":
            row[name] = [
                {"language": code, "level": level}
                for code, _sep, level in (part.partition(":") for part in _split(value))
            ]
        elif name in LIST_COLUMNS:
            row[name] = _split(value)
        elif name in BOOLEAN_COLUMNS:
            row[name] = value.lower() in ("1", "true", "yes", "y", "on")
        else:
            row[name] = value
    return row


def parse(content: bytes, source_format: str) -> list[dict]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(_("The file is not UTF-8 text.")) from None
    if "\x00" in text or "\\u0000" in text:
        # Nothing in a worker's record contains NUL, and PostgreSQL cannot store it.
        raise UnreadableFile(_("The file contains NUL characters."))
    if source_format == "csv":
        return [_csv_row(raw) for raw in csv.DictReader(io.StringIO(text))]
    try:
        rows = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFile(_("The JSON is not valid: %(error)s") % {"error": error}) from None
    if not isinstance(rows, list):
        raise UnreadableFile(_("Send a JSON array of workers."))
    return rows


# --- Validating ---------------------------------------------------------------------------


class References:
    """Codes a row may use, loaded once per import, and the one row form."""

    def __init__(self):
        self.form = ImportRowForm()
        # The same rule as the form's list of countries, as a set lookup instead of a
        # scan of 250 (code, name) pairs per row.
        countries = frozenset(COUNTRY_CODES)
        self.form.fields["citizenship"].valid_value = countries.__contains__
        self.occupations = set(Occupation.objects.filter(level=4).values_list("code", flat=True))
        self.skills = dict(Skill.objects.values_list("code", "pk"))
        self.regions = set(Region.objects.values_list("code", flat=True))
        self.languages = set(LANGUAGE_CODES)


def _work_profile(row: dict, refs: References, errors: dict) -> dict:
    """Occupations, languages, skills, regions and preferences of one row, checked."""
    out: dict[str, Any] = {"occupations": [], "languages": {}, "skills": [], "regions": []}
    for entry in row.get("occupations") or []:
        if not isinstance(entry, dict):
            errors.setdefault("occupations", []).append(_("Each entry needs an occupation."))
            continue
        code = str(entry.get("occupation", ""))
        try:
            years = int(entry.get("years_experience") or 0)
        except (TypeError, ValueError):
            years = -1
        if code not in refs.occupations:
            errors.setdefault("occupations", []).append(
                _("Unknown ISCO-08 unit groups: %(codes)s") % {"codes": code}
            )
        elif not 0 <= years <= 60:
            errors.setdefault("occupations", []).append(_("Years of experience: 0 to 60."))
        elif code not in dict(out["occupations"]):
            out["occupations"].append((code, years))
    for entry in row.get("languages") or []:
        code = str(entry.get("language", "")) if isinstance(entry, dict) else ""
        level = str(entry.get("level", "")) if isinstance(entry, dict) else ""
        if code not in refs.languages or level not in CEFR_RANK:
            errors.setdefault("languages", []).append(
                _("Unknown language or level: %(value)s") % {"value": f"{code}:{level}"}
            )
        else:
            out["languages"][code] = level
    for code in row.get("skills") or []:
        if code not in refs.skills:
            errors.setdefault("skills", []).append(_("Unknown skills: %(codes)s") % {"codes": code})
        else:
            out["skills"].append(refs.skills[code])
    for code in row.get("desired_regions") or []:
        if str(code) not in refs.regions:
            errors.setdefault("desired_regions", []).append(
                _("Unknown region codes: %(codes)s") % {"codes": code}
            )
        else:
            out["regions"].append(str(code))
    prefs: dict[str, Any] = {}
    if row.get("education"):
        if row["education"] in EducationLevel.values:
            prefs["education"] = row["education"]
        else:
            errors["education"] = [_("Choose a valid education level.")]
    for name in ("anywhere_in_russia", "rotation_ok", "is_visible"):
        if name in row:
            prefs[name] = bool(row[name])
    if row.get("min_salary") not in (None, ""):
        try:
            prefs["min_salary"] = int(row["min_salary"])
            if not 0 <= prefs["min_salary"] <= 10_000_000:
                raise ValueError
        except (TypeError, ValueError):
            errors["min_salary"] = [_("A whole number of roubles, up to 10,000,000.")]
    if row.get("available_from"):
        try:
            prefs["available_from"] = timezone.datetime.fromisoformat(
                str(row["available_from"])
            ).date()
        except ValueError:
            errors["available_from"] = [_("Enter a date as YYYY-MM-DD.")]
    categories = row.get("driving_categories") or []
    if any(c not in DrivingCategory.values for c in categories):
        errors["driving_categories"] = [_("Unknown driving licence category.")]
    elif categories:
        prefs["driving_categories"] = list(categories)
    out["preferences"] = prefs
    return out


def _validate(row, refs: References) -> tuple[dict, dict]:
    """(errors, cleaned) of one row."""
    if not isinstance(row, dict):
        return {"non_field_errors": [_("Each row must be an object.")]}, {}
    errors: dict[str, list[str]] = {}
    external_id = str(row.get("external_id") or "").strip()
    if not external_id:
        errors["external_id"] = [_("Give each worker your own reference (external_id).")]
    elif len(external_id) > 100:
        errors["external_id"] = [_("At most 100 characters.")]
    form = refs.form
    if not form.validate_row({k: v for k, v in row.items() if not isinstance(v, list | dict)}):
        for field, messages in form.errors.items():
            errors["non_field_errors" if field == "__all__" else field] = list(messages)
    work = _work_profile(row, refs, errors)
    if errors:
        return errors, {}
    data = form.profile_data()
    return {}, {
        "external_id": external_id,
        "data": data,
        "hash": passport_hash(data["citizenship"], data["passport_number"]),
        "consent_method": form.cleaned_data["consent_method"],
        "consent_obtained_on": form.cleaned_data["consent_obtained_on"],
        "consent_note": form.cleaned_data["consent_note"],
        **work,
    }


# --- Storing ----------------------------------------------------------------------------------


def _store(agency, by: User, job: ImportJob, items: list[tuple[int, dict]]) -> dict[int, int]:
    """Insert one batch of valid rows; returns {row number: new profile id}."""
    now = timezone.now()
    profiles = []
    for _number, item in items:
        profile = MigrantProfile(
            registered_by=agency,
            registered_by_user=by,
            external_id=item["external_id"],
            passport_hash=item["hash"],
            **item["data"],
            **item["preferences"],
        )
        profiles.append(profile)
    MigrantProfile.objects.bulk_create(profiles)
    consents, changes, occupations, languages, skills, regions = [], [], [], [], [], []
    skill_link = MigrantProfile.skills.through
    region_link = MigrantProfile.desired_regions.through
    for profile, (number, item) in zip(profiles, items, strict=True):
        consents.append(
            ConsentRecord(
                profile=profile,
                text_version=CONSENT_TEXT_VERSION,
                given_at=now,
                method=item["consent_method"],
                obtained_on=item["consent_obtained_on"],
                recorded_by=by,
                agency=agency,
                note=item["consent_note"],
            )
        )
        # One history line per worker (the web form writes one per field): which
        # import and row created it, by whom.
        changes.append(
            ProfileChange(
                profile=profile,
                field="imported",
                new_value=f"import #{job.pk} row {number}",
                changed_by=by,
                by_role=by.role,
                agency=agency,
                changed_at=now,
            )
        )
        occupations += [
            MigrantOccupation(profile=profile, occupation_id=code, years_experience=years)
            for code, years in item["occupations"]
        ]
        languages += [
            MigrantLanguage(profile=profile, language=code, level=level)
            for code, level in item["languages"].items()
        ]
        skills += [
            skill_link(migrantprofile_id=profile.pk, skill_id=pk) for pk in set(item["skills"])
        ]
        regions += [
            region_link(migrantprofile_id=profile.pk, region_id=code)
            for code in set(item["regions"])
        ]
    ConsentRecord.objects.bulk_create(consents)
    ProfileChange.objects.bulk_create(changes)
    MigrantOccupation.objects.bulk_create(occupations)
    MigrantLanguage.objects.bulk_create(languages)
    skill_link.objects.bulk_create(skills)
    region_link.objects.bulk_create(regions)
    _flag_duplicates(profiles)
    return {number: profile.pk for profile, (number, _item) in zip(profiles, items, strict=True)}


def _keys_of(first_latin, last_latin, first_cyrillic, last_cyrillic):
    return person_keys((first_latin, last_latin), (first_cyrillic, last_cyrillic))


def _flag_duplicates(profiles: list[MigrantProfile]) -> None:
    """migrants.services.flag_likely_duplicates for a batch: one query for all candidates."""
    births = {p.birth_date for p in profiles}
    countries = {p.citizenship for p in profiles}
    groups = defaultdict(list)
    for pk, birth, country, *names in (
        MigrantProfile.objects.active()
        .filter(birth_date__in=births, citizenship__in=countries)
        .values_list(
            "pk",
            "birth_date",
            "citizenship",
            "first_name_latin",
            "last_name_latin",
            "first_name_cyrillic",
            "last_name_cyrillic",
        )
        .iterator(chunk_size=5000)
    ):
        groups[(birth, country)].append((pk, _keys_of(*names)))
    flags = {}
    reason = _("Same date of birth and citizenship, similar names")
    for profile in profiles:
        keys = _keys_of(
            profile.first_name_latin,
            profile.last_name_latin,
            profile.first_name_cyrillic,
            profile.last_name_cyrillic,
        )
        for other_pk, other_keys in groups[(profile.birth_date, profile.citizenship)]:
            if other_pk != profile.pk and keys & other_keys:
                low, high = sorted((profile.pk, other_pk))
                flags[(low, high)] = DuplicateFlag(profile_id=low, other_id=high, reason=reason)
    DuplicateFlag.objects.bulk_create(flags.values(), ignore_conflicts=True)


# --- The import ---------------------------------------------------------------------------------


def import_rows(*, job: ImportJob, by: User, rows: list, progress=None) -> ImportJob:
    """Validate and store `rows` for the job's agency; fills the job's report."""
    agency = job.agency
    if by.role != Role.AGENCY or by.agency_id != agency.pk:
        raise PermissionDenied
    report: list[dict] = []
    refs = References()
    wanted = {str(r.get("external_id")) for r in rows if isinstance(r, dict)}
    existing: dict[str, int] = {}
    wanted_list = sorted(wanted)
    for start in range(0, len(wanted_list), 5000):
        existing.update(
            MigrantProfile.objects.filter(
                registered_by=agency, external_id__in=wanted_list[start : start + 5000]
            ).values_list("external_id", "pk")
        )
    valid: list[tuple[int, dict]] = []
    seen_ids: set[str] = set()
    seen_hashes: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        external_id = str(row.get("external_id") or "").strip() if isinstance(row, dict) else ""
        entry = {"row": number, "external_id": external_id, "status": ERROR, "id": None}
        if external_id in existing:
            entry.update(status=EXISTS, id=existing[external_id])
            report.append(entry)
            continue
        errors, item = _validate(row, refs)
        if not errors and external_id in seen_ids:
            errors = {"external_id": [_("This external_id appears twice in the file.")]}
        if not errors and item["hash"] in seen_hashes:
            errors = {
                "passport_number": [
                    _("The same passport as row %(row)s.") % {"row": seen_hashes[item["hash"]]}
                ]
            }
        if errors:
            entry["errors"] = errors
        else:
            seen_ids.add(external_id)
            seen_hashes[item["hash"]] = number
            valid.append((number, item))
        report.append(entry)
        if progress and number % 1000 == 0:
            progress(number)
    # Passports already on the exchange: one query per 5,000 rows.
    hashes = [item["hash"] for _n, item in valid]
    taken = set()
    for start in range(0, len(hashes), 5000):
        taken.update(
            MigrantProfile.objects.filter(
                passport_hash__in=hashes[start : start + 5000]
            ).values_list("passport_hash", flat=True)
        )
    duplicate_message = _(
        "This worker is already registered on the exchange (perhaps by another agency or by "
        "the worker). You can ask for access instead."
    )
    for number, item in valid:
        if item["hash"] in taken:
            report[number - 1]["errors"] = {"passport_number": [duplicate_message]}
    valid = [(n, item) for n, item in valid if item["hash"] not in taken]
    has_errors = any(entry["status"] == ERROR and "errors" in entry for entry in report)
    if job.mode == ImportJob.Mode.ALL_OR_NOTHING and has_errors:
        for number, _item in valid:
            report[number - 1]["status"] = SKIPPED
        valid = []
    created = _store_all(agency, by, job, valid, report)
    job.report = report
    job.total_rows = len(rows)
    job.created_count = created
    job.existing_count = sum(1 for entry in report if entry["status"] == EXISTS)
    job.error_count = sum(1 for entry in report if "errors" in entry)
    job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    return job


def _store_all(agency, by, job, valid, report) -> int:
    """Store in batches: all-or-nothing in one transaction, partial one per batch (a
    batch that collides with a concurrent registration is retried row by row)."""
    conflict = _("Registered meanwhile by someone else (same passport or external_id).")
    ids: dict[int, int] = {}
    if job.mode == ImportJob.Mode.ALL_OR_NOTHING:
        try:
            with transaction.atomic():
                for start in range(0, len(valid), BATCH):
                    ids.update(_store(agency, by, job, valid[start : start + BATCH]))
        except IntegrityError:
            ids = {}
            for number, _item in valid:
                report[number - 1].update(status=ERROR, errors={"non_field_errors": [conflict]})
    else:
        for start in range(0, len(valid), BATCH):
            batch = valid[start : start + BATCH]
            try:
                with transaction.atomic():
                    ids.update(_store(agency, by, job, batch))
            except IntegrityError:
                for single in batch:
                    try:
                        with transaction.atomic():
                            ids.update(_store(agency, by, job, [single]))
                    except IntegrityError:
                        report[single[0] - 1]["errors"] = {"non_field_errors": [conflict]}
    for number, pk in ids.items():
        report[number - 1].update(status=CREATED, id=pk)
    return len(ids)


def start_import(
    *, agency, by: User, content: bytes, source_format: str, mode: str, sync_max_rows: int
) -> ImportJob:
    """Parse and either import at once (small files) or queue for a worker."""
    if by.role != Role.AGENCY or by.agency_id != agency.pk:
        raise PermissionDenied
    if not agency.may_operate:
        raise RegistryError(_("Your agency's licence is not valid: it cannot register workers."))
    rows = parse(content, source_format)
    job = ImportJob.objects.create(
        agency=agency,
        created_by=by,
        mode=mode,
        source_format=source_format,
        total_rows=len(rows),
    )
    if len(rows) <= sync_max_rows:
        job.status = ImportJob.Status.RUNNING
        return import_rows(job=job, by=by, rows=rows)
    job.source.save(f"import-{job.pk}.{source_format}", ContentFile(content), save=True)
    enqueue("integrations.run_import", job.pk)
    return job


def run_job(job_id: int) -> None:
    """The worker side of a large import. Idempotent: only a queued job runs (claimed by
    a conditional update); a rerun of a finished job does nothing."""
    if not ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    ):
        return
    job = ImportJob.objects.select_related("agency", "created_by").get(pk=job_id)
    try:
        with job.source.open("rb") as source:
            rows = parse(source.read(), job.source_format)
        import_rows(job=job, by=job.created_by, rows=rows)
    except Exception as error:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            finished_at=timezone.now(),
            report=[{"row": 0, "status": ERROR, "errors": {"non_field_errors": [str(error)]}}],
        )
        raise
    finally:
        # The uploaded file is not kept once the report exists.
        job.source.storage.delete(job.source.name)
        ImportJob.objects.filter(pk=job_id).update(source="")
