"""Demo gap analyses for Region Jämtland Härjedalen. Idempotent: a case with an analysis is
left alone.

- Every case the demo walks past BP2 had its analysis ready when it went there
  (`analysis_for_bp2`, called by the walk): Hjärtsvikt – nydebuterad a complete one by LAG
  Hjärtsvikt, with statements; the others the shortest honest one
  (`gapanalys.preparations.prepare_for_bp2`).
- Sepsis (in gap analysis): LAG Sepsis formed by the LPO chair with the demo user `lag` as
  process leader; half of the ten rows assessed through the services.
"""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from gapanalys import services
from gapanalys.models import GapAnalysis, StatementKind
from gapanalys.preparations import prepare_for_bp2
from kunskapsstyrning.models import Case, State
from organisation.models import Role, Unit, User

# number → (state, today, cause, influence, proposal, principal, priority, consequences)
HJARTSVIKT = {
    1: (
        "gor_vi",
        "NT-proBNP och EKG tas vid misstanke på alla vårdcentraler.",
        "",
        "",
        "",
        "region",
        3,
        {},
    ),
    2: (
        "delvis",
        "Remiss till ekokardiografi skickas, men normalt NT-proBNP leder inte alltid "
        "till annan utredning.",
        "Oklart flöde efter normalt prov.",
        "Beslutsstöd i journalen.",
        "Inför beslutsstöd för normalt NT-proBNP i journalsystemet.",
        "region",
        2,
        {"consequence_it": "Beslutsstöd byggs i journalsystemet (ca 40 timmar)."},
    ),
    3: (
        "gor_vi_inte",
        "Väntetiden till ekokardiografi är 10–14 veckor.",
        "Brist på biomedicinska analytiker med ekokompetens.",
        "Utbilda fler och prioritera remisser efter NT-proBNP-nivå.",
        "Prioriteringsmodell för ekoremisser och utbildning av två BMA i ekokardiografi.",
        "region",
        1,
        {
            "consequence_patients": "Kortare tid till diagnos och behandling.",
            "consequence_staff": "Två BMA utbildas under 2025.",
            "consequence_economy": "Utbildning ca 300 tkr.",
            "consequence_crowding_out": "Andra ekoremisser kan få längre väntetid.",
        },
    ),
    4: (
        "delvis",
        "Typ av hjärtsvikt dokumenteras inte strukturerat.",
        "Ingen sökord i mallen.",
        "Ny journalmall.",
        "Sökord för typ av hjärtsvikt och EF i journalmallen.",
        "region",
        2,
        {"consequence_it": "Mallen uppdateras av journalförvaltningen."},
    ),
    5: ("gor_vi", "Fyra-pelarbehandling inleds på medicinklinikerna.", "", "", "", "region", 3, {}),
    6: (
        "delvis",
        "Sjuksköterskeledd upptitrering finns i Östersund men inte i Sveg.",
        "Hjärtsviktsmottagning saknas i södra länet.",
        "Distansuppföljning.",
        "Digital sjuksköterskeledd uppföljning från Östersund för södra länet.",
        "region",
        1,
        {
            "consequence_close_care": "Uppföljning nära patienten via digitala vårdmöten.",
            "consequence_staff": "0,5 sjuksköterska.",
        },
    ),
    7: (
        "gor_vi",
        "Egenvårdsinformation ges av hjärtsviktssjuksköterska.",
        "",
        "",
        "",
        "gemensam",
        3,
        {},
    ),
    8: (
        "gor_vi_inte",
        "Fysisk träning erbjuds inte systematiskt.",
        "Fysioterapeuter i primärvården känner inte till uppdraget.",
        "Gemensam rutin med primärvårdens rehabilitering.",
        "Rutin för remiss till fysioterapeut i primärvården efter diagnos.",
        "region",
        2,
        {
            "consequence_patients": "Bättre fysisk förmåga och livskvalitet.",
            "consequence_crowding_out": "Fysioterapeuternas tider för andra grupper minskar något.",
        },
    ),
    9: (
        "delvis",
        "SIP upprättas ibland; ansvarsövergången till kommunen är otydlig.",
        "Rutinen för SIP är inte känd i alla kommuner.",
        "Länsgemensam rutin.",
        "Länsgemensam rutin för SIP och viktuppföljning i hemsjukvården.",
        "gemensam",
        1,
        {
            "consequence_close_care": "Uppföljning i hemmet av kommunens sjuksköterskor.",
            "consequence_staff": "Utbildning av hemsjukvårdens personal.",
        },
    ),
    10: (
        "ej_aktuellt",
        "Registrering i RiksSvikt sker redan i specialistvården.",
        "",
        "",
        "",
        "region",
        3,
        {},
    ),
}

SEPSIS_ASSESSED = {
    1: {
        "current_state": "delvis",
        "today_practice": "NEWS2 används på sjukhusen men inte i kommunal hemsjukvård.",
        "cause_analysis": "Kommunernas sjuksköterskor saknar utbildning och utrustning.",
        "proposal": "NEWS2 införs i kommunal hälso- och sjukvård med gemensam utbildning.",
        "principal": "gemensam",
        "priority": 1,
        "consequence_staff": "Utbildning för kommunernas sjuksköterskor (2 timmar per person).",
        "consequence_close_care": "Tidigare upptäckt av sepsis i hemmet.",
    },
    2: {
        "current_state": "gor_vi_inte",
        "today_practice": "Ingen rutin för när kommunens sjuksköterska ska kontakta läkare.",
        "cause_analysis": "Rutinen saknas i de länsgemensamma riktlinjerna.",
        "principal": "kommun",
        "priority": 1,
    },
    3: {
        "current_state": "gor_vi",
        "today_practice": "Sepsislarm med RETTS på akutmottagningen i Östersund.",
        "principal": "region",
        "priority": 3,
    },
    4: {
        "current_state": "gor_vi",
        "today_practice": "Två par blododlingar tas enligt PM innan antibiotika.",
        "principal": "region",
        "priority": 3,
    },
    5: {
        "current_state": "delvis",
        "today_practice": "Antibiotika ges i snitt 75 minuter efter ankomst.",
        "cause_analysis": "Antibiotika ordineras först efter läkarbedömning.",
        "influence": "Sjuksköterskeordination enligt direktiv vid sepsislarm.",
        "proposal": "Generellt direktiv: sjuksköterska ger antibiotika vid sepsislarm.",
        "principal": "region",
        "priority": 1,
        "consequence_patients": "Lägre dödlighet vid septisk chock.",
    },
}


@transaction.atomic
def load_demo():
    """Add the demo gap analyses (idempotent)."""
    _sepsis()
    _under_way()


def _under_way():
    """Seed 000's board has these at "BP1 – gap-analys pågår": each chair formed the LAG after
    BP1 and its analysis is begun; the rows are the LAG's to assess."""
    cases = Case.objects.filter(
        region__code="23", state=State.GAP_ANALYSIS, gap_analysis__isnull=True
    ).select_related("knowledge_support", "responsible_lpo")
    for case in cases:
        chair = User.objects.filter(
            memberships__unit=case.responsible_lpo, memberships__role=Role.CHAIR
        ).first()
        if chair is None:
            continue
        last = case.events.order_by("-pk").values_list("pk", flat=True).first() or 0
        start = timezone.localtime(case.state_changed_at).date()
        services.lag_form(
            case_id=case.pk,
            actor=chair,
            process_leader=chair,
            start_date=start,
            scope_region=True,
        )
        _on_the_day(case, last, start)


def _case(title):
    return (
        Case.objects.filter(region__code="23", knowledge_support__title=title)
        .select_related("knowledge_support", "responsible_lpo")
        .first()
    )


def analysis_for_bp2(case, chair, day):
    """The analysis a case walked past BP2 in the demo had when it went to BP2: Hjärtsvikt's as
    LAG Hjärtsvikt made it, any other case's the shortest honest one."""
    lag = Unit.objects.filter(code="RJH_LAG_HJARTSVIKT").first()
    if case.knowledge_support.title == "Hjärtsvikt – nydebuterad" and lag is not None:
        _hjartsvikt(case, lag, day)
    prepare_for_bp2(case, chair, day)


