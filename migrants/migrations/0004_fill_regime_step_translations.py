"""Fills the Uzbek, Tajik and Kyrgyz titles and explanations of the steps seeded in 0002.

Uzbek is in the official Latin script (ʻ U+02BB in oʻ/gʻ, ʼ U+02BC), Tajik and
Kyrgyz in Cyrillic. Numbers and amounts are the same as in the Russian texts.
Rows are matched by (regime, code); a field is written only while it is still
blank, so texts edited in the admin are kept. Re-running is harmless.
"""

from django.db import migrations

FIELDS = ("title_uz", "title_tg", "title_ky", "detail_uz", "detail_tg", "detail_ky")


def step(title_uz, title_tg, title_ky, detail_uz, detail_tg, detail_ky):
    return dict(zip(FIELDS, (title_uz, title_tg, title_ky, detail_uz, detail_tg, detail_ky)))


MIGRATION_CARD = step(
    "«Ish» maqsadi koʻrsatilgan migratsiya kartasi",
    "Корти муҳоҷиратӣ бо ҳадафи сафар «кор»",
    "Келүү максаты «иш» деп жазылган миграциялык карта",
    "Chegarada toʻldiriladi. Kelish maqsadi «ish» (работа) boʻlishi kerak, aks holda patent "
    "yoki ruxsatnoma berilmaydi.",
    "Дар сарҳад пур карда мешавад. Ҳадафи сафар бояд «кор» (работа) бошад, вагарна патент ё "
    "иҷозатнома намедиҳанд.",
    "Чек арада толтурулат. Келүү максаты «иш» (работа) болушу керек, болбосо патент же "
    "уруксат беришпейт.",
)

REGISTRATION_TITLES = (
    "Turgan joy boʻyicha migratsiya hisobi (roʻyxatga olish)",
    "Бақайдгирии муҳоҷиратӣ дар ҷои будубош",
    "Турган жер боюнча миграциялык каттоо",
)

REGISTRATION_7 = step(
    *REGISTRATION_TITLES,
    "Qabul qiluvchi tomon (uy egasi yoki ish beruvchi) IIVga (migratsiya xizmatiga) xabar "
    "beradi; xabarnomaning yirtib olinadigan qismini saqlab qoʻying.",
    "Тарафи қабулкунанда (соҳиби хона ё корфармо) ба ВКД (хадамоти муҳоҷират) огоҳинома "
    "медиҳад; қисми кандашавандаи огоҳиномаро нигоҳ доред.",
    "Кабыл алуучу тарап (үй ээси же иш берүүчү) ИИМге (миграция кызматына) билдирүү берет; "
    "билдирүүнүн айрылып берилген бөлүгүн сактап коюңуз.",
)

FINGERPRINTS = step(
    "Barmoq izlarini olish (daktiloskopiya) va suratga tushish",
    "Гирифтани изи ангуштон (дактилоскопия) ва аксбардорӣ",
    "Манжа издерин алуу (дактилоскопия) жана сүрөткө тартуу",
    "IIV (migratsiya xizmati) boʻlinmasida, Rossiyaga kirgandan keyin 30 kun ichida; QR-kodli "
    "hujjat beriladi.",
    "Дар шуъбаи ВКД (хадамоти муҳоҷират), дар давоми 30 рӯз пас аз вуруд ба Русия; ҳуҷҷати "
    "дорои QR-код дода мешавад.",
    "ИИМдин (миграция кызматынын) бөлүмүндө, Россияга киргенден кийин 30 күндүн ичинде; "
    "QR-коду бар документ берилет.",
)

MEDICAL = step(
    "Tibbiy koʻrik (giyohvand moddalar, yuqumli kasalliklar, OIV)",
    "Муоинаи тиббӣ (маводи мухаддир, бемориҳои сироятӣ, ВНМО/ВИЧ)",
    "Медициналык текшерүү (баңгизат, жугуштуу оорулар, АИВ/ВИЧ)",
    "Hudud vakolat bergan tibbiyot muassasasida, Rossiyaga kirgandan keyin 30 kun ichida.",
    "Дар муассисаи тиббие, ки минтақа ба он ваколат додааст, дар давоми 30 рӯз пас аз вуруд "
    "ба Русия.",
    "Аймак ыйгарым укук берген медициналык мекемеде, Россияга киргенден кийин 30 күндүн "
    "ичинде.",
)

EXAM = step(
    "Rus tili, Rossiya tarixi va Rossiya qonunchiligi asoslari boʻyicha imtihon",
    "Имтиҳон аз забони русӣ, таърихи Русия ва асосҳои қонунгузории Русия",
    "Орус тили, Россиянын тарыхы жана Россиянын мыйзамдарынын негиздери боюнча экзамен",
    "Sertifikat patent yoki ishlash uchun ruxsatnoma olish uchun arizaga qoʻshib topshiriladi.",
    "Сертификат якҷоя бо аризаи патент ё иҷозатнома барои кор супорида мешавад.",
    "Сертификат патент же иштөөгө уруксат алуу үчүн арыз менен кошо тапшырылат.",
)

