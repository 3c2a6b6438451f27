"""Partner API representation of matches."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from matching.models import Match


class MatchSerializer(serializers.ModelSerializer):
    """One of the worker's best vacancies, with the score broken down per component."""

    vacancy = serializers.IntegerField(source="vacancy_id")
    vacancy_title = serializers.CharField(source="vacancy.title")
    components = serializers.DictField(
        child=serializers.FloatField(), help_text="Component name → value in [0, 1]."
    )
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = ["vacancy", "vacancy_title", "score", "components", "reasons", "computed_at"]

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"good": {"type": "boolean"}, "text": {"type": "string"}},
            },
        }
    )
    def get_reasons(self, match) -> list[dict]:
        from matching.explanations import reasons

        return [{"good": good, "text": text} for good, text in reasons(match, for_worker=False)]
