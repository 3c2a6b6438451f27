"""Forms of the selection pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exchange.classifications import currency_choices
from selection.services import RejectReason
from vacancies.choices import Housing


class RejectForm(forms.Form):
    reason_code = forms.ChoiceField(label=_("Reason"), choices=RejectReason.choices)
    reason = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The worker and the agency see the reason and this text."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OfferForm(forms.Form):
    wage = forms.IntegerField(label=_("Monthly wage"), min_value=1)
    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices)
    start_date = forms.DateField(
        label=_("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    contract_months = forms.IntegerField(
        label=_("Contract length, months"), min_value=1, max_value=60
    )
    housing = forms.ChoiceField(label=_("Housing"), choices=Housing.choices, required=False)
    note = forms.CharField(
        label=_("Other terms"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Meals, transport, working hours: anything the worker should know."),
    )


class ProposeForm(forms.Form):
    profile = forms.ModelChoiceField(label=_("Worker"), queryset=None)

    def __init__(self, *args, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles
