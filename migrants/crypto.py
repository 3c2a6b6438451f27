"""Encryption at rest for passport numbers, and the keyed hash that finds duplicates.

A thin field on `cryptography`'s MultiFernet (ADR 0010): dedicated keys from the
environment (settings.MIGRANTS_PASSPORT_KEYS, newest first), decryption failures
raise instead of passing ciphertext off as a value, and rotation re-encrypts
with the newest key (`manage.py rotate_passport_keys`). Fernet is randomised, so
the column cannot be searched: exact-duplicate lookups use `passport_hash()`,
an HMAC-SHA256 of the normalised number under a separate key.
"""

import hashlib
import hmac
import unicodedata
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("MIGRANTS_PASSPORT_KEYS is empty")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "MIGRANTS_PASSPORT_KEYS must be url-safe base64 Fernet keys (32 bytes each)"
        ) from error


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.MIGRANTS_PASSPORT_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        # Never fall back to the stored ciphertext: a wrong key must be noticed.
        raise DecryptionError(
            "A passport number cannot be decrypted with MIGRANTS_PASSPORT_KEYS "
            "(a key was removed before `rotate_passport_keys` ran?)"
        ) from error


def rotate(token: str) -> str:
    """The same plaintext, encrypted with the newest key."""
    try:
        return fernet().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("A passport number cannot be decrypted for rotation") from error


class EncryptedCharField(models.TextField):
    """Stores a short string encrypted (a Fernet token); reads it back decrypted.

    Only `isnull` and exact emptiness make sense in queries; search by the blind index.
    """

    description = "An encrypted string"

    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        return decrypt(value)

    def to_python(self, value):
        return "" if value is None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return ""
        return encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull", "exact"}:
            return None
        return super().get_lookup(lookup_name)


# Cyrillic letters that look like Latin ones: a clerk typing "АА1234567" in the
# Cyrillic layout must hit the same passport as "AA1234567".
_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТУХІ", "ABEKMHOPCTYXI")


def normalize_passport_number(number: str) -> str:
    """Upper case, Latin look-alikes, no spaces, dashes or other separators."""
    number = unicodedata.normalize("NFKC", number or "").upper().translate(_HOMOGLYPHS)
    return "".join(ch for ch in number if ch.isalnum())


def passport_hash(citizenship: str, number: str) -> str:
    """HMAC-SHA256 blind index of (citizenship, passport number)."""
    message = f"{citizenship.upper()}:{normalize_passport_number(number)}".encode()
    key = settings.MIGRANTS_PASSPORT_HASH_KEY.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def mask(number: str) -> str:
    """ "AA1234567" -> "AA•••••67": enough to recognise, not enough to use."""
    if not number:
        return ""
    if len(number) <= 4:
        return "•" * len(number)
    return number[:2] + "•" * (len(number) - 4) + number[-2:]
