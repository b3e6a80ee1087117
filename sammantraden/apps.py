from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SammantradenConfig(AppConfig):
    """Decision meetings: the cases awaiting a point, decided one after the other at one
    sitting. A feature app beside remisser and implementering: it reads the core and records
    every decision through the core's decide service."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "sammantraden"
    verbose_name = _("Sammanträden")

    def ready(self):
        from kunskapsstyrning import contributions as core

        from . import selectors

        core.register_home_section(
            core.Panel("sammantraden/_home.html", selectors.home_sections, 5)
        )
        core.register_case_panel(
            core.Panel("sammantraden/_case_panel.html", selectors.case_panel, 5)
        )
