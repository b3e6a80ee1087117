from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Helpers shared by the domain apps (PDF rendering, charts, template filters)."""

    name = "common"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.urls import register_converter

        from .converters import IdConverter
        from .search import register_sqlite_functions

        # Before any URL configuration is read: every id in an address is an `<id:…>`.
        register_converter(IdConverter, "id")

        # Infrastructure, not business logic: SQLite needs the function before any search.
        connection_created.connect(register_sqlite_functions, dispatch_uid="common.sv_lower")
