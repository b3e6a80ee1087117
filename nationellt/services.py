"""A region's choice of what it shares with the other regions and the public."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gapanalys.models import GapAnalysis, GapRow
from gapanalys.services import TEMPLATE_FIELDS, rows_fill_from_template
from kunskapsstyrning.models import Case
from organisation.models import Region
from organisation.permissions import scope_of

from .models import RegionSharing
from .selectors import sharing_of

CHOICES = ("share_analysis", "share_plan", "share_indicators", "public")


def may_set_sharing(user: Any, region: Region) -> bool:
    """The region's organisation administrators decide what it shares (and system admins)."""
    scope = scope_of(user)
    return scope.is_admin or region.pk in scope.region_ids("administer_organisation")


@transaction.atomic
def sharing_save(*, region: Region, actor: Any, data: dict[str, bool]) -> RegionSharing:
    if not may_set_sharing(actor, region):
        raise PermissionDenied(_("Bara regionens organisationsadministratörer ändrar delningen."))
    sharing, _created = RegionSharing.objects.select_for_update().get_or_create(region=region)
    for name in CHOICES:
        if name in data:
            setattr(sharing, name, bool(data[name]))
    sharing.changed_by = actor
    sharing.changed_at = timezone.now()
    sharing.save()
    return sharing


def analysis_start_from(*, analysis_id: int, actor: Any, source_case_id: int) -> int:
    """Fill the untouched rows of the actor's gap analysis with the proposals and consequences
    of another region's analysis of the same support — only one its region shares."""
    target = GapAnalysis.objects.visible_to(actor).select_related("case").filter(pk=analysis_id)
    analysis = target.first()
    source = Case.objects.select_related("region").filter(pk=source_case_id).first()
    if analysis is None or source is None:
        raise Http404
    if (
        not sharing_of(source.region).share_analysis
        or source.knowledge_support_id != analysis.case.knowledge_support_id
        or source.region_id == analysis.case.region_id
    ):
        raise Http404  # an analysis not shared with the reader does not exist for them
    texts = {
        row["recommendation_id"]: row
        for row in GapRow.objects.filter(analysis__case=source).values(
            "recommendation_id", *TEMPLATE_FIELDS
        )
    }
    return rows_fill_from_template(
        analysis_id=analysis.pk,
        actor=actor,
        texts=texts,
        source=_("gap-analysen i %(region)s") % {"region": source.region.name},
    )
