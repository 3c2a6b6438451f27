"""Template filters shared by every app: money and numbers in the user's language."""

from babel.numbers import format_decimal, get_currency_symbol
from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def _locale() -> str:
    return (get_language() or "en").split("-")[0]


@register.filter
def number(value) -> str:
    """12 345 in ru/uz/tg/ky, 12,345 in en."""
    if value in (None, ""):
        return ""
    return format_decimal(value, locale=_locale())


@register.filter
def salary_range(vacancy) -> str:
    """'80 000 – 120 000 ₽' or 'from 80 000 ₽' or 'up to …', or 'not stated'."""
    low, high = vacancy.salary_min, vacancy.salary_max
    if not low and not high:
        return _("Pay not stated")
    symbol = get_currency_symbol(vacancy.currency, locale=_locale())
    if low and high and low != high:
        return f"{number(low)} – {number(high)} {symbol}"
    if low and not high:
        return _("from %(amount)s") % {"amount": f"{number(low)} {symbol}"}
    if high and not low:
        return _("up to %(amount)s") % {"amount": f"{number(high)} {symbol}"}
    return f"{number(low)} {symbol}"


@register.filter
def percent(value) -> str:
    """0.873 -> '87 %' (ru/uz/tg/ky) or '87%' (en)."""
    if value in (None, ""):
        return ""
    from babel.numbers import format_percent

    return format_percent(float(value), locale=_locale())
