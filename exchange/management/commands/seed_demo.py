import importlib
import random
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from exchange.models import User
from exchange.seeding import ADMIN_LOGIN, DEMO_PASSWORD, SeedContext, demo_logins


class Command(BaseCommand):
    help = (
        "Create a realistic, deterministic demo data set (safe to run twice). "
        "Each app adds its objects through <app>/seeding.py."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--migrants", type=int, default=200, help="migrant workers (default 200)"
        )
        parser.add_argument(
            "--vacancies",
            type=int,
            default=300,
            help="vacancies (default 300)",
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--force", action="store_true", help="allow seeding with DJANGO_DEBUG=false"
        )
        parser.add_argument(
            "--once", action="store_true", help="do nothing if the demo data is already there"
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to create demo accounts with known passwords while DJANGO_DEBUG is false; "
                "pass --force if this really is a demo server."
            )
        if options["migrants"] < 0 or options["vacancies"] < 0:
            raise CommandError("--migrants and --vacancies must be zero or more")

        console = Console(file=self.stdout, force_terminal=False, width=100)
        if options["once"] and User.objects.filter(email=ADMIN_LOGIN).exists():
            console.print("Demo data is already there (seed_demo --once).")
            self._print_logins(console)
            return

        seeders = []
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.seeding")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.seeding":
                    raise
                continue
            seeders.append((config.label, module.seed))

        ctx = SeedContext(
            seed=options["seed"],
            migrants=options["migrants"],
            vacancies=options["vacancies"],
            rng=random.Random(options["seed"]),
        )
        started = time.perf_counter()
        results = []
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=options["verbosity"] == 0,
        ) as progress:
            for label, seed in seeders:
                task = progress.add_task(f"seeding {label}", total=None)
                ctx.advance = lambda steps=1, task=task: progress.advance(task, steps)
                with transaction.atomic():
                    counts = seed(ctx)
                progress.update(task, total=progress.tasks[task].completed)
                results.append((label, counts))

        elapsed = time.perf_counter() - started
        summary = Table(title=f"Demo data (seed {ctx.seed}) in {elapsed:.1f} s")
        summary.add_column("app")
        summary.add_column("objects")
        for label, counts in results:
            summary.add_row(label, ", ".join(f"{name}: {n}" for name, n in counts.items()))
        console.print(summary)
        self._print_logins(console)

    def _print_logins(self, console: Console) -> None:
        logins = Table(title=f"Demo logins (password for all: {DEMO_PASSWORD})")
        logins.add_column("who")
        logins.add_column("login")
        for who, login in demo_logins():
            logins.add_row(who, login)
        console.print(logins)
