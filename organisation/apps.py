from django.apps import AppConfig
from django.db.models.signals import post_save


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = "Organisation"

    def ready(self):
        from .changes import region_created
        from .models import Region

        post_save.connect(region_created, sender=Region, dispatch_uid="region-change-counter")
