from django.apps import AppConfig


class ImplementeringConfig(AppConfig):
    name = "implementering"
