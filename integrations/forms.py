"""Forms of the keys and webhooks pages."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from exchange.events import EVENT_TYPES
from exchange.models import ApiKey, Region
from integrations import webhooks

EVENT_LABELS = {
    "application.stage_changed": _("An application moved to another stage"),
    "worker.verified": _("A worker was verified"),
    "worker.rejected": _("A worker was not verified"),
    "document.expiring": _("A worker's document expires soon"),
    "vacancy.published": _("A vacancy was published"),
}


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system uses the key, e.g. “CRM production”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=ApiKey.Scope.choices,
        initial=ApiKey.Scope.READ,
        widget=forms.RadioSelect,
    )


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Address (https)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Must be a public https address."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=[(event, EVENT_LABELS[event]) for event in EVENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
    )
    occupations = forms.CharField(
        label=_("Only vacancies in these occupation groups"),
        required=False,
        help_text=_("ISCO-08 codes or their first digits, separated by spaces, e.g. 71 9313."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Only vacancies in these regions"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, for_employer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if for_employer:
            # Worker events concern agencies' workers; an employer hears about its own.
            self.fields["events"].choices = [
                (event, EVENT_LABELS[event])
                for event in ("application.stage_changed", "vacancy.published")
            ]

    def clean_occupations(self):
        codes = self.cleaned_data["occupations"].split()
        bad = [code for code in codes if not (code.isdigit() and len(code) <= 4)]
        if bad:
            raise ValidationError(_("Use ISCO-08 digits only, e.g. 71 or 7112."))
        return codes

    def clean(self):
        cleaned = super().clean()
        if "url" in cleaned and "url" not in self.errors:
            try:
                webhooks.check_target(cleaned["url"])
            except ValidationError as error:
                self.add_error("url", error)
        return cleaned
