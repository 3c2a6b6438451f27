"""Public API representation of vacancies (no contact details: those are for
signed-in job seekers on the site, not for scraping)."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from vacancies.forms import VacancyForm
from vacancies.models import Vacancy


class CodeTitleSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()


class VacancyListSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    occupation = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    employer = serializers.SerializerMethodField()
    positions_open = serializers.IntegerField()

    class Meta:
        model = Vacancy
        # vacancy_summary() writes these keys by hand, for speed; a test keeps the two equal.
        fields = [
            "id",
            "url",
            "title",
            "occupation",
            "region",
            "city",
            "employer",
            "salary_min",
            "salary_max",
            "currency",
            "salary_basis",
            "employment_type",
            "schedule",
            "housing",
            "meals",
            "open_to_foreign_workers",
            "positions_open",
            "published_at",
            "expires_on",
        ]

    def get_url(self, vacancy) -> str:
        request = self.context.get("request")
        path = vacancy.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(CodeTitleSerializer)
    def get_occupation(self, vacancy) -> dict:
        return {"code": vacancy.occupation_id, "title": vacancy.occupation.title}

    @extend_schema_field(CodeTitleSerializer)
    def get_region(self, vacancy) -> dict:
        return {"code": vacancy.region_id, "title": vacancy.region.name}

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"name": {"type": "string"}, "verified": {"type": "boolean"}},
        }
    )
    def get_employer(self, vacancy) -> dict:
        return {"name": vacancy.employer.legal_name, "verified": vacancy.employer.is_verified}


class LanguageRequirementSerializer(serializers.Serializer):
    language = serializers.CharField()
    min_level = serializers.CharField()


class VacancyDetailSerializer(VacancyListSerializer):
    skills = serializers.SerializerMethodField()
    languages = LanguageRequirementSerializer(many=True)

    class Meta(VacancyListSerializer.Meta):
        # Spelled out, not VacancyForm's fields minus contacts: a field an employer can
        # edit must not become public in the API by that alone.
        fields = [
            *VacancyListSerializer.Meta.fields,
            "description",
            "duties",
            "requirements",
            "address",
            "positions_total",
            "contract_months",
            "start_date",
            "skills",
            "languages",
            "experience_years",
            "education",
            "transport_provided",
            "medical_card_required",
            "document_help",
            "quota_bound",
        ]

    @extend_schema_field(CodeTitleSerializer(many=True))
    def get_skills(self, vacancy) -> list[dict]:
        return [{"code": skill.code, "title": skill.title} for skill in vacancy.skills.all()]


class VacancyPageSerializer(serializers.Serializer):
    """One page of search results."""

    count = serializers.IntegerField(
        allow_null=True, help_text="Matches, counted up to 1000; null on pages after the first."
    )
    count_capped = serializers.BooleanField(help_text="True when there are more than `count`.")
    sort = serializers.CharField(help_text="The order actually used.")
    next = serializers.URLField(allow_null=True, help_text="The next page, or null.")
    results = VacancyListSerializer(many=True)


def vacancy_summary(vacancy, build_url) -> dict:
    """The same dict as VacancyListSerializer, built directly: the list endpoint is the
    hottest path of the public API, and DRF's field machinery cost ~3 ms per page."""
    employer = vacancy.employer
    return {
        "id": vacancy.pk,
        "url": build_url(vacancy.get_absolute_url()),
        "title": vacancy.title,
        "occupation": {"code": vacancy.occupation_id, "title": vacancy.occupation.title},
        "region": {"code": vacancy.region_id, "title": vacancy.region.name},
        "city": vacancy.city,
        "employer": {"name": employer.legal_name, "verified": employer.is_verified},
        "salary_min": vacancy.salary_min,
        "salary_max": vacancy.salary_max,
        "currency": vacancy.currency,
        "salary_basis": vacancy.salary_basis,
        "employment_type": vacancy.employment_type,
        "schedule": vacancy.schedule,
        "housing": vacancy.housing,
        "meals": vacancy.meals,
        "open_to_foreign_workers": vacancy.open_to_foreign_workers,
        "positions_open": vacancy.positions_open,
        "published_at": _datetime(vacancy.published_at),
        "expires_on": vacancy.expires_on.isoformat() if vacancy.expires_on else None,
    }


def _datetime(value) -> str | None:
    """As DRF writes a datetime: in the current time zone, UTC as "Z"."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# --- Employer keys: the employer's own vacancies (any status), create and update ------


class LanguageRequirementWriteSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=2, help_text="ISO 639-1 code.")
    min_level = serializers.CharField(max_length=6, help_text="CEFR level, or native.")


class EmployerVacancySerializer(serializers.ModelSerializer):
    """An employer's vacancy as its owner sees it. Writes are checked by the same form
    as the employer's web page (vacancies.forms.VacancyForm)."""

    occupation = serializers.CharField(max_length=4, help_text="ISCO-08 unit group code.")
    region = serializers.CharField(max_length=2, help_text="Region code.")
    skills = serializers.ListField(
        child=serializers.SlugField(max_length=80), required=False, max_length=50
    )
    languages = LanguageRequirementWriteSerializer(many=True, required=False, max_length=6)
    contact_phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    contact_email = serializers.CharField(
        max_length=254, required=False, allow_blank=True, help_text="An e-mail address, or empty."
    )

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "status",
            "rejection_reason",
            *VacancyForm.Meta.fields,
            "positions_filled",
            "languages",
            "created_at",
            "updated_at",
            "published_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "rejection_reason",
            "positions_filled",
            "created_at",
            "updated_at",
            "published_at",
        ]

    def to_representation(self, vacancy):
        # Related fields are written as codes, so they are read back as codes too.
        codes = {"occupation", "region", "skills", "languages", "contact_phone"}
        data = {}
        for name, field in self.fields.items():
            if name not in codes:
                value = field.get_attribute(vacancy)
                data[name] = None if value is None else field.to_representation(value)
        data["occupation"] = vacancy.occupation_id
        data["region"] = vacancy.region_id
        data["skills"] = [skill.code for skill in vacancy.skills.all()]
        data["languages"] = [
            {"language": row.language, "min_level": row.min_level}
            for row in vacancy.languages.all()
        ]
        data["contact_phone"] = vacancy.contact_phone.as_e164 if vacancy.contact_phone else ""
        return data
