from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from organisation.loaders import load_reference_data

from ...loaders import load_catalogue, load_decision_orders


class Command(BaseCommand):
    # Here, not in `organisation`: the catalogue is the core's, and `organisation` is below it.
    help = (
        "Läser in referensdata (sjukvårdsregioner, regioner, kommuner, programområden, NSG, "
        "beslutsordningar)."
    )

    def handle(self, *args, **options):
        try:
            changes = load_reference_data()
            changes += load_catalogue()
            changes += load_decision_orders()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Referensdata inläst ({changes} ändringar).")
