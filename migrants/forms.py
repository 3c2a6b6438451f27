"""Forms of the migrant registry: registration, the profile in steps, documents, reviews."""

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exchange.choices import CEFRLevel
from exchange.classifications import country_choices, language_choices
from exchange.forms import SignUpForm
from exchange.models import Occupation, Region, Skill
from exchange.pickers import OccupationPicker
from migrants.choices import ConsentMethod, DocumentType, DrivingCategory, NotificationChannel
from migrants.files import clean_upload
from migrants.models import CONSENT_TEXT, MigrantProfile, validate_adult
from migrants.services import passport_taken

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LATIN = RegexValidator(
    r"^[A-Za-zʻʼ'’\- .]+$",
    _("Use Latin letters only, as in your passport (for example: Jasur)."),
    code="not_latin",
)
CYRILLIC = RegexValidator(
    r"^[А-Яа-яЁёЎўҚқҒғҲҳҢңӨөҮүҶҷӢӣӘәІі\- .]+$",
    _("Use Cyrillic letters only (for example: Жасур)."),
    code="not_cyrillic",
)
PASSPORT = RegexValidator(
    r"^[A-Za-zА-Яа-я0-9 \-]{5,20}$",
    _("A passport number has 5 to 20 letters and digits."),
    code="bad_passport",
)
WORKER_OWNED_HELP = _("Entered by the worker: only they can change it.")
CONSENT_LABEL = _("I have read and agree to the processing of my personal data")


def lock_fields(form: forms.BaseForm, locked: set[str]) -> None:
    """Disable fields the worker entered, for an agency's form: the browser shows
    them read-only and Django ignores what is posted for them."""
    for name in locked & set(form.fields):
        form.fields[name].disabled = True
        form.fields[name].help_text = WORKER_OWNED_HELP


def enabled_data(form: forms.BaseForm) -> dict:
    return {
        name: form.cleaned_data[name]
        for name, field in form.fields.items()
        if not field.disabled and name in form.cleaned_data
    }


class ConsentField(forms.BooleanField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", CONSENT_LABEL)
        kwargs.setdefault("help_text", CONSENT_TEXT)
        kwargs.setdefault(
            "error_messages",
            {"required": _("Without your consent the exchange cannot keep your profile.")},
        )
        super().__init__(required=True, **kwargs)


class MigrantSignUpForm(SignUpForm):
    """A worker's own registration: login, password and consent, on one short page."""

    consent = ConsentField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["role"]
        self.fields["full_name"].label = _("Your name, as you want us to call you")


class ConsentForm(forms.Form):
    consent = ConsentField()


class IdentityForm(forms.ModelForm):
    first_name_latin = forms.CharField(label=_("First name (Latin)"), validators=[LATIN])
    last_name_latin = forms.CharField(label=_("Last name (Latin)"), validators=[LATIN])
    first_name_cyrillic = forms.CharField(label=_("First name (Cyrillic)"), validators=[CYRILLIC])
    last_name_cyrillic = forms.CharField(label=_("Last name (Cyrillic)"), validators=[CYRILLIC])
    patronymic = forms.CharField(
        label=_("Patronymic (if you have one)"), required=False, validators=[CYRILLIC]
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=DATE_WIDGET, validators=[validate_adult]
    )
    citizenship = forms.ChoiceField(label=_("Citizenship"), choices=country_choices)

    class Meta:
        model = MigrantProfile
        fields = [
            "first_name_latin",
            "last_name_latin",
            "first_name_cyrillic",
            "last_name_cyrillic",
            "patronymic",
            "birth_date",
            "gender",
            "citizenship",
        ]
        widgets = {"gender": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].required = True
        self.fields["gender"].choices = self.fields["gender"].choices[1:]  # no blank radio
        self.fields["citizenship"].choices = [("", "—"), *country_choices()]

    def clean(self):
        cleaned = super().clean()
        for name in ("first_name_latin", "last_name_latin"):
            if cleaned.get(name):
                cleaned[name] = " ".join(cleaned[name].split()).title()
        return cleaned


class PassportForm(forms.ModelForm):
    passport_number = forms.CharField(
        label=_("Passport number"),
        validators=[PASSPORT],
        help_text=_("As printed in the passport, e.g. FA1234567. Stored encrypted."),
    )
    passport_expiry = forms.DateField(label=_("Passport valid until"), widget=DATE_WIDGET)

    class Meta:
        model = MigrantProfile
        fields = ["passport_number", "passport_expiry"]

    def __init__(self, *args, citizenship: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.citizenship = citizenship if citizenship is not None else self.instance.citizenship
        self.duplicate = None

    def clean_passport_number(self):
        number = re.sub(r"[\s\-]", "", self.cleaned_data["passport_number"]).upper()
        if not self.citizenship:
            raise ValidationError(
                _("Fill in your citizenship first (the previous step)."), code="no_citizenship"
            )
        self.duplicate = passport_taken(self.citizenship, number, exclude_pk=self.instance.pk)
        if self.duplicate is not None:
            raise ValidationError(
                _(
                    "A worker with this passport is already registered. The same person cannot "
                    "be registered twice."
                ),
                code="duplicate_passport",
            )
        return number

    def clean_passport_expiry(self):
        expiry = self.cleaned_data["passport_expiry"]
        if expiry <= timezone.localdate():
            raise ValidationError(
                _("This passport has expired. Enter the details of a valid passport."),
                code="expired",
            )
        return expiry


class ContactsForm(forms.ModelForm):
    preferred_language = forms.ChoiceField(
        label=_("Language for messages"), choices=settings.LANGUAGES
    )

    class Meta:
        model = MigrantProfile
        fields = ["phone", "email", "preferred_language", "notification_channel"]
        widgets = {"notification_channel": forms.RadioSelect}
        help_texts = {"phone": _("With the country code, e.g. +998 90 123 45 67.")}

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("notification_channel")
        if (
            channel == NotificationChannel.SMS
            and not cleaned.get("phone")
            and "phone" not in (self.errors)
        ):
            self.add_error("phone", _("Give a phone number to get text messages."))
        if (
            channel == NotificationChannel.EMAIL
            and not cleaned.get("email")
            and "email" not in (self.errors)
        ):
            self.add_error("email", _("Give an e-mail address to get e-mails."))
        return cleaned


class OccupationField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title}"


class OccupationAddForm(forms.Form):
    occupation = OccupationField(
        label=_("Occupation"),
        queryset=Occupation.objects.filter(level=4),
        widget=OccupationPicker,
        error_messages={"required": _("Search and choose an occupation from the list.")},
    )
    years_experience = forms.IntegerField(
        label=_("Years of experience"), min_value=0, max_value=60, initial=1
    )


class SkillsForm(forms.Form):
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, profile: MigrantProfile, **kwargs):
        super().__init__(*args, **kwargs)
        codes = profile.occupations.values_list("occupation_id", flat=True)
        prefixes = {code[:n] for code in codes for n in range(1, 5)}
        self.fields["skills"].queryset = (
            Skill.objects.filter(is_active=True, occupations__code__in=prefixes)
            | Skill.objects.filter(pk__in=profile.skills.values("pk"))
        ).distinct()


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=(), required=False)
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", "—"), *CEFRLevel.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "—"), *language_choices()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("language") and not cleaned.get("level"):
            self.add_error("level", _("Choose how well you speak it."))
        if cleaned.get("level") and not cleaned.get("language"):
            self.add_error("language", _("Choose the language."))
        return cleaned


class BaseLanguageFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            code = form.cleaned_data.get("language")
            if code and code in seen:
                raise ValidationError(_("Each language once, please."))
            seen.add(code)

    def languages(self) -> dict[str, str]:
        return {
            form.cleaned_data["language"]: form.cleaned_data["level"]
            for form in self.forms
            if form.cleaned_data.get("language") and not form.cleaned_data.get("DELETE")
        }


LanguageFormSet = forms.formset_factory(
    LanguageForm, formset=BaseLanguageFormSet, extra=2, max_num=10
)


class PreferencesForm(forms.ModelForm):
    desired_regions = forms.ModelMultipleChoiceField(
        label=_("Regions where you want to work"),
        queryset=Region.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or tap) to choose several, or tick “anywhere” below."),
    )
    driving_categories = forms.MultipleChoiceField(
        label=_("Driving licence categories"),
        choices=DrivingCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_salary = forms.IntegerField(
        label=_("Minimum salary, roubles a month"), min_value=0, max_value=10_000_000
    )
    available_from = forms.DateField(label=_("I can start from"), widget=DATE_WIDGET)

    class Meta:
        model = MigrantProfile
        fields = [
            "education",
            "desired_regions",
            "anywhere_in_russia",
            "min_salary",
            "available_from",
            "rotation_ok",
            "driving_categories",
            "is_visible",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["education"].required = True

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("anywhere_in_russia") and not cleaned.get("desired_regions"):
            self.add_error(
                "desired_regions", _("Choose at least one region, or tick “anywhere in Russia”.")
            )
        return cleaned


class AgencyWorkerForm(IdentityForm):
    """An agency registers a worker: identity, passport, contacts and the consent evidence."""

    passport_number = PassportForm.base_fields["passport_number"]
    passport_expiry = PassportForm.base_fields["passport_expiry"]
    phone = MigrantProfile._meta.get_field("phone").formfield(
        help_text=_("The worker's own phone: the claim code is sent there.")
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Language for messages"), choices=settings.LANGUAGES
    )
    consent_method = forms.ChoiceField(
        label=_("How the worker gave consent"),
        choices=[c for c in ConsentMethod.choices if c[0] != ConsentMethod.ONLINE],
    )
    consent_obtained_on = forms.DateField(label=_("Consent obtained on"), widget=DATE_WIDGET)
    consent_evidence = forms.FileField(
        label=_("Signed consent form (PDF, JPEG or PNG)"),
        required=False,
        help_text=_("Required for a signed paper form."),
    )
    consent_note = forms.CharField(
        label=_("Note on the consent"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    consent_confirmed = forms.BooleanField(
        label=_("The worker was shown the consent text in a language they read and agreed to it"),
        help_text=CONSENT_TEXT,
        error_messages={"required": _("Register a worker only with their consent.")},
    )

    check_duplicate_passport = True

    class Meta(IdentityForm.Meta):
        fields = [*IdentityForm.Meta.fields, "phone", "email", "preferred_language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate = None
        self.clean_evidence = None

    def clean_passport_number(self):
        return re.sub(r"[\s\-]", "", self.cleaned_data["passport_number"]).upper()

    def clean_consent_obtained_on(self):
        day = self.cleaned_data["consent_obtained_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date is in the future."), code="future")
        return day

    def clean_passport_expiry(self):
        return PassportForm.clean_passport_expiry(self)

    def clean_consent_evidence(self):
        upload = self.cleaned_data.get("consent_evidence")
        if upload:
            self.clean_evidence = clean_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("consent_method") == ConsentMethod.SIGNED_FORM
            and not self.clean_evidence
            and "consent_evidence" not in self.errors
        ):
            self.add_error("consent_evidence", _("Attach the scan of the signed form."))
        if not cleaned.get("phone") and not cleaned.get("email") and "phone" not in self.errors:
            self.add_error(
                "phone", _("Give the worker's phone or e-mail: they need it to claim the profile.")
            )
        number, country = cleaned.get("passport_number"), cleaned.get("citizenship")
        # Bulk imports check passports for the whole file in one query instead.
        if number and country and self.check_duplicate_passport:
            self.duplicate = passport_taken(country, number)
            if self.duplicate is not None:
                self.add_error(
                    "passport_number",
                    ValidationError(
                        _(
                            "This worker is already registered on the exchange (perhaps by "
                            "another agency or by the worker). You can ask for access instead."
                        ),
                        code="duplicate_passport",
                    ),
                )
        return cleaned

    def profile_data(self) -> dict:
        names = [*IdentityForm.Meta.fields, "passport_number", "passport_expiry", "phone", "email"]
        data = {name: self.cleaned_data[name] for name in names}
        data["preferred_language"] = self.cleaned_data["preferred_language"]
        data["notification_channel"] = (
            NotificationChannel.SMS if data["phone"] else NotificationChannel.EMAIL
        )
        return data


class AccessRequestForm(forms.Form):
    citizenship = forms.CharField(widget=forms.HiddenInput)
    passport_number = forms.CharField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Why your agency needs access"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document"), choices=DocumentType.choices)
    number = forms.CharField(label=_("Number"), max_length=50, required=False)
    issued_on = forms.DateField(
        label=_("Issued on"),
        widget=DATE_WIDGET,
        required=False,
        help_text=_("For a migration card: the day you entered Russia."),
    )
    expires_on = forms.DateField(label=_("Valid until"), widget=DATE_WIDGET, required=False)
    file = forms.FileField(
        label=_("File: PDF, JPEG or PNG"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = settings.MIGRANTS_DOCUMENT_MAX_BYTES // (1024 * 1024) or 1
        self.fields["file"].help_text = _("At most %(mb)s MB. A photo from the phone is fine.") % {
            "mb": limit
        }
        self.clean_file_data = None

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.clean_file_data = clean_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        issued, expires = cleaned.get("issued_on"), cleaned.get("expires_on")
        if issued and expires and expires < issued:
            self.add_error("expires_on", _("The document cannot expire before it was issued."))
        if issued and issued > timezone.localdate():
            self.add_error("issued_on", _("The date is in the future."))
        return cleaned


class ReviewForm(forms.Form):
    DECISIONS = [("verify", _("Verify")), ("reject", _("Reject"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason (the worker and the agency see it)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why: the worker and the agency see the reason."))
        return cleaned


class ClaimRequestForm(forms.Form):
    contact = forms.CharField(
        label=_("The phone or e-mail the agency recorded for you"), max_length=254
    )


class ClaimCodeForm(forms.Form):
    contact = forms.CharField(label=_("Phone or e-mail"), max_length=254)
    code = forms.RegexField(
        label=_("Code from the message"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("The code has 6 digits.")},
    )
    consent = ConsentField()
