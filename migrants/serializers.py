"""Partner API representation of workers (migrant profiles) and their documents.

Serializers describe and check the shape; the rules are those of the web forms
(migrants.forms) and the registry's services, which the API views call."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exchange.choices import CEFRLevel, EducationLevel, VerificationStatus
from exchange.classifications import COUNTRY_CODES, LANGUAGE_CODES
from migrants.choices import (
    ConsentMethod,
    DocumentType,
    DrivingCategory,
    Gender,
    NotificationChannel,
)
from migrants.forms import CYRILLIC, LATIN, PASSPORT
from migrants.models import Document, MigrantProfile, validate_adult

LANGUAGE_HELP = "The language of messages to the worker: " + ", ".join(
    code for code, _name in settings.LANGUAGES
)


class OccupationEntrySerializer(serializers.Serializer):
    occupation = serializers.CharField(
        max_length=4, help_text="ISCO-08 unit group code (4 digits)."
    )
    years_experience = serializers.IntegerField(min_value=0, max_value=60, default=0)


class LanguageEntrySerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=LANGUAGE_CODES, help_text="ISO 639-1 code.")
    level = serializers.ChoiceField(choices=CEFRLevel.choices)


class WorkProfileFields(serializers.Serializer):
    """Work profile fields shared by create, update and import rows (all optional)."""

    occupations = OccupationEntrySerializer(many=True, required=False, max_length=20)
    languages = LanguageEntrySerializer(many=True, required=False, max_length=10)
    skills = serializers.ListField(
        child=serializers.SlugField(max_length=80), required=False, max_length=100
    )
    desired_regions = serializers.ListField(
        child=serializers.CharField(max_length=2), required=False, max_length=100
    )
    education = serializers.ChoiceField(choices=EducationLevel.choices, required=False)
    anywhere_in_russia = serializers.BooleanField(required=False)
    min_salary = serializers.IntegerField(
        min_value=0, max_value=10_000_000, required=False, allow_null=True
    )
    available_from = serializers.DateField(required=False, allow_null=True)
    rotation_ok = serializers.BooleanField(required=False)
    driving_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DrivingCategory.choices), required=False
    )
    is_visible = serializers.BooleanField(required=False)

    def validate_languages(self, value):
        codes = [entry["language"] for entry in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Each language once, please."))
        return value

    def validate_occupations(self, value):
        codes = [entry["occupation"] for entry in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Each occupation once, please."))
        return value


class WorkerCreateSerializer(WorkProfileFields):
    """A new worker with the consent the agency obtained. Identity, passport, contacts
    and consent are checked by the same form as the agency's web page."""

    external_id = serializers.CharField(
        max_length=100,
        required=False,
        help_text="Your own reference for the worker; unique within your agency.",
    )
    first_name_latin = serializers.CharField(max_length=100)
    last_name_latin = serializers.CharField(max_length=100)
    first_name_cyrillic = serializers.CharField(max_length=100)
    last_name_cyrillic = serializers.CharField(max_length=100)
    patronymic = serializers.CharField(max_length=100, required=False, allow_blank=True)
    birth_date = serializers.DateField()
    gender = serializers.ChoiceField(choices=Gender.choices)
    citizenship = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code.")
    passport_number = serializers.CharField(max_length=20)
    passport_expiry = serializers.DateField()
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    preferred_language = serializers.CharField(max_length=8, help_text=LANGUAGE_HELP)
    consent_method = serializers.ChoiceField(
        choices=[c for c in ConsentMethod.choices if c[0] != ConsentMethod.ONLINE]
    )
    consent_obtained_on = serializers.DateField()
    consent_confirmed = serializers.BooleanField(
        help_text="True: the worker was shown the consent text in a language they read and "
        "agreed to it. Required."
    )
    consent_note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    consent_evidence = serializers.FileField(
        required=False,
        help_text="Scan of the signed consent form (PDF, JPEG or PNG), multipart only.",
    )
    consent_evidence_base64 = serializers.CharField(
        required=False,
        help_text="The same scan, base64-encoded, for JSON requests. Required for "
        "consent_method=signed_form (one of the two).",
    )

    IDENTITY_FORM_FIELDS = (
        "first_name_latin",
        "last_name_latin",
        "first_name_cyrillic",
        "last_name_cyrillic",
        "patronymic",
        "birth_date",
        "gender",
        "citizenship",
        "passport_number",
        "passport_expiry",
        "phone",
        "email",
        "preferred_language",
        "consent_method",
        "consent_obtained_on",
        "consent_confirmed",
        "consent_note",
    )


