"""Demo data for planning and follow-up on Jämtland Härjedalen's board (seed 000).

- Schizofreni – förstagångsinsjuknande (planning): a plan with activities, a communication
  plan, milestones and a phasing-out; the BP3 checklist partly ticked.
- Hjärtsvikt – nydebuterad (implementation): a plan being carried out, one activity overdue.
- Stroke och TIA (follow-up): two indicators with 24 months of measurements. Door-to-needle
  time improved after a PDSA cycle in January 2024: the p-chart shows runs of 12 on each
  side of the centre line, and the XmR chart of the median time, with its limits frozen on
  2023, every 2024 point under the lower limit.

Everything goes through the services, so the timeline and the plans' history are real.
Idempotent: a case that already has a plan or indicators is left as it is.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from gapanalys.models import STATES_NEEDING_PROPOSAL, GapRow
from implementering import services
from implementering.models import (
    Activity,
    ChecklistItem,
    CommunicationItem,
    FollowUpIndicator,
    ImplementationPlan,
    Measurement,
    Milestone,
    Period,
    PhaseOut,
)
from kunskapsstyrning.models import Case, CaseEvent, Indicator, Region
from organisation.models import User

# Door-to-needle ≤ 30 min: (numerator, denominator) per month, January 2023 – December 2024.
# Around 40 % before the PDSA cycle, around 65 % after it.
DOOR_TO_NEEDLE = [
    (9, 24), (11, 26), (8, 21), (10, 25), (12, 27), (9, 23),
    (7, 19), (10, 24), (11, 28), (9, 22), (10, 26), (11, 25),
    (15, 25), (17, 26), (14, 22), (18, 27), (16, 24), (17, 25),
    (13, 20), (18, 26), (17, 25), (19, 27), (16, 23), (18, 26),
]  # fmt: skip
# Median door-to-needle time in minutes, same months.
MEDIAN_MINUTES = [
    44, 41, 46, 43, 45, 42, 47, 44, 43, 45, 42, 44,
    36, 34, 35, 33, 31, 34, 32, 30, 31, 29, 30, 26,
]  # fmt: skip


def _month(index, first=date(2023, 1, 1)):
    months = first.month - 1 + index
    return date(first.year + months // 12, months % 12 + 1, 1)


def _case(region, title):
    return (
        Case.objects.filter(region=region, knowledge_support__title=title)
        .order_by("-opened_at")
        .first()
    )


def _gap_rows(case, principals=None):
    rows = GapRow.objects.filter(
        analysis__case=case, current_state__in=STATES_NEEDING_PROPOSAL
    ).exclude(proposal="")
    if principals:
        rows = rows.filter(principal__in=principals)
    return list(rows.order_by("recommendation__number").values_list("pk", flat=True))


def _activity(case, actor, rows=(), **data):
    data.setdefault("description", "")
    data.setdefault("progress_note", "")
    data.setdefault("status", "planerad")
    return services.activity_save(case_id=case.pk, actor=actor, data=data, gap_row_ids=rows)


def _schizophrenia(case, chair, strategist, today):
    services.plan_start(
        case_id=case.pk,
        actor=chair,
        goal="Alla som insjuknar i schizofreni för första gången får ett samordnat "
        "omhändertagande enligt vårdförloppet inom ett år.",
    )
    rows = _gap_rows(case)
    _activity(
        case,
        chair,
        rows[:1],
        title="Inför bedömningsteam för första episod psykos",
        principal="region",
        responsible="Verksamhetschef vuxenpsykiatrin",
        start=today + timedelta(days=30),
        due=today + timedelta(days=150),
    )
    _activity(
        case,
        chair,
        rows[1:2],
        title="Utbilda psykiatrins team i strukturerad anamnes",
        principal="region",
        responsible="Utbildningsansvarig psykiatri",
        start=today + timedelta(days=45),
        due=today + timedelta(days=120),
    )
    _activity(
        case,
        strategist,
        rows[2:],
        title="Gemensam rutin för samordnad individuell plan (SIP)",
        principal="gemensam",
        responsible="Länssamordning psykisk hälsa",
        start=today + timedelta(days=60),
        due=today + timedelta(days=240),
    )
    for data in [
        {
            "audience": "Vuxenpsykiatrins medarbetare",
            "message": "Vårdförloppet och det nya bedömningsteamet",
            "channel": "APT och intranät",
            "planned_on": today + timedelta(days=40),
            "responsible": "Verksamhetschef vuxenpsykiatrin",
        },
        {
            "audience": "Primärvårdens vårdcentraler",
            "message": "Hur man remitterar vid misstänkt första episod psykos",
            "channel": "Nyhetsbrev till vårdcentralerna",
            "planned_on": today + timedelta(days=60),
            "responsible": "LPO-ordförande",
        },
    ]:
        services.plan_part_save(case_id=case.pk, actor=chair, model=CommunicationItem, data=data)
    services.plan_part_save(
        case_id=case.pk,
        actor=chair,
        model=Milestone,
        data={"title": "Bedömningsteamet i drift", "date": today + timedelta(days=150)},
    )
    services.plan_part_save(
        case_id=case.pk,
        actor=chair,
        model=PhaseOut,
        data={
            "what": "Separata utredningsspår på varje mottagning",
            "principal": "region",
            "from_date": today + timedelta(days=150),
            "responsible": "Verksamhetschef vuxenpsykiatrin",
        },
    )
    # Partly ticked: what is done already; anchoring and indicators are still ahead.
    ticked = {"bp2_godkand", "kommunikationsplan", "ansvar", ""}
    for item in ChecklistItem.objects.filter(checklist__case=case).order_by("position")[:6]:
        if item.requirement in ticked and item.text != "Journalmallar är uppdaterade":
            services.checklist_tick(
                case_id=case.pk,
                actor=chair,
                item_id=item.pk,
                ticked_on=today - timedelta(days=3),
                comment="Klart enligt LAG:s genomgång.",
            )


HEART_FAILURE_FIRST = "NT-proBNP som förstahandsprov i primärvården"


def _heart_failure(case, chair, lag_member, strategist, today):
    services.plan_start(case_id=case.pk, actor=chair)
    region_rows = _gap_rows(case, ["region", ""])
    _activity(
        case,
        chair,
        region_rows[:1],
        title=HEART_FAILURE_FIRST,
        principal="region",
        responsible="Verksamhetschef primärvård",
        start=today - timedelta(days=150),
        due=today - timedelta(days=60),
        status="klar",
        progress_note="Infört på alla vårdcentraler.",
    )
    _activity(
        case,
        lag_member,
        region_rows[1:2],
        title="Ekokardiografi inom 4 veckor – ny tidbokningsrutin",
        principal="region",
        responsible="Sektionschef klinisk fysiologi",
        start=today - timedelta(days=90),
        due=today - timedelta(days=14),
        status="pagar",
        progress_note="Väntar på schemaändring för biomedicinska analytiker.",
    )
    _activity(
        case,
        lag_member,
        region_rows[2:],
        title="Journalmall, sökord och remissrutin för hjärtsvikt",
        principal="region",
        responsible="LAG Hjärtsvikt med journalförvaltningen",
        start=today + timedelta(days=14),
        due=today + timedelta(days=100),
    )
    _activity(
        case,
        strategist,
        _gap_rows(case, ["gemensam", "kommun"]),
        title="Sjuksköterskeledd hjärtsviktsmottagning med kommunal hemsjukvård",
        principal="gemensam",
        responsible="Länssamordning äldres hälsa",
        start=today - timedelta(days=30),
        due=today + timedelta(days=120),
        status="pagar",
    )
    services.plan_part_save(
        case_id=case.pk,
        actor=chair,
        model=Milestone,
        data={"title": "Utvärdering efter sex månader", "date": today + timedelta(days=90)},
    )
    services.plan_part_save(
        case_id=case.pk,
        actor=chair,
        model=CommunicationItem,
        data={
            "audience": "Vårdcentralernas läkare och sjuksköterskor",
            "message": "NT-proBNP först, sedan ekokardiografi inom fyra veckor",
            "channel": "Primärvårdsforum och intranät",
            "planned_on": today - timedelta(days=140),
            "responsible": "LPO-ordförande",
            "done": True,
        },
    )


def _stroke(case, chair, today):
    stroke = case.knowledge_support
    national = Indicator.objects.filter(knowledge_support=stroke, code="STR-01").first()
    share = FollowUpIndicator.objects.filter(case=case, code="STR-01").first()
    if share is not None:
        pass  # chosen already among the BP3 preparations
    elif national is not None:
        share = services.indicator_add_national(
            case_id=case.pk, actor=chair, national=national, period=Period.MONTH
        )
    else:
        share = services.indicator_save(
            case_id=case.pk,
            actor=chair,
            data={
                "code": "STR-01",
                "name": "Dörr-till-nål-tid högst 30 minuter",
                "measure": "andel",
                "target": 50,
                "period": Period.MONTH,
            },
        )
    minutes = services.indicator_save(
        case_id=case.pk,
        actor=chair,
        data={
            "code": "LOK-STR-01",
            "name": "Dörr-till-nål-tid, median",
            "definition": "Median antal minuter från ankomst till sjukhus till start av "
            "trombolys, per månad.",
            "measure": "varde",
            "unit": "minuter",
            "direction": "lower",
            "target": 30,
            "period": Period.MONTH,
            "baseline_periods": 12,
        },
    )
    services.measurements_add(
        case_id=case.pk,
        actor=chair,
        measurements=[
            Measurement(
                indicator=share,
                period_start=_month(i),
                numerator=x,
                denominator=n,
                entered_by=chair,
            )
            for i, (x, n) in enumerate(DOOR_TO_NEEDLE)
        ]
        + [
            Measurement(indicator=minutes, period_start=_month(i), value=v, entered_by=chair)
            for i, v in enumerate(MEDIAN_MINUTES)
        ],
        source="Riksstroke, utdrag 2025-01",
    )
    # The timeline tells the story on its own dates: the extract was imported in February 2025.
    CaseEvent.objects.filter(case=case, message__contains="Riksstroke, utdrag 2025-01").update(
        at=timezone.make_aware(datetime(2025, 2, 3, 10, 0))
    )
    cycles = [
        (
            share,
            "Förvarning från ambulansen till strokelarmet",
            "Ambulansen förvarnar strokelarmet så att teamet möter patienten vid ankomsten.",
            "Andelen med dörr-till-nål-tid högst 30 minuter ökade från omkring 40 till "
            "omkring 67 procent.",
        ),
        (
            minutes,
            "Trombolys direkt på datortomografen",
            "Patienten tas direkt till datortomografi och trombolysen ges där, utan "
            "omflyttning till akutrummet.",
            "Mediantiden sjönk från omkring 44 till omkring 31 minuter.",
        ),
    ]
    for indicator, title, plan, study in cycles:
        services.cycle_save(
            case_id=case.pk,
            actor=chair,
            data={
                "title": title,
                "indicator": indicator,
                "plan": plan,
                "do": "Prövat på Östersunds sjukhus från januari 2024.",
                "study": study,
                "act": "Arbetssättet behålls och skrivs in i vårdförloppets lokala anvisning.",
                "started_on": date(2024, 1, 8),
                "finished_on": date(2024, 6, 30),
            },
        )


@transaction.atomic
def load_demo():
    """Plans, a checklist and follow-up for three of Jämtland Härjedalen's cases."""
    jh = Region.objects.filter(code="23").first()
    if jh is None:
        return
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["strateg", "ordforande", "ordforande2", "lag"])
    }
    if len(people) < 4:
        return
    today = timezone.localdate()
    strategist = people["strateg"]

    # Each plan's rows on the timeline are dated in the story: the schizophrenia plan was begun
    # ten days ago and ticked three days ago, the heart-failure activities were laid out when
    # the first of them started. Written today, they would follow the 2024 story's BP3 by years.
    from . import _date_events, _last_event_pk

    case = _case(jh, "Schizofreni – förstagångsinsjuknande")
    if case and case.state == "planering" and not ImplementationPlan.objects.filter(case=case):
        last = _last_event_pk(case)
        _schizophrenia(case, people["ordforande2"], strategist, today)
        _date_events(case, last, today - timedelta(days=10), moved=False)
        ticks = CaseEvent.objects.filter(
            case=case, pk__gt=last, message__startswith="BP3-checklistan:"
        )
        ticks.update(at=timezone.make_aware(datetime.combine(today - timedelta(days=3), time(10))))

    # Cases that passed BP3 in the demo walk have a minimal plan from their preparations;
    # what is added here is recognised by its own rows.
    case = _case(jh, "Hjärtsvikt – nydebuterad")
    if (
        case
        and case.state == "genomforande"
        and not Activity.objects.filter(plan__case=case, title=HEART_FAILURE_FIRST).exists()
    ):
        last = _last_event_pk(case)
        _heart_failure(case, people["ordforande"], people["lag"], strategist, today)
        _date_events(case, last, today - timedelta(days=150), moved=False)

    case = _case(jh, "Stroke och TIA")
    if (
        case
        and case.state == "uppfoljning"
        and not Measurement.objects.filter(indicator__case=case).exists()
    ):
        _stroke(case, people["ordforande"], today)
