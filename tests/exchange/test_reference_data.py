"""The shipped reference data: ISCO-08, regions, and ISO code lists with localized names."""

import pytest

from exchange.choices import CEFR_RANK, CEFRLevel
from exchange.classifications import (
    country_choices,
    country_name,
    currency_name,
    language_name,
)
from exchange.models import Occupation, Region
from exchange.reference_data import load_occupations, load_regions

pytestmark = pytest.mark.django_db


def test_isco08_has_all_four_levels_in_full():
    counts = {level: Occupation.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert counts == {1: 10, 2: 43, 3: 130, 4: 436}
    assert Occupation.objects.count() == 619


def test_every_isco_code_sits_under_an_existing_parent_with_the_codes_prefix():
    occupations = {o.code: o for o in Occupation.objects.all()}
    for code, occupation in occupations.items():
        assert occupation.level == len(code)
        if occupation.level == 1:
            assert occupation.parent_id is None
        else:
            assert occupation.parent_id == code[:-1]
            assert occupation.parent_id in occupations


def test_every_occupation_has_english_and_russian_titles():
    assert not Occupation.objects.filter(title_en="").exists()
    assert not Occupation.objects.filter(title_ru="").exists()
    assert Occupation.objects.get(code="7112").title_en == "Bricklayers and related workers"


def test_occupation_titles_follow_the_language_and_fall_back_to_russian():
    bricklayers = Occupation.objects.get(code="7112")
    assert bricklayers.localized("title", "en") == bricklayers.title_en
    assert bricklayers.localized("title", "ru") == bricklayers.title_ru
    assert bricklayers.title_uz == ""
    assert bricklayers.localized("title", "uz") == bricklayers.title_ru
    major = Occupation.objects.get(code="7")
    assert major.title_uz and major.localized("title", "uz") == major.title_uz


def test_all_89_federal_subjects_are_loaded_with_unique_codes_and_names():
    assert Region.objects.count() == 89
    moscow = Region.objects.get(code="77")
    assert (moscow.name_ru, moscow.name_en, moscow.iso_code) == ("Москва", "Moscow", "RU-MOW")
    assert Region.objects.filter(code__in=["91", "92", "93", "94", "90", "95"]).count() == 6
    assert Region.objects.exclude(iso_code="").count() == 83


def test_loading_the_reference_data_again_changes_nothing():
    assert load_occupations(Occupation) == 0
    assert load_regions(Region) == 0
    assert Occupation.objects.count() == 619
    assert Region.objects.count() == 89


@pytest.mark.parametrize(
    ("language", "russia", "uzbek_language", "ruble"),
    [
        ("en", "Russia", "Uzbek", "Russian ruble"),
        ("ru", "Россия", "Узбекский", "Российский рубль"),
        ("uz", "Rossiya", "O‘zbek", "Rossiya rubli"),  # CLDR spells it with ‘
        ("tg", "Русия", "Ӯзбекӣ", "Рубли русӣ"),
        ("ky", "Россия", "Өзбекче", "Орус рублу"),
    ],
)
def test_country_language_and_currency_names_exist_in_all_five_languages(
    language, russia, uzbek_language, ruble
):
    assert country_name("RU", language) == russia
    assert language_name("uz", language) == uzbek_language
    assert currency_name("RUB", language).lower() == ruble.lower()


def test_country_choices_cover_the_origin_countries_sorted_by_name():
    codes = [code for code, _ in country_choices()]
    assert {"UZ", "TJ", "KG", "KZ", "AM", "AZ", "MD", "BY", "TM", "GE", "UA", "RU"} <= set(codes)
    names = [name for _, name in country_choices()]
    assert names == sorted(names)


def test_cefr_levels_rank_from_a1_to_native():
    assert list(CEFRLevel.values) == ["A1", "A2", "B1", "B2", "C1", "C2", "native"]
    assert CEFR_RANK["A1"] < CEFR_RANK["B2"] < CEFR_RANK["native"]


def test_the_curated_skills_list_is_loaded_and_linked_to_isco_groups():
    from exchange.models import Skill

    assert 300 <= Skill.objects.count() <= 500
    assert not Skill.objects.filter(occupations=None).exists()
    bricklaying = Skill.objects.get(code="brick-laying")
    assert (bricklaying.title_en, bricklaying.title_ru) == ("Brick laying", "Кирпичная кладка")
    assert list(bricklaying.occupations.values_list("code", flat=True)) == ["7112"]
    assert bricklaying.localized("title", "uz") == "Кирпичная кладка"  # falls back to Russian