def _hjartsvikt(case, lag, day):
    leader = User.objects.get(username="lag")
    chair = User.objects.get(username="ordforande")
    analysis = services.lag_form(
        case_id=case.pk,
        actor=chair,
        process_leader=leader,
        lag=lag,
        start_date=case.decisions.filter(point="BP1").latest("decided_on").decided_on,
        scope_region=True,
        scope_municipalities=True,
    )
    analysis = services.analysis_update(
        analysis_id=analysis.pk,
        actor=leader,
        version=analysis.version,
        data={
            "summary": (
                "Länet följer vårdförloppet i stora delar. De största gapen är väntetiden till "
                "ekokardiografi, upptitrering i södra länet, fysisk träning och "
                "ansvarsövergången till kommunal hemsjukvård."
            ),
            "roles_and_responsibilities": (
                "Verksamhetschef medicinkliniken ansvarar för ekokardiografi och upptitrering. "
                "Primärvårdens rehabilitering ansvarar för fysisk träning. Länsgemensam rutin "
                "för SIP tas fram av länssamordningsgruppen med kommunernas MAS."
            ),
        },
    )
    bp1_day = case.decisions.filter(point="BP1").latest("decided_on").decided_on
    for row in analysis.rows.select_related("recommendation"):
        values = HJARTSVIKT.get(row.recommendation.number)
        if values is None:
            continue
        state, today, cause, influence, proposal, principal, priority, consequences = values
        data = {
            "current_state": state,
            "today_practice": today,
            "cause_analysis": cause,
            "influence": influence,
            "proposal": proposal,
            "principal": principal,
            "priority": priority,
            **consequences,
        }
        services.row_save(row_id=row.pk, actor=leader, version=row.version, data=data)
    for kind, body, author, given_on, text in [
        (
            StatementKind.LPO,
            "LPO Hjärt- och kärlsjukdomar",
            "Olle Ordförande",
            date(2024, 1, 20),
            "LPO ställer sig bakom analysen och förslagen.",
        ),
        (
            StatementKind.PATIENT_SAFETY,
            "LSG patientsäkerhet",
            "Chefläkare och MAS",
            date(2024, 1, 25),
            "Inga hinder ur patientsäkerhetssynpunkt; SIP-rutinen prioriteras.",
        ),
        (
            StatementKind.DIVISION,
            "Division Medicin",
            "Divisionschef",
            date(2024, 1, 29),
            "Förankrat på divisionschefsmötet.",
        ),
        (
            StatementKind.PROGRAMME_OWNER,
            "Verksamhetschef medicinkliniken",
            "Verksamhetschef",
            date(2024, 2, 1),
            "Godkänd.",
        ),
    ]:
        services.statement_add(
            analysis_id=analysis.pk,
            actor=chair,
            kind=kind,
            body=body,
            author=author,
            # In the story's order: after BP1 (which the walk dates), by the step's day.
            given_on=max(min(given_on, day), bp1_day),
            text=text,
        )


def _on_the_day(case, after_pk, day):
    """Date what the services just wrote on the case's timeline on the story's day; the last
    row's pk, for the next step."""
    events = case.events.filter(pk__gt=after_pk)
    events.update(at=timezone.make_aware(datetime.combine(day, time(10, 0))))
    return events.order_by("-pk").values_list("pk", flat=True).first() or after_pk


def _sepsis():
    case = _case("Sepsis")
    if case is None or case.state != State.GAP_ANALYSIS:
        return
    if GapAnalysis.objects.filter(case=case).exists():
        return
    chair = User.objects.filter(
        memberships__unit=case.responsible_lpo, memberships__role=Role.CHAIR
    ).first()
    leader = User.objects.get(username="lag")
    members = list(User.objects.filter(username__in=["sakkunnig"]))
    last = case.events.order_by("-pk").values_list("pk", flat=True).first() or 0
    analysis = services.lag_form(
        case_id=case.pk,
        actor=chair,
        process_leader=leader,
        name="LAG Sepsis",
        members=members,
        start_date=date(2024, 6, 1),
        presentation_date=date(2026, 11, 1),
        due_date=date(2026, 12, 15),
        scope_region=True,
        scope_municipalities=True,
        scope_care_levels=["specialiserad", "kommunal"],
    )
    last = _on_the_day(case, last, date(2024, 6, 1))
    rows = {
        row.recommendation.number: row for row in analysis.rows.select_related("recommendation")
    }
    for number, data in SEPSIS_ASSESSED.items():
        row = rows.get(number)
        if row is not None:
            services.row_save(row_id=row.pk, actor=leader, version=row.version, data=data)
    last = _on_the_day(case, last, date(2024, 8, 20))
    services.statement_add(
        analysis_id=analysis.pk,
        actor=leader,
        kind=StatementKind.PATIENT_SAFETY,
        body="LSG patientsäkerhet",
        author="Chefläkare",
        given_on=date(2024, 9, 2),
        text="Sepsislarm i hela länet är angeläget; följ upp tid till antibiotika.",
    )
    _on_the_day(case, last, date(2024, 9, 2))
