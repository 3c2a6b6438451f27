"""Calendar months and days in the exchange's time zone, for the refresh and the reports."""

import datetime
import zoneinfo

from django.conf import settings


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def previous_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def start_of(day: datetime.date) -> datetime.datetime:
    """The first instant of `day` in the exchange's time zone, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=exchange_zone())


def exchange_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)
