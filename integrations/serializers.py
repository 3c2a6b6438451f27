"""Partner API representation of webhook endpoints, deliveries and import jobs."""

from rest_framework import serializers

from exchange.events import EVENT_TYPES
from integrations.models import ImportJob, WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    url = serializers.URLField(max_length=500, help_text="https only; public addresses only.")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES), min_length=1, max_length=10
    )
    occupations = serializers.ListField(
        child=serializers.RegexField(r"^\d{1,4}$"),
        required=False,
        max_length=50,
        help_text="vacancy.published only: ISCO-08 codes or group prefixes.",
    )
    regions = serializers.ListField(
        child=serializers.RegexField(r"^\d{2}$"),
        required=False,
        max_length=100,
        help_text="vacancy.published only: region codes.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "occupations",
            "regions",
            "is_active",
            "disabled_at",
            "disabled_reason",
            "created_at",
        ]
        read_only_fields = ["id", "disabled_at", "disabled_reason", "created_at"]


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Shown only now: keep it to verify signatures."
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "message_id",
            "event",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "last_attempt_at",
            "last_response_status",
            "last_error",
            "created_at",
            "delivered_at",
        ]
        read_only_fields = fields


class ImportRowReportSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="1 = the first worker in the file.")
    external_id = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "exists", "error", "skipped"])
    id = serializers.IntegerField(allow_null=True, help_text="The worker's id on the exchange.")
    errors = serializers.DictField(
        child=serializers.JSONField(), required=False, help_text="Field name → messages."
    )


class ImportJobSerializer(serializers.ModelSerializer):
    report = ImportRowReportSerializer(many=True, read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "status",
            "mode",
            "source_format",
            "total_rows",
            "created_count",
            "existing_count",
            "error_count",
            "created_at",
            "finished_at",
            "report",
        ]
        read_only_fields = fields


class ImportRequestSerializer(serializers.Serializer):
    """For the schema: the body is a JSON array of workers or a CSV file."""
