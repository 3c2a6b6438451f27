"""Request middleware of the shared core."""

from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's and the cookie's,
    so the choice follows them from phone to desktop. Runs after LocaleMiddleware
    and AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if language and language != request.LANGUAGE_CODE:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
