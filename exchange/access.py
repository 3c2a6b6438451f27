"""Who may open what: role checks for views.

Anonymous visitors are sent to sign in; a signed-in user of the wrong role gets
403 and sees no data.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from exchange.choices import Role


def user_has_role(user, *roles: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if Role.ADMINISTRATOR in roles and user.is_administrator:
        return True
    return user.role in roles and user.role != Role.ADMINISTRATOR


def role_required(*roles: str):
    """Decorator: the view is open only to signed-in users holding one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
