import datetime

from django.core.management.base import BaseCommand, CommandError

from analytics import opendata
from analytics.refresh import refresh


class Command(BaseCommand):
    help = (
        "Rebuild the analytics summary tables (full by default) in one transaction; "
        "safe to repeat. --open-data also rewrites the open data files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="rebuild only what changed since the last refresh",
        )
        parser.add_argument(
            "--as-of",
            help="date the snapshot (YYYY-MM-DD; default today), e.g. to fill a missed month",
        )
        parser.add_argument("--open-data", action="store_true", help="also write the files")

    def handle(self, *args, **options):
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError as error:
                raise CommandError(f"--as-of: {error}") from error
        result = refresh(full=not options["incremental"], as_of=as_of)
        if result.skipped:
            self.stdout.write("Another refresh is running; nothing done.")
            return
        snapshot = "rebuilt" if result.snapshot_rebuilt else "unchanged"
        if result.mode == "full":
            flows = "all months"
        else:
            flows = f"from {result.flows_from}" if result.flows_from else "unchanged"
        self.stdout.write(
            f"{result.mode} refresh as of {result.as_of}: {result.seconds:.2f} s "
            f"(snapshot {snapshot}, flows {flows})"
        )
        if options["open_data"]:
            for name in opendata.write_all():
                self.stdout.write(f"wrote {name}")