class WorkerUpdateSerializer(WorkProfileFields):
    """Changes to a worker: every field optional; lists replace the current ones."""

    def validate_citizenship(self, value):
        if value not in COUNTRY_CODES:
            raise serializers.ValidationError(_("Unknown country code."))
        return value

    def validate_preferred_language(self, value):
        if value not in dict(settings.LANGUAGES):
            raise serializers.ValidationError(_("Unknown language code."))
        return value

    external_id = serializers.CharField(max_length=100, required=False)
    first_name_latin = serializers.CharField(max_length=100, required=False, validators=[LATIN])
    last_name_latin = serializers.CharField(max_length=100, required=False, validators=[LATIN])
    first_name_cyrillic = serializers.CharField(
        max_length=100, required=False, validators=[CYRILLIC]
    )
    last_name_cyrillic = serializers.CharField(
        max_length=100, required=False, validators=[CYRILLIC]
    )
    patronymic = serializers.CharField(
        max_length=100, required=False, allow_blank=True, validators=[CYRILLIC]
    )
    birth_date = serializers.DateField(required=False, validators=[validate_adult])
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    citizenship = serializers.CharField(
        max_length=2, required=False, help_text="ISO 3166-1 alpha-2 code."
    )
    passport_number = serializers.CharField(max_length=20, required=False, validators=[PASSPORT])
    passport_expiry = serializers.DateField(required=False)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    preferred_language = serializers.CharField(
        max_length=8, required=False, help_text=LANGUAGE_HELP
    )
    notification_channel = serializers.ChoiceField(
        choices=NotificationChannel.choices, required=False
    )


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = [
            "id",
            "doc_type",
            "number",
            "issued_on",
            "expires_on",
            "content_type",
            "size",
            "verification_status",
            "verification_note",
            "uploaded_at",
        ]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    """Checked as the web form checks it: PDF, JPEG or PNG by content, size-capped."""

    doc_type = serializers.ChoiceField(choices=DocumentType.choices)
    number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    issued_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    file = serializers.FileField()


class WorkerSerializer(serializers.ModelSerializer):
    """A worker as the agency sees it. The passport number is shown masked."""

    passport_number = serializers.CharField(source="masked_passport", read_only=True)
    phone = serializers.SerializerMethodField()
    email = serializers.CharField(read_only=True, help_text="An e-mail address, or empty.")
    occupations = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    skills = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    desired_regions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    completeness = serializers.IntegerField(source="completeness_percent", read_only=True)
    is_claimed = serializers.BooleanField(read_only=True)
    registered_by_you = serializers.SerializerMethodField()
    verification_status = serializers.ChoiceField(
        choices=VerificationStatus.choices, read_only=True
    )

    class Meta:
        model = MigrantProfile
        fields = [
            "id",
            "external_id",
            "first_name_latin",
            "last_name_latin",
            "first_name_cyrillic",
            "last_name_cyrillic",
            "patronymic",
            "birth_date",
            "gender",
            "citizenship",
            "passport_number",
            "passport_expiry",
            "phone",
            "email",
            "preferred_language",
            "notification_channel",
            "education",
            "occupations",
            "languages",
            "skills",
            "desired_regions",
            "anywhere_in_russia",
            "min_salary",
            "available_from",
            "rotation_ok",
            "driving_categories",
            "is_visible",
            "verification_status",
            "verification_note",
            "submitted_at",
            "completeness",
            "is_claimed",
            "registered_by_you",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_phone(self, profile) -> str:
        return profile.phone.as_e164 if profile.phone else ""

    @extend_schema_field(OccupationEntrySerializer(many=True))
    def get_occupations(self, profile) -> list[dict]:
        return [
            {"occupation": row.occupation_id, "years_experience": row.years_experience}
            for row in profile.occupations.all()
        ]

    @extend_schema_field(LanguageEntrySerializer(many=True))
    def get_languages(self, profile) -> list[dict]:
        return [{"language": row.language, "level": row.level} for row in profile.languages.all()]

    def get_registered_by_you(self, profile) -> bool:
        key = self.context["request"].auth
        return profile.registered_by_id == getattr(key, "agency_id", None)
