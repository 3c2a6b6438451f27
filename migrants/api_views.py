"""Partner API: the workers an agency registered (or was given access to).

Create runs the agency registration form of the web page and the registry's
services; updates go through `update_profile` and friends, so the same rules hold
(worker-entered fields are locked, identity changes send the profile back to
verification, duplicates are refused or flagged)."""

import base64
import binascii
import datetime

import django_filters
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from exchange.api.authentication import IsAgencyKey
from exchange.api.idempotency import IDEMPOTENCY_PARAMETER, IdempotentPostMixin
from exchange.api.partner import Conflict, PartnerAPIMixin, validate_form
from exchange.choices import VerificationStatus
from exchange.models import Occupation, Region, Skill
from migrants import services
from migrants.forms import AgencyWorkerForm, DocumentForm
from migrants.models import MigrantProfile
from migrants.serializers import (
    DocumentSerializer,
    DocumentUploadSerializer,
    WorkerCreateSerializer,
    WorkerSerializer,
    WorkerUpdateSerializer,
)

PREFERENCE_FIELDS = (
    "education",
    "anywhere_in_russia",
    "min_salary",
    "available_from",
    "rotation_ok",
    "driving_categories",
    "is_visible",
)


class UTCDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 with any offset Python accepts; PostgreSQL takes only ±15:59, so the
    value is compared in UTC."""

    def filter(self, qs, value):
        return super().filter(qs, value.astimezone(datetime.UTC) if value else value)


class WorkerFilter(django_filters.FilterSet):
    external_id = django_filters.CharFilter()
    citizenship = django_filters.CharFilter()
    verification_status = django_filters.ChoiceFilter(choices=VerificationStatus.choices)
    occupation = django_filters.CharFilter(
        field_name="occupations__occupation__code",
        lookup_expr="startswith",
        distinct=True,
        help_text="ISCO-08 code or group prefix.",
    )
    created_after = UTCDateTimeFilter(field_name="created_at", lookup_expr="gte")
    updated_after = UTCDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    claimed = django_filters.BooleanFilter(field_name="user", lookup_expr="isnull", exclude=True)

    class Meta:
        model = MigrantProfile
        fields = ["external_id", "citizenship", "verification_status"]


def _references(data: dict) -> dict:
    """Look up occupation, skill and region codes; unknown codes are field errors."""
    errors, found = {}, {}
    if "occupations" in data:
        codes = [entry["occupation"] for entry in data["occupations"]]
        known = {o.code: o for o in Occupation.objects.filter(code__in=codes, level=4)}
        bad = [code for code in codes if code not in known]
        if bad:
            errors["occupations"] = [
                _("Unknown ISCO-08 unit groups: %(codes)s") % {"codes": ", ".join(bad)}
            ]
        found["occupations"] = [
            (known.get(e["occupation"]), e["years_experience"]) for e in data["occupations"]
        ]
    if "skills" in data:
        skills = list(Skill.objects.filter(code__in=data["skills"]))
        bad = sorted(set(data["skills"]) - {s.code for s in skills})
        if bad:
            errors["skills"] = [_("Unknown skills: %(codes)s") % {"codes": ", ".join(bad)}]
        found["skills"] = skills
    if "desired_regions" in data:
        regions = list(Region.objects.filter(code__in=data["desired_regions"]))
        bad = sorted(set(data["desired_regions"]) - {r.code for r in regions})
        if bad:
            errors["desired_regions"] = [
                _("Unknown region codes: %(codes)s") % {"codes": ", ".join(bad)}
            ]
        found["desired_regions"] = regions
    if errors:
        raise exceptions.ValidationError(errors)
    return found


def apply_work_profile(profile: MigrantProfile, actor, data: dict, found: dict) -> None:
    """Occupations, languages, skills, regions and preferences, through the services.
    Lists replace what the profile had."""
    if "occupations" in data:
        wanted = {occupation.code for occupation, _years in found["occupations"]}
        for current in list(profile.occupations.values_list("occupation_id", flat=True)):
            if current not in wanted:
                services.remove_occupation(profile=profile, actor=actor, occupation_id=current)
        for occupation, years in found["occupations"]:
            services.add_occupation(
                profile=profile, actor=actor, occupation=occupation, years=years
            )
    if "languages" in data:
        services.set_languages(
            profile=profile,
            actor=actor,
            languages={entry["language"]: entry["level"] for entry in data["languages"]},
        )
    changes = {name: data[name] for name in PREFERENCE_FIELDS if name in data}
    for name in ("skills", "desired_regions"):
        if name in found:
            changes[name] = found[name]
    if changes:
        services.update_profile(profile=profile, actor=actor, changes=changes)


def _evidence_file(data) -> SimpleUploadedFile | None:
    if data.get("consent_evidence"):
        return data["consent_evidence"]
    encoded = data.get("consent_evidence_base64")
    if not encoded:
        return None
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise exceptions.ValidationError(
            {"consent_evidence_base64": [_("This is not valid base64.")]}
        ) from None
    return SimpleUploadedFile("consent", content)


def _registry_errors(call):
    """Run a registry service, turning its refusals into API errors."""
    try:
        return call()
    except services.DuplicatePassport as error:
        raise Conflict(str(error), code="duplicate_passport") from None
    except services.WorkerOwnedField as error:
        raise Conflict(
            _("“%(field)s” was entered by the worker: only they can change it.")
            % {"field": error.args[0]},
            code="worker_owned_field",
        ) from None
    except services.RegistryError as error:
        raise exceptions.ValidationError({"non_field_errors": [str(error)]}) from None
    except PermissionDenied:
        raise exceptions.PermissionDenied(
            _("Your agency may read this worker but not change it.")
        ) from None


class WorkerViewSet(
    IdempotentPostMixin,
    PartnerAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Workers your agency registered, or that an administrator shared with it."""

    permission_classes = [IsAgencyKey]
    serializer_class = WorkerSerializer
    filterset_class = WorkerFilter
    ordering_fields = ["id", "created_at", "updated_at", "last_name_latin"]
    ordering = ["-created_at", "-id"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            MigrantProfile.objects.for_agency(self.agency_id)
            .distinct()
            .prefetch_related("occupations", "languages", "skills", "desired_regions", "documents")
        )

    @extend_schema(
        request={
            "application/json": WorkerCreateSerializer,
            "multipart/form-data": WorkerCreateSerializer,
        },
        responses={201: WorkerSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    def create(self, request):
        """Register a worker with the consent your agency obtained."""
        shape = WorkerCreateSerializer(data=request.data)
        shape.is_valid(raise_exception=True)
        data = shape.validated_data
        evidence = _evidence_file(data)
        form_data = {
            name: request.data.get(name)
            for name in WorkerCreateSerializer.IDENTITY_FORM_FIELDS
            if request.data.get(name) is not None
        }
        form = validate_form(
            AgencyWorkerForm(
                data=form_data, files={"consent_evidence": evidence} if evidence else {}
            )
        )
        found = _references(data)
        external_id = data.get("external_id")
        if external_id:
            existing = MigrantProfile.objects.filter(
                registered_by_id=self.agency_id, external_id=external_id
            ).first()
            if existing is not None:
                raise Conflict(
                    _("Your agency already registered worker #%(id)s with this external_id.")
                    % {"id": existing.pk},
                    code="external_id_exists",
                )

        def register():
            with transaction.atomic():
                profile = services.register_worker_by_agency(
                    by=request.user,
                    data=form.profile_data(),
                    consent_method=form.cleaned_data["consent_method"],
                    consent_obtained_on=form.cleaned_data["consent_obtained_on"],
                    evidence=form.clean_evidence,
                    consent_note=form.cleaned_data["consent_note"],
                )
                if external_id:
                    try:
                        with transaction.atomic():
                            MigrantProfile.objects.filter(pk=profile.pk).update(
                                external_id=external_id
                            )
                    except IntegrityError:
                        raise Conflict(
                            _("Your agency already registered a worker with this external_id."),
                            code="external_id_exists",
                        ) from None
                apply_work_profile(profile, request.user, data, found)
                return profile

        profile = _registry_errors(register)
        profile = self.get_queryset().get(pk=profile.pk)
        return Response(
            self.get_serializer(profile).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(f"{request.path}{profile.pk}/")},
        )

    @extend_schema(request=WorkerUpdateSerializer, responses=WorkerSerializer)
    def partial_update(self, request, pk=None):
        """Change a worker. Lists (occupations, languages, skills, regions) replace the
        current ones. Fields the worker entered themselves cannot be changed (409)."""
        profile = self.get_object()
        shape = WorkerUpdateSerializer(data=request.data, partial=True)
        shape.is_valid(raise_exception=True)
        data = dict(shape.validated_data)
        found = _references(data)
        identity = {
            name: data[name]
            for name in (*services.SCALAR_FIELDS,)
            if name in data and name not in PREFERENCE_FIELDS
        }
        if "passport_number" in identity:
            identity["passport_number"] = (
                identity["passport_number"].replace(" ", "").replace("-", "").upper()
            )
        if "passport_expiry" in identity and identity["passport_expiry"] <= timezone.localdate():
            raise exceptions.ValidationError(
                {
                    "passport_expiry": [
                        _("This passport has expired. Enter the details of a valid passport.")
                    ]
                }
            )

        def update():
            with transaction.atomic():
                if "external_id" in data:
                    if profile.registered_by_id != self.agency_id:
                        raise PermissionDenied
                    try:
                        with transaction.atomic():
                            MigrantProfile.objects.filter(pk=profile.pk).update(
                                external_id=data["external_id"]
                            )
                    except IntegrityError:
                        raise Conflict(
                            _("Your agency already registered a worker with this external_id."),
                            code="external_id_exists",
                        ) from None
                if identity:
                    services.update_profile(profile=profile, actor=request.user, changes=identity)
                apply_work_profile(profile, request.user, data, found)

        _registry_errors(update)
        return Response(self.get_serializer(self.get_queryset().get(pk=profile.pk)).data)

    @extend_schema(responses=DocumentSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="documents", pagination_class=None)
    def documents(self, request, pk=None):
        """The worker's documents (metadata; the files open on the exchange's site)."""
        profile = self.get_object()
        return Response(DocumentSerializer(profile.documents.all(), many=True).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @documents.mapping.post
    def upload_document(self, request, pk=None):
        """Upload a scan: PDF, JPEG or PNG, checked by content; images are re-encoded."""
        profile = self.get_object()
        DocumentUploadSerializer(data=request.data).is_valid(raise_exception=True)
        form = validate_form(DocumentForm(data=request.data, files=request.FILES))
        document = _registry_errors(
            lambda: services.upload_document(
                profile=profile,
                actor=request.user,
                doc_type=form.cleaned_data["doc_type"],
                clean_file=form.clean_file_data,
                number=form.cleaned_data["number"],
                issued_on=form.cleaned_data["issued_on"],
                expires_on=form.cleaned_data["expires_on"],
            )
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=WorkerSerializer)
    @action(detail=True, methods=["post"], url_path="submit")
    def submit(self, request, pk=None):
        """Send a complete profile to the exchange's verification queue."""
        profile = self.get_object()
        _registry_errors(
            lambda: services.submit_for_verification(profile=profile, actor=request.user)
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=profile.pk)).data)


def own_worker(request, pk) -> MigrantProfile:
    """For other apps' endpoints: a worker the calling agency may see, or 404 (also for
    an id that is not a number)."""
    return get_object_or_404(
        MigrantProfile.objects.for_agency(request.auth.agency_id).distinct(), pk=pk
    )
