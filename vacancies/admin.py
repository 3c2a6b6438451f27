"""Django admin for vacancies: read-only, to look a vacancy and its history up.

Vacancies change only through the employer's and the moderators' pages (services),
which keep the moderation history, the search text and matching in step."""

from django.contrib import admin

from vacancies.models import Vacancy, VacancyLanguage, VacancyTransition


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LanguageInline(ReadOnlyInline):
    model = VacancyLanguage


class TransitionInline(ReadOnlyInline):
    model = VacancyTransition
    fields = ["at", "from_status", "to_status", "by", "reason"]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["pk", "title", "employer", "occupation", "region", "status", "published_at"]
    list_filter = ["status", "open_to_foreign_workers", "quota_bound"]
    search_fields = ["title", "employer__legal_name", "occupation__code"]
    raw_id_fields = ["employer", "occupation", "region"]
    inlines = [LanguageInline, TransitionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
