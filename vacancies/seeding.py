"""Demo vacancies for `seed_demo`: realistic jobs across regions, occupations and
conditions, in every status, so that search and moderation show something real."""

import datetime
import random

from django.utils import timezone

from exchange.choices import EducationLevel, VerificationStatus
from exchange.models import Employer, Occupation, Region, Skill, User
from exchange.seeding import ADMIN_LOGIN
from vacancies.choices import EmploymentType, Housing, Meals, Schedule, VacancyStatus
from vacancies.models import Vacancy, VacancyLanguage, VacancyTransition
from vacancies.services import build_search_text

# (ISCO unit group, Russian job title, typical monthly pay in roubles, Russian level needed)
JOBS = [
    ("7112", "Каменщик", 95000, "A2"),
    ("7212", "Сварщик", 130000, "A2"),
    ("7115", "Плотник-бетонщик", 90000, "A2"),
    ("7123", "Штукатур-маляр", 85000, "A2"),
    ("7122", "Плиточник", 100000, "A2"),
    ("7126", "Сантехник", 90000, "B1"),
    ("7411", "Электромонтажник", 110000, "B1"),
    ("9313", "Разнорабочий на стройку", 70000, "A1"),
    ("8332", "Водитель грузовика (категория C)", 120000, "B1"),
    ("8344", "Водитель погрузчика", 80000, "A2"),
    ("9333", "Грузчик на склад", 65000, "A1"),
    ("4321", "Кладовщик", 70000, "B1"),
    ("9321", "Упаковщик на производство", 60000, "A1"),
    ("5120", "Повар", 75000, "A2"),
    ("9412", "Помощник повара", 55000, "A1"),
    ("9112", "Уборщик служебных помещений", 50000, "A1"),
    ("7512", "Пекарь", 65000, "A2"),
    ("7511", "Обвальщик мяса", 85000, "A1"),
    ("6111", "Рабочий в теплицу", 55000, "A1"),
    ("8211", "Сборщик на конвейер", 75000, "A2"),
    ("7533", "Швея", 60000, "A1"),
    ("9621", "Курьер", 80000, "A2"),
    ("5414", "Охранник", 60000, "B2"),
    ("8111", "Машинист горных выемочных машин", 140000, "B1"),
]
WEIGHTS = [1.0 / (rank + 1) for rank in range(len(JOBS))]  # a few jobs are most of the demand

# Where demand is: region code and its main city.
CITIES = {
    "77": "Москва",
    "50": "Подольск",
    "78": "Санкт-Петербург",
    "47": "Гатчина",
    "66": "Екатеринбург",
    "16": "Казань",
    "23": "Краснодар",
    "24": "Красноярск",
    "54": "Новосибирск",
    "72": "Тюмень",
    "25": "Владивосток",
    "40": "Калуга",
    "89": "Новый Уренгой",
    "86": "Сургут",
    "61": "Ростов-на-Дону",
    "63": "Самара",
    "52": "Нижний Новгород",
    "02": "Уфа",
    "74": "Челябинск",
    "38": "Иркутск",
}

DESCRIPTIONS = {
    "rotation": "Работа вахтовым методом: 60 дней работы / 30 дней отдыха. Проезд до объекта оплачивается.",
    "shifts": "Сменный график 2/2 по 12 часов. Официальное оформление с первого дня.",
    "full_day": "Пятидневная рабочая неделя, с 8:00 до 17:00. Официальное оформление, белая зарплата.",
    "flexible": "Гибкий график, выплаты дважды в месяц.",
}


