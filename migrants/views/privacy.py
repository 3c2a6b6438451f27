"""The worker's data rights: downloading their data and asking for it to be erased."""

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from exchange.access import role_required
from exchange.choices import Role
from migrants import services
from migrants.views.common import _profile


@never_cache
@role_required(Role.MIGRANT)
def export(request: HttpRequest) -> HttpResponse:
    profile = _profile(request, None)
    data = services.export_profile_data(profile)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@role_required(Role.MIGRANT)
def erasure(request: HttpRequest) -> HttpResponse:
    profile = _profile(request, None)
    if request.method == "POST":
        services.request_erasure(profile=profile, by=request.user)
        messages.success(
            request,
            _("Your request is recorded. An administrator will confirm it within a month."),
        )
        return redirect("migrants:dashboard")
    return render(request, "migrants/erasure.html", {"profile": profile})
