from django.core.management.base import BaseCommand
from django.db import transaction

from migrants.crypto import passport_hash
from migrants.models import MigrantProfile


class Command(BaseCommand):
    help = (
        "Re-encrypt every passport number with the newest key in MIGRANTS_PASSPORT_KEYS "
        "and recompute the keyed hash with MIGRANTS_PASSPORT_HASH_KEY. Run after "
        "prepending a new key; remove the old key only afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, **options):
        size = options["batch_size"]
        ids = list(
            MigrantProfile.objects.exclude(passport_number="")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(ids), size):
            with transaction.atomic():
                # Reading decrypts with whichever key matches; saving encrypts with the newest.
                batch = list(
                    MigrantProfile.objects.select_for_update()
                    .filter(pk__in=ids[start : start + size])
                    .only("pk", "citizenship", "passport_number", "passport_hash")
                )
                for profile in batch:
                    profile.passport_hash = (
                        passport_hash(profile.citizenship, profile.passport_number)
                        if profile.citizenship
                        else None
                    )
                MigrantProfile.objects.bulk_update(batch, ["passport_number", "passport_hash"])
        if options["verbosity"]:
            self.stdout.write(f"Re-encrypted {len(ids)} passport numbers with the newest key.")
