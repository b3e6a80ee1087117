from django.apps import AppConfig


class KunskapsstyrningConfig(AppConfig):
    name = "kunskapsstyrning"
    verbose_name = "Kunskapsstöd och ärenden"
