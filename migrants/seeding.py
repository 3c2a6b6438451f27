"""Demo worker profiles for `manage.py seed_demo` (runs after exchange's seeder).

Gives profiles to the migrant accounts exchange created (Uzbekistan, Tajikistan,
Kyrgyzstan), adds a few workers from other countries, lets the agencies register
about a fifth of them (those accounts can claim their profile by code), and adds
near-duplicates spelt another way for the administrators' review queue. Names are
in both scripts; occupations, skills and languages fit together. Deterministic
(random generators seeded per phone number) and idempotent (a worker whose
account or phone already has a profile is skipped).
"""

import datetime
import random
import re

from django.utils import timezone

from exchange.choices import CEFRLevel, EducationLevel, Role, VerificationStatus
from exchange.models import Agency, Occupation, Region, Skill, User
from exchange.seeding import DEMO_DOMAIN, NAMES, SeedContext
from migrants.choices import ConsentMethod, Gender, NotificationChannel
from migrants.crypto import passport_hash
from migrants.models import (
    CONSENT_TEXT_VERSION,
    ConsentRecord,
    MigrantLanguage,
    MigrantOccupation,
    MigrantProfile,
)
from migrants.services import flag_likely_duplicates

# The jobs migrant workers mostly do in Russia (ISCO-08 unit groups), with the
# driving categories that go with them.
OCCUPATIONS = {
    "9313": "",
    "7112": "",
    "7115": "",
    "7212": "",
    "7411": "",
    "7126": "",
    "7123": "",
    "7131": "",
    "8332": "BCE",
    "8322": "B",
    "8342": "BC",
    "8344": "B",
    "7231": "B",
    "5120": "",
    "9112": "",
    "9211": "",
    "9333": "",
    "5223": "",
    "9321": "",
}
NATIVE = {
    "UZ": "uz",
    "TJ": "tg",
    "KG": "ky",
    "AZ": "az",
    "MD": "ro",
    "AM": "hy",
    "VN": "vi",
    "IN": "hi",
}
RUSSIAN_LEVELS = {
    "UZ": ["A2", "B1", "B1", "B2"],
    "TJ": ["A1", "A2", "B1", "B1"],
    "KG": ["B1", "B2", "C1", "native"],
    "AZ": ["B1", "B2", "C1"],
    "MD": ["B2", "C1", "native"],
    "AM": ["B1", "B2", "C1"],
    "VN": ["A1", "A2"],
    "IN": ["A1", "A2"],
}
# A few workers from other countries (no agency of theirs in the demo).
OTHERS = {
    "AZ": (["Elvin", "Rashad", "Orkhan", "Leyla"], ["Aliyev", "Mammadov", "Huseynov"]),
    "MD": (["Ion", "Vasile", "Mihai", "Elena"], ["Rusu", "Ceban", "Popa"]),
    "AM": (["Armen", "Davit", "Narek", "Anna"], ["Petrosyan", "Hakobyan", "Sargsyan"]),
    "VN": (["Nguyen Van", "Tran Thi", "Le Van"], ["An", "Binh", "Cuong"]),
    "IN": (["Rahul", "Amit", "Sunil"], ["Sharma", "Singh", "Kumar"]),
}
FEMALE = {"Aziza", "Dilnoza", "Gulnora", "Malika", "Nodira", "Zarina", "Nigina", "Shahlo",
          "Aigerim", "Cholpon", "Kanykei", "Leyla", "Elena", "Anna", "Tran Thi"}  # fmt: skip
PASSPORT_PREFIX = {
    "UZ": "FA",
    "TJ": "40",
    "KG": "AC",
    "AZ": "C0",
    "MD": "B0",
    "AM": "AT",
    "VN": "C",
    "IN": "Z",
}
REGIONS = ["77", "50", "78", "47", "66", "16", "23", "54", "72", "24", "89", "40"]

_TO_CYRILLIC = [
    ("shch", "щ"), ("kh", "х"), ("zh", "ж"), ("ch", "ч"), ("sh", "ш"), ("ts", "ц"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("a", "а"), ("b", "б"), ("v", "в"),
    ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "й"), ("k", "к"),
    ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"),
    ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("j", "ж"), ("q", "к"), ("x", "х"),
    ("c", "к"), ("w", "в"), (" ", " "),
]  # fmt: skip


def to_cyrillic(name: str) -> str:
    """A plausible Russian spelling of a Latin name (Jasur -> Жасур, Kholmatov -> Холматов)."""
    out, text = [], name.lower()
    while text:
        for latin, cyrillic in _TO_CYRILLIC:
            if text.startswith(latin):
                out.append(cyrillic)
                text = text[len(latin) :]
                break
        else:
            text = text[1:]
    word = "".join(out)
    word = re.sub(r"^е", "э", word)
    return " ".join(part[:1].upper() + part[1:] for part in word.split(" "))


def variant(name: str) -> str:
    """Another common romanisation of the same name, for near-duplicates."""
    for old, new in (("Yu", "Iu"), ("kh", "h"), ("Kh", "H"), ("ye", "e"), ("J", "Dj"), ("ll", "l")):
        if old in name:
            return name.replace(old, new, 1)
    return name.replace("i", "y", 1) if "i" in name else name.replace("o", "a", 1)


