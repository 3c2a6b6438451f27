"""Pages of an organization's API keys and webhooks, and the administrators' list
of every key. The raw key and the webhook secret are shown once, in the response
to the form that made them, and never again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exchange.access import role_required
from exchange.choices import Role
from exchange.models import ApiKey
from integrations import services, webhooks
from integrations.forms import ApiKeyForm, WebhookEndpointForm
from integrations.models import WebhookEndpoint

MEMBERS = (Role.AGENCY, Role.EMPLOYER)


def _organization(request: HttpRequest):
    organization = services.organization_of(request.user)
    if organization is None:
        raise PermissionDenied(_("Your account is not attached to an organization yet."))
    return organization


def _endpoints(request: HttpRequest):
    user = request.user
    if user.role == Role.AGENCY:
        return WebhookEndpoint.objects.filter(agency_id=user.agency_id)
    return WebhookEndpoint.objects.filter(employer_id=user.employer_id)


@role_required(*MEMBERS)
def api_keys(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    form = ApiKeyForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _key, new_key = services.create_api_key(
            by=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
        )
        form = ApiKeyForm()
    keys = ApiKey.objects.of_user_organization(request.user).select_related("created_by")
    response = render(
        request,
        "integrations/api_keys.html",
        {"organization": organization, "form": form, "keys": keys, "new_key": new_key},
    )
    if new_key:
        response["Cache-Control"] = "no-store"  # the key must not linger in a cache
    return response


@require_POST
@role_required(*MEMBERS)
def api_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey.objects.of_user_organization(request.user), pk=pk)
    services.revoke_api_key(key=key, by=request.user)
    messages.success(request, _("The key “%(name)s” is revoked.") % {"name": key.name})
    return redirect("integrations:api_keys")


@role_required(*MEMBERS)
def webhook_list(request: HttpRequest) -> HttpResponse:
    organization = _organization(request)
    for_employer = request.user.role == Role.EMPLOYER
    form = WebhookEndpointForm(request.POST or None, for_employer=for_employer)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = webhooks.create_endpoint(
            organization=organization,
            by=request.user,
            url=data["url"],
            events=data["events"],
            description=data["description"],
            occupations=data["occupations"],
            regions=[region.code for region in data["regions"]],
        )
        form = WebhookEndpointForm(for_employer=for_employer)
    response = render(
        request,
        "integrations/webhooks.html",
        {
            "organization": organization,
            "form": form,
            "endpoints": _endpoints(request),
            "created": created,
        },
    )
    if created:
        response["Cache-Control"] = "no-store"
    return response


@role_required(*MEMBERS)
def webhook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = get_object_or_404(_endpoints(request), pk=pk)
    page = Paginator(endpoint.deliveries.all(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "integrations/webhook_detail.html",
        {"endpoint": endpoint, "deliveries": page, "new_secret": None},
    )


@require_POST
@role_required(*MEMBERS)
def webhook_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    endpoint = get_object_or_404(_endpoints(request), pk=pk)
    if verb == "enable":
        webhooks.update_endpoint(endpoint, is_active=True)
        messages.success(request, _("The endpoint is on again."))
    elif verb == "disable":
        webhooks.update_endpoint(endpoint, is_active=False)
        messages.success(request, _("The endpoint is off: no events are sent to it."))
    elif verb == "delete":
        endpoint.delete()
        messages.success(request, _("The endpoint is deleted."))
        return redirect("integrations:webhooks")
    elif verb == "rotate":
        secret = webhooks.rotate_secret(endpoint)
        page = Paginator(endpoint.deliveries.all(), 50).get_page(1)
        response = render(
            request,
            "integrations/webhook_detail.html",
            {"endpoint": endpoint, "deliveries": page, "new_secret": secret},
        )
        response["Cache-Control"] = "no-store"
        return response
    else:
        raise PermissionDenied
    return redirect("integrations:webhook_detail", pk=endpoint.pk)


@require_POST
@role_required(*MEMBERS)
def webhook_replay(request: HttpRequest, pk: int, delivery_id: int) -> HttpResponse:
    endpoint = get_object_or_404(_endpoints(request), pk=pk)
    delivery = get_object_or_404(endpoint.deliveries, pk=delivery_id)
    if endpoint.is_active:
        webhooks.replay(delivery)
        messages.success(request, _("The event is queued to be sent again."))
    else:
        messages.error(request, _("Switch the endpoint on before replaying."))
    return redirect("integrations:webhook_detail", pk=endpoint.pk)


@role_required(Role.ADMINISTRATOR)
def staff_api_keys(request: HttpRequest) -> HttpResponse:
    keys = ApiKey.objects.select_related("agency", "employer", "created_by")
    if request.GET.get("active") == "1":
        keys = keys.active()
    page = Paginator(keys, 100).get_page(request.GET.get("page"))
    return render(request, "integrations/staff_api_keys.html", {"keys": page})


@require_POST
@role_required(Role.ADMINISTRATOR)
def staff_api_key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk)
    services.revoke_api_key(key=key, by=request.user)
    messages.success(request, _("The key “%(name)s” is revoked.") % {"name": key.name})
    return redirect("integrations:staff_api_keys")
