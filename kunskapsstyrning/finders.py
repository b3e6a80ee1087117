"""What the header's search finds in the core: cases in the user's scope and the catalogue."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.search import Finder, Hit

from .models import Case, KnowledgeSupport


def find_cases(user, text, limit):
    cases = (
        Case.objects.visible_to(user)
        .search(text)
        .order_by("-pk")
        .values_list("pk", "knowledge_support__title", "registry_number", "responsible_lpo__name")
    )
    return [
        Hit(title, reverse("kunskapsstyrning:case_detail", args=[pk]), f"{number} · {lpo}")
        for pk, title, number, lpo in cases[:limit]
    ]


def find_supports(user, text, limit):
    supports = (
        KnowledgeSupport.objects.search(text)
        .order_by("title", "version")
        .values_list("pk", "title", "version")
    )
    return [
        Hit(f"{title} {version}", reverse("kunskapsstyrning:support_detail", args=[pk]))
        for pk, title, version in supports[:limit]
    ]


FINDERS = [
    Finder("cases", _("Ärenden"), find_cases, order=10),
    Finder("supports", _("Kunskapsstöd"), find_supports, order=30),
]
