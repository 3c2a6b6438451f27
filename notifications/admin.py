from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import DeliveryStatus, Notification, SavedSearch
from notifications.tasks import deliver_notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Administrators see every delivery: its status, attempts and last error."""

    list_display = [
        "created_at",
        "event",
        "recipient",
        "channel",
        "status",
        "attempts",
        "last_error",
        "sent_at",
        "read_at",
    ]
    list_filter = ["status", "channel", "event", "created_at"]
    search_fields = ["recipient__email", "recipient__phone", "subject", "idempotency_key"]
    raw_id_fields = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [
        field.name for field in Notification._meta.fields if field.name not in {"status"}
    ]
    actions = ["send_again"]

    @admin.action(description=_("Send the selected failed notifications again"))
    def send_again(self, request, queryset):
        ids = list(queryset.filter(status=DeliveryStatus.FAILED).values_list("pk", flat=True))
        Notification.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.PENDING, attempts=0, last_error=""
        )
        for notification_id in ids:
            deliver_notification.delay(notification_id)
        self.message_user(
            request,
            ngettext("%(count)d notification queued.", "%(count)d notifications queued.", len(ids))
            % {"count": len(ids)},
        )

    def has_add_permission(self, request):
        return False


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "query", "is_active", "checked_at"]
    list_filter = ["is_active"]
    raw_id_fields = ["user"]
