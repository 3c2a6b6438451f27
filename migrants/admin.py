"""Django admin for the registry. The eligibility tables are edited here; profiles
are read here (the passport number never appears: use the review page, which logs views)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from exchange.events import worker_changed
from migrants.models import (
    AccessRequest,
    ConsentRecord,
    CountryRegime,
    Document,
    DuplicateFlag,
    ErasureRequest,
    MigrantLanguage,
    MigrantOccupation,
    MigrantProfile,
    PassportView,
    PatentRate,
    ProfileChange,
    RegimeStep,
)


class OccupationInline(admin.TabularInline):
    model = MigrantOccupation
    extra = 0
    autocomplete_fields = ["occupation"]


class LanguageInline(admin.TabularInline):
    model = MigrantLanguage
    extra = 0


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    fields = ["text_version", "given_at", "method", "agency", "recorded_by", "withdrawn_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(MigrantProfile)
class MigrantProfileAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "citizenship",
        "birth_date",
        "registered_by",
        "verification_status",
        "is_visible",
        "created_at",
    ]
    list_filter = ["verification_status", "citizenship", "registered_by", "is_visible"]
    search_fields = ["last_name_latin", "first_name_latin", "last_name_cyrillic", "phone", "email"]
    readonly_fields = ["masked_passport", "verified_by", "verified_at", "claimed_at", "erased_at"]
    exclude = ["passport_number"]
    autocomplete_fields = ["user", "registered_by", "registered_by_user", "skills"]
    filter_horizontal = ["desired_regions"]
    inlines = [OccupationInline, LanguageInline, ConsentInline]

    @admin.display(description=_("passport number"))
    def masked_passport(self, obj):
        return obj.masked_passport

    def save_related(self, request, form, formsets, change):
        """After the profile, its occupations, languages and skills are all saved:
        matching rescores the worker as the services do after their edits."""
        super().save_related(request, form, formsets, change)
        worker_changed.send(sender=__name__, profile_id=form.instance.pk)


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["profile", "doc_type", "expires_on", "verification_status", "uploaded_at"]
    list_filter = ["doc_type", "verification_status"]
    readonly_fields = ["file", "content_type", "size", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["profile"]


@admin.register(ProfileChange)
class ProfileChangeAdmin(admin.ModelAdmin):
    list_display = ["profile", "field", "changed_by", "by_role", "agency", "changed_at"]
    list_filter = ["by_role", "field"]
    raw_id_fields = ["profile"]

    def has_change_permission(self, request, obj=None):
        return False  # history is append-only

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PassportView)
class PassportViewAdmin(admin.ModelAdmin):
    list_display = ["profile", "viewer", "viewed_at", "path"]
    raw_id_fields = ["profile"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DuplicateFlag)
class DuplicateFlagAdmin(admin.ModelAdmin):
    list_display = ["profile", "other", "status", "created_at", "resolved_by"]
    list_filter = ["status"]
    raw_id_fields = ["profile", "other"]


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ["agency", "profile", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["profile"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ["profile", "status", "requested_at", "decided_by"]
    list_filter = ["status"]
    raw_id_fields = ["profile"]


@admin.register(CountryRegime)
class CountryRegimeAdmin(admin.ModelAdmin):
    list_display = ["country", "regime", "legal_basis"]
    list_filter = ["regime"]
    search_fields = ["country"]


@admin.register(RegimeStep)
class RegimeStepAdmin(admin.ModelAdmin):
    list_display = [
        "regime",
        "order",
        "title_en",
        "deadline_days",
        "deadline_working_days",
        "cost_rub",
        "proof_document",
        "is_active",
    ]
    list_filter = ["regime", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(PatentRate)
class PatentRateAdmin(admin.ModelAdmin):
    list_display = ["region", "year", "monthly_rub"]
    list_filter = ["year"]
    list_editable = ["monthly_rub"]
