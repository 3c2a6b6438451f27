"""Database builders shared by the matching tests: a verified worker in one occupation."""

from exchange.choices import CEFRLevel, VerificationStatus
from exchange.models import Agency
from migrants.models import MigrantLanguage, MigrantOccupation, MigrantProfile
from tests.factories import make_agency, make_profile


def worker(n: int, *, code="7112", russian=CEFRLevel.B1, skills=(), **fields) -> MigrantProfile:
    agency = Agency.objects.filter(licence_number="LIC-MATCH").first() or make_agency(
        "UZ", licence_number="LIC-MATCH"
    )
    profile = make_profile(
        agency=agency,
        passport_number=f"FA{n:07d}",
        phone=f"+9989011{n:05d}",
        **{"verification_status": VerificationStatus.VERIFIED, **fields},
    )
    MigrantOccupation.objects.create(profile=profile, occupation_id=code, years_experience=3)
    MigrantLanguage.objects.create(profile=profile, language="ru", level=russian)
    if skills:
        profile.skills.set(skills)
    return profile
