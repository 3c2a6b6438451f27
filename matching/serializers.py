"""Partner API representation of matches and applications."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from matching.models import Application, ApplicationTransition, Match, Stage


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


class TransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationTransition
        fields = ["from_stage", "to_stage", "at", "reason_code", "reason"]


class ApplicationSerializer(serializers.ModelSerializer):
    vacancy = serializers.IntegerField(source="vacancy_id", read_only=True)
    worker = serializers.IntegerField(source="profile_id", read_only=True)
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)
    history = TransitionSerializer(source="transitions", many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "vacancy",
            "worker",
            "origin",
            "stage",
            "stage_changed_at",
            "created_at",
            "history",
        ]
        read_only_fields = fields


class ProposeSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField(help_text="A published vacancy.")
    worker = serializers.IntegerField(help_text="One of your agency's workers.")


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
