import resource

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import Progress

from matching import services

# "index": PostgreSQL only, building the new table's indexes and swapping it in.
STAGES = ["load", "score", "explain", "store", "index"]


class Command(BaseCommand):
    help = (
        "Rematch every open worker against every open vacancy and store the top lists; "
        "prints the time of each stage."
    )

    def handle(self, *args, **options):
        with Progress(console=Console(file=self.stdout), transient=True) as progress:
            task = progress.add_task("rematch", total=len(STAGES))

            def say(stage: str) -> None:
                progress.update(
                    task, description=f"rematch: {stage}", completed=STAGES.index(stage)
                )

            run = services.rematch_all(progress=say)
        per_second = run.pairs_scored / max(run.stages.get("score", 0), 1e-9)
        self.stdout.write(
            f"run #{run.pk}: workers {run.workers}, vacancies {run.vacancies}, "
            f"pairs scored {run.pairs_scored}, matches stored: {run.matches_stored}, "
            f"{run.seconds:.1f} s"
        )
        self.stdout.write(
            "stages: "
            + ", ".join(f"{name} {run.stages[name]:.2f} s" for name in STAGES if name in run.stages)
            + f"; scoring {per_second / 1e6:.1f} M pairs/s; "
            f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )
