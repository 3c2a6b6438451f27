"""Synthetic vacancies and the search benchmark behind `manage.py bench_search`.

The data follows the shapes that matter for search cost: Zipf-distributed
occupations and words (a few very common, most rare), lognormal pay, publication
dates over two months, a tenth of the rows not published. Everything is seeded,
so two runs see the same data.
"""

import datetime
import io
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, reset_queries
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from exchange.choices import VerificationStatus
from exchange.models import Employer, Occupation, Region
from vacancies.choices import VacancyStatus
from vacancies.models import Vacancy

BENCH_INN, BENCH_OGRN = "7700000006", "1027700000013"  # valid check digits, never a real firm

SYLLABLES = [
    "ка",
    "ра",
    "мон",
    "таж",
    "свар",
    "щик",
    "бе",
    "тон",
    "стро",
    "ить",
    "ель",
    "ство",
    "ник",
    "про",
    "из",
    "вод",
    "склад",
    "груз",
    "смен",
    "ва",
    "хта",
    "ма",
    "стер",
    "оп",
    "ер",
    "атор",
]
TITLES = [
    "Каменщик",
    "Сварщик",
    "Разнорабочий",
    "Грузчик",
    "Водитель погрузчика",
    "Повар",
    "Уборщик",
    "Монтажник",
    "Электромонтажник",
    "Швея",
    "Кладовщик",
    "Курьер",
    "Штукатур",
    "Плиточник",
    "Бетонщик",
    "Арматурщик",
    "Комплектовщик",
    "Упаковщик",
    "Пекарь",
    "Охранник",
]


@dataclass
class Timing:
    name: str
    samples: list[float]
    queries: float
    matches: str = ""

    def percentile(self, p: float) -> float:
        ordered = sorted(self.samples)
        index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
        return ordered[index] * 1000

    def row(self) -> str:
        return (
            f"{self.name:<34} p50 {self.percentile(50):8.2f} ms  p95 {self.percentile(95):8.2f} ms  "
            f"p99 {self.percentile(99):8.2f} ms  queries {self.queries:4.1f}  {self.matches}"
        )


def vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def zipf_weights(n: int, s: float = 1.05) -> list[float]:
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


def bench_employer() -> Employer:
    employer, _ = Employer.objects.get_or_create(
        inn=BENCH_INN,
        defaults={
            "legal_name": "BENCHMARK DATA (delete me)",
            "ogrn": BENCH_OGRN,
            "region_id": "77",
            "address": "-",
            "contact_name": "-",
            "contact_email": "bench@example.invalid",
            "contact_phone": "+74950000000",
            "verification_status": VerificationStatus.VERIFIED,
        },
    )
    return employer


