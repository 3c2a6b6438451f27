"""Partner API: webhook endpoints and their deliveries (agency and employer keys),
bulk imports of workers (agency keys)."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from exchange.api.authentication import IsAgencyKey
from exchange.api.idempotency import IDEMPOTENCY_PARAMETER, IdempotentPostMixin
from exchange.api.partner import PartnerAPIMixin
from integrations import imports, webhooks
from integrations.models import ImportJob, WebhookDelivery, WebhookEndpoint
from integrations.serializers import (
    ImportJobSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointSerializer,
)
from migrants.serializers import WorkerCreateSerializer
from migrants.services import RegistryError


class WebhookViewSet(
    IdempotentPostMixin,
    PartnerAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your organization's webhook endpoints."""

    queryset = WebhookEndpoint.objects.none()  # names the model; get_queryset scopes
    serializer_class = WebhookEndpointSerializer
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    filterset_fields = ["is_active"]

    def get_queryset(self):
        key = self.request.auth
        if key.agency_id:
            return WebhookEndpoint.objects.filter(agency_id=key.agency_id)
        return WebhookEndpoint.objects.filter(employer_id=key.employer_id)

    @extend_schema(
        request=WebhookEndpointSerializer,
        responses={201: WebhookEndpointCreatedSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def create(self, request):
        """Subscribe a URL to events. The answer holds the signing secret, once."""
        shape = WebhookEndpointSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        data = shape.validated_data
        endpoint = webhooks.create_endpoint(
            organization=request.auth.organization,
            by=request.user,
            url=data["url"],
            events=data["events"],
            description=data.get("description", ""),
            occupations=data.get("occupations", []),
            regions=data.get("regions", []),
        )
        return Response(
            WebhookEndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=WebhookEndpointSerializer, responses=WebhookEndpointSerializer)
    def partial_update(self, request, pk=None):
        """Change the URL, events or filters; `is_active: true` switches a disabled
        endpoint back on."""
        endpoint = self.get_object()
        shape = WebhookEndpointSerializer(endpoint, data=request.data, partial=True)
        shape.is_valid(raise_exception=True)
        webhooks.update_endpoint(endpoint, **shape.validated_data)
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(request=None, responses=WebhookEndpointCreatedSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        """A new signing secret, shown once; the old one stops working at once."""
        endpoint = self.get_object()
        webhooks.rotate_secret(endpoint)
        return Response(WebhookEndpointCreatedSerializer(endpoint).data)

    @extend_schema(
        responses=WebhookDeliverySerializer(many=True),
        parameters=[
            OpenApiParameter("status", str, enum=WebhookDelivery.Status.values),
            OpenApiParameter("page", int),
        ],
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def deliveries(self, request, pk=None):
        """Events sent (or being retried) to this endpoint, newest first."""
        endpoint = self.get_object()
        deliveries = endpoint.deliveries.all()
        wanted = request.query_params.get("status")
        if wanted in WebhookDelivery.Status.values:
            deliveries = deliveries.filter(status=wanted)
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)

    @extend_schema(
        request=None,
        responses={202: WebhookDeliverySerializer},
        parameters=[
            OpenApiParameter("delivery_id", int, location=OpenApiParameter.PATH),
            IDEMPOTENCY_PARAMETER,
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"deliveries/(?P<delivery_id>[^/]+)/replay",
    )
    def replay(self, request, pk=None, delivery_id=None):
        """Send a delivery again, with its original webhook-id."""
        endpoint = self.get_object()
        delivery = get_object_or_404(endpoint.deliveries, pk=delivery_id)
        if not endpoint.is_active:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Switch the endpoint on before replaying.")]}
            )
        delivery = webhooks.replay(delivery)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class RawBodyParser(parsers.BaseParser):
    """Keeps the body as bytes: an import is parsed row by row by the import itself."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.INTEGRATIONS_IMPORT_MAX_BYTES
        content = stream.read(limit + 1) if stream else b""
        if len(content) > limit:
            raise exceptions.ParseError(_("The file is too large."))
        return content


class JSONImportParser(RawBodyParser):
    media_type = "application/json"


class CSVImportParser(RawBodyParser):
    media_type = "text/csv"


class ImportViewSet(
    IdempotentPostMixin,
    PartnerAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Bulk imports of workers and their reports."""

    permission_classes = [IsAgencyKey]
    serializer_class = ImportJobSerializer
    parser_classes = [JSONImportParser, CSVImportParser]
    filterset_fields = ["status"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return ImportJob.objects.filter(agency_id=self.agency_id)

    @extend_schema(
        request={
            "application/json": WorkerCreateSerializer(many=True),
            "text/csv": OpenApiTypes.STR,
        },
        parameters=[
            OpenApiParameter(
                "mode",
                str,
                enum=ImportJob.Mode.values,
                description="all_or_nothing (default): store nothing unless every row is "
                "valid. partial: store the valid rows.",
            ),
            IDEMPOTENCY_PARAMETER,
        ],
        responses={
            200: OpenApiResponse(ImportJobSerializer, description="Imported; the report."),
            202: OpenApiResponse(
                ImportJobSerializer, description="Large file queued; follow the job's URL."
            ),
        },
    )
    def create(self, request):
        """Import workers: a JSON array of worker objects (as for creating one, plus a
        required external_id) or CSV with the same column names (lists separated by
        ";", occupations as code:years, languages as code:level)."""
        mode = request.query_params.get("mode", ImportJob.Mode.ALL_OR_NOTHING)
        if mode not in ImportJob.Mode.values:
            raise exceptions.ValidationError({"mode": [_("Choose all_or_nothing or partial.")]})
        source_format = "csv" if request.content_type.startswith("text/csv") else "json"
        content = request.data if isinstance(request.data, bytes) else b""
        try:
            with transaction.atomic():
                job = imports.start_import(
                    agency=request.auth.agency,
                    by=request.user,
                    content=content,
                    source_format=source_format,
                    mode=mode,
                    sync_max_rows=settings.INTEGRATIONS_IMPORT_SYNC_MAX_ROWS,
                )
        except imports.UnreadableFile as error:
            raise exceptions.ValidationError({"non_field_errors": [str(error)]}) from None
        except RegistryError as error:
            raise exceptions.PermissionDenied(str(error)) from None
        done = job.status == ImportJob.Status.DONE
        return Response(
            ImportJobSerializer(job).data,
            status=status.HTTP_200_OK if done else status.HTTP_202_ACCEPTED,
            headers={"Location": request.build_absolute_uri(f"{request.path}{job.pk}/")},
        )
