"""Django's own messages that its Uzbek and Tajik catalogs leave untranslated.

Django 5.2's ``uz`` and ``tg`` catalogs (django/conf/locale and
django/contrib/auth/locale) miss some messages a visitor of our public pages can
see: form field errors and the password validators' rules and errors. Gettext
then falls back to the site's default language, so an Uzbek worker would read
the password rules in Russian.

Listing the exact msgids here (copied byte for byte from Django's .po files,
curly apostrophes included) makes ``makemessages`` carry them into our catalogs
in locale/, and our catalogs take precedence over Django's. Admin-only,
date/format and database-technical messages are left out on purpose.

``_messages()`` is never called: it only exists to be read by ``makemessages``.
"""

from django.utils.translation import gettext, ngettext


def _messages() -> None:
    # django/conf/locale
    gettext("Enter a valid domain name.")
    gettext("Enter a valid %(protocol)s address.")
    gettext("IPv4")
    gettext("IPv6")
    gettext("IPv4 or IPv6")
    gettext("Ensure this value is a multiple of step size %(limit_value)s.")
    gettext(
        "Ensure this value is a multiple of step size %(limit_value)s, starting from %(offset)s, e.g. %(offset)s, %(valid_value1)s, %(valid_value2)s, and so on."
    )
    ngettext(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        1,
    )
    ngettext(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        1,
    )
    ngettext(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        1,
    )
    ngettext(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        1,
    )
    ngettext(
        "Ensure that there are no more than %(max)s digit before the decimal point.",
        "Ensure that there are no more than %(max)s digits before the decimal point.",
        1,
    )
    gettext(
        "File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."
    )
    gettext("Constraint “%(name)s” is violated.")
    gettext("Value must be valid JSON.")
    gettext("%(model)s instance with %(field)s %(value)r is not a valid choice.")
    ngettext(
        "Ensure this filename has at most %(max)d character (it has %(length)d).",
        "Ensure this filename has at most %(max)d characters (it has %(length)d).",
        1,
    )
    gettext("Enter a valid JSON.")
    gettext(
        "ManagementForm data is missing or has been tampered with. Missing fields: %(field_names)s. You may need to file a bug report if the issue persists."
    )
    ngettext("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", 1)
    ngettext("Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", 1)
    gettext("“%(pk)s” is not a valid value.")
    gettext(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it may not exist."
    )
    # django/contrib/auth/locale
    gettext("The two password fields didn’t match.")
    gettext("Old password")
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        1,
    )
    ngettext(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        1,
    )
    gettext("The password is too similar to the %(verbose_name)s.")
    gettext("Your password can’t be too similar to your other personal information.")
    gettext("This password is too common.")
    gettext("Your password can’t be a commonly used password.")
    gettext("This password is entirely numeric.")
    gettext("Your password can’t be entirely numeric.")
