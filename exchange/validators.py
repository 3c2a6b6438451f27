"""Validators for Russian company registration numbers (checked with python-stdnum).

Each error says what is wrong in words an employer understands, rather than
stdnum's generic "invalid checksum".
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn


def compact_number(value: str) -> str:
    """Drop the spaces, dashes and dots people type into long numbers."""
    return re.sub(r"[\s\-.]", "", value or "")


def validate_inn(value: str) -> None:
    number = compact_number(value)
    if not number.isdigit():
        raise ValidationError(_("The INN must contain digits only."), code="inn_format")
    if len(number) not in (10, 12):
        raise ValidationError(
            _(
                "The INN must have 10 digits (an organization) or 12 digits "
                "(an individual entrepreneur); this one has %(count)d."
            ),
            code="inn_length",
            params={"count": len(number)},
        )
    try:
        stdnum_inn.validate(number)
    except (InvalidChecksum, InvalidFormat, InvalidLength):
        raise ValidationError(
            _("This INN's check digits are wrong: please check it for a typo."),
            code="inn_checksum",
        ) from None


def validate_ogrn(value: str) -> None:
    number = compact_number(value)
    if not number.isdigit():
        raise ValidationError(_("The OGRN must contain digits only."), code="ogrn_format")
    if len(number) not in (13, 15):
        raise ValidationError(
            _(
                "The OGRN must have 13 digits (an organization) or 15 digits "
                "(OGRNIP, an individual entrepreneur); this one has %(count)d."
            ),
            code="ogrn_length",
            params={"count": len(number)},
        )
    try:
        stdnum_ogrn.validate(number)
    except (InvalidChecksum, InvalidFormat, InvalidLength):
        raise ValidationError(
            _("This OGRN's check digit is wrong: please check it for a typo."),
            code="ogrn_checksum",
        ) from None


def validate_inn_matches_ogrn(inn: str, ogrn: str) -> None:
    """An organization has a 10-digit INN and a 13-digit OGRN; an individual
    entrepreneur a 12-digit INN and a 15-digit OGRNIP. A mix is a typo."""
    inn, ogrn = compact_number(inn), compact_number(ogrn)
    if (len(inn), len(ogrn)) in {(10, 15), (12, 13)}:
        raise ValidationError(
            _(
                "The INN and OGRN do not belong to the same kind of employer: an "
                "organization has a 10-digit INN and a 13-digit OGRN, an individual "
                "entrepreneur a 12-digit INN and a 15-digit OGRNIP."
            ),
            code="inn_ogrn_mismatch",
        )
