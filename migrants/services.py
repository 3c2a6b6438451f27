"""Workflows of the migrant registry. Each is atomic and writes its history in
the same transaction; views map the exceptions to messages beside the fields."""

import base64
import datetime
import logging
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from exchange.backends import normalize_login
from exchange.choices import Role, VerificationStatus
from exchange.events import (
    DOCUMENT_EXPIRING,
    WORKER_REJECTED,
    WORKER_VERIFIED,
    emit,
    worker_changed,
)
from exchange.models import Agency, Occupation, User
from migrants.choices import (
    EXPIRING_DOCUMENTS,
    ConsentMethod,
    DocumentType,
    FlagStatus,
    NotificationChannel,
    RequestStatus,
)
from migrants.crypto import mask, passport_hash
from migrants.files import CleanFile
from migrants.models import (
    CONSENT_TEXT_VERSION,
    AccessRequest,
    ClaimCode,
    ConsentRecord,
    Document,
    DuplicateFlag,
    ErasureRequest,
    ExpiryReminder,
    MigrantLanguage,
    MigrantOccupation,
    MigrantProfile,
    PassportView,
    ProfileChange,
)
from migrants.transliteration import person_keys
from notifications.sms import send_sms

logger = logging.getLogger(__name__)

CLAIM_CODE_TTL = datetime.timedelta(minutes=30)
CLAIM_CODES_PER_HOUR = 3

# Fields a profile form may change through update_profile().
SCALAR_FIELDS = (
    *MigrantProfile.IDENTITY_FIELDS,
    "phone",
    "email",
    "preferred_language",
    "notification_channel",
    "education",
    "anywhere_in_russia",
    "min_salary",
    "available_from",
    "rotation_ok",
    "driving_categories",
    "is_visible",
)
M2M_FIELDS = ("skills", "desired_regions")
NAME_FIELDS = (
    "first_name_latin",
    "last_name_latin",
    "first_name_cyrillic",
    "last_name_cyrillic",
    "birth_date",
    "citizenship",
)


class RegistryError(Exception):
    """A rule of the registry refused the action; the message is for the user."""


class DuplicatePassport(RegistryError):
    """The same citizenship and passport number is already registered."""

    def __init__(self, existing: MigrantProfile):
        self.existing = existing
        super().__init__(
            _(
                "A worker with this passport is already registered. The same person cannot be "
                "registered twice."
            )
        )


class WorkerOwnedField(RegistryError):
    """An agency tried to overwrite what the worker entered themselves."""


# --- Helpers -----------------------------------------------------------------------


