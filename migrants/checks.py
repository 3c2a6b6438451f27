"""System checks for the registry's keys."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured


@register(Tags.security)
def passport_keys_check(app_configs, **kwargs):
    from migrants.crypto import fernet

    messages = []
    try:
        fernet()
    except ImproperlyConfigured as error:
        messages.append(Error(str(error), id="migrants.E001"))
    if settings.MIGRANTS_DEV_KEYS:
        messages.append(
            Warning(
                "Passport numbers are encrypted with development keys derived from SECRET_KEY.",
                hint="Set MIGRANTS_PASSPORT_KEYS and MIGRANTS_PASSPORT_HASH_KEY (see .env.example).",
                id="migrants.W001",
            )
        )
    elif len(settings.MIGRANTS_PASSPORT_HASH_KEY) < 32:
        messages.append(
            Error("MIGRANTS_PASSPORT_HASH_KEY is shorter than 32 characters.", id="migrants.E002")
        )
    return messages
