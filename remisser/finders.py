"""What the header's search finds among consultation rounds: the ones the user may see."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.search import Finder, Hit

from .models import Remiss


def find_rounds(user, text, limit):
    rounds = (
        Remiss.objects.visible_to(user)
        .search(text)
        .order_by("-pk")
        .values_list(
            "pk", "case__knowledge_support__title", "diary_number", "case__registry_number"
        )
    )
    return [
        Hit(title, reverse("remisser:remiss_detail", args=[pk]), diary or number)
        for pk, title, diary, number in rounds[:limit]
    ]


FINDERS = [Finder("remisser", _("Remisser"), find_rounds, order=20)]
