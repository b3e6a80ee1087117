from django.apps import AppConfig


class GapanalysConfig(AppConfig):
    name = "gapanalys"
