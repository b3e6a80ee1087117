"""Completing a case's BP3 preparations through the real services, in one go.

For demo data and tests that walk a case past BP3: the shortest honest plan (one activity
covering every gap that needs one, a communication item, an indicator), anchored in the LPO
and with every checklist item ticked by the chair.
"""

from datetime import timedelta

from django.utils import timezone

from gapanalys.models import STATES_NEEDING_PROPOSAL, GapRow

from . import services
from .models import OPEN_STATUSES, Activity, ActivityStatus, ChecklistItem, CommunicationItem


def prepare_for_bp3(case, chair, day=None):
    day = day or timezone.localdate()
    services.plan_start(case_id=case.pk, actor=chair, goal="Vårdförloppet är infört i regionen.")
    rows = GapRow.objects.filter(
        analysis__case=case, current_state__in=STATES_NEEDING_PROPOSAL
    ).exclude(proposal="")
    services.activity_save(
        case_id=case.pk,
        actor=chair,
        gap_row_ids=list(rows.values_list("pk", flat=True)),
        data={
            "title": "Inför arbetssätten enligt vårdförloppet",
            "principal": "region",
            "responsible": str(case.responsible_lpo),
            "start": day,
            "due": day + timedelta(days=180),
            "status": "planerad",
            "description": "",
            "progress_note": "",
        },
    )
    services.plan_part_save(
        case_id=case.pk,
        actor=chair,
        model=CommunicationItem,
        data={
            "audience": "Berörda verksamheter",
            "message": "Vårdförloppet införs",
            "channel": "Intranät",
            "planned_on": day,
            "responsible": str(chair),
        },
    )
    national = case.knowledge_support.indicators.order_by("code").first()
    if national is not None:  # the national indicator, as a region would choose first
        services.indicator_add_national(
            case_id=case.pk, actor=chair, national=national, period="manad"
        )
    else:
        services.indicator_save(
            case_id=case.pk,
            actor=chair,
            data={
                "code": "LOK1",
                "name": "Andel patienter enligt vårdförloppet",
                "measure": "andel",
                "period": "manad",
                "direction": "higher",
            },
        )
    services.plan_anchor(case_id=case.pk, actor=chair, anchored_on=day)
    for item in ChecklistItem.objects.filter(checklist__case=case):
        services.checklist_tick(
            case_id=case.pk, actor=chair, item_id=item.pk, ticked_on=day, comment="Klart."
        )


def carry_out_plan(case, chair, day=None):
    """Mark every open activity of the case's plan done, as its principal's people would when
    the plan is carried out ("Planen är genomförd" waits for it)."""
    for activity in Activity.objects.filter(plan__case=case, status__in=OPEN_STATUSES):
        services.activity_progress(
            case_id=case.pk,
            actor=chair,
            activity_id=activity.pk,
            status=ActivityStatus.DONE,
            progress_note="Genomförd enligt planen.",
        )
