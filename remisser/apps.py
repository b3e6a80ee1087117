from django.apps import AppConfig


class RemisserConfig(AppConfig):
    name = "remisser"