def _skills_by_occupation() -> dict[str, list[int]]:
    result: dict[str, list[int]] = {}
    links = Skill.occupations.through.objects.filter(skill__is_active=True).values_list(
        "occupation_id", "skill_id"
    )
    by_group: dict[str, list[int]] = {}
    for code, skill_id in links:
        by_group.setdefault(code, []).append(skill_id)
    for code in OCCUPATIONS:
        result[code] = sorted({s for n in range(1, 5) for s in by_group.get(code[:n], [])})
    return result


def seed(ctx: SeedContext) -> dict[str, int]:
    agencies = {agency.country: agency for agency in Agency.objects.all()}
    available_occupations = set(
        Occupation.objects.filter(code__in=OCCUPATIONS).values_list("code", flat=True)
    )
    occupations = [code for code in OCCUPATIONS if code in available_occupations]
    skills = _skills_by_occupation()
    regions = {r.code: r for r in Region.objects.filter(code__in=REGIONS)}
    today = timezone.localdate()

    taken_users = set(MigrantProfile.objects.exclude(user=None).values_list("user_id", flat=True))
    taken_phones = {
        str(p) for p in MigrantProfile.objects.exclude(phone="").values_list("phone", flat=True)
    }
    taken_passports = set(
        MigrantProfile.objects.exclude(passport_hash=None).values_list("passport_hash", flat=True)
    )

    people = list(
        User.objects.filter(role=Role.MIGRANT, phone__isnull=False)
        .exclude(email__startswith="erased-")
        .order_by("phone")[: ctx.migrants]
    )
    people += _other_country_users(ctx)
    named = User.objects.filter(email=f"migrant@{DEMO_DOMAIN}").first()

    plans = []  # (profile, occupation codes with years, languages, skill ids, region codes)
    twins = []
    for index, user in enumerate([*([named] if named else []), *people]):
        if user.pk in taken_users or str(user.phone or "") in taken_phones:
            continue
        key = str(user.phone or user.email)
        rng = random.Random(f"{ctx.seed}-profile-{key}")
        country = _country_of(user)
        is_named = user == named
        first, last = ([*user.full_name.split(" ", 1), ""])[:2]
        if not last:
            last = rng.choice(NAMES.get(country, OTHERS.get(country, ([], ["Karimov"])))[1])
        by_agency = not is_named and country in agencies and rng.random() < 0.2
        number = f"{PASSPORT_PREFIX.get(country, 'N')}{rng.randrange(10**6, 10**7)}{index % 10}"
        if passport_hash(country, number) in taken_passports:
            continue
        status = (
            VerificationStatus.VERIFIED
            if is_named or rng.random() < 0.6
            else rng.choice(
                [
                    VerificationStatus.PENDING,
                    VerificationStatus.PENDING,
                    VerificationStatus.REJECTED,
                ]
            )
        )
        birth = today - datetime.timedelta(days=rng.randrange(19 * 365, 55 * 365))
        profile = MigrantProfile(
            user=None if by_agency else user,
            registered_by=agencies.get(country) if by_agency else None,
            first_name_latin=first,
            last_name_latin=last,
            first_name_cyrillic=to_cyrillic(first),
            last_name_cyrillic=to_cyrillic(last),
            birth_date=birth,
            gender=Gender.FEMALE if first in FEMALE else Gender.MALE,
            citizenship=country,
            passport_number=number,
            passport_hash=passport_hash(country, number),
            passport_expiry=today + datetime.timedelta(days=rng.randrange(20, 9 * 365)),
            phone=user.phone or "",
            email=user.email or "",
            preferred_language=user.language or "ru",
            notification_channel=NotificationChannel.SMS
            if user.phone
            else NotificationChannel.EMAIL,
            education=rng.choice(
                [
                    EducationLevel.BASIC_SECONDARY,
                    EducationLevel.SECONDARY,
                    EducationLevel.SECONDARY,
                    EducationLevel.VOCATIONAL,
                    EducationLevel.VOCATIONAL,
                    EducationLevel.HIGHER,
                ]
            ),
            anywhere_in_russia=rng.random() < 0.3,
            min_salary=rng.randrange(45, 140) * 1000,
            available_from=today + datetime.timedelta(days=rng.randrange(-30, 120)),
            rotation_ok=rng.random() < 0.5,
            verification_status=status,
            verification_note="Фото паспорта нечитаемо, загрузите снова."
            if status == VerificationStatus.REJECTED
            else "",
            verified_at=timezone.now() if status == VerificationStatus.VERIFIED else None,
            submitted_at=timezone.now(),
        )
        jobs = rng.sample(occupations, k=min(len(occupations), rng.choice([1, 1, 2, 3])))
        profile.driving_categories = [
            c for c in ("B", "C", "D", "CE") if c in "".join(OCCUPATIONS[j] for j in jobs)
        ]
        job_years = [(job, rng.randrange(1, 16)) for job in jobs]
        native = NATIVE.get(country)
        languages = {"ru": rng.choice(RUSSIAN_LEVELS.get(country, ["A2"]))}
        if native and native != "ru":
            languages[native] = CEFRLevel.NATIVE
        if rng.random() < 0.1:
            languages["en"] = rng.choice(["A1", "A2", "B1"])
        skill_ids = sorted(
            {
                s
                for job in jobs
                for s in rng.sample(skills.get(job, []), k=min(3, len(skills.get(job, []))))
            }
        )
        wanted = (
            [] if profile.anywhere_in_russia else rng.sample(sorted(regions), k=rng.randrange(1, 4))
        )
        plans.append((profile, job_years, languages, skill_ids, wanted))
        taken_passports.add(profile.passport_hash)
        # About one in forty self-registered workers is registered again by an agency,
        # spelt another way, with another passport: the review queue's material.
        if not by_agency and not is_named and country in agencies and index % 40 == 7:
            twin_number = f"{PASSPORT_PREFIX[country]}{rng.randrange(10**6, 10**7)}9"
            if passport_hash(country, twin_number) not in taken_passports:
                twin = MigrantProfile(
                    registered_by=agencies[country],
                    first_name_latin=variant(first),
                    last_name_latin=variant(last),
                    first_name_cyrillic=profile.first_name_cyrillic,
                    last_name_cyrillic=profile.last_name_cyrillic,
                    birth_date=birth,
                    gender=profile.gender,
                    citizenship=country,
                    passport_number=twin_number,
                    passport_hash=passport_hash(country, twin_number),
                    passport_expiry=profile.passport_expiry,
                    preferred_language=profile.preferred_language,
                    education=profile.education,
                    min_salary=profile.min_salary,
                    submitted_at=timezone.now(),
                )
                taken_passports.add(twin.passport_hash)
                plans.append((twin, job_years[:1], languages, [], wanted))
                twins.append(twin)

    created = 0
    for start in range(0, len(plans), 1000):
        batch = plans[start : start + 1000]
        MigrantProfile.objects.bulk_create([plan[0] for plan in batch])
        _write_related(batch)
        created += len(batch)
        ctx.advance(len(batch))
    flagged = sum(len(flag_likely_duplicates(twin)) for twin in twins)
    return {
        "worker profiles": created,
        "registered by agencies": sum(1 for p, *_ in plans if p.registered_by_id),
        "near-duplicates flagged": flagged,
    }


