import time

from django.core.management.base import BaseCommand, CommandError

from devdata.scale import SCALES, ScaleRefused, generate


class Command(BaseCommand):
    help = (
        "Fyller en tom databas med realistiska data i skala S (en region, 50 ärenden), "
        "M (en region, 500 ärenden) eller N (21 regioner, 10 000 ärenden, ~1 miljon gap-rader) "
        "för prestandamätningen (make bench)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="S")

    def handle(self, *args, scale, **options):
        started = time.monotonic()
        self.stdout.write(f"Genererar skala {scale} …")
        try:
            counts = generate(scale, log=lambda line: self.stdout.write(f"  {line}"))
        except ScaleRefused as exc:
            raise CommandError(str(exc)) from exc
        for name, count in counts.items():
            self.stdout.write(f"  {name:<22} {count:>10,}".replace(",", " "))
        self.stdout.write(f"Klart på {time.monotonic() - started:.0f} s.")
