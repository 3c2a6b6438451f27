"""The one settings module switches by environment, and refuses to run insecurely."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7$k2!q9-production-grade-secret-key-for-tests-only-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "exchange.example.org",
    "DJANGO_SECURE_HSTS_PRELOAD": "true",
    "MIGRANTS_PASSPORT_KEYS": "Y2hlY2stZGVwbG95LW9ubHkta2V5LTAxMjM0NTY3ODk=",
    "MIGRANTS_PASSPORT_HASH_KEY": "a-separate-secret-for-the-passport-blind-index",
}


def run_python(code: str, **env_overrides: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


SHOW = (
    "import json, django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','exchange.settings');"
    "django.setup(); from django.conf import settings as s;"
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': s.DATABASES['default']['NAME'],"
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, 'debug': s.DEBUG, 'tz': s.TIME_ZONE,"
    "'languages': [c for c, _ in s.LANGUAGES]}))"
)


def test_with_nothing_set_the_exchange_runs_embedded_on_sqlite_with_eager_celery():
    result = run_python(SHOW)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["engine"] == "django.db.backends.sqlite3"
    assert shown["eager"] is True
    assert shown["broker"] == "memory://"
    assert shown["debug"] is True
    assert shown["tz"] == "Europe/Moscow"
    assert shown["languages"] == ["en", "ru", "uz", "tg", "ky"]


def test_database_and_broker_urls_switch_to_postgresql_and_a_real_broker():
    result = run_python(
        SHOW,
        DATABASE_URL="postgres://exchange@127.0.0.1:5432/exchange_db",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["name"] == "exchange_db"
    assert shown["eager"] is False
    assert shown["broker"] == "redis://127.0.0.1:6379/3"


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_python(SHOW, DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_boolean_variable_with_a_typo_fails_loudly():
    result = run_python(SHOW, DJANGO_DEBUG="ture")
    assert result.returncode != 0
    assert "DJANGO_DEBUG='ture' is not a boolean" in result.stderr


def test_check_deploy_reports_nothing_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            **PRODUCTION_ENV,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_every_variable_the_settings_read_is_documented_in_env_example():
    settings_source = (ROOT / "exchange" / "settings.py").read_text()
    documented = (ROOT / ".env.example").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', settings_source))
    assert {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= read
    missing = sorted(
        var for var in read if f"\n{var}=" not in documented and f"\n# {var}=" not in documented
    )
    assert missing == []
