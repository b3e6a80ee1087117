"""The demo regions' sharing: Jämtland Härjedalen shares everything and shows its stations to
the public; Västernorrland keeps to the defaults (stations, dates and counts, signed-in only)."""

from nationellt.models import RegionSharing
from organisation.models import Region


def load_demo() -> None:
    RegionSharing.objects.update_or_create(
        region=Region.objects.get(code="23"),
        defaults={
            "share_analysis": True,
            "share_plan": True,
            "share_indicators": True,
            "public": True,
        },
    )
    RegionSharing.objects.get_or_create(region=Region.objects.get(code="22"))