def generate_rows(count: int, *, seed: int, employer_id: int, progress: Callable[[int], None]):
    """Yield column tuples for `count` vacancies (the order of COLUMNS)."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    word_weights = zipf_weights(len(words))
    cumulative_words = list(_accumulate(word_weights))
    units = list(Occupation.objects.filter(level=4).values_list("code", "title_ru", "title_en"))
    unit_weights = list(_accumulate(zipf_weights(len(units), 1.0)))
    regions = list(Region.objects.values_list("code", flat=True))
    region_weights = list(_accumulate(zipf_weights(len(regions), 0.8)))
    now = timezone.now()
    today = timezone.localdate()
    for index in range(count):
        code, title_ru, title_en = rng.choices(units, cum_weights=unit_weights)[0]
        title = f"{rng.choice(TITLES)} {rng.choices(words, cum_weights=cumulative_words)[0]}"
        description = " ".join(
            rng.choices(words, cum_weights=cumulative_words, k=rng.randint(40, 80))
        )
        pay = int(rng.lognormvariate(11.3, 0.35) / 1000) * 1000
        status = VacancyStatus.PUBLISHED if rng.random() < 0.9 else VacancyStatus.CLOSED
        published = now - datetime.timedelta(seconds=rng.randint(0, 60 * 86400))
        yield (
            employer_id,
            code,
            title,
            description,
            rng.choices(regions, cum_weights=region_weights)[0],
            "Город",
            1 + int(rng.expovariate(0.15)),
            pay,
            pay + int(rng.random() * 40) * 1000 if rng.random() < 0.6 else None,
            rng.choice(["full", "full", "full", "seasonal", "temporary", "part_time"]),
            rng.choice(["full_day", "full_day", "shifts", "rotation", "flexible"]),
            rng.choice(["", "", "dormitory", "apartment", "site_camp"]),
            rng.random() < 0.9,
            status,
            published,
            today + datetime.timedelta(days=rng.randint(1, 60)),
            f"{title}\n{description}\n{title_ru}\n{title_en}".lower(),
        )
        if index % 10000 == 9999:
            progress(10000)


def _accumulate(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


COLUMNS = [
    "employer_id",
    "occupation_id",
    "title",
    "description",
    "region_id",
    "city",
    "positions_total",
    "salary_min",
    "salary_max",
    "employment_type",
    "schedule",
    "housing",
    "open_to_foreign_workers",
    "status",
    "published_at",
    "expires_on",
    "search_text",
]
DEFAULTS = {
    "duties": "",
    "requirements": "",
    "address": "",
    "positions_filled": 0,
    "currency": "RUB",
    "salary_basis": "gross",
    "experience_years": 0,
    "education": "none",
    "meals": "",
    "transport_provided": False,
    "medical_card_required": False,
    "document_help": False,
    "quota_bound": False,
    "contact_name": "-",
    "contact_phone": "",
    "contact_email": "",
    "rejection_reason": "",
}


def load(count: int, *, seed: int, progress: Callable[[int], None]) -> float:
    """Insert `count` synthetic vacancies; returns seconds. PostgreSQL uses COPY."""
    employer = bench_employer()
    rows = generate_rows(count, seed=seed, employer_id=employer.pk, progress=progress)
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        _copy(rows)
    else:
        batch = []
        for values in rows:
            batch.append(Vacancy(**dict(zip(COLUMNS, values, strict=True)), **DEFAULTS))
            if len(batch) == 5000:
                Vacancy.objects.bulk_create(batch)
                batch = []
        Vacancy.objects.bulk_create(batch)
    return time.perf_counter() - started


def _copy(rows) -> None:
    """COPY in chunks of 50,000 rows (the trigger fills search_vector as rows arrive)."""
    now = timezone.now().isoformat()
    columns = COLUMNS + list(DEFAULTS) + ["created_at", "updated_at"]
    defaults = [_copy_value(v) for v in DEFAULTS.values()] + [now, now]
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg2 cursor, for copy_expert
        buffer, pending = io.StringIO(), 0
        for values in rows:
            buffer.write("\t".join([*map(_copy_value, values), *defaults]) + "\n")
            pending += 1
            if pending == 50000:
                _flush(raw, buffer, columns)
                buffer, pending = io.StringIO(), 0
        if pending:
            _flush(raw, buffer, columns)
        cursor.execute("ANALYZE")


def _flush(raw, buffer: io.StringIO, columns: list[str]) -> None:
    buffer.seek(0)
    raw.copy_expert(
        f"COPY vacancies_vacancy ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buffer
    )


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")


def measure(name: str, run: Callable[[], object], repeat: int, matches: str = "") -> Timing:
    run()  # warm up
    samples, queries = [], []
    for _ in range(repeat):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            run()
            samples.append(time.perf_counter() - started)
        queries.append(len(captured))
    return Timing(name, samples, statistics.mean(queries), matches)


def naive_search(
    text: str = "", *, occupation: str = "", region: str = "", min_pay: int = 0, page: int = 1
):
    """The way one writes it first: icontains, OFFSET pages and an exact count."""
    queryset = Vacancy.objects.filter(
        status=VacancyStatus.PUBLISHED, expires_on__gte=timezone.localdate()
    )
    if text:
        queryset = queryset.filter(Q(title__icontains=text) | Q(description__icontains=text))
    if occupation:
        queryset = queryset.filter(occupation__code__startswith=occupation)
    if region:
        queryset = queryset.filter(region_id=region)
    order = "-published_at"
    if min_pay:
        queryset = queryset.filter(Q(salary_max__gte=min_pay) | Q(salary_min__gte=min_pay))
        order = "-salary_max"
    total = queryset.count()
    rows = list(queryset.order_by(order)[(page - 1) * 20 : page * 20])
    return total, rows


def word_by_rank(seed: int, rank: int) -> str:
    """The word of the synthetic vocabulary at a Zipf rank (1 = the most common)."""
    return vocabulary(random.Random(seed))[rank - 1]
