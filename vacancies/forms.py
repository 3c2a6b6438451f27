"""Forms of the vacancies app."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from exchange.models import Occupation, Skill
from exchange.pickers import OccupationPicker, SkillPicker
from vacancies.models import Vacancy, VacancyLanguage


class VacancyForm(forms.ModelForm):
    occupation = forms.ModelChoiceField(
        label=_("Occupation (ISCO-08)"),
        queryset=Occupation.objects.filter(level=4),
        widget=OccupationPicker,
        error_messages={"invalid_choice": _("Choose an occupation from the list.")},
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Required skills"),
        queryset=Skill.objects.filter(is_active=True),
        widget=SkillPicker,
        required=False,
    )

    class Meta:
        model = Vacancy
        fields = [
            "title",
            "occupation",
            "description",
            "duties",
            "requirements",
            "region",
            "city",
            "address",
            "positions_total",
            "salary_min",
            "salary_max",
            "currency",
            "salary_basis",
            "employment_type",
            "schedule",
            "contract_months",
            "start_date",
            "expires_on",
            "skills",
            "experience_years",
            "education",
            "housing",
            "meals",
            "transport_provided",
            "medical_card_required",
            "document_help",
            "open_to_foreign_workers",
            "quota_bound",
            "contact_name",
            "contact_phone",
            "contact_email",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "duties": forms.Textarea(attrs={"rows": 3}),
            "requirements": forms.Textarea(attrs={"rows": 3}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expires_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, employer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employer is not None and not self.instance.pk:
            # A new vacancy starts with the organization's region and contacts. They go into
            # self.initial: a ModelForm fills it from the (empty) instance, and those empty
            # values would hide any field's own initial.
            organization = {
                "contact_name": employer.contact_name,
                "contact_phone": employer.contact_phone,
                "contact_email": employer.contact_email,
                "region": employer.region_id,
            }
            for name, value in organization.items():
                if not self.initial.get(name):
                    self.initial[name] = value


class PositionsForm(forms.Form):
    """Head count only: changes no moderated content."""

    positions_total = forms.IntegerField(label=_("Positions"), min_value=1)
    positions_filled = forms.IntegerField(label=_("Positions filled"), min_value=0)

    def clean(self):
        cleaned = super().clean()
        total, filled = cleaned.get("positions_total"), cleaned.get("positions_filled")
        if total is not None and filled is not None and filled > total:
            self.add_error("positions_filled", _("More positions filled than the vacancy has."))
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the employer)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


LanguageRequirementFormSet = inlineformset_factory(
    Vacancy,
    VacancyLanguage,
    fields=["language", "min_level"],
    extra=2,
    max_num=6,
    can_delete=True,
)
