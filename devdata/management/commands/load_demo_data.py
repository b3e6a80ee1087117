from django.core.management.base import BaseCommand

from devdata.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Läser in demodata (Jämtland Härjedalen och Västernorrland) och visar inloggningarna."

    def handle(self, *args, **options):
        load_demo()
        self.stdout.write(f"\nDemoinloggningar (lösenord för alla: {DEMO_PASSWORD}):")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<15} {role}")
        self.stdout.write("")
