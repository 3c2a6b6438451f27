"""Public read API for published vacancies: the same search as the web page."""

from django import forms
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils.datastructures import MultiValueDict
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from exchange.api.authentication import IsEmployerKey
from exchange.api.idempotency import IDEMPOTENCY_PARAMETER, IdempotentPostMixin
from exchange.api.partner import PartnerAPIMixin, validate_form
from exchange.models import Skill
from vacancies import services
from vacancies.choices import VacancyStatus
from vacancies.filters import VacancyFilter
from vacancies.forms import VacancyForm
from vacancies.models import Vacancy, VacancyLanguage
from vacancies.search import search_vacancies
from vacancies.serializers import (
    EmployerVacancySerializer,
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


# --- Employer keys: own vacancies, drafts included ------------------------------------


def _form_data(payload: dict, vacancy: Vacancy | None) -> MultiValueDict:
    """The VacancyForm's input: the current values, overlaid with the changes."""
    current = {}
    if vacancy is not None and vacancy.pk:
        current = model_to_dict(vacancy, fields=VacancyForm.Meta.fields)
        current["skills"] = [skill.pk for skill in current.get("skills", [])]
        current["contact_phone"] = str(vacancy.contact_phone or "")
    for name, value in payload.items():
        if name in VacancyForm.Meta.fields:
            current[name] = value
    if "skills" in payload:
        current["skills"] = list(
            Skill.objects.filter(code__in=payload["skills"]).values_list("pk", flat=True)
        )
        unknown = set(payload["skills"]) - set(
            Skill.objects.filter(code__in=payload["skills"]).values_list("code", flat=True)
        )
        if unknown:
            raise ValidationError(
                {"skills": [_("Unknown skills: %(codes)s") % {"codes": ", ".join(sorted(unknown))}]}
            )
    data = MultiValueDict()
    for name, value in current.items():
        if isinstance(value, list):
            data.setlist(name, [str(v) for v in value])
        elif value is None:
            data[name] = ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


class VacancyLanguageForm(forms.ModelForm):
    """One language requirement, checked as the web page's formset checks it."""

    class Meta:
        model = VacancyLanguage
        fields = ["language", "min_level"]


def _languages(payload: dict, vacancy: Vacancy) -> list[tuple[str, str]] | None:
    if "languages" not in payload:
        return None
    rows, errors = [], []
    for entry in payload["languages"]:
        form = VacancyLanguageForm(data=entry)
        if form.is_valid():
            rows.append((form.cleaned_data["language"], form.cleaned_data["min_level"]))
        else:
            errors.append({k: list(v) for k, v in form.errors.items()})
    if any(errors) or len({code for code, _level in rows}) != len(rows):
        raise ValidationError({"languages": errors or [_("Each language once, please.")]})
    return rows


class EmployerVacancyViewSet(
    IdempotentPostMixin,
    PartnerAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Your organization's vacancies in every status (employer keys). Creating makes a
    draft; `submit` sends it to moderation; editing a published vacancy's substance
    sends it back to moderation, as on the web page."""

    permission_classes = [IsEmployerKey]
    serializer_class = EmployerVacancySerializer
    filterset_fields = ["status"]
    ordering_fields = ["created_at", "updated_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return (
            Vacancy.objects.of_employer(self.employer_id)
            .select_related("employer")
            .prefetch_related("skills", "languages")
        )

    def _save(self, request, vacancy: Vacancy | None) -> Vacancy:
        shape = EmployerVacancySerializer(data=request.data, partial=vacancy is not None)
        shape.is_valid(raise_exception=True)
        creating = vacancy is None
        if creating:
            vacancy = Vacancy(employer=request.auth.employer)
        elif vacancy.status == VacancyStatus.CLOSED:
            raise ValidationError(
                {
                    "non_field_errors": [
                        _("A closed vacancy cannot be edited. Duplicate it instead.")
                    ]
                }
            )
        form = validate_form(VacancyForm(_form_data(request.data, vacancy), instance=vacancy))
        languages = _languages(request.data, vacancy)
        changed = set(form.changed_data) if not creating else set(VacancyForm.Meta.fields)
        with transaction.atomic():
            vacancy = form.save()
            if languages is not None:
                before = set(vacancy.languages.values_list("language", "min_level"))
                if before != set(languages):
                    changed.add("languages")
                    vacancy.languages.all().delete()
                    VacancyLanguage.objects.bulk_create(
                        VacancyLanguage(vacancy=vacancy, language=code, min_level=level)
                        for code, level in languages
                    )
            services.refresh_search_text(vacancy)
            if creating:
                services.record_creation(vacancy, by=request.user)
            else:
                services.record_edit(vacancy, by=request.user, changed=changed)
        return self.get_queryset().get(pk=vacancy.pk)

    @extend_schema(
        request=EmployerVacancySerializer,
        responses={201: EmployerVacancySerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def create(self, request):
        """Create a draft vacancy."""
        vacancy = self._save(request, None)
        return Response(self.get_serializer(vacancy).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EmployerVacancySerializer, responses=EmployerVacancySerializer)
    def partial_update(self, request, pk=None):
        """Change a vacancy; lists (skills, languages) replace the current ones."""
        vacancy = self._save(request, self.get_object())
        return Response(self.get_serializer(vacancy).data)

    @extend_schema(request=None, responses=EmployerVacancySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Send a draft to moderation (verified employers only)."""
        vacancy = self.get_object()
        services.submit_vacancy(vacancy, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=vacancy.pk)).data)
