from django.apps import AppConfig


class RemisserConfig(AppConfig):
    name = "remisser"

    def ready(self):
        from common.search import register_finder

        from .finders import FINDERS

        for finder in FINDERS:
            register_finder(finder)
