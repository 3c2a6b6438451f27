"""The dashboard's filters."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from analytics import reports
from analytics.refresh import month_start
from exchange.classifications import country_name
from exchange.models import Occupation, Region

MAX_MONTHS = 36  # a longer period makes the monthly charts unreadable


def _parse_month(value: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise forms.ValidationError(_("Enter a month as YYYY-MM."), code="month") from None


class DashboardFilterForm(forms.Form):
    month_from = forms.CharField(
        label=_("From month"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    month_to = forms.CharField(
        label=_("To month"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    region = forms.ModelChoiceField(
        Region.objects.all(), label=_("Region"), required=False, empty_label=_("All of Russia")
    )
    occupation = forms.ChoiceField(label=_("Occupation group"), required=False)
    citizenship = forms.ChoiceField(label=_("Citizenship"), required=False)

    def __init__(self, *args, citizenships: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        groups = Occupation.objects.filter(level__lte=2).order_by("code")
        choices = [("", _("All occupations"))]
        choices += [
            (group.code, f"{'— ' * (group.level - 1)}{group.code} {group.title}")
            for group in groups
        ]
        wanted = self.data.get("occupation", "")
        if wanted and len(wanted) > 2:  # drilled down below the sub-major groups
            deeper = Occupation.objects.filter(code=wanted).first()
            if deeper:
                choices.append((deeper.code, f"{deeper.code} {deeper.title}"))
        self.fields["occupation"].choices = choices
        self.fields["citizenship"].choices = [("", _("All citizenships"))] + [
            (code, country_name(code)) for code in citizenships
        ]

    def clean_month_from(self):
        return _parse_month(self.cleaned_data["month_from"])

    def clean_month_to(self):
        return _parse_month(self.cleaned_data["month_to"])

    def clean(self):
        data = super().clean()
        start, end = data.get("month_from"), data.get("month_to")
        if start and end:
            if start > end:
                self.add_error("month_to", _("The period ends before it starts."))
            elif (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
                self.add_error(
                    "month_to",
                    _("Choose at most %(months)d months.") % {"months": MAX_MONTHS},
                )
        return data

    def filters(self) -> reports.Filters:
        """The filters to apply: the valid fields, defaults for the rest (an invalid field
        is reported beside it and ignored, so the page still shows figures)."""
        result = reports.default_filters()
        data = self.cleaned_data if self.is_bound else {}
        if not self.errors.get("month_from") and not self.errors.get("month_to"):
            end = data.get("month_to") or result.month_to
            start = data.get("month_from")
            if start is None:
                start = end
                for _i in range(11):
                    start = month_start(start - datetime.timedelta(days=1))
            result.month_from, result.month_to = month_start(start), month_start(end)
        if not self.errors.get("region"):
            result.region = data.get("region")
        if not self.errors.get("occupation") and data.get("occupation"):
            result.occupation = Occupation.objects.get(code=data["occupation"])
        if not self.errors.get("citizenship"):
            result.citizenship = data.get("citizenship", "")
        return result
