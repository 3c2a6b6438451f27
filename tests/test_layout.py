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
        "selection/apps.py",
        "notifications/apps.py",
        "analytics/apps.py",
        "integrations/apps.py",
        ".env.example",
        "docs/decisions",
        ".ci/run",
    ]:
        assert (ROOT / path).exists(), path


# --- The structure (docs/decisions/0014-apps-and-layers.md) ------------------------------

APPS = ["notifications", "vacancies", "migrants", "matching", "selection", "analytics"]
APPS += ["integrations"]
PACKAGES = ["exchange", *APPS]


def _module_graph():
    import grimp

    return grimp.build_graph(*PACKAGES)


def import_cycles(graph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iteratively),
    counting every import, also those inside functions, except a package importing
    its own submodules (its __init__ re-exporting their names is not a cycle of code)."""

    def imports_of(module):
        return sorted(
            other
            for other in graph.find_modules_directly_imported_by(module)
            if not other.startswith(module + ".")
        )

    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(imports_of(root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(imports_of(child))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_no_module_of_the_project_is_in_an_import_cycle():
    assert import_cycles(_module_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    import grimp

    graph = grimp.ImportGraph()
    for importer, imported in [("a.x", "a.y"), ("a.y", "a.z"), ("a.z", "a.x"), ("a", "a.x")]:
        graph.add_import(importer=importer, imported=imported)
    assert import_cycles(graph) == [["a.x", "a.y", "a.z"]]


# Modules still waiting to be split by responsibility (issue 21), with their length
# when this list was written: none may grow, and a split one leaves the list.
STILL_TO_SPLIT = {
    "migrants/services.py": 1056,
    "selection/services.py": 925,
    "migrants/models.py": 778,
    "migrants/views.py": 708,
    "tests/selection/test_services.py": 607,
    "selection/views.py": 562,
    "integrations/imports.py": 545,
}


def _python_files_over(limit: int) -> dict[str, int]:
    long = {}
    for path in ROOT.glob("**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "node_modules"} or "migrations" in relative.parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            long[str(relative)] = lines
    return long


def test_no_python_file_grows_over_500_lines():
    """Big modules are split by responsibility (STYLE.md); migrations are generated."""
    for name, lines in _python_files_over(500).items():
        assert name in STILL_TO_SPLIT, f"{name} has {lines} lines: split it"
        assert lines <= STILL_TO_SPLIT[name], f"{name} grew to {lines} lines"


def test_every_app_has_the_same_anatomy():
    for app in APPS:
        for part in ("apps.py", "admin.py", "urls.py", "tasks.py", "migrations"):
            assert (ROOT / app / part).exists(), f"{app}/{part}"
        for part in ("models", "views"):
            assert (ROOT / app / f"{part}.py").exists() or (ROOT / app / part).is_dir(), (
                f"{app}/{part}"
            )
        assert (ROOT / "templates" / app).is_dir(), f"templates/{app}"


def test_the_worker_queues_are_listed_once_in_settings():
    """A worker consumes every queue of CELERY_TASK_QUEUES; no script spells the list."""
    from django.conf import settings

    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    assert {queue.name for queue in settings.CELERY_TASK_QUEUES} == routed | {"celery"}
    for place in ("Makefile", ".ci/run", "docker-compose.yml", "README.md"):
        assert "matching_incremental,matching_full" not in (ROOT / place).read_text(), place
