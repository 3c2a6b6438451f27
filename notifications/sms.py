"""Text messages through a pluggable backend, chosen like Django's EMAIL_BACKEND.

settings.MIGRANTS_SMS_BACKEND names the class:
- ConsoleBackend (default): prints to stdout, for development;
- FileBackend: one file per message in MIGRANTS_SMS_FILE_PATH;
- LocMemBackend: keeps messages in `notifications.sms.outbox`, for tests;
- HttpGatewayBackend: POSTs JSON to MIGRANTS_SMS_GATEWAY_URL with a bearer token,
  the shape most commercial gateways accept (adapt `payload()` for another).
"""

import json
import sys
import threading
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TextMessage:
    to: str
    text: str


class SmsError(Exception):
    """The gateway refused or could not be reached (transient: the caller may retry)."""


class BaseBackend:
    def send(self, message: TextMessage) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    _lock = threading.Lock()

    def send(self, message: TextMessage) -> None:
        with self._lock:
            sys.stdout.write(f"SMS to {message.to}:\n{message.text}\n{'-' * 40}\n")
            sys.stdout.flush()


class FileBackend(BaseBackend):
    def send(self, message: TextMessage) -> None:
        folder = Path(settings.MIGRANTS_SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}.txt"
        path.write_text(f"To: {message.to}\n\n{message.text}\n", encoding="utf-8")


outbox: list[TextMessage] = []


class LocMemBackend(BaseBackend):
    def send(self, message: TextMessage) -> None:
        outbox.append(message)


class HttpGatewayBackend(BaseBackend):
    timeout = 10

    def payload(self, message: TextMessage) -> dict:
        return {"to": message.to, "text": message.text, "sender": settings.MIGRANTS_SMS_SENDER}

    def send(self, message: TextMessage) -> None:
        url = settings.MIGRANTS_SMS_GATEWAY_URL
        loopback = url.startswith(("http://127.0.0.1", "http://localhost"))
        if not (url.startswith("https://") or loopback):
            raise ImproperlyConfigured("MIGRANTS_SMS_GATEWAY_URL must be an https:// address")
        request = urllib.request.Request(  # noqa: S310 (scheme checked above; plain http only on loopback)
            url,
            data=json.dumps(self.payload(message)).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.MIGRANTS_SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.status >= 300:
                    raise SmsError(f"SMS gateway answered {response.status}")
        except OSError as error:
            raise SmsError(f"SMS gateway unreachable: {error.__class__.__name__}") from error


def get_backend() -> BaseBackend:
    return import_string(settings.MIGRANTS_SMS_BACKEND)()


def send_sms(to: str, text: str) -> None:
    get_backend().send(TextMessage(to=str(to), text=text))
