import resource
import time

from django.core.management.base import BaseCommand
from rich.console import Console
from rich.progress import Progress

from matching import services


class Command(BaseCommand):
    help = (
        "Rematch every matchable worker against every open vacancy and store the top lists; "
        "prints the time of each stage."
    )

    def handle(self, *args, **options):
        stages = ["load", "score", "explain", "store"]
        timings: dict[str, float] = {}
        clock = {"stage": None, "at": time.perf_counter()}
        with Progress(console=Console(file=self.stdout), transient=True) as progress:
            task = progress.add_task("rematch", total=len(stages))

            def say(stage: str) -> None:
                now = time.perf_counter()
                if clock["stage"]:
                    timings[clock["stage"]] = now - clock["at"]
                clock.update(stage=stage, at=now)
                progress.update(
                    task, description=f"rematch: {stage}", completed=stages.index(stage)
                )

            run = services.rematch_all(progress=say)
        timings[clock["stage"]] = time.perf_counter() - clock["at"]
        per_second = run.pairs_scored / max(timings.get("score", 0), 1e-9)
        self.stdout.write(
            f"run #{run.pk}: workers {run.workers}, vacancies {run.vacancies}, "
            f"pairs scored {run.pairs_scored}, matches stored: {run.matches_stored}, {run.seconds:.1f} s"
        )
        self.stdout.write(
            "stages: "
            + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in timings.items())
            + f"; scoring {per_second / 1e6:.1f} M pairs/s (first call includes the JIT); "
            f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )
