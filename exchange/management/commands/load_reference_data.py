from django.core.management.base import BaseCommand

from exchange.models import Occupation, Region, Skill
from exchange.reference_data import load_occupations, load_regions, load_skills


class Command(BaseCommand):
    help = "Load or refresh ISCO-08 occupations, regions and skills from exchange/data/*.csv (idempotent)."

    def handle(self, *args, **options):
        new_occupations = load_occupations(Occupation)
        new_regions = load_regions(Region)
        new_skills = load_skills(Skill)
        self.stdout.write(
            f"occupations: {Occupation.objects.count()} ({new_occupations} new); "
            f"regions: {Region.objects.count()} ({new_regions} new); "
            f"skills: {Skill.objects.count()} ({new_skills} new)"
        )
