from django.core.management.base import BaseCommand

from exchange.models import Occupation, Region
from exchange.reference_data import load_occupations, load_regions


class Command(BaseCommand):
    help = "Load or refresh ISCO-08 occupations and regions from exchange/data/*.csv (idempotent)."

    def handle(self, *args, **options):
        new_occupations = load_occupations(Occupation)
        new_regions = load_regions(Region)
        self.stdout.write(
            f"occupations: {Occupation.objects.count()} ({new_occupations} new); "
            f"regions: {Region.objects.count()} ({new_regions} new)"
        )
