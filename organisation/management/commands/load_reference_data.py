from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from organisation.loaders import load_reference_data


class Command(BaseCommand):
    help = "Läser in referensdata (sjukvårdsregioner, regioner, kommuner, programområden, NSG)."

    def handle(self, *args, **options):
        from kunskapsstyrning.loaders import load_catalogue

        try:
            changes = load_reference_data()
            changes += load_catalogue()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Referensdata inläst ({changes} ändringar).")
