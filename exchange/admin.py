"""Django admin for the shared core's data."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from exchange.classifications import country_choices
from exchange.models import Agency, Employer, Occupation, Region, Skill, User, WorkerHeartbeat


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "phone", "full_name", "role", "employer", "agency"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"  # the admin's fieldsets choose what is shown


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["-date_joined"]
    list_display = ["login", "full_name", "role", "employer", "agency", "is_active", "date_joined"]
    list_filter = ["role", "is_active", "is_staff", "language"]
    search_fields = ["email", "phone", "full_name"]
    autocomplete_fields = ["employer", "agency"]
    fieldsets = [
        (None, {"fields": ["email", "phone", "password"]}),
        (_("Person"), {"fields": ["full_name", "language"]}),
        (_("Role"), {"fields": ["role", "employer", "agency"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "phone",
                    "full_name",
                    "role",
                    "employer",
                    "agency",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["legal_name", "inn", "ogrn", "region", "verification_status", "created_at"]
    list_filter = ["verification_status", "region__federal_district"]
    search_fields = ["legal_name", "inn", "ogrn"]
    autocomplete_fields = ["region"]
    readonly_fields = ["verified_at", "verified_by", "created_at"]
    actions = ["verify_selected"]

    @admin.action(description=_("Verify the selected employers"))
    def verify_selected(self, request, queryset):
        employers = list(queryset.exclude(verification_status="verified"))
        for employer in employers:
            employer.verify(by=request.user)
        self.message_user(
            request,
            _("%(count)d employers verified.") % {"count": len(employers)},
            messages.SUCCESS,
        )


class AgencyAdminForm(forms.ModelForm):
    countries_served = forms.MultipleChoiceField(
        label=_("countries served"), choices=country_choices, required=False
    )

    class Meta:
        model = Agency
        fields = [
            "name",
            "country",
            "licence_number",
            "licence_status",
            "licence_valid_until",
            "countries_served",
            "address",
            "contact_email",
            "contact_phone",
            "website",
        ]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = AgencyAdminForm
    list_display = ["name", "country", "licence_number", "licence_status", "licence_valid_until"]
    list_filter = ["licence_status", "country"]
    search_fields = ["name", "licence_number"]


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "title_en", "title_ru"]
    list_filter = ["level"]
    search_fields = ["code", "title_en", "title_ru"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    """Administrators extend the curated list; retire a skill rather than delete it."""

    list_display = ["title_ru", "title_en", "code", "is_active"]
    list_filter = ["is_active", "occupations__parent__parent__parent"]
    search_fields = ["code", "title_en", "title_ru", "title_uz", "title_tg", "title_ky"]
    filter_horizontal = ["occupations"]
    prepopulated_fields = {"code": ["title_en"]}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_ru", "name_en", "kind", "federal_district"]
    list_filter = ["federal_district", "kind"]
    search_fields = ["code", "name_ru", "name_en"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "seen_at"]
