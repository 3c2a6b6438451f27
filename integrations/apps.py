from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """Partner integrations: API keys, idempotent retries, webhooks and bulk imports."""

    name = "integrations"
    verbose_name = _("Partner integrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The domain-event receiver writes webhook deliveries (an outbox).
        from integrations import webhooks  # noqa: F401
