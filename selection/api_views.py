"""Partner API: the agency's applications (propose a worker, follow the stages,
withdraw). The selection rules are in `selection.services`; these views only scope,
parse and call them."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from exchange.api.authentication import IsAgencyKey
from exchange.api.idempotency import IDEMPOTENCY_PARAMETER, IdempotentPostMixin
from exchange.api.partner import PartnerAPIMixin
from migrants.models import MigrantProfile
from selection import services
from selection.models import Application
from selection.serializers import ApplicationSerializer, ProposeSerializer, WithdrawSerializer
from vacancies.models import Vacancy


class ApplicationViewSet(
    IdempotentPostMixin,
    PartnerAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Applications of your agency's workers, with their stage history."""

    permission_classes = [IsAgencyKey]
    serializer_class = ApplicationSerializer
    filterset_fields = ["stage", "vacancy", "profile"]
    ordering_fields = ["created_at", "stage_changed_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return (
            Application.objects.filter(
                Q(agency_id=self.agency_id) | Q(profile__registered_by_id=self.agency_id)
            )
            .prefetch_related("transitions")
            .distinct()
        )

    @extend_schema(
        request=ProposeSerializer,
        responses={201: ApplicationSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def create(self, request):
        """Propose one of your workers for a published vacancy."""
        shape = ProposeSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        worker = (
            MigrantProfile.objects.for_agency(self.agency_id)
            .filter(pk=shape.validated_data["worker"])
            .first()
        )
        vacancy = (
            Vacancy.objects.visible_to_public().filter(pk=shape.validated_data["vacancy"]).first()
        )
        errors = {}
        if worker is None:
            errors["worker"] = [exceptions.NotFound.default_detail]
        if vacancy is None:
            errors["vacancy"] = [exceptions.NotFound.default_detail]
        if errors:
            raise exceptions.ValidationError(errors)
        application = services.propose_by_agency(
            vacancy, worker, agency=request.auth.agency, user=request.user
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=application.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=WithdrawSerializer,
        responses=ApplicationSerializer,
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the candidacy (at any stage before it is final)."""
        application = self.get_object()
        shape = WithdrawSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        services.withdraw(
            application, user=request.user, reason=shape.validated_data.get("reason", "")
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)
