from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from selection.models import Application, ApplicationTransition, Quota


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    """Administrators enter each year's quotas; reserved and used are kept by selection."""

    list_display = ["year", "region", "occupation", "allotted", "reserved", "used", "left"]
    list_filter = ["year", "region"]
    search_fields = ["occupation__code", "occupation__title_ru", "region__name_ru"]
    raw_id_fields = ["occupation"]
    readonly_fields = ["reserved", "used"]

    @admin.display(description=_("left"))
    def left(self, quota):
        return quota.left


class TransitionInline(admin.TabularInline):
    model = ApplicationTransition
    extra = 0
    can_delete = False
    readonly_fields = ["at", "from_stage", "to_stage", "by", "reason_code", "reason"]
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only here: stages change only through the selection pages, which keep the
    history, the quota ledger and the notices consistent."""

    list_display = ["pk", "vacancy", "profile", "origin", "stage", "stage_changed_at"]
    list_filter = ["stage", "origin"]
    raw_id_fields = ["vacancy", "profile", "agency", "quota"]
    inlines = [TransitionInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Application._meta.fields]

    def has_add_permission(self, request):
        return False
