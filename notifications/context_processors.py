"""Template context of the notifications: the header's inbox link."""

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.models import Notification


def inbox_link(request):
    """The inbox link with the unread count (one indexed COUNT per page), for the
    signed-in; the header shows it after the role's links (exchange/context_processors.py)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = Notification.objects.inbox_of(user).unread().count()
    label = _("Notifications (%(count)d)") % {"count": unread} if unread else _("Notifications")
    return {"inbox_link": (reverse("notifications:inbox"), label)}
