"""Forms of the shared core: accounts and organizations."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from exchange.backends import normalize_login
from exchange.choices import Role
from exchange.models import Employer, User
from exchange.validators import compact_number

LOGIN_HELP = _(
    "Your e-mail address, or your phone number with the country code, e.g. +998 90 123 45 67."
)


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("E-mail or phone number"),
        max_length=254,
        help_text=LOGIN_HELP,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail or phone number and password do not match an account. "
            "Check them and try again: the password is case-sensitive."
        ),
        "inactive": _("This account is disabled. Contact the exchange's support."),
    }


class SignUpForm(forms.Form):
    """Opens an account for a migrant worker or an employer's representative.

    Partner agencies and administrators get their accounts from administrators.
    """

    SELF_SERVICE_ROLES = [
        (Role.MIGRANT, _("I am looking for work")),
        (Role.EMPLOYER, _("I hire workers for my organization")),
    ]

    role = forms.ChoiceField(
        label=_("I am registering as"), choices=SELF_SERVICE_ROLES, widget=forms.RadioSelect
    )
    login = forms.CharField(label=_("E-mail or phone number"), max_length=254, help_text=LOGIN_HELP)
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        # Lazy: built per request, in the visitor's language, not once at import.
        help_text=lazy(password_validation.password_validators_help_text_html, str)(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_login(self) -> dict[str, str]:
        lookup = normalize_login(self.cleaned_data["login"])
        if lookup is None:
            raise ValidationError(
                _("Enter a valid e-mail address or a phone number with its country code."),
                code="invalid_login",
            )
        if "email__iexact" in lookup:
            email = User.objects.normalize_email(lookup["email__iexact"])
            forms.EmailField().clean(email)
            lookup = {"email": email}
            taken = User.objects.filter(email__iexact=email).exists()
        else:
            taken = User.objects.filter(phone=lookup["phone"]).exists()
        if taken:
            raise ValidationError(
                _(
                    "An account with this e-mail or phone already exists. Sign in, or reset the password."
                ),
                code="login_taken",
            )
        return lookup

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1 and "login" in cleaned:
            candidate = User(full_name=cleaned.get("full_name", ""), **cleaned["login"])
            try:
                password_validation.validate_password(p1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def save(self, *, language: str) -> User:
        data = self.cleaned_data
        return User.objects.create_user(
            password=data["password1"],
            role=data["role"],
            full_name=data["full_name"],
            language=language,
            **data["login"],
        )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "language"]
        help_texts = {"phone": LOGIN_HELP}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and not self.errors:
            raise ValidationError(
                _("Keep an e-mail address or a phone number: you sign in with it.")
            )
        return cleaned


class EmployerForm(forms.ModelForm):
    # Longer than the stored numbers, so that spaces and dashes typed into them
    # reach the checks below instead of failing on length.
    inn = forms.CharField(
        label=_("INN"),
        max_length=20,
        help_text=_("10 digits for an organization, 12 for an individual entrepreneur."),
    )
    ogrn = forms.CharField(
        label=_("OGRN / OGRNIP"),
        max_length=25,
        help_text=_("13 digits (OGRN) or 15 digits (OGRNIP)."),
    )

    class Meta:
        model = Employer
        fields = [
            "legal_name",
            "inn",
            "ogrn",
            "region",
            "address",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
        ]

    def clean_inn(self) -> str:
        return compact_number(self.cleaned_data["inn"])

    def clean_ogrn(self) -> str:
        return compact_number(self.cleaned_data["ogrn"])


class EmployerReviewForm(forms.Form):
    DECISIONS = [("verify", _("Verify")), ("reject", _("Reject"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (shown to the employer)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason", _("Say why the registration is rejected: the employer sees it.")
            )
        return cleaned
