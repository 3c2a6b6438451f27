"""Public read API for published vacancies: the same search as the web page."""

from django.utils.http import urlencode
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from vacancies.filters import VacancyFilter
from vacancies.models import Vacancy
from vacancies.search import search_vacancies
from vacancies.serializers import (
    VacancyDetailSerializer,
    VacancyListSerializer,
    VacancyPageSerializer,
    vacancy_summary,
)


class PublicAPIMixin:
    authentication_classes: list = []  # anonymous by design; no session, so no CSRF
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]


class VacancyListAPI(PublicAPIMixin, generics.GenericAPIView):
    """Search published vacancies. Pages follow `next`; filters as on the search page."""

    queryset = Vacancy.objects.none()  # the search builds its own; this names the model
    serializer_class = VacancyListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = VacancyFilter

    @extend_schema(
        operation_id="vacancies_list",
        filters=True,
        parameters=[
            OpenApiParameter(
                "cursor", str, description="Opaque position from the previous page's `next`."
            )
        ],
        responses=VacancyPageSerializer,
    )
    def get(self, request):
        cursor = request.query_params.get("cursor")
        # The total is counted on the first page only: later pages skip that query.
        result = search_vacancies(request.query_params, cursor=cursor, count=not cursor)
        if not result.is_valid:
            raise ValidationError(result.filters.errors)
        next_url = None
        if result.next_cursor:
            params = request.query_params.copy()
            params["cursor"] = result.next_cursor
            next_url = request.build_absolute_uri(f"{request.path}?{urlencode(params, doseq=True)}")
        return Response(
            {
                "count": result.count,
                "count_capped": result.count_capped,
                "sort": result.sort,
                "next": next_url,
                "results": [
                    vacancy_summary(v, request.build_absolute_uri) for v in result.vacancies
                ],
            }
        )


class VacancyDetailAPI(PublicAPIMixin, generics.RetrieveAPIView):
    """One published vacancy with its full requirements and conditions."""

    serializer_class = VacancyDetailSerializer

    def get_queryset(self):
        return (
            Vacancy.objects.visible_to_public()
            .select_related("employer", "region", "occupation")
            .prefetch_related("skills", "languages")
        )