def seed(ctx) -> dict[str, int]:
    employers = list(
        Employer.objects.filter(
            pk__in=[e.pk for e in ctx.shared.get("employers", [])],
            verification_status=VerificationStatus.VERIFIED,
        ).select_related("region")
    )
    existing = Vacancy.objects.filter(employer__in=employers).count() if employers else 0
    if not employers or existing >= ctx.vacancies:
        return {"vacancies": existing, "new vacancies": 0}

    units = {
        o.code: o
        for o in Occupation.objects.filter(code__in=[j[0] for j in JOBS]).select_related(
            "parent__parent__parent"
        )
    }
    jobs = [job for job in JOBS if job[0] in units]
    weights = [w for job, w in zip(JOBS, WEIGHTS, strict=True) if job[0] in units]
    skills_by_unit = {code: [] for code in units}
    for skill in Skill.objects.prefetch_related("occupations"):
        for occupation in skill.occupations.all():
            for code in units:
                if code.startswith(occupation.code):
                    skills_by_unit[code].append(skill)
    regions = {r.code: r for r in Region.objects.filter(code__in=CITIES)}
    admin = User.objects.filter(email=ADMIN_LOGIN).first()
    now = timezone.now()

    planned = []
    for index in range(existing, ctx.vacancies):
        rng = random.Random(f"{ctx.seed}-vacancy-{index}")
        employer = employers[index % len(employers)]
        code, title, pay, russian = rng.choices(jobs, weights=weights)[0]
        schedule = rng.choices(Schedule.values, weights=[5, 3, 1, 2])[0]
        salary_min = int(pay * rng.uniform(0.85, 1.1) / 1000) * 1000
        stated = rng.random()
        status = rng.choices(
            [
                VacancyStatus.PUBLISHED,
                VacancyStatus.SUBMITTED,
                VacancyStatus.DRAFT,
                VacancyStatus.EXPIRED,
                VacancyStatus.CLOSED,
            ],
            weights=[80, 8, 5, 4, 3],
        )[0]
        published_at = now - datetime.timedelta(hours=rng.randint(1, 24 * 40))
        region = employer.region if rng.random() < 0.6 else regions[rng.choice(sorted(regions))]
        vacancy = Vacancy(
            employer=employer,
            occupation=units[code],
            title=title,
            description=DESCRIPTIONS[schedule],
            duties=f"Выполнение работ по профессии «{title.lower()}» на объекте работодателя.",
            requirements="Опыт работы приветствуется. Готовность к физическому труду.",
            region=region,
            city=CITIES.get(region.code, region.name_ru),
            positions_total=min(200, 1 + int(rng.expovariate(0.15))),
            salary_min=salary_min if stated > 0.1 else None,
            salary_max=int(salary_min * rng.uniform(1.1, 1.5) / 1000) * 1000
            if stated > 0.4
            else None,
            employment_type=rng.choices(EmploymentType.values, weights=[8, 1, 2, 2])[0],
            schedule=schedule,
            contract_months=rng.choice([None, 3, 6, 12]),
            start_date=(now + datetime.timedelta(days=rng.randint(5, 60))).date(),
            experience_years=rng.choice([0, 0, 1, 2, 3]),
            education=rng.choice(
                [EducationLevel.NONE, EducationLevel.BASIC_SECONDARY, EducationLevel.VOCATIONAL]
            ),
            housing=rng.choices(Housing.values, weights=[3, 4, 2, 2, 1])[0]
            if schedule != "rotation"
            else Housing.SITE_CAMP,
            meals=rng.choice(Meals.values),
            transport_provided=rng.random() < 0.4,
            medical_card_required=code in {"5120", "9412", "7512", "7511"},
            document_help=rng.random() < 0.6,
            open_to_foreign_workers=rng.random() < 0.9,
            quota_bound=rng.random() < 0.15,
            contact_name="Отдел кадров",
            contact_phone=employer.contact_phone,
            status=status,
            submitted_at=published_at - datetime.timedelta(hours=2),
            published_at=None
            if status in (VacancyStatus.DRAFT, VacancyStatus.SUBMITTED)
            else published_at,
            expires_on=(published_at + datetime.timedelta(days=60)).date()
            if status != VacancyStatus.EXPIRED
            else (now - datetime.timedelta(days=rng.randint(1, 20))).date(),
        )
        picked = rng.sample(
            skills_by_unit[code], k=min(len(skills_by_unit[code]), rng.randint(1, 4))
        )
        planned.append((vacancy, picked, russian))

    Vacancy.objects.bulk_create([v for v, _, _ in planned], batch_size=500)
    through = Vacancy.skills.through
    through.objects.bulk_create(
        [through(vacancy_id=v.pk, skill_id=s.pk) for v, picked, _ in planned for s in picked],
        batch_size=2000,
    )
    VacancyLanguage.objects.bulk_create(
        [VacancyLanguage(vacancy=v, language="ru", min_level=level) for v, _, level in planned],
        batch_size=2000,
    )
    history = []
    for vacancy, picked, _ in planned:
        vacancy._prefetched_objects_cache = {"skills": picked}
        vacancy.search_text = build_search_text(vacancy)
        history.append(
            VacancyTransition(
                vacancy=vacancy,
                from_status="",
                to_status=VacancyStatus.DRAFT,
                at=vacancy.submitted_at,
            )
        )
        if vacancy.status != VacancyStatus.DRAFT:
            history.append(
                VacancyTransition(
                    vacancy=vacancy,
                    from_status=VacancyStatus.DRAFT,
                    to_status=VacancyStatus.SUBMITTED,
                    at=vacancy.submitted_at,
                )
            )
        if vacancy.published_at:
            history.append(
                VacancyTransition(
                    vacancy=vacancy,
                    from_status=VacancyStatus.SUBMITTED,
                    to_status=VacancyStatus.PUBLISHED,
                    by=admin,
                    at=vacancy.published_at,
                )
            )
        if vacancy.status in (VacancyStatus.EXPIRED, VacancyStatus.CLOSED):
            history.append(
                VacancyTransition(
                    vacancy=vacancy,
                    from_status=VacancyStatus.PUBLISHED,
                    to_status=vacancy.status,
                    at=now,
                )
            )
        ctx.advance()
    Vacancy.objects.bulk_update([v for v, _, _ in planned], ["search_text"], batch_size=500)
    VacancyTransition.objects.bulk_create(history, batch_size=2000)
    return {"vacancies": existing + len(planned), "new vacancies": len(planned)}
