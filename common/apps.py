from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Helpers shared by the domain apps (PDF rendering, charts, template filters)."""

    name = "common"
