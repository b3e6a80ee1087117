from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationelltConfig(AppConfig):
    """Cross-region learning: where every region stands with each national knowledge support.

    A top layer beside the feature apps: it reads the core and the feature apps and none of
    them reads it. A region decides what it shares (`RegionSharing`).
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "nationellt"
    verbose_name = _("Nationell överblick")