def _display(field: str, value: Any) -> str:
    if field == "passport_number":
        return mask(value or "")
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return ", ".join(sorted(str(getattr(v, "pk", v)) for v in value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _record(profile, actor, field: str, old: Any, new: Any) -> None:
    ProfileChange.objects.create(
        profile=profile,
        field=field,
        old_value=_display(field, old),
        new_value=_display(field, new),
        changed_by=actor,
        by_role=getattr(actor, "role", "") or "",
        agency_id=getattr(actor, "agency_id", None),
    )


def worker_entered_fields(profile: MigrantProfile) -> set[str]:
    """Fields the worker has set themselves; an agency may not overwrite them."""
    if profile.user_id is None:
        return set()
    return set(
        ProfileChange.objects.filter(profile=profile, changed_by_id=profile.user_id).values_list(
            "field", flat=True
        )
    )


def can_edit(user: User, profile: MigrantProfile) -> bool:
    if profile.is_erased:
        return False
    if user.is_administrator:
        return True
    if user.role == Role.MIGRANT:
        return profile.user_id == user.pk
    if user.role == Role.AGENCY:
        return user.agency_id is not None and profile.registered_by_id == user.agency_id
    return False


def _require_edit(user: User, profile: MigrantProfile) -> None:
    if not can_edit(user, profile):
        raise PermissionDenied


def _notify(profile: MigrantProfile, subject: str, text: str) -> None:
    """Send a short message on the worker's channel, after the transaction commits."""
    channel = profile.notification_channel
    email, phone = profile.email or getattr(profile.user, "email", None), profile.phone

    def send():
        if channel == NotificationChannel.EMAIL and email:
            send_mail(subject, text, None, [email])
        elif phone:
            send_sms(str(phone), text)
        elif email:
            send_mail(subject, text, None, [email])

    transaction.on_commit(send)


# --- Registration and consent -------------------------------------------------------------


@transaction.atomic
def register_migrant(
    *, login: dict[str, str], password: str, full_name: str, language: str
) -> User:
    """Self-registration: the account, an empty profile and the consent, together."""
    user = User.objects.create_user(
        password=password, role=Role.MIGRANT, full_name=full_name, language=language, **login
    )
    start_profile(user=user)
    return user


@transaction.atomic
def start_profile(*, user: User) -> MigrantProfile:
    """Record the worker's consent and open their (empty) profile."""
    if user.role != Role.MIGRANT:
        raise PermissionDenied
    profile, _created = MigrantProfile.objects.get_or_create(
        user=user,
        defaults={
            "phone": user.phone or "",
            "email": user.email or "",
            "preferred_language": user.language or "",
            "notification_channel": NotificationChannel.SMS
            if user.phone
            else NotificationChannel.EMAIL,
        },
    )
    ConsentRecord.objects.create(
        profile=profile,
        text_version=CONSENT_TEXT_VERSION,
        method=ConsentMethod.ONLINE,
        recorded_by=user,
        obtained_on=timezone.localdate(),
    )
    return profile


def has_current_consent(profile: MigrantProfile) -> bool:
    return profile.consents.filter(withdrawn_at__isnull=True).exists()


@transaction.atomic
def register_worker_by_agency(
    *,
    by: User,
    data: dict[str, Any],
    consent_method: str,
    consent_obtained_on: datetime.date,
    evidence: CleanFile | None = None,
    consent_note: str = "",
) -> MigrantProfile:
    """An agency member registers a worker, with the consent they obtained."""
    agency: Agency | None = by.agency
    if by.role != Role.AGENCY or agency is None:
        raise PermissionDenied
    if not agency.may_operate:
        raise RegistryError(_("Your agency's licence is not valid: it cannot register workers."))
    profile = MigrantProfile(registered_by=agency, registered_by_user=by)
    _apply_passport_hash(profile, data)
    for field, value in data.items():
        if field in SCALAR_FIELDS:
            setattr(profile, field, value)
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise DuplicatePassport(_existing_passport(profile.passport_hash)) from None
    for field, value in data.items():
        if field in SCALAR_FIELDS and value not in ("", None, [], False):
            _record(profile, by, field, None, value)
    consent = ConsentRecord(
        profile=profile,
        text_version=CONSENT_TEXT_VERSION,
        method=consent_method,
        obtained_on=consent_obtained_on,
        recorded_by=by,
        agency=agency,
        note=consent_note,
    )
    if evidence is not None:
        consent.evidence.save(
            f"{uuid.uuid4().hex}{evidence.extension}", ContentFile(evidence.content), save=False
        )
    consent.save()
    flag_likely_duplicates(profile)
    return profile


# --- Profile editing ------------------------------------------------------------------------


def _existing_passport(hash_value: str | None) -> MigrantProfile | None:
    if not hash_value:
        return None
    return MigrantProfile.objects.filter(passport_hash=hash_value).first()


def _apply_passport_hash(profile: MigrantProfile, data: dict[str, Any]) -> None:
    """Recompute the blind index and refuse a passport registered to someone else."""
    number = data.get("passport_number", profile.passport_number)
    citizenship = data.get("citizenship", profile.citizenship)
    new_hash = passport_hash(citizenship, number) if number and citizenship else None
    if new_hash and new_hash != profile.passport_hash:
        existing = MigrantProfile.objects.filter(passport_hash=new_hash).exclude(pk=profile.pk)
        if existing.exists():
            raise DuplicatePassport(existing.first())
    profile.passport_hash = new_hash


def passport_taken(citizenship: str, number: str, *, exclude_pk=None) -> MigrantProfile | None:
    """The profile already holding this passport, for a form's early check."""
    if not (citizenship and number):
        return None
    found = MigrantProfile.objects.filter(passport_hash=passport_hash(citizenship, number))
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.first()


@transaction.atomic
def update_profile(*, profile: MigrantProfile, actor: User, changes: dict[str, Any]) -> list[str]:
    """Apply a form's changes, recording each in the history.

    An agency cannot overwrite a field the worker entered; a verified profile whose
    identity changes goes back to the verification queue; new names or birth date
    are checked for likely duplicates. Returns the names of the changed fields.
    """
    _require_edit(actor, profile)
    profile = MigrantProfile.objects.select_for_update().get(pk=profile.pk)
    locked = worker_entered_fields(profile) if actor.role == Role.AGENCY else set()
    changed = []
    for field, value in changes.items():
        if field in M2M_FIELDS:
            old = set(getattr(profile, field).all())
            if old != set(value):
                if field in locked:
                    raise WorkerOwnedField(field)
                getattr(profile, field).set(value)
                _record(profile, actor, field, old, value)
                changed.append(field)
        elif field in SCALAR_FIELDS:
            old = getattr(profile, field)
            if old != value and not (old in ("", None) and value in ("", None)):
                if field in locked:
                    raise WorkerOwnedField(field)
                changed.append(field)
        else:
            raise ValueError(f"{field} cannot be changed through update_profile")
    if changed:
        worker_changed.send(sender=__name__, profile_id=profile.pk)
    scalar_changes = {f: changes[f] for f in changed if f in SCALAR_FIELDS}
    if not scalar_changes:
        return changed
    _apply_passport_hash(profile, scalar_changes)
    for field, value in scalar_changes.items():
        _record(profile, actor, field, getattr(profile, field), value)
        setattr(profile, field, value)
    identity_changed = any(f in MigrantProfile.IDENTITY_FIELDS for f in scalar_changes)
    if identity_changed and profile.verification_status != VerificationStatus.PENDING:
        # What the administrator checked no longer holds.
        profile.verification_status = VerificationStatus.PENDING
        profile.verified_at = None
        profile.submitted_at = timezone.now()
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise DuplicatePassport(_existing_passport(profile.passport_hash)) from None
    if any(f in NAME_FIELDS for f in scalar_changes):
        flag_likely_duplicates(profile)
    return changed


@transaction.atomic
def add_occupation(
    *, profile: MigrantProfile, actor: User, occupation: Occupation, years: int
) -> MigrantOccupation:
    _require_edit(actor, profile)
    if occupation.level != 4:
        raise RegistryError(_("Choose an occupation (a unit group), not a group of occupations."))
    row, created = MigrantOccupation.objects.get_or_create(
        profile=profile, occupation=occupation, defaults={"years_experience": years}
    )
    if not created and row.years_experience != years:
        _record(profile, actor, "occupations", f"{occupation.code}:{row.years_experience}", "")
        row.years_experience = years
        row.save(update_fields=["years_experience"])
    _record(profile, actor, "occupations", "", f"{occupation.code}:{years}")
    worker_changed.send(sender=__name__, profile_id=profile.pk)
    return row


@transaction.atomic
def remove_occupation(*, profile: MigrantProfile, actor: User, occupation_id: str) -> None:
    _require_edit(actor, profile)
    row = MigrantOccupation.objects.filter(profile=profile, occupation_id=occupation_id).first()
    if row is None:
        return
    if actor.role == Role.AGENCY and "occupations" in worker_entered_fields(profile):
        raise WorkerOwnedField("occupations")
    _record(profile, actor, "occupations", f"{row.occupation_id}:{row.years_experience}", "")
    row.delete()
    worker_changed.send(sender=__name__, profile_id=profile.pk)


@transaction.atomic
def set_languages(*, profile: MigrantProfile, actor: User, languages: dict[str, str]) -> None:
    """Replace the worker's languages with {ISO 639-1 code: CEFR level}."""
    _require_edit(actor, profile)
    old = dict(profile.languages.values_list("language", "level"))
    if old == languages:
        return
    if actor.role == Role.AGENCY and "languages" in worker_entered_fields(profile):
        raise WorkerOwnedField("languages")
    profile.languages.exclude(language__in=languages).delete()
    for code, level in languages.items():
        MigrantLanguage.objects.update_or_create(
            profile=profile, language=code, defaults={"level": level}
        )
    _record(
        profile,
        actor,
        "languages",
        ", ".join(f"{c}:{lv}" for c, lv in sorted(old.items())),
        ", ".join(f"{c}:{lv}" for c, lv in sorted(languages.items())),
    )
    worker_changed.send(sender=__name__, profile_id=profile.pk)


@transaction.atomic
def submit_for_verification(*, profile: MigrantProfile, actor: User) -> None:
    _require_edit(actor, profile)
    _percent, missing = profile.completeness()
    if missing:
        raise RegistryError(
            _("Complete the profile first. Missing: %(items)s") % {"items": ", ".join(missing)}
        )
    profile.submitted_at = timezone.now()
    if profile.verification_status == VerificationStatus.REJECTED:
        profile.verification_status = VerificationStatus.PENDING
    profile.save(update_fields=["submitted_at", "verification_status", "updated_at"])
    _record(profile, actor, "submitted_at", None, profile.submitted_at.date())


# --- Documents ---------------------------------------------------------------------------


@transaction.atomic
def upload_document(
    *,
    profile: MigrantProfile,
    actor: User,
    doc_type: str,
    clean_file: CleanFile,
    number: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> Document:
    """Store a checked file under a server-made name in private storage."""
    _require_edit(actor, profile)
    document = Document(
        profile=profile,
        doc_type=doc_type,
        number=number,
        issued_on=issued_on,
        expires_on=expires_on,
        content_type=clean_file.content_type,
        size=len(clean_file.content),
        uploaded_by=actor,
    )
    document.file.save(
        f"{uuid.uuid4().hex}{clean_file.extension}", ContentFile(clean_file.content), save=False
    )
    try:
        with transaction.atomic():
            document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    _record(profile, actor, "documents", "", document.get_doc_type_display())
    return document


@transaction.atomic
def delete_document(*, document: Document, actor: User) -> None:
    _require_edit(actor, document.profile)
    if document.verification_status == VerificationStatus.VERIFIED and not actor.is_administrator:
        raise RegistryError(_("A verified document cannot be deleted; upload a newer one instead."))
    _record(document.profile, actor, "documents", document.get_doc_type_display(), "")
    name = document.file.name
    document.delete()
    transaction.on_commit(lambda: document.file.storage.delete(name))


def document_visible_to(user: User):
    return Document.objects.filter(profile__in=MigrantProfile.objects.visible_to(user))


# --- Verification ---------------------------------------------------------------------------


@transaction.atomic
def review_profile(*, profile: MigrantProfile, by: User, approve: bool, reason: str = "") -> None:
    if not by.is_administrator:
        raise PermissionDenied
    if approve:
        profile.verify(by=by)
        _notify(profile, _("Your profile is verified"), _("Your profile is verified."))
    else:
        profile.reject(by=by, reason=reason)
        _notify(
            profile,
            _("Your profile needs changes"),
            _("Your profile was not verified: %(reason)s") % {"reason": reason},
        )
    _record(profile, by, "verification_status", None, profile.verification_status)
    if profile.registered_by_id:  # the registering agency's webhooks (exchange.events)
        emit(
            WORKER_VERIFIED if approve else WORKER_REJECTED,
            {
                "worker": profile.pk,
                "external_id": profile.external_id,
                "verification_status": profile.verification_status,
                "reason": "" if approve else reason,
            },
            agency_ids=[profile.registered_by_id],
        )
    # Verified workers enter matching; rejected ones leave it.
    worker_changed.send(sender=__name__, profile_id=profile.pk)


@transaction.atomic
def review_document(*, document: Document, by: User, approve: bool, reason: str = "") -> None:
    if not by.is_administrator:
        raise PermissionDenied
    if approve:
        document.verify(by=by)
    else:
        document.reject(by=by, reason=reason)
        _notify(
            document.profile,
            _("A document needs to be uploaded again"),
            _("%(document)s was not accepted: %(reason)s")
            % {"document": document.get_doc_type_display(), "reason": reason},
        )
    _record(
        document.profile,
        by,
        "documents",
        document.get_doc_type_display(),
        document.get_verification_status_display(),
    )


def record_passport_view(*, profile: MigrantProfile, viewer: User, path: str = "") -> None:
    """Every time an administrator sees a full passport number, it is written down."""
    PassportView.objects.create(profile=profile, viewer=viewer, path=path[:300])


# --- Duplicates ---------------------------------------------------------------------------


def _keys(profile: MigrantProfile):
    return person_keys(
        (profile.first_name_latin, profile.last_name_latin),
        (profile.first_name_cyrillic, profile.last_name_cyrillic),
    )


def flag_likely_duplicates(profile: MigrantProfile) -> list[DuplicateFlag]:
    """Flag active profiles with the same birth date and citizenship whose names
    match after transliteration ("Юсупов" = "Yusupov" = "Iusupov")."""
    if not (profile.birth_date and profile.citizenship):
        return []
    keys = _keys(profile)
    if not keys:
        return []
    candidates = (
        MigrantProfile.objects.active()
        .filter(birth_date=profile.birth_date, citizenship=profile.citizenship)
        .exclude(pk=profile.pk)
    )
    flags = []
    for other in candidates:
        if keys & _keys(other):
            low, high = sorted([profile, other], key=lambda p: p.pk)
            flag, _created = DuplicateFlag.objects.get_or_create(
                profile=low,
                other=high,
                defaults={"reason": _("Same date of birth and citizenship, similar names")},
            )
            flags.append(flag)
    return flags


@transaction.atomic
def dismiss_duplicate(*, flag: DuplicateFlag, by: User, note: str = "") -> None:
    if not by.is_administrator:
        raise PermissionDenied
    flag.status = FlagStatus.DISMISSED
    flag.resolved_by = by
    flag.resolved_at = timezone.now()
    flag.note = note
    flag.save()


@transaction.atomic
def merge_profiles(*, flag: DuplicateFlag, keep: MigrantProfile, by: User) -> MigrantProfile:
    """Move everything of the other profile onto `keep`; the other becomes an
    anonymised stub pointing to `keep`."""
    if not by.is_administrator:
        raise PermissionDenied
    if keep.pk not in (flag.profile_id, flag.other_id):
        raise RegistryError(_("Keep one of the two flagged profiles."))
    drop = flag.other if keep.pk == flag.profile_id else flag.profile
    if keep.user_id and drop.user_id:
        raise RegistryError(
            _("Both profiles have their own account; ask the worker which one to keep.")
        )
    # Fill the kept profile's gaps from the other, never overwrite what it has.
    updates = {}
    for field in SCALAR_FIELDS:
        if field in ("passport_number",):
            continue
        if getattr(keep, field) in ("", None, []) and getattr(drop, field) not in ("", None, []):
            updates[field] = getattr(drop, field)
    passport = None
    if not keep.passport_number and drop.passport_number:
        passport = drop.passport_number
    user = drop.user if drop.user_id and not keep.user_id else None
    registered_by = drop.registered_by if not keep.registered_by_id else None
    for existing in drop.occupations.all():
        if not keep.occupations.filter(occupation=existing.occupation_id).exists():
            existing.profile = keep
            existing.save(update_fields=["profile"])
    for existing in drop.languages.all():
        if not keep.languages.filter(language=existing.language).exists():
            existing.profile = keep
            existing.save(update_fields=["profile"])
    keep.skills.add(*drop.skills.all())
    keep.desired_regions.add(*drop.desired_regions.all())
    drop.documents.update(profile=keep)
    drop.consents.update(profile=keep)
    drop.changes.update(profile=keep)
    _anonymise(drop)
    drop.merged_into = keep
    drop.save()
    if passport:
        updates["passport_number"] = passport
    for field, value in updates.items():
        setattr(keep, field, value)
    if passport:
        keep.passport_hash = passport_hash(keep.citizenship, passport)
    if user is not None:
        keep.user = user
    if registered_by is not None:
        keep.registered_by = registered_by
    keep.save()
    _record(keep, by, "merged", f"#{drop.pk}", f"#{keep.pk}")
    flag.status = FlagStatus.MERGED
    flag.resolved_by = by
    flag.resolved_at = timezone.now()
    flag.save()
    worker_changed.send(sender=__name__, profile_id=keep.pk)
    worker_changed.send(sender=__name__, profile_id=drop.pk)  # merged away: its matches go
    return keep


@transaction.atomic
def request_access(*, profile: MigrantProfile, by: User, message: str = "") -> AccessRequest:
    """An agency asks to see a worker another agency (or the worker) registered."""
    if by.role != Role.AGENCY or by.agency_id is None:
        raise PermissionDenied
    request, _created = AccessRequest.objects.get_or_create(
        profile=profile,
        agency_id=by.agency_id,
        status=RequestStatus.PENDING,
        defaults={"requested_by": by, "message": message},
    )
    return request


@transaction.atomic
def decide_access_request(*, request: AccessRequest, by: User, grant: bool) -> None:
    if not by.is_administrator:
        raise PermissionDenied
    request.status = RequestStatus.GRANTED if grant else RequestStatus.REFUSED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save()


# --- Claiming an agency-registered profile -------------------------------------------------


def _code_hash(profile_id: int, code: str) -> str:
    return salted_hmac("migrants.claim-code", f"{profile_id}:{code}").hexdigest()


def _contact_lookup(contact: str) -> Q | None:
    lookup = normalize_login(contact)
    if lookup is None:
        return None
    if "email__iexact" in lookup:
        return Q(email__iexact=lookup["email__iexact"])
    return Q(phone=lookup["phone"])


@transaction.atomic
def send_claim_code(*, profile: MigrantProfile, by: User | None) -> bool:
    """Send a one-time code to the contact the agency recorded. False when there is
    no contact or too many codes were sent in the last hour."""
    if profile.is_claimed or profile.is_erased:
        return False
    since = timezone.now() - datetime.timedelta(hours=1)
    if ClaimCode.objects.filter(profile=profile, created_at__gte=since).count() >= (
        CLAIM_CODES_PER_HOUR
    ):
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    target = str(profile.phone) if profile.phone else profile.email
    if not target:
        return False
    ClaimCode.objects.create(
        profile=profile,
        code_hash=_code_hash(profile.pk, code),
        sent_to=target,
        created_by=by,
        expires_at=timezone.now() + CLAIM_CODE_TTL,
    )
    with translation.override(profile.preferred_language or settings.LANGUAGE_CODE):
        text = _(
            "Your code to take over your profile on the Labor Exchange: %(code)s. "
            "Valid 30 minutes. Do not tell it to anyone."
        ) % {"code": code}
        subject = _("Your Labor Exchange code")
    if profile.phone:
        transaction.on_commit(lambda: send_sms(target, text))
    else:
        transaction.on_commit(lambda: send_mail(subject, text, None, [target]))
    return True


def request_claim_code(*, contact: str) -> None:
    """A worker asks for a code for the profile an agency registered with this
    phone or e-mail. Says nothing about whether such a profile exists."""
    lookup = _contact_lookup(contact)
    if lookup is None:
        return
    for profile in MigrantProfile.objects.active().filter(lookup, user__isnull=True):
        send_claim_code(profile=profile, by=None)


def _is_empty(profile: MigrantProfile) -> bool:
    return not (
        profile.first_name_latin
        or profile.last_name_latin
        or profile.passport_number
        or profile.documents.exists()
        or profile.occupations.exists()
    )


def claim_profile(*, user: User, contact: str, code: str) -> MigrantProfile:
    """The worker proves they hold the recorded phone or e-mail and takes the profile over.

    Not one transaction: a wrong code must still count as an attempt (five per code).
    """
    if user.role != Role.MIGRANT:
        raise PermissionDenied
    wrong = RegistryError(_("The code is wrong or has expired. Ask for a new one."))
    lookup = _contact_lookup(contact)
    if lookup is None:
        raise wrong
    own = MigrantProfile.objects.filter(user=user).first()
    if own is not None and not _is_empty(own):
        raise RegistryError(
            _(
                "Your account already has a filled-in profile. Ask the exchange's support to "
                "join the two profiles."
            )
        )
    for profile in MigrantProfile.objects.active().filter(lookup, user__isnull=True):
        claim = ClaimCode.objects.filter(profile=profile).order_by("-created_at").first()
        if claim is None or not claim.is_usable:
            continue
        if not constant_time_compare(claim.code_hash, _code_hash(profile.pk, code.strip())):
            ClaimCode.objects.filter(pk=claim.pk).update(attempts=F("attempts") + 1)
            continue
        with transaction.atomic():
            # The conditional update lets only one of two simultaneous claims win.
            if not ClaimCode.objects.filter(pk=claim.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            ):
                continue
            if own is not None:
                # The empty profile opened at sign-up gives way; its consent moves over.
                own.consents.update(profile=profile)
                own.delete()
            if not MigrantProfile.objects.filter(pk=profile.pk, user__isnull=True).update(
                user=user, claimed_at=timezone.now()
            ):
                raise RegistryError(_("This profile was just taken over. Contact support."))
            profile.refresh_from_db()
            if own is None:
                ConsentRecord.objects.create(
                    profile=profile,
                    text_version=CONSENT_TEXT_VERSION,
                    method=ConsentMethod.ONLINE,
                    recorded_by=user,
                    obtained_on=timezone.localdate(),
                )
            _record(profile, user, "user", "", user.login)
        return profile
    raise wrong


# --- Export and erasure ------------------------------------------------------------------


def _row(obj: Model, exclude=()) -> dict[str, Any]:
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(obj, field.attname)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        elif hasattr(value, "as_e164"):
            value = value.as_e164
        elif field.get_internal_type() == "FileField":
            value = value.name if value else ""
        data[field.name] = value
    return data


# Related models deliberately left out of the export, and why.
EXPORT_EXCLUDED = {
    "claimcode": "one-time codes are secrets of the exchange, not data about the worker",
    "duplicateflag": "internal review of the registry; merged data is exported with the profile",
    "expiryreminder": "exported as the list of reminders sent",
}


def export_profile_data(profile: MigrantProfile) -> dict[str, Any]:
    """Everything the exchange holds about the worker, machine-readable (GDPR art. 15, 20)."""
    user = profile.user
    return {
        "format": "labor-exchange-migrant-export/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "phone": user.phone.as_e164 if user.phone else None,
            "full_name": user.full_name,
            "language": user.language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        }
        if user
        else None,
        "profile": {
            **_row(profile, exclude={"passport_hash"}),
            "registered_by": profile.registered_by.name if profile.registered_by else None,
            "skills": [s.code for s in profile.skills.all()],
            "desired_regions": [r.code for r in profile.desired_regions.all()],
        },
        "occupations": [_row(o, exclude={"id", "profile"}) for o in profile.occupations.all()],
        "languages": [_row(lang, exclude={"id", "profile"}) for lang in profile.languages.all()],
        "consents": [_row(c, exclude={"profile"}) for c in profile.consents.all()],
        "documents": [
            {
                **_row(d, exclude={"profile"}),
                "content_base64": base64.b64encode(d.file.read()).decode() if d.file else "",
            }
            for d in _opened(profile.documents.all())
        ],
        "changes": [_row(c, exclude={"profile"}) for c in profile.changes.all()],
        "passport_views": [
            {"viewed_at": v.viewed_at.isoformat()}
            for v in PassportView.objects.filter(profile=profile)
        ],
        "access_requests": [
            _row(a, exclude={"profile", "message"}) for a in profile.access_requests.all()
        ],
        "erasure_requests": [_row(e, exclude={"profile"}) for e in profile.erasure_requests.all()],
        "reminders_sent": [
            _row(r, exclude={"id", "profile"})
            for r in ExpiryReminder.objects.filter(profile=profile)
        ],
    }


def _opened(documents):
    for document in documents:
        with document.file.open("rb"):
            yield document


@transaction.atomic
def request_erasure(*, profile: MigrantProfile, by: User) -> ErasureRequest:
    if by.pk != profile.user_id:
        raise PermissionDenied
    request, _created = ErasureRequest.objects.get_or_create(
        profile=profile, status=RequestStatus.PENDING, defaults={"requested_by": by}
    )
    return request


def _anonymise(profile: MigrantProfile) -> list[str]:
    """Blank every personal field; returns the names of the files to delete."""
    files = [d.file.name for d in profile.documents.all()]
    files += [c.evidence.name for c in profile.consents.exclude(evidence="")]
    profile.documents.all().delete()
    profile.consents.update(evidence="", note="")
    profile.occupations.all().delete()
    profile.languages.all().delete()
    profile.skills.clear()
    profile.desired_regions.clear()
    profile.changes.update(old_value="", new_value="")
    profile.access_requests.update(message="")
    ClaimCode.objects.filter(profile=profile).delete()
    ExpiryReminder.objects.filter(profile=profile).delete()
    DuplicateFlag.objects.filter(Q(profile=profile) | Q(other=profile)).delete()
    for field in MigrantProfile._meta.concrete_fields:
        if field.name in SCALAR_FIELDS or field.name in ("passport_hash", "verification_note"):
            setattr(profile, field.name, field.get_default() if not field.null else None)
    profile.passport_number = ""
    profile.is_visible = False
    profile.erased_at = timezone.now()
    return files


@transaction.atomic
def confirm_erasure(*, request: ErasureRequest, by: User) -> None:
    """Erase the worker's data. What stays, as a trace the law needs: the profile's id,
    the registering agency, the dates and versions of consent, and who changed
    fields when (without the values)."""
    if not by.is_administrator:
        raise PermissionDenied
    profile = MigrantProfile.objects.select_for_update().get(pk=request.profile_id)
    files = _anonymise(profile)
    user = profile.user
    profile.user = None
    profile.save()
    if user is not None:
        user.email = f"erased-{user.pk}@erased.invalid"
        user.phone = None
        user.full_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
    request.status = RequestStatus.GRANTED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save()
    from migrants.storage import private_storage

    transaction.on_commit(lambda: [private_storage.delete(name) for name in files])
    worker_changed.send(
        sender=__name__, profile_id=request.profile_id
    )  # an erased worker leaves matching


@transaction.atomic
def refuse_erasure(*, request: ErasureRequest, by: User, note: str) -> None:
    if not by.is_administrator:
        raise PermissionDenied
    request.status = RequestStatus.REFUSED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.note = note
    request.save()


# --- Reminders ---------------------------------------------------------------------------


def _threshold(days_left: int, thresholds: list[int]) -> int | None:
    """The smallest threshold the expiry is within: 5 days left with [30, 7] -> 7."""
    within = [t for t in thresholds if days_left <= t]
    return min(within) if within else None


def send_expiry_reminders(*, today: datetime.date | None = None) -> int:
    """Remind workers of passports, patents and permits about to expire.

    Idempotent: the ExpiryReminder row is claimed by a unique key in the same
    transaction as the send, so a repeated or concurrent run sends nothing twice.
    """
    today = today or timezone.localdate()
    thresholds = sorted(settings.MIGRANTS_REMINDER_DAYS)
    if not thresholds:
        return 0
    horizon = today + datetime.timedelta(days=max(thresholds))
    due = []
    for profile in MigrantProfile.objects.active().filter(
        passport_expiry__gte=today, passport_expiry__lte=horizon
    ):
        due.append((profile, "passport", _("passport"), profile.passport_expiry))
    documents = (
        Document.objects.filter(
            doc_type__in=EXPIRING_DOCUMENTS,
            expires_on__gte=today,
            expires_on__lte=horizon,
            profile__erased_at__isnull=True,
            profile__merged_into__isnull=True,
        )
        .exclude(verification_status=VerificationStatus.REJECTED)
        .select_related("profile")
    )
    for document in documents:
        due.append(
            (
                document.profile,
                f"document:{document.pk}",
                DocumentType(document.doc_type).label,
                document.expires_on,
            )
        )
    sent = 0
    for profile, subject, label, expires_on in due:
        threshold = _threshold((expires_on - today).days, thresholds)
        if threshold is None or not (profile.phone or profile.email):
            continue
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(
                    profile=profile, subject=subject, expires_on=expires_on, days_before=threshold
                )
                with translation.override(profile.preferred_language or settings.LANGUAGE_CODE):
                    text = _("Your %(document)s expires on %(date)s. Renew it in time.") % {
                        "document": label,
                        "date": expires_on.isoformat(),
                    }
                    title = _("A document expires soon")
                _notify(profile, title, text)
                if profile.user_id:
                    _to_inbox(profile, subject, expires_on, threshold, title, text)
                if profile.registered_by_id:  # the agency's webhooks (exchange.events)
                    emit(
                        DOCUMENT_EXPIRING,
                        {
                            "worker": profile.pk,
                            "external_id": profile.external_id,
                            "document": subject,
                            "expires_on": expires_on.isoformat(),
                            "days_left": (expires_on - today).days,
                        },
                        agency_ids=[profile.registered_by_id],
                    )
        except IntegrityError:
            continue  # already reminded for this document and threshold
        sent += 1
    return sent


def _to_inbox(profile, subject, expires_on, threshold, title: str, text: str) -> None:
    """The reminder also waits in the worker's inbox (the outbox's in-app channel), in
    the same transaction as its ExpiryReminder row; the text message or e-mail above
    still goes to the contact the worker chose on the profile."""
    from notifications.models import Channel
    from notifications.services import Message, notify

    notify(
        [profile.user],
        event="document.expiring",
        key=f"expiry:{profile.pk}:{subject}:{expires_on.isoformat()}:{threshold}",
        message=Message(subject=title, body=text, params={}, url=reverse("migrants:dashboard")),
        channels=[Channel.IN_APP],
    )
