from django.core.management.base import BaseCommand

from kunskapsstyrning.selectors import documents_not_ready


class Command(BaseCommand):
    help = "Listar dokument som inte är klara och varför (begärda, under arbete, misslyckade)."

    def handle(self, *args, **options):
        documents = list(documents_not_ready())
        for document in documents:
            self.stdout.write(
                f"{document.pk:>7}  {document.case.registry_number:<16} "
                f"{document.get_kind_display()} v{document.version}  "
                f"{document.get_status_display():<13} {document.not_ready_reason()}"
            )
        self.stdout.write(f"{len(documents)} dokument är inte klara.")
