"""Seeds the eligibility rule table with the rules in force (editable in the admin).

Sources: Treaty on the Eurasian Economic Union of 29.05.2014 (art. 97); Federal
Law No. 115-FZ "On the legal status of foreign citizens" (art. 5, 13, 13.3,
13.4, 15.1, 18); Federal Law No. 109-FZ "On migration registration" (art. 20);
Tax Code (art. 227.1, 333.28). Patent rates: the regional coefficients for
2025 as published by the regions; administrators update them each January.
Re-running is harmless: rows are matched by their natural keys.
"""

from django.db import migrations

EAEU = ["AM", "BY", "KZ", "KG"]
VISA_FREE = ["UZ", "TJ", "AZ", "MD", "UA", "GE"]
VISA = ["VN", "IN", "CN", "TM", "TR", "PK", "BD", "LK", "NP", "KP", "MM", "PH"]

LAW_115 = "Federal Law No. 115-FZ of 25.07.2002"
LAW_109 = "Federal Law No. 109-FZ of 18.07.2006"

# (code, title_en, title_ru, detail_en, detail_ru, deadline_days, working_days,
#  cost_rub, monthly_fee, proof_document, legal_basis)
MIGRATION_CARD = (
    "migration-card",
    "Migration card with the purpose of the visit “work”",
    "Миграционная карта с целью визита «работа»",
    "Filled in at the border. The purpose must be “work”, otherwise a patent or permit is refused.",
    "Заполняется на границе. Цель визита — «работа», иначе в патенте или разрешении откажут.",
    0, False, None, False, "migration_card", "Federal Law No. 114-FZ of 15.08.1996, art. 30",
)
REGISTRATION_7 = (
    "migration-registration",
    "Migration registration at the place of stay",
    "Миграционный учёт по месту пребывания",
    "The host (landlord or employer) notifies the migration service; keep the tear-off part of the notice.",
    "Принимающая сторона (арендодатель или работодатель) уведомляет МВД; сохраните отрывную часть уведомления.",
    7, True, 0, False, "registration", f"{LAW_109}, art. 20 p. 3",
)
FINGERPRINTS = (
    "fingerprinting",
    "Fingerprinting and photo record",
    "Дактилоскопия и фотографирование",
    "At the migration service within 30 days of entry; you get a certificate with a QR code.",
    "В подразделении МВД в течение 30 дней после въезда; выдаётся документ с QR-кодом.",
    30, False, None, False, "fingerprinting", f"{LAW_115}, art. 5 p. 13",
)
MEDICAL = (
    "medical-examination",
    "Medical examination (drugs, infectious diseases, HIV)",
    "Медицинское освидетельствование (наркотики, инфекционные заболевания, ВИЧ)",
    "At a medical organisation approved by the region, within 30 days of entry.",
    "В медицинской организации, уполномоченной регионом, в течение 30 дней после въезда.",
    30, False, None, False, "medical", f"{LAW_115}, art. 5 p. 13",
)
EXAM = (
    "language-exam",
    "Exam in Russian language, history of Russia and the basics of Russian law",
    "Экзамен по русскому языку, истории России и основам законодательства РФ",
    "The certificate is filed with the patent or permit application.",
    "Сертификат подаётся вместе с заявлением на патент или разрешение на работу.",
    30, False, None, False, "language_exam", f"{LAW_115}, art. 15.1",
)
VHI = (
    "health-insurance",
    "Voluntary health insurance policy",
    "Полис добровольного медицинского страхования (ДМС)",
    "Valid in the region of work for the whole period of the patent or permit.",
    "Действует в регионе работы на весь срок патента или разрешения.",
    30, False, None, False, "vhi", f"{LAW_115}, art. 13.3 p. 2",
)
INN = (
    "inn",
    "Tax number (INN)",
    "ИНН (идентификационный номер налогоплательщика)",
    "Assigned by the tax service; with a patent it is assigned together with the patent.",
    "Присваивается налоговой службой; при оформлении патента — вместе с ним.",
    None, False, 0, False, "inn", "Tax Code of the Russian Federation, art. 83, 84",
)

