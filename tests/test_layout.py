"""The files a newcomer and the deployment rely on stay consistent with the code."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_docker_compose_runs_the_whole_stack_from_one_env_file():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["web"]["command"][0] == "gunicorn"
    assert services["worker"]["command"][:4] == ["celery", "-A", "exchange", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "exchange", "beat"]
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["env_file"] == ".env"
        assert service["environment"]["DATABASE_URL"].startswith("postgres://")
        assert service["environment"]["CELERY_BROKER_URL"].startswith("redis://")


def test_the_readme_shows_the_two_commands_that_matter():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme
    assert "make test" in readme


def test_every_app_of_the_fixed_layout_exists():
    for path in [
        "manage.py",
        "exchange/settings.py",
        "exchange/urls.py",
        "exchange/celery.py",
        "exchange/wsgi.py",
        "exchange/asgi.py",
        "vacancies/apps.py",
        "migrants/apps.py",
        "matching/apps.py",
        ".env.example",
        "docs/decisions",
        ".ci/run",
    ]:
        assert (ROOT / path).exists(), path
