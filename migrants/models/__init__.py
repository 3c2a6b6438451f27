"""The registry of potential migrant workers, and the legal rules that say what they need.

`profile.py` holds the profile and who may see it, `work.py` occupations and languages,
`privacy.py` consent and erasure, `documents.py` scans and expiry reminders, `history.py`
the audit trail, `claims.py` claim codes, `duplicates.py` duplicate flags and access
requests, `rules.py` the legal rules. Callers import every name from `migrants.models`.
"""

from migrants.models.claims import ClaimCode
from migrants.models.documents import Document, ExpiryReminder
from migrants.models.duplicates import AccessRequest, DuplicateFlag
from migrants.models.history import PassportView, ProfileChange
from migrants.models.privacy import (
    CONSENT_TEXT,
    CONSENT_TEXT_VERSION,
    ConsentRecord,
    ErasureRequest,
)
from migrants.models.profile import (
    ADULT_AGE,
    MigrantProfile,
    MigrantProfileQuerySet,
    age_on,
    validate_adult,
)
from migrants.models.rules import CountryRegime, PatentRate, RegimeStep
from migrants.models.work import MigrantLanguage, MigrantOccupation

__all__ = [
    "ADULT_AGE",
    "CONSENT_TEXT",
    "CONSENT_TEXT_VERSION",
    "AccessRequest",
    "ClaimCode",
    "ConsentRecord",
    "CountryRegime",
    "Document",
    "DuplicateFlag",
    "ErasureRequest",
    "ExpiryReminder",
    "MigrantLanguage",
    "MigrantOccupation",
    "MigrantProfile",
    "MigrantProfileQuerySet",
    "PassportView",
    "PatentRate",
    "ProfileChange",
    "RegimeStep",
    "age_on",
    "validate_adult",
]