STEPS = {
    "eaeu": [
        (
            "migration-registration",
            "Migration registration at the place of stay",
            "Миграционный учёт по месту пребывания",
            "Citizens of EAEU states working under a contract need no registration for the first 30 days "
            "(citizens of Belarus: 90 days).",
            "Гражданам ЕАЭС, работающим по договору, регистрация не нужна первые 30 дней "
            "(гражданам Беларуси — 90 дней).",
            30, False, 0, False, "registration",
            "Treaty on the Eurasian Economic Union, art. 97 p. 5; " + f"{LAW_109}, art. 20",
        ),
        FINGERPRINTS,
        MEDICAL,
        (
            "contract",
            "Employment contract with the employer",
            "Трудовой договор с работодателем",
            "No work permit or patent: a contract is enough. The employer notifies the migration "
            "service within 3 working days.",
            "Ни разрешения, ни патента не нужно: достаточно договора. Работодатель уведомляет МВД "
            "в течение 3 рабочих дней.",
            None, False, 0, False, "contract",
            "Treaty on the Eurasian Economic Union, art. 97; " + f"{LAW_115}, art. 13 p. 8",
        ),
        INN,
    ],
    "patent": [
        MIGRATION_CARD,
        REGISTRATION_7,
        FINGERPRINTS,
        MEDICAL,
        EXAM,
        VHI,
        (
            "patent",
            "Work patent for the region of work",
            "Патент на работу в регионе трудоустройства",
            "Apply within 30 days of entry; late applications are fined 10,000–15,000 roubles. "
            "A patent is valid only in the region that issued it.",
            "Подать заявление в течение 30 дней после въезда; за опоздание — штраф 10 000–15 000 ₽. "
            "Патент действует только в выдавшем его регионе.",
            30, False, None, False, "patent", f"{LAW_115}, art. 13.3 p. 2",
        ),
        (
            "patent-payment",
            "Monthly patent payment (fixed income-tax advance)",
            "Ежемесячный платёж за патент (фиксированный авансовый платёж НДФЛ)",
            "Paid in advance for each month, at the region's rate; a missed day voids the patent.",
            "Вносится заранее за каждый месяц по ставке региона; просрочка хотя бы на день аннулирует патент.",
            None, False, None, True, "patent_payment",
            "Tax Code of the Russian Federation, art. 227.1",
        ),
        INN,
        (
            "contract",
            "Copy of the employment contract to the migration service",
            "Копия трудового договора в МВД",
            "Within 2 months of receiving the patent, or the patent is cancelled.",
            "В течение 2 месяцев после получения патента, иначе патент аннулируют.",
            None, False, 0, False, "contract", f"{LAW_115}, art. 13.3 p. 7",
        ),
    ],
    "work_permit": [
        (
            "employer-quota",
            "Employer's permission to hire foreign workers, within the quota",
            "Разрешение работодателю на привлечение иностранных работников в пределах квоты",
            "Obtained by the employer; only quota-bound vacancies can be taken by citizens of visa "
            "countries (except highly qualified specialists).",
            "Оформляет работодатель; гражданам визовых стран доступны только вакансии в пределах "
            "квоты (кроме высококвалифицированных специалистов).",
            None, False, None, False, "", f"{LAW_115}, art. 18, 18.1",
        ),
        (
            "work-visa",
            "Work visa (on the employer's invitation)",
            "Рабочая виза (по приглашению работодателя)",
            "Issued by a Russian consulate on the invitation the employer obtains.",
            "Выдаётся консульством России по приглашению, которое оформляет работодатель.",
            None, False, None, False, "work_visa", "Federal Law No. 114-FZ of 15.08.1996, art. 25.6",
        ),
        MIGRATION_CARD,
        REGISTRATION_7,
        FINGERPRINTS,
        MEDICAL,
        EXAM,
        VHI,
        (
            "work-permit",
            "Work permit",
            "Разрешение на работу",
            "Issued for the employer and region named in the permission; state fee 3,500 roubles.",
            "Оформляется под работодателя и регион из разрешения на привлечение; госпошлина 3 500 ₽.",
            30, False, 3500, False, "work_permit",
            f"{LAW_115}, art. 13.4; Tax Code of the Russian Federation, art. 333.28",
        ),
        INN,
    ],
}

# Monthly patent cost in roubles, 2025 (regional coefficient × base 1,200 × deflator).
PATENT_RATES_2025 = {
    "77": 8900,  # Moscow
    "50": 8300,  # Moscow Oblast
    "78": 4400,  # Saint Petersburg
    "47": 5100,  # Leningrad Oblast
    "66": 7400,  # Sverdlovsk Oblast
    "16": 6200,  # Tatarstan
    "23": 6600,  # Krasnodar Krai
    "54": 5900,  # Novosibirsk Oblast
    "72": 7600,  # Tyumen Oblast
    "24": 6700,  # Krasnoyarsk Krai
    "25": 7000,  # Primorsky Krai
    "40": 6000,  # Kaluga Oblast
    "89": 9300,  # Yamalo-Nenets Autonomous Okrug
    "61": 5300,  # Rostov Oblast
    "63": 5600,  # Samara Oblast
}


def seed(apps, schema_editor):
    CountryRegime = apps.get_model("migrants", "CountryRegime")
    RegimeStep = apps.get_model("migrants", "RegimeStep")
    PatentRate = apps.get_model("migrants", "PatentRate")
    Region = apps.get_model("exchange", "Region")

    for regime, countries, basis in [
        ("eaeu", EAEU, "Treaty on the Eurasian Economic Union of 29.05.2014, art. 97"),
        ("patent", VISA_FREE, f"{LAW_115}, art. 13.3"),
        ("work_permit", VISA, f"{LAW_115}, art. 13, 13.4, 18"),
    ]:
        for country in countries:
            CountryRegime.objects.update_or_create(
                country=country, defaults={"regime": regime, "legal_basis": basis}
            )

    for regime, steps in STEPS.items():
        for order, step in enumerate(steps, start=1):
            (code, title_en, title_ru, detail_en, detail_ru, days, working, cost, monthly, proof,
             basis) = step  # fmt: skip
            RegimeStep.objects.update_or_create(
                regime=regime,
                code=code,
                defaults={
                    "order": order * 10,
                    "title_en": title_en,
                    "title_ru": title_ru,
                    "detail_en": detail_en,
                    "detail_ru": detail_ru,
                    "deadline_days": days,
                    "deadline_working_days": working,
                    "cost_rub": cost,
                    "monthly_regional_fee": monthly,
                    "proof_document": proof,
                    "legal_basis": basis,
                },
            )

    regions = Region.objects.in_bulk(list(PATENT_RATES_2025))
    for code, rate in PATENT_RATES_2025.items():
        if code in regions:
            PatentRate.objects.update_or_create(
                region=regions[code], year=2025, defaults={"monthly_rub": rate}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("migrants", "0001_initial"),
        ("exchange", "0002_load_reference_data"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
