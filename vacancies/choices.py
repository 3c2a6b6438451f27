"""Choice lists of the vacancies app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


class EmploymentType(models.TextChoices):
    FULL = "full", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    TEMPORARY = "temporary", _("Temporary")
    SEASONAL = "seasonal", _("Seasonal")


class Schedule(models.TextChoices):
    FULL_DAY = "full_day", _("Full day")
    SHIFTS = "shifts", _("Shifts")
    FLEXIBLE = "flexible", _("Flexible")
    ROTATION = "rotation", _("Rotation (vakhta)")


class SalaryBasis(models.TextChoices):
    GROSS = "gross", _("before tax")
    NET = "net", _("after tax")


class Housing(models.TextChoices):
    NONE = "", _("Not provided")
    DORMITORY = "dormitory", _("Dormitory")
    APARTMENT = "apartment", _("Apartment or room")
    SITE_CAMP = "site_camp", _("Rotation camp on site")
    COMPENSATION = "compensation", _("Rent compensated")


class Meals(models.TextChoices):
    NONE = "", _("Not provided")
    DISCOUNTED = "discounted", _("Discounted")
    FREE = "free", _("Free")


class SortOrder(models.TextChoices):
    NEWEST = "newest", _("Newest first")
    SALARY = "salary", _("Highest pay first")
    RELEVANCE = "relevance", _("Best match for the words")
    MATCH = "match", _("Best match for my profile")
