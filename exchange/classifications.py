"""Countries, languages and currencies by ISO code, with names in the user's language.

The code lists come from pycountry (ISO 3166-1, 639-1, 4217); the names come
from Babel's CLDR data, which, unlike pycountry's catalogues, covers Uzbek,
Tajik and Kyrgyz. A name CLDR lacks in one language falls back to Russian
(which migrants from these countries read), then English.

Occupations (ISCO-08) and regions are database tables instead: they have a
hierarchy and are referenced by foreign keys (see models.py).
"""

from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language

FALLBACK_LANGUAGES = ("ru", "en")


@cache
def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def _name(catalogue: str, code: str, language: str | None) -> str | None:
    for lang in (language or get_language() or "en", *FALLBACK_LANGUAGES):
        locale = _locale(lang)
        if locale is not None:
            name = getattr(locale, catalogue).get(code)
            if name:
                return name
    return None


def country_name(code: str, language: str | None = None) -> str:
    """Name of an ISO 3166-1 alpha-2 country code, e.g. country_name("UZ", "uz")."""
    name = _name("territories", code.upper(), language)
    if name:
        return name
    country = pycountry.countries.get(alpha_2=code.upper())
    return country.name if country else code


def language_name(code: str, language: str | None = None) -> str:
    """Name of an ISO 639-1 language code, e.g. language_name("ru", "ky")."""
    name = _name("languages", code.lower(), language)
    if name:
        return name[:1].upper() + name[1:]
    lang = pycountry.languages.get(alpha_2=code.lower())
    return lang.name if lang else code


def currency_name(code: str, language: str | None = None) -> str:
    """Name of an ISO 4217 currency code, e.g. currency_name("UZS", "tg")."""
    name = _name("currencies", code.upper(), language)
    if name:
        return name[:1].upper() + name[1:]
    currency = pycountry.currencies.get(alpha_3=code.upper())
    return currency.name if currency else code


COUNTRY_CODES = tuple(sorted(c.alpha_2 for c in pycountry.countries))
LANGUAGE_CODES = tuple(
    sorted(lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2"))
)
CURRENCY_CODES = tuple(sorted(c.alpha_3 for c in pycountry.currencies))


def _sorted_choices(codes, namer) -> list[tuple[str, str]]:
    language = get_language()
    return sorted(((code, namer(code, language)) for code in codes), key=lambda pair: pair[1])


def country_choices() -> list[tuple[str, str]]:
    """All countries, named and sorted in the active language (callable for `choices=`)."""
    return _sorted_choices(COUNTRY_CODES, country_name)


def language_choices() -> list[tuple[str, str]]:
    return _sorted_choices(LANGUAGE_CODES, language_name)


def currency_choices() -> list[tuple[str, str]]:
    return _sorted_choices(CURRENCY_CODES, currency_name)
