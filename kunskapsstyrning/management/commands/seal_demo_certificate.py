from django.conf import settings
from django.core.management.base import BaseCommand

from common.seal import create_demo_certificate


class Command(BaseCommand):
    help = (
        "Skapar ett självsignerat demonstrationscertifikat för dokumentens elektroniska stämpel "
        "där DOCUMENT_SEAL_CERT och DOCUMENT_SEAL_KEY pekar, om inget finns där."
    )

    def handle(self, *args, **options):
        if create_demo_certificate():
            self.stdout.write(
                f"Demonstrationscertifikat för stämpeln skapat: {settings.DOCUMENT_SEAL_CERT} "
                "(bara för demonstration; i drift anges regionens organisationscertifikat)."
            )
        else:
            self.stdout.write(f"Stämpelcertifikat finns: {settings.DOCUMENT_SEAL_CERT}")
