"""Deterministic demo data for `manage.py seed_demo`.

Each app that has demo objects provides `<app>/seeding.py` with a function
`seed(ctx: SeedContext) -> dict[str, int]`; the command runs them in the order
of INSTALLED_APPS, so later apps can use what earlier ones created. Every seeder
must be safe to run twice (look up by a natural key, never add duplicates).
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password

from exchange.choices import LicenceStatus, Role, VerificationStatus
from exchange.models import Agency, Employer, Region, User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 (printed to demo users on purpose)
DEMO_DOMAIN = "demo.exchange"


@dataclass
class SeedContext:
    """What every seeder gets: the options, a seeded random generator, a progress hook."""

    seed: int
    migrants: int
    vacancies: int
    rng: random.Random
    advance: Any = lambda steps=1: None  # progress callback, set by the command
    shared: dict[str, Any] = field(default_factory=dict)  # handed from one seeder to the next

    def password_hash(self) -> str:
        # Argon2 is slow on purpose; demo users share one hash so 10,000 of them
        # take seconds, not minutes.
        if "password_hash" not in self.shared:
            self.shared["password_hash"] = make_password(DEMO_PASSWORD)
        return self.shared["password_hash"]


# --- Valid-looking Russian registration numbers --------------------------------------


def _inn10(body: str) -> str:
    weights = [2, 4, 10, 3, 5, 9, 4, 6, 8]
    check = sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11 % 10
    return body + str(check)


def _ogrn13(body: str) -> str:
    return body + str(int(body) % 11 % 10)


def make_inn(rng: random.Random, region_code: str) -> str:
    """A 10-digit organization INN whose first two digits are the region code."""
    return _inn10(region_code + "".join(str(rng.randrange(10)) for _ in range(7)))


def make_ogrn(rng: random.Random, region_code: str) -> str:
    """A 13-digit OGRN: sign 1, year 2 digits, region 2 digits, then the record number."""
    year = f"{rng.randrange(2, 24):02d}"
    return _ogrn13("1" + year + region_code + "".join(str(rng.randrange(10)) for _ in range(7)))


# --- Demo organizations and people -------------------------------------------------------

EMPLOYERS = [
    ("ООО «СтройМонтаж-Сити»", "77", "г. Москва, ул. Строителей, д. 12"),
    ("АО «Уральский машиностроительный завод»", "66", "г. Екатеринбург, пр. Космонавтов, д. 18"),
    ("ООО «Агрохолдинг Кубань»", "23", "г. Краснодар, ул. Северная, д. 320"),
    ("ООО «Северное сияние»", "78", "г. Санкт-Петербург, Невский пр., д. 100"),
    ("ООО «Логистик-Подмосковье»", "50", "г. Подольск, ул. Железнодорожная, д. 5"),
    ("ООО «Татнефтьсервис»", "16", "г. Казань, ул. Баумана, д. 44"),
    ("ООО «Сибирский лес»", "24", "г. Красноярск, ул. Мира, д. 7"),
    ("ООО «Тюменьстройдор»", "72", "г. Тюмень, ул. Республики, д. 150"),
    ("ООО «Новосибирский хлебозавод»", "54", "г. Новосибирск, ул. Ленина, д. 30"),
    ("ООО «Дальрыбпром»", "25", "г. Владивосток, ул. Светланская, д. 9"),
    ("ООО «Калужские теплицы»", "40", "г. Калуга, ул. Кирова, д. 21"),
    ("ООО «Ямал Вахта Сервис»", "89", "г. Новый Уренгой, ул. Юбилейная, д. 3"),
]

AGENCIES = [
    ("Uzbekistan Labour Mobility Agency", "UZ", "UZ-AG-0147", ["UZ"]),
    ("Khujand Employment Partners", "TJ", "TJ-0932", ["TJ"]),
    ("Bishkek Work Abroad", "KG", "KG-2021-55", ["KG", "KZ"]),
]

NAMES = {
    "UZ": (
        [
            "Akmal",
            "Bobur",
            "Dilshod",
            "Farrukh",
            "Jasur",
            "Rustam",
            "Sherzod",
            "Ulugbek",
            "Aziza",
            "Dilnoza",
            "Gulnora",
            "Malika",
            "Otabek",
            "Sardor",
            "Nodira",
        ],
        [
            "Karimov",
            "Rakhimov",
            "Yusupov",
            "Tursunov",
            "Nazarov",
            "Saidov",
            "Abdullaev",
            "Ergashev",
            "Mirzaev",
            "Kholmatov",
        ],
        "+99890",
    ),
    "TJ": (
        [
            "Firdavs",
            "Parviz",
            "Siyovush",
            "Manuchehr",
            "Daler",
            "Bakhtiyor",
            "Zarina",
            "Nigina",
            "Shahlo",
            "Farhod",
        ],
        ["Rahmonov", "Sharipov", "Davlatov", "Saidov", "Karimzoda", "Nazarzoda", "Odinaev"],
        "+99293",
    ),
    "KG": (
        ["Aibek", "Bakyt", "Nurlan", "Azamat", "Ermek", "Aigerim", "Cholpon", "Kanykei", "Talant"],
        ["Asanov", "Toktogulov", "Abdyrakhmanov", "Sadykov", "Mamytov", "Usenov"],
        "+996700",
    ),
}


ADMIN_LOGIN = f"admin@{DEMO_DOMAIN}"


def demo_logins() -> list[tuple[str, str]]:
    """(who, login) of the accounts to try the exchange with; all use DEMO_PASSWORD."""
    return [
        ("administrator", ADMIN_LOGIN),
        ("employer (verified)", f"employer1@{DEMO_DOMAIN}"),
        ("employer (awaiting verification)", f"employer{len(EMPLOYERS)}@{DEMO_DOMAIN}"),
        *[
            (f"agency ({country})", f"agency-{country.lower()}@{DEMO_DOMAIN}")
            for _, country, _, _ in AGENCIES
        ],
        ("migrant worker", f"migrant@{DEMO_DOMAIN}"),
    ]


def _upsert_user(ctx: SeedContext, *, email: str, role: str, full_name: str, **extra) -> User:
    user, _ = User.objects.update_or_create(
        email=email,
        defaults={"role": role, "full_name": full_name, "password": ctx.password_hash(), **extra},
    )
    return user


def seed(ctx: SeedContext) -> dict[str, int]:
    """The shared core's demo data: an administrator, employers, agencies, users of every role."""
    regions = {region.code: region for region in Region.objects.all()}

    admin = _upsert_user(
        ctx,
        email=ADMIN_LOGIN,
        role=Role.ADMINISTRATOR,
        full_name="Анна Администраторова",
        is_staff=True,
        is_superuser=True,
        language="ru",
    )

    employers = []
    for index, (name, region_code, address) in enumerate(EMPLOYERS):
        rng = random.Random(f"{ctx.seed}-employer-{index}")
        inn = make_inn(rng, region_code)
        verified = index < len(EMPLOYERS) - 2  # the last two wait in the verification queue
        employer, _ = Employer.objects.update_or_create(
            legal_name=name,
            defaults={
                "inn": inn,
                "ogrn": make_ogrn(rng, region_code),
                "region": regions[region_code],
                "address": address,
                "contact_name": "Ирина Кадровикова",
                "contact_email": f"hr{index + 1}@{DEMO_DOMAIN}",
                "contact_phone": f"+7495{rng.randrange(10**7):07d}",
                "verification_status": VerificationStatus.VERIFIED
                if verified
                else VerificationStatus.PENDING,
                "verified_by": admin if verified else None,
            },
        )
        employers.append(employer)
        _upsert_user(
            ctx,
            email=f"employer{index + 1}@{DEMO_DOMAIN}",
            role=Role.EMPLOYER,
            full_name=f"Менеджер по персоналу {index + 1}",
            employer=employer,
            language="ru",
        )
        ctx.advance()
    ctx.shared["employers"] = employers

    agencies = []
    for name, country, licence, served in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            country=country,
            licence_number=licence,
            defaults={
                "name": name,
                "licence_status": LicenceStatus.VALID,
                "countries_served": served,
                "contact_email": f"office-{country.lower()}@{DEMO_DOMAIN}",
            },
        )
        agencies.append(agency)
        _upsert_user(
            ctx,
            email=f"agency-{country.lower()}@{DEMO_DOMAIN}",
            role=Role.AGENCY,
            full_name=f"{name} — recruiter",
            agency=agency,
            language={"UZ": "uz", "TJ": "tg", "KG": "ky"}[country],
        )
        ctx.advance()
    ctx.shared["agencies"] = agencies

    _upsert_user(
        ctx,
        email=f"migrant@{DEMO_DOMAIN}",
        role=Role.MIGRANT,
        full_name="Jasur Karimov",
        language="uz",
    )

    created = 0
    for batch in _batches(_demo_migrants(ctx), 1000):
        before = User.objects.filter(role=Role.MIGRANT).count()
        User.objects.bulk_create(batch, ignore_conflicts=True)
        created += User.objects.filter(role=Role.MIGRANT).count() - before
        ctx.advance(len(batch))
    return {"employers": len(employers), "agencies": len(agencies), "new migrant accounts": created}


def _demo_migrants(ctx: SeedContext) -> Iterator[User]:
    """Migrant accounts with phone logins; the phone is derived from the index, so a
    second run produces the same numbers and creates nothing new."""
    countries = ["UZ"] * 5 + ["TJ"] * 3 + ["KG"] * 2  # roughly the real shares
    language = {"UZ": "uz", "TJ": "tg", "KG": "ky"}
    for index in range(ctx.migrants):
        rng = random.Random(f"{ctx.seed}-migrant-{index}")
        country = countries[index % len(countries)]
        first_names, surnames, prefix = NAMES[country]
        digits = 12 - (len(prefix) - 1)  # E.164 numbers of these countries have 12 digits
        yield User(
            phone=f"{prefix}{index:0{digits}d}",
            role=Role.MIGRANT,
            full_name=f"{rng.choice(first_names)} {rng.choice(surnames)}",
            language=language[country],
            password=ctx.password_hash(),
        )


def _batches(items, size):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
