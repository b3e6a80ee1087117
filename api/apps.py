from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The open read-only API for intranets and BI (issue 16): personal tokens, REST, schema."""

    name = "api"
    verbose_name = "API"
