from django.apps import AppConfig


class KunskapsstyrningConfig(AppConfig):
    name = "kunskapsstyrning"
    verbose_name = "Kunskapsstöd och ärenden"

    def ready(self):
        from common.search import register_finder

        from .finders import FINDERS

        for finder in FINDERS:
            register_finder(finder)
