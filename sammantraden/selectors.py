"""What the meeting pages, the home page and the case page read of the meetings."""

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kunskapsstyrning import contributions
from kunskapsstyrning import services as core
from kunskapsstyrning.models import Case, Decision
from organisation.models import Unit, User
from organisation.permissions import scope_of

from .models import Meeting, MeetingItem
from .services import agenda_open, may_close, may_plan, may_sit


def meetings_of(user: User) -> QuerySet[Meeting]:
    """The meetings of the regions the user oversees, with how many cases each has and how
    many its sitting has decided (one query, whatever the number of meetings)."""
    return (
        Meeting.objects.visible_to(user)
        .select_related("deciding_body", "region")
        .annotate(
            case_count=Count("items"),
            decided_count=Count("items", filter=Q(items__decision__isnull=False)),
        )
    )


def meeting_for_page(user: User, pk: int) -> Meeting:
    try:
        return Meeting.objects.visible_to(user).select_related("deciding_body", "region").get(pk=pk)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc


def decision_bodies_of(region_id: int) -> QuerySet[Unit]:
    return Unit.objects.decision_bodies().filter(region_id=region_id).order_by("name")


def agenda(meeting: Meeting, item_pk: int | None = None) -> list[MeetingItem]:
    """The meeting's items in order, each with its case, the material management reads before
    deciding (`item.material`, as the core's decision page has it) and the decision taken.

    The cases, their prioritisations and their earlier decisions are read in three queries for
    the whole agenda; material an app contributes (the gap analysis at BP2, the plan at BP3)
    is read per case by that app. `item_pk`: only that item.
    """
    earlier = Prefetch(
        "case__decisions",
        queryset=Decision.objects.select_related("deciding_body"),
        to_attr="earlier_decisions",
    )
    rows = meeting.items.all() if item_pk is None else meeting.items.filter(pk=item_pk)
    items = list(
        rows.select_related(
            "case__knowledge_support",
            "case__responsible_lpo",
            "case__region",
            "case__prioritisation",
            "decision__decided_by",
            "decision__deciding_body",
        ).prefetch_related(earlier)
    )
    for item in items:
        case = item.case
        material: dict[str, Any] = {"point": meeting.point}
        if meeting.point == "BP1":
            material["prioritisation"] = getattr(case, "prioritisation", None)
        earlier_decisions = case.earlier_decisions  # type: ignore[attr-defined]  # to_attr above
        material["previous_decisions"] = [d for d in earlier_decisions if d.pk != item.decision_id]
        templates, pdf_templates, contributed = contributions.decision_material(case, meeting.point)
        material.update(contributed)
        material["templates"] = templates
        material["pdf_templates"] = pdf_templates
        # What the pages and the agenda read of each item, beside its fields (a page's memo).
        item.material = material  # type: ignore[attr-defined]
        # Decided elsewhere (on the case page) while it stood on this agenda.
        item.moved_on = (  # type: ignore[attr-defined]
            item.decision_id is None and case.awaiting_point != meeting.point
        )
    return items


def agenda_item(meeting: Meeting, item_pk: int) -> MeetingItem:
    """One item of the meeting, with its material (404 if it is not on this meeting)."""
    items = agenda(meeting, item_pk)
    if not items:
        raise Http404
    return items[0]


def meeting_page(user: User, meeting: Meeting) -> dict[str, Any]:
    items = agenda(meeting)
    return {
        "meeting": meeting,
        "items": items,
        "decided": [item for item in items if item.decision_id],
        # `moved_on` is set on each item by `agenda` above, which mypy cannot see.
        "decided_elsewhere": [item for item in items if item.moved_on],  # type: ignore[attr-defined]
        "can_plan": may_plan(user, meeting) and agenda_open(meeting),
        "can_sit": may_sit(user, meeting) and meeting.is_open,
        "sitting_started": timezone.localdate() >= meeting.date,
        "can_close": may_close(user, meeting) and meeting.is_open,
    }


def candidates(meeting: Meeting) -> list[Case]:
    """The region's cases that await the meeting's point, are decided by its body and stand on
    no open agenda: what the strategist may add."""
    cases = (
        Case.objects.filter(region_id=meeting.region_id, state=meeting.point.lower())
        .exclude(meeting_items__open=True)
        .select_related("knowledge_support", "responsible_lpo", "region")
        .order_by("state_changed_at", "pk")
    )
    rules = None
    result = []
    for case in cases:
        if rules is None:
            rules = core.region_rules_of(case)
        rule = core.decision_rule_for(case, meeting.point, rules)
        if rule is not None and rule.deciding_body_id == meeting.deciding_body_id:
            result.append(case)
    return result


def home_sections(user: User) -> dict[str, Any]:
    """The coming meetings: of the regions a strategist coordinates, of the bodies a
    decision-maker sits in. No query for anyone else."""
    scope = scope_of(user)
    regions = scope.coordinated_region_ids
    bodies = scope.unit_ids("decide_for_unit")
    if not regions and not bodies:
        return {}
    upcoming = (
        Meeting.objects.open()
        .filter(Q(region_id__in=regions) | Q(deciding_body_id__in=bodies))
        .select_related("deciding_body")
        .annotate(
            case_count=Count("items"),
            decided_count=Count("items", filter=Q(items__decision__isnull=False)),
        )
        .order_by("date", "pk")[:10]
    )
    return {"meetings_upcoming": list(upcoming), "meetings_can_plan": bool(regions)}


def case_panel(case: Case, user: User) -> dict[str, Any]:
    """The meeting a case awaiting a decision stands on; no query for any other case."""
    if case.awaiting_point is None:
        return {"case_meeting_item": None}
    item = (
        MeetingItem.objects.filter(case=case, open=True)
        .select_related("meeting__deciding_body")
        .first()
    )
    overseen = scope_of(user).is_admin or (
        item is not None and item.meeting.region_id in scope_of(user).overseen_region_ids
    )
    return {"case_meeting_item": item, "case_meeting_link": overseen}
