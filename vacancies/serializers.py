"""Public API representation of vacancies (no contact details: those are for
signed-in job seekers on the site, not for scraping)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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

    count = serializers.IntegerField(help_text="Matches, counted up to 1000.")
    count_capped = serializers.BooleanField(help_text="True when there are more than `count`.")
    sort = serializers.CharField(help_text="The order actually used.")
    next = serializers.URLField(allow_null=True, help_text="The next page, or null.")
    results = VacancyListSerializer(many=True)