VHI = step(
    "Ixtiyoriy tibbiy sugʻurta polisi (DMS)",
    "Полиси суғуртаи ихтиёрии тиббӣ (ДМС)",
    "Ыктыярдуу медициналык камсыздандыруу полиси (ДМС)",
    "Ishlaydigan hududingizda patent yoki ruxsatnomaning butun muddati davomida amal qiladi.",
    "Дар минтақаи кор барои тамоми мӯҳлати патент ё иҷозатнома амал мекунад.",
    "Иштеген аймакта патенттин же уруксаттын бүт мөөнөтүнө жарактуу.",
)

INN = step(
    "INN (soliq toʻlovchining identifikatsiya raqami)",
    "ИНН (рақами мушаххаси андозсупоранда)",
    "ИНН (салык төлөөчүнүн идентификациялык номери)",
    "Soliq xizmati beradi; patent rasmiylashtirilganda — patent bilan birga beriladi.",
    "Аз ҷониби хадамоти андоз дода мешавад; ҳангоми гирифтани патент — якҷоя бо патент.",
    "Салык кызматы берет; патент алганда — патент менен кошо берилет.",
)

TRANSLATIONS = {
    ("eaeu", "migration-registration"): step(
        *REGISTRATION_TITLES,
        "Shartnoma boʻyicha ishlayotgan Yevroosiyo iqtisodiy ittifoqi (YeOII) fuqarolari "
        "dastlabki 30 kun roʻyxatdan oʻtmasa ham boʻladi (Belarus fuqarolari — 90 kun).",
        "Шаҳрвандони кишварҳои Иттиҳоди иқтисодии Авруосиё (ЕАЭС), ки бо шартнома кор "
        "мекунанд, дар 30 рӯзи аввал ба қайд гирифтан лозим нест (шаҳрвандони Беларус — "
        "90 рӯз).",
        "Келишим боюнча иштеген Евразиялык экономикалык биримдиктин (ЕАЭБ) жарандарына "
        "алгачкы 30 күндө каттоо талап кылынбайт (Беларустун жарандарына — 90 күн).",
    ),
    ("eaeu", "fingerprinting"): FINGERPRINTS,
    ("eaeu", "medical-examination"): MEDICAL,
    ("eaeu", "contract"): step(
        "Ish beruvchi bilan mehnat shartnomasi",
        "Шартномаи меҳнатӣ бо корфармо",
        "Иш берүүчү менен эмгек келишими",
        "Ruxsatnoma ham, patent ham kerak emas: shartnomaning oʻzi yetarli. Ish beruvchi "
        "3 ish kuni ichida IIVga (migratsiya xizmatiga) xabar beradi.",
        "На иҷозатнома лозим аст, на патент: шартнома кифоя аст. Корфармо дар давоми 3 рӯзи "
        "корӣ ба ВКД (хадамоти муҳоҷират) хабар медиҳад.",
        "Уруксат да, патент да керек эмес: келишим жетиштүү. Иш берүүчү 3 иш күнүнүн ичинде "
        "ИИМге (миграция кызматына) билдирет.",
    ),
    ("eaeu", "inn"): INN,
    ("patent", "migration-card"): MIGRATION_CARD,
    ("patent", "migration-registration"): REGISTRATION_7,
    ("patent", "fingerprinting"): FINGERPRINTS,
    ("patent", "medical-examination"): MEDICAL,
    ("patent", "language-exam"): EXAM,
    ("patent", "health-insurance"): VHI,
    ("patent", "patent"): step(
        "Ishlaydigan hududda ishlash uchun patent",
        "Патент барои кор дар минтақаи ҷои кор",
        "Иштеген аймакта иштөө үчүн патент",
        "Arizani Rossiyaga kirgandan keyin 30 kun ichida topshiring; kechiksangiz — "
        "10 000–15 000 ₽ jarima. Patent faqat uni bergan hududda amal qiladi.",
        "Аризаро дар давоми 30 рӯз пас аз вуруд ба Русия супоред; барои дер кардан — ҷарима "
        "10 000–15 000 ₽. Патент танҳо дар минтақае амал мекунад, ки онро додааст.",
        "Арызды Россияга киргенден кийин 30 күндүн ичинде бериңиз; кечиктирсеңиз — "
        "10 000–15 000 ₽ айып пул. Патент аны берген аймакта гана жарактуу.",
    ),
    ("patent", "patent-payment"): step(
        "Patent uchun har oylik toʻlov (daromad soligʻi boʻyicha qatʼiy avans toʻlovi, NDFL)",
        "Пардохти ҳармоҳаи патент (пардохти пешакии собити андоз аз даромад, НДФЛ)",
        "Патент үчүн ай сайынкы төлөм (киреше салыгы боюнча белгиленген алдын ала төлөм, НДФЛ)",
        "Har bir oy uchun oldindan, hudud stavkasi boʻyicha toʻlanadi; bir kunga kechiksangiz "
        "ham patent bekor qilinadi.",
        "Барои ҳар моҳ пешакӣ аз рӯи меъёри минтақа пардохт карда мешавад; агар ҳатто як рӯз "
        "дер кунед, патент бекор карда мешавад.",
        "Ар бир ай үчүн алдын ала, аймактын ставкасы боюнча төлөнөт; бир күнгө эле "
        "кечиктирсеңиз, патент жокко чыгарылат.",
    ),
    ("patent", "inn"): INN,
    ("patent", "contract"): step(
        "Mehnat shartnomasi nusxasini IIVga (migratsiya xizmatiga) topshirish",
        "Нусхаи шартномаи меҳнатӣ ба ВКД (хадамоти муҳоҷират)",
        "Эмгек келишиминин көчүрмөсүн ИИМге (миграция кызматына) тапшыруу",
        "Patent olingandan keyin 2 oy ichida topshiriladi, aks holda patent bekor qilinadi.",
        "Дар давоми 2 моҳ пас аз гирифтани патент супорида мешавад, вагарна патент бекор "
        "карда мешавад.",
        "Патент алгандан кийин 2 айдын ичинде тапшырылат, болбосо патент жокко чыгарылат.",
    ),
    ("work_permit", "employer-quota"): step(
        "Ish beruvchiga kvota doirasida chet ellik ishchilarni jalb qilish uchun ruxsat",
        "Иҷозат ба корфармо барои ҷалби коргарони хориҷӣ дар доираи квота",
        "Иш берүүчүгө квотанын чегинде чет элдик жумушчуларды тартууга уруксат",
        "Uni ish beruvchi oladi; vizali davlatlar fuqarolari faqat kvota doirasidagi boʻsh ish "
        "oʻrinlariga ishga kira oladi (yuqori malakali mutaxassislar bundan mustasno).",
        "Онро корфармо мегирад; барои шаҳрвандони кишварҳои раводидӣ танҳо ҷойҳои кории холӣ "
        "дар доираи квота дастрасанд (ба истиснои мутахассисони баландихтисос).",
        "Аны иш берүүчү алат; визалык өлкөлөрдүн жарандары квотанын чегиндеги бош орундарга "
        "гана иштей алышат (жогорку квалификациялуу адистерден башкасы).",
    ),
    ("work_permit", "work-visa"): step(
        "Ishchi viza (ish beruvchining taklifnomasi boʻyicha)",
        "Раводиди корӣ (бо даъватномаи корфармо)",
        "Жумушчу виза (иш берүүчүнүн чакыруусу боюнча)",
        "Rossiya konsulligi ish beruvchi rasmiylashtirgan taklifnoma asosida beradi.",
        "Раводидро консулгарии Русия бо даъватномае медиҳад, ки онро корфармо омода мекунад.",
        "Россиянын консулдугу иш берүүчү алган чакыруунун негизинде берет.",
    ),
    ("work_permit", "migration-card"): MIGRATION_CARD,
    ("work_permit", "migration-registration"): REGISTRATION_7,
    ("work_permit", "fingerprinting"): FINGERPRINTS,
    ("work_permit", "medical-examination"): MEDICAL,
    ("work_permit", "language-exam"): EXAM,
    ("work_permit", "health-insurance"): VHI,
    ("work_permit", "work-permit"): step(
        "Ishlash uchun ruxsatnoma",
        "Иҷозатнома барои кор",
        "Иштөөгө уруксат",
        "Ishchi jalb qilishga berilgan ruxsatda koʻrsatilgan ish beruvchi va hudud uchun "
        "rasmiylashtiriladi; davlat boji — 3 500 ₽.",
        "Барои корфармо ва минтақае дода мешавад, ки дар иҷозат барои ҷалби коргарон зикр "
        "шудаанд; боҷи давлатӣ — 3 500 ₽.",
        "Тартууга берилген уруксатта көрсөтүлгөн иш берүүчү жана аймак үчүн берилет; "
        "мамлекеттик алым — 3 500 ₽.",
    ),
    ("work_permit", "inn"): INN,
}


def fill(apps, schema_editor):
    RegimeStep = apps.get_model("migrants", "RegimeStep")
    for step_row in RegimeStep.objects.all():
        texts = TRANSLATIONS.get((step_row.regime, step_row.code))
        if not texts:
            continue
        changed = [field for field in FIELDS if not (getattr(step_row, field) or "").strip()]
        for field in changed:
            setattr(step_row, field, texts[field])
        if changed:
            step_row.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("migrants", "0003_regime_step_translations"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
