from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import Progress

from matching import services


class Command(BaseCommand):
    help = "Rematch every matchable worker against every open vacancy and store the top lists."

    def handle(self, *args, **options):
        stages = ["load", "score", "explain", "store"]
        with Progress(console=Console(file=self.stdout), transient=True) as progress:
            task = progress.add_task("rematch", total=len(stages))

            def say(stage: str) -> None:
                progress.update(
                    task, description=f"rematch: {stage}", completed=stages.index(stage)
                )

            run = services.rematch_all(progress=say)
        self.stdout.write(
            f"run #{run.pk}: workers {run.workers}, vacancies {run.vacancies}, "
            f"pairs scored {run.pairs_scored}, matches stored: {run.matches_stored}, {run.seconds:.1f} s"
        )
