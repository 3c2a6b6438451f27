from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """Partner integrations: API keys, idempotent retries, webhooks and bulk imports."""

    name = "exchange.integrations"
    label = "integrations"
    verbose_name = _("Partner integrations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The domain-event receiver writes webhook deliveries (an outbox).
        from exchange.integrations import webhooks  # noqa: F401
