"""Django admin for analytics: the log of summary-table refreshes, read-only (the
tables themselves are rebuilt by `refresh_analytics`, never edited)."""

from django.contrib import admin

from analytics.models import RefreshRun


@admin.register(RefreshRun)
class RefreshRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "mode", "as_of", "seconds", "snapshot_rebuilt"]
    list_filter = ["mode"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
