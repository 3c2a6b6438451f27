"""Partner API representation of applications and their stage history."""

from rest_framework import serializers

from selection.models import Application, ApplicationTransition, Stage


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
