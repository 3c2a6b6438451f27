"""Sign-in with an e-mail address or a phone number in one field."""

import phonenumbers
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def normalize_login(raw: str) -> dict[str, str] | None:
    """Turn what a person typed into a lookup: {"email": ...} or {"phone": "+E164"}.

    Returns None when it is neither a plausible e-mail address nor a phone number.
    """
    value = (raw or "").strip()
    if not value:
        return None
    if "@" in value:
        return {"email__iexact": value}
    try:
        number = phonenumbers.parse(value, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return {"phone": phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)}


class EmailOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username or kwargs.get(get_user_model().USERNAME_FIELD)
        lookup = normalize_login(username)
        if lookup is None or password is None:
            return None
        user_model = get_user_model()
        try:
            user = user_model._default_manager.get(**lookup)
        except user_model.DoesNotExist:
            # Hash anyway, so that response time does not reveal which accounts exist.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
