"""Fixed choice lists shared across the exchange."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MIGRANT = "migrant", _("Migrant worker")
    EMPLOYER = "employer", _("Employer")
    AGENCY = "agency", _("Partner agency")
    ADMINISTRATOR = "administrator", _("Administrator")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class CEFRLevel(models.TextChoices):
    """Common European Framework of Reference levels, plus native speaker.

    The stored values sort in level order, so "held >= required" is a plain
    comparison of `CEFR_RANK` values.
    """

    A1 = "A1", _("A1 — beginner")
    A2 = "A2", _("A2 — elementary")
    B1 = "B1", _("B1 — intermediate")
    B2 = "B2", _("B2 — upper intermediate")
    C1 = "C1", _("C1 — advanced")
    C2 = "C2", _("C2 — proficient")
    NATIVE = "native", _("Native speaker")


CEFR_RANK = {level: rank for rank, level in enumerate(CEFRLevel.values, start=1)}


class OccupationLevel(models.IntegerChoices):
    """The four levels of ISCO-08; the level is the length of the code."""

    MAJOR = 1, _("Major group")
    SUB_MAJOR = 2, _("Sub-major group")
    MINOR = 3, _("Minor group")
    UNIT = 4, _("Unit group")


class RegionKind(models.TextChoices):
    REPUBLIC = "republic", _("Republic")
    KRAI = "krai", _("Krai")
    OBLAST = "oblast", _("Oblast")
    FEDERAL_CITY = "federal_city", _("Federal city")
    AUTONOMOUS_OBLAST = "autonomous_oblast", _("Autonomous oblast")
    AUTONOMOUS_OKRUG = "autonomous_okrug", _("Autonomous okrug")


class FederalDistrict(models.TextChoices):
    CENTRAL = "central", _("Central")
    NORTHWESTERN = "northwestern", _("Northwestern")
    SOUTHERN = "southern", _("Southern")
    NORTH_CAUCASIAN = "north_caucasian", _("North Caucasian")
    VOLGA = "volga", _("Volga")
    URAL = "ural", _("Ural")
    SIBERIAN = "siberian", _("Siberian")
    FAR_EASTERN = "far_eastern", _("Far Eastern")


class EducationLevel(models.TextChoices):
    """Education levels, in increasing order (ISCED-like, named as Russian forms
    and job ads name them). Used by worker profiles and vacancy requirements."""

    NONE = "none", _("No formal education")
    PRIMARY = "primary", _("Primary")
    BASIC_SECONDARY = "basic_secondary", _("Basic secondary (9 grades)")
    SECONDARY = "secondary", _("Secondary (11 grades)")
    VOCATIONAL = "vocational", _("Vocational / technical")
    INCOMPLETE_HIGHER = "incomplete_higher", _("Incomplete higher")
    HIGHER = "higher", _("Higher (bachelor or specialist)")
    POSTGRADUATE = "postgraduate", _("Master's or postgraduate")


EDUCATION_RANK = {level: rank for rank, level in enumerate(EducationLevel.values)}
