"""A worker's saved searches (job alerts): list, save, delete. The digests are sent by
vacancies/alerts.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchange.access import role_required
from exchange.choices import Role
from notifications.models import SavedSearch
from vacancies import alerts


@role_required(Role.MIGRANT)
def saved_searches(request: HttpRequest) -> HttpResponse:
    searches = SavedSearch.objects.filter(user=request.user)
    return render(request, "vacancies/saved_searches.html", {"searches": searches})


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
    return redirect("alerts:saved_searches")


@require_POST
@role_required(Role.MIGRANT)
def delete_search(request: HttpRequest, pk: int) -> HttpResponse:
    get_object_or_404(SavedSearch, pk=pk, user=request.user).delete()
    messages.success(request, _("The saved search is deleted; no more alerts for it."))
    return redirect("alerts:saved_searches")
