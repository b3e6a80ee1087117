from django.apps import AppConfig
from django.urls import register_converter

from .converters import IdConverter

# Every id in an address is an `<id:…>`. Registered when the app is imported, before any app's
# `ready()`: one of them may read a URL configuration (the web server's workers did, and every
# `<id:>` route failed as an unknown converter).
register_converter(IdConverter, "id")


class CommonConfig(AppConfig):
    """Helpers shared by the domain apps (PDF rendering, charts, template filters)."""

    name = "common"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .search import register_sqlite_functions

        # Infrastructure, not business logic: SQLite needs the function before any search.
        connection_created.connect(register_sqlite_functions, dispatch_uid="common.sv_lower")