def _write_related(batch) -> None:
    occupations, languages, consents, skill_links, region_links = [], [], [], [], []
    SkillLink = MigrantProfile.skills.through
    RegionLink = MigrantProfile.desired_regions.through
    now = timezone.now()
    for profile, job_years, langs, skill_ids, wanted in batch:
        occupations += [
            MigrantOccupation(profile=profile, occupation_id=code, years_experience=years)
            for code, years in job_years
        ]
        languages += [
            MigrantLanguage(profile=profile, language=code, level=level)
            for code, level in langs.items()
        ]
        consents.append(
            ConsentRecord(
                profile=profile,
                text_version=CONSENT_TEXT_VERSION,
                given_at=now,
                obtained_on=now.date(),
                method=ConsentMethod.SIGNED_FORM
                if profile.registered_by_id
                else ConsentMethod.ONLINE,
                agency_id=profile.registered_by_id,
                recorded_by_id=profile.user_id,
            )
        )
        skill_links += [SkillLink(migrantprofile=profile, skill_id=s) for s in skill_ids]
        region_links += [RegionLink(migrantprofile=profile, region_id=code) for code in wanted]
    MigrantOccupation.objects.bulk_create(occupations)
    MigrantLanguage.objects.bulk_create(languages)
    ConsentRecord.objects.bulk_create(consents)
    SkillLink.objects.bulk_create(skill_links)
    RegionLink.objects.bulk_create(region_links)


def _country_of(user: User) -> str:
    phone = str(user.phone or "")
    for country, prefix in (("UZ", "+998"), ("TJ", "+992"), ("KG", "+996")):
        if phone.startswith(prefix):
            return country
    if user.email and user.email.startswith("worker-"):
        return user.email.split("-")[1].upper()
    return "UZ"


def _other_country_users(ctx: SeedContext) -> list[User]:
    """A few accounts from countries beyond the three big ones: one in twenty-five."""
    count = ctx.migrants // 25
    users = []
    countries = sorted(OTHERS)
    for index in range(count):
        country = countries[index % len(countries)]
        rng = random.Random(f"{ctx.seed}-other-{index}")
        firsts, lasts = OTHERS[country]
        user, _created = User.objects.get_or_create(
            email=f"worker-{country.lower()}-{index}@{DEMO_DOMAIN}",
            defaults={
                "role": Role.MIGRANT,
                "full_name": f"{rng.choice(firsts)} {rng.choice(lasts)}",
                "language": "ru" if country in ("AZ", "MD", "AM") else "en",
                "password": ctx.password_hash(),
            },
        )
        users.append(user)
    return users
