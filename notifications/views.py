"""The in-app inbox and the worker's saved searches (job alerts)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchange.access import role_required
from exchange.choices import Role
from notifications import alerts, services
from notifications.models import Notification, SavedSearch


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.inbox_of(request.user)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@require_POST
@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notice read and go where it points (only to a page of this site)."""
    notification = get_object_or_404(Notification.objects.inbox_of(request.user), pk=pk)
    services.mark_read(request.user, [notification.pk])
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_read(request.user)
    return redirect("notifications:inbox")


@role_required(Role.MIGRANT)
def saved_searches(request: HttpRequest) -> HttpResponse:
    searches = SavedSearch.objects.filter(user=request.user)
    return render(request, "notifications/saved_searches.html", {"searches": searches})


@require_POST
@role_required(Role.MIGRANT)
def save_search(request: HttpRequest) -> HttpResponse:
    try:
        saved = alerts.save_search(
            user=request.user,
            query=request.POST.get("query", "")[:2000],
            name=request.POST.get("name", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Search “%(name)s” saved. New vacancies that match it come once a day.")
            % {"name": saved.name},
        )
    return redirect("notifications:saved_searches")


@require_POST
@role_required(Role.MIGRANT)
def delete_search(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(SavedSearch, pk=pk, user=request.user).delete()
    messages.success(request, _("The saved search is deleted; no more alerts for it."))
    return redirect("notifications:saved_searches")
