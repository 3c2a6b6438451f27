"""Open data API: the balance and the supply by citizenship, anonymised as in the files."""

import datetime

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from analytics import opendata, reports
from analytics.models import BalanceCell


class BalanceRowSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM")
    as_of = serializers.DateField(help_text="The day the snapshot describes.")
    region_code = serializers.CharField(help_text="Two-digit region code; empty: all of Russia.")
    occupation_code = serializers.CharField(help_text="ISCO-08 group code; empty: all.")
    isco_level = serializers.IntegerField(help_text="0: all occupations, 1-4: ISCO level.")
    open_positions = serializers.IntegerField()
    open_vacancies = serializers.IntegerField()
    available_workers = serializers.IntegerField(
        allow_null=True, help_text="Null when 1-4 workers (withheld)."
    )
    shortage_index = serializers.FloatField(
        allow_null=True,
        help_text="open_positions / available_workers; null when there are no workers "
        "or their number is withheld.",
    )
    no_available_workers = serializers.BooleanField()
    placements = serializers.IntegerField(allow_null=True, help_text="Null when 1-4.")


class BalanceQuerySerializer(serializers.Serializer):
    month = serializers.RegexField(r"^\d{4}-\d{2}$", required=False)
    level = serializers.IntegerField(min_value=0, max_value=4, default=1)
    region = serializers.CharField(required=False, allow_blank=True, max_length=3)
    occupation = serializers.RegexField(r"^\d{1,4}$", required=False)

    def validate_month(self, value):
        try:
            return datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise serializers.ValidationError("Use YYYY-MM.") from None


class BalanceAPI(generics.GenericAPIView):
    """The balance of one month (default: the latest) at one ISCO level, for all of Russia
    (default), one region (`region=77`) or every region (`region=any`)."""

    authentication_classes: list = []  # open data: anonymous, no session, no CSRF
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    serializer_class = BalanceRowSerializer
    queryset = BalanceCell.objects.none()
    pagination_class = None

    @extend_schema(
        operation_id="open_data_balance",
        parameters=[
            OpenApiParameter("month", str, description="YYYY-MM; default: the latest month."),
            OpenApiParameter("level", int, description="ISCO level 0-4 (default 1)."),
            OpenApiParameter(
                "region", str, description="Region code, `any` for every region; default all."
            ),
            OpenApiParameter("occupation", str, description="Only groups under this code."),
        ],
        responses=BalanceRowSerializer(many=True),
    )
    def get(self, request):
        query = BalanceQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationError(query.errors)
        params = query.validated_data
        month = params.get("month") or reports.snapshot_month()
        cells = BalanceCell.objects.filter(month=month, level=params["level"])
        region = params.get("region", "")
        if region == "any":
            cells = cells.filter(region__isnull=False)
        elif region:
            cells = cells.filter(region_id=region)
        else:
            cells = cells.filter(region__isnull=True)
        if params.get("occupation"):
            cells = cells.filter(occupation__code__startswith=params["occupation"])
        cells = cells.order_by("region_id", "occupation_id")
        return Response([opendata.balance_row(cell) for cell in cells])
