"""The text-message backends, and the demo data."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from migrants.models import DuplicateFlag, MigrantProfile
from notifications import sms

pytestmark = pytest.mark.django_db


def test_the_file_backend_writes_one_file_per_message(settings, tmp_path):
    settings.MIGRANTS_SMS_BACKEND = "notifications.sms.FileBackend"
    settings.MIGRANTS_SMS_FILE_PATH = str(tmp_path / "sms")
    sms.send_sms("+998901234567", "Hello")
    (written,) = (tmp_path / "sms").iterdir()
    assert "+998901234567" in written.read_text() and "Hello" in written.read_text()


def test_the_http_gateway_posts_json_with_a_bearer_token(settings):
    received = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received["body"] = json.loads(self.rfile.read(length))
            received["auth"] = self.headers["Authorization"]
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.MIGRANTS_SMS_BACKEND = "notifications.sms.HttpGatewayBackend"
    settings.MIGRANTS_SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.MIGRANTS_SMS_GATEWAY_TOKEN = "t0ken"
    sms.send_sms("+996700123456", "Код: 123456")
    thread.join(5)
    server.server_close()
    assert received["body"] == {"to": "+996700123456", "text": "Код: 123456", "sender": "LaborExch"}
    assert received["auth"] == "Bearer t0ken"


def test_the_http_gateway_refuses_plain_http_beyond_loopback(settings):
    settings.MIGRANTS_SMS_BACKEND = "notifications.sms.HttpGatewayBackend"
    settings.MIGRANTS_SMS_GATEWAY_URL = "http://sms.example.org/send"
    with pytest.raises(ImproperlyConfigured):
        sms.send_sms("+1", "x")


@override_settings(DEBUG=True)
def test_seed_demo_creates_consistent_workers_and_is_safe_to_run_twice():
    call_command("load_reference_data", verbosity=0)
    call_command("seed_demo", migrants=120, vacancies=0, seed=7, verbosity=0)
    count = MigrantProfile.objects.count()
    assert count >= 120
    assert MigrantProfile.objects.filter(registered_by__isnull=False, user__isnull=True).exists()
    assert {"UZ", "TJ", "KG"} <= set(MigrantProfile.objects.values_list("citizenship", flat=True))
    assert MigrantProfile.objects.exclude(citizenship__in=["UZ", "TJ", "KG"]).exists()
    assert DuplicateFlag.objects.exists()
    assert not MigrantProfile.objects.filter(last_name_cyrillic="").exists()
    for profile in MigrantProfile.objects.all()[:30]:
        assert profile.languages.filter(language="ru").exists()
        codes = list(profile.occupations.values_list("occupation_id", flat=True))
        assert codes
        for skill in profile.skills.all():
            groups = set(skill.occupations.values_list("code", flat=True))
            assert any(code[:n] in groups for code in codes for n in range(1, 5))
    call_command("seed_demo", migrants=120, vacancies=0, seed=7, verbosity=0)
    assert MigrantProfile.objects.count() == count
