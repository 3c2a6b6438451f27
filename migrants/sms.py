"""The text-message backends moved to notifications/sms.py (channels live with the
notifications). This name stays for the MIGRANTS_SMS_BACKEND values deployments
already set (migrants.sms.HttpGatewayBackend, ...)."""

from notifications.sms import *  # noqa: F403
from notifications.sms import outbox  # noqa: F401  (the same list object)
