"""Demo data for `make run`: Jämtland Härjedalen's board of May 2024 and a joint case in
Västernorrland, walked through the real services so every case has its timeline."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from kunskapsstyrning import services
from kunskapsstyrning.loaders import load_decision_orders
from kunskapsstyrning.models import (
    ROAD_DECISIONS,
    Case,
    CaseEvent,
    Document,
    KnowledgeSupport,
    Notification,
    RegistryCounter,
    State,
    road_to,
)
from organisation.models import Membership, Region, Role, Unit, UnitKind, User
from organisation.services import membership_save

DEMO_PASSWORD = "kunskap-demo-2026"

# Jämtland's status board, May 2024 (seed 000): number on the board → title, state.
JAMTLAND_BOARD = [
    ("Stroke och TIA", "NERVSYSTEM", State.FOLLOW_UP),
    ("Reumatoid artrit (RA)", "REUMATISKA", State.FOLLOW_UP),
    ("Hjärtsvikt – nydebuterad", "HJART_KARL", State.IMPLEMENTATION),
    ("Schizofreni – förstagångsinsjuknande", "PSYKISK_HALSA", State.PLANNING),
    ("Kognitiv svikt vid misstänkt demenssjukdom", "ALDRES_HALSA", State.BP2),
    ("Sepsis", "INFEKTION", State.GAP_ANALYSIS),
    ("Reumatoid artrit – etablerad", "REUMATISKA", State.GAP_ANALYSIS),
    ("Osteoporos – sekundärprevention efter fraktur", "RORELSEORGAN", State.GAP_ANALYSIS),
    ("Levnadsvanor", "LEVNADSVANOR", State.GAP_ANALYSIS),
    (
        "Rehabilitering och delar av försäkringsmedicin – generisk modell",
        "REHAB_HAB_FM",
        State.GAP_ANALYSIS,
    ),
    ("Grav hörselnedsättning", "ONH", State.BP1),
    ("Epilepsi – barn och vuxna", "NERVSYSTEM", State.PRIORITISATION),
    # "Beslut att starta finns för fler vårdförlopp" (seed 000): BP1 approved.
    ("Palliativ vård", "ALDRES_HALSA", State.GAP_ANALYSIS),
    ("Smärta – långvarig, hos vuxna", "REHAB_HAB_FM", State.GAP_ANALYSIS),
    ("Knäledsartros", "RORELSEORGAN", State.GAP_ANALYSIS),
    ("Höftledsartros – primärvård", "RORELSEORGAN", State.GAP_ANALYSIS),
    ("KOL", "LUNG_ALLERGI", State.GAP_ANALYSIS),
]

PRIORITISATION = {
    "possible": "ja",
    "possible_motivation": "Berörda verksamheter har kapacitet under året.",
    "important": "ja",
    "important_motivation": "Stor patientgrupp med ojämlik vård i länet.",
    "expected_benefit": "Jämlik och säker vård enligt nationellt vårdförlopp.",
    "consequence_if_not": "Fortsatt variation i vården och risk för undvikbara vårdskador.",
    "resources": "Processledare 20 %, LAG om sex personer under ett halvår.",
}


def _user(username, first, last, title, superuser=False):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "title": title,
            "email": f"{username}@example.se",
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _unit(code, kind, name, region, **extra):
    unit, _created = Unit.objects.get_or_create(
        code=code, defaults={"kind": kind, "name": name, "region": region, **extra}
    )
    return unit


def _member(user, unit, role, start=date(2023, 1, 1)):
    if not Membership.objects.filter(user=user, unit=unit, role=role).exists():
        membership_save(membership=Membership(user=user, unit=unit, role=role, start_date=start))


def _lpo(region, area_code, name):
    from organisation.models import ProgrammeArea

    area = ProgrammeArea.objects.get(code=area_code)
    return _unit(
        f"{region.short_code}_LPO_{area_code}",
        UnitKind.LPO,
        f"LPO {name}",
        region,
        programme_area=area,
    )


# The demo's story moves one step every three weeks, its last step on the day it names.
STORY_STEP = timedelta(days=21)


def _date_events(case, after_pk, day, moved=True):
    """Stamp what the services just wrote on the case's timeline with the story's day
    (and the case's move to its state, if the step `moved` it)."""
    at = timezone.make_aware(datetime.combine(day, time(10, 0)))
    CaseEvent.objects.filter(case=case, pk__gt=after_pk).update(at=at)
    if moved:
        Case.objects.filter(pk=case.pk).update(state_changed_at=at)
    if after_pk == 0:  # from the registration on: the case was registered that day
        Case.objects.filter(pk=case.pk).update(opened_at=at)
        _number_in_story(case, day.year)
    # What the step told people (issue 13's handovers) is dated on the story's day too; what
    # it told them before the story's last step they have read.
    now = timezone.now()
    told = Notification.objects.filter(
        case=case, created_at__gt=now - timedelta(minutes=30), created_at__lte=now
    )
    ids = list(told.values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids).update(created_at=at)
    if day < timezone.localdate() - STORY_STEP:
        Notification.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=at)
    remember_documents(case, at)


def _number_in_story(case, year):
    """A case the story registers in `year` carries that year's registry number: the services
    number by the day they run. The number it was given goes back to its year's counter (it
    was that counter's last), so both years' series stay without gaps."""
    case.refresh_from_db()
    if case.registry_year == year:
        return
    before = case.registry_number
    RegistryCounter.objects.filter(
        region_id=case.region_id, year=case.registry_year, last=case.registry_sequence
    ).update(last=F("last") - 1)
    sequence = services.next_registry_number(case.region, year)
    number = f"{case.region.short_code} {year}/{sequence:04d}"
    Case.objects.filter(pk=case.pk).update(
        registry_year=year, registry_sequence=sequence, registry_number=number
    )
    for event in CaseEvent.objects.filter(case=case, message__contains=before):
        CaseEvent.objects.filter(pk=event.pk).update(message=event.message.replace(before, number))
    case.refresh_from_db()


def remember_documents(case, at):
    """The documents just requested for `case` are made after the commit: remember `at`, the
    story's moment of their request, to date them then."""
    requested = Document.objects.filter(
        case=case, requested_at__gt=timezone.now() - timedelta(minutes=30)
    )
    for pk in requested.values_list("pk", flat=True):
        _DOCUMENT_DAYS.setdefault(pk, at)


# Story time of each document the demo requested, by pk (see `_date_what_tasks_wrote`).
_DOCUMENT_DAYS: dict[int, datetime] = {}


def _date_what_tasks_wrote(since):
    """Date what the demo's tasks wrote after the commit (at once, without a broker) on the
    story's day: each document (requested when its step was, made as long after as it took)
    with its "klart" row, and each e-mail with its "mejlades" row, when its notification was
    made. The PDFs themselves say when they were made: today."""
    for document in Document.objects.filter(pk__in=list(_DOCUMENT_DAYS)):
        requested_at = _DOCUMENT_DAYS[document.pk]
        finished_at = document.finished_at and requested_at + (
            document.finished_at - document.requested_at
        )
        Document.objects.filter(pk=document.pk).update(
            requested_at=requested_at, finished_at=finished_at
        )
        if finished_at:
            CaseEvent.objects.filter(
                case_id=document.case_id,
                kind=CaseEvent.Kind.DOCUMENT,
                at__gte=since,
                message__contains=f"{document.get_kind_display()} (version {document.version})",
            ).update(at=finished_at)
    _DOCUMENT_DAYS.clear()
    for notification in Notification.objects.filter(emailed_at__gte=since, created_at__lt=since):
        Notification.objects.filter(pk=notification.pk).update(emailed_at=notification.created_at)
        CaseEvent.objects.filter(
            case_id=notification.case_id,
            kind=CaseEvent.Kind.NOTIFICATION,
            at__gte=since,
            message__contains=f"”{notification.text}”",
        ).update(at=notification.created_at)


def _last_event_pk(case):
    return CaseEvent.objects.filter(case=case).aggregate(last=Max("pk"))["last"] or 0


def decide_every_part(case, point, day, deciders, strategist, outcomes=None):
    """Decide `point` in every part the region's order asks for, each by the first of
    `deciders` who holds its role (the preparing body's proposal first, by the strategist).
    `outcomes`: a part's outcome by its key, where it is not approval."""
    from kunskapsstyrning import orders

    order = services.order_for(case, point)
    if order.preparing_body_id and not services.parts_recorded(case, point):
        services.proposal_record(
            case_id=case.pk,
            actor=strategist,
            point=point,
            proposed_on=day,
            text=f"{order.preparing_body} föreslår att {point} godkänns för region och kommuner.",
        )
    for spec in order.parts:
        decider = next(d for d in deciders if orders.may_record(d, case, spec))
        outcome = (outcomes or {}).get(spec.key, "bifall")
        services.case_decide(
            case_id=case.pk,
            actor=decider,
            point=point,
            part=spec.key,
            outcome=outcome,
            decided_on=day,
            motivation=f"Underlaget för {point} är komplett och förankrat."
            if outcome == "bifall"
            else f"{spec.label} avstår från att införa kunskapsstödet nu.",
            participants=str(spec.body),
        )
        case = Case.objects.get(pk=case.pk)
        if case.awaiting_point != point:
            break  # decided (a part that did not approve, where every part must)


def _walk(case, target, actors, when):
    """Move a case along the road to `target` through the services, dated as the story goes."""
    strategist, chair, manager = actors
    steps = road_to(target, start=case.state)
    day = when - STORY_STEP * len(steps)
    _date_events(case, 0, day)  # the registration, before the first step
    for transition, _state in steps:
        day += STORY_STEP
        last_pk = _last_event_pk(case)
        if transition in ROAD_DECISIONS:
            decide_every_part(case, ROAD_DECISIONS[transition], day, [manager, chair], strategist)
        else:
            if transition == "submit_bp1":
                services.prioritisation_save(case_id=case.pk, actor=chair, data=PRIORITISATION)
            if transition == "submit_bp2":
                # BP2 approves an analysis made here: the one the case's LAG would have made.
                from .gapanalys import analysis_for_bp2

                analysis_for_bp2(case, chair, day)
            if transition == "implemented":
                from implementering.preparations import carry_out_plan

                carry_out_plan(case, chair, day)
            if transition == "submit_bp3":
                from implementering.preparations import prepare_for_bp3

                prepare_for_bp3(case, chair, day)
            by_strategist = transition in ("remiss_answered", "nationally_adopted")
            case = services.case_act(
                case_id=case.pk,
                actor=strategist if by_strategist else chair,
                action_name=transition,
            )
        _date_events(case, last_pk, day)
        case.refresh_from_db()
    return case


@transaction.atomic
def load_demo():
    """Create the demo regions' organisation, people and cases. Idempotent."""
    since = timezone.now()
    _DOCUMENT_DAYS.clear()
    jh = Region.objects.get(code="23")
    vn = Region.objects.get(code="22")

    _user("admin", "Alva", "Admin", "Systemadministratör", superuser=True)
    # --- Jämtland Härjedalen ---------------------------------------------------------------
    jh_office = _unit("RJH_KANSLI", UnitKind.KANSLI, "Kunskapsstyrningsenheten RJH", jh)
    jh_hsl = _unit("RJH_HSL", UnitKind.HSL, "Hälso- och sjukvårdsledningen RJH", jh)
    lpos = {
        code: _lpo(jh, code, name)
        for code, name in [
            ("NERVSYSTEM", "Nervsystemets sjukdomar"),
            ("REUMATISKA", "Reumatiska sjukdomar"),
            ("HJART_KARL", "Hjärt- och kärlsjukdomar"),
            ("PSYKISK_HALSA", "Psykisk hälsa"),
            ("ALDRES_HALSA", "Äldres hälsa"),
            ("INFEKTION", "Infektionssjukdomar"),
            ("RORELSEORGAN", "Rörelseorganens sjukdomar"),
            ("LEVNADSVANOR", "Levnadsvanor"),
            ("REHAB_HAB_FM", "Rehabilitering, habilitering och försäkringsmedicin"),
            ("ONH", "Öron-, näs- och halssjukdomar"),
            ("LUNG_ALLERGI", "Lung- och allergisjukdomar"),
        ]
    }
    load_decision_orders()  # Jämtland's and Västernorrland's (reference data)
    strategist = _user("strateg", "Sara", "Strateg", "Kunskapsstyrningsstrateg")
    chair = _user("ordforande", "Olle", "Ordförande", "Överläkare, ordförande LPO")
    lag_member = _user("lag", "Lina", "Lagmedlem", "Sjuksköterska, verksamhetsutvecklare")
    manager = _user(
        "ledning", "Hanna", "Hälso- och sjukvårdsdirektör", "Hälso- och sjukvårdsdirektör"
    )
    expert = _user("sakkunnig", "Erik", "Expert", "Specialistläkare")
    _member(strategist, jh_office, Role.STRATEGIST)
    _member(manager, jh_hsl, Role.MANAGEMENT)
    for code in ("NERVSYSTEM", "HJART_KARL", "ONH"):
        _member(chair, lpos[code], Role.CHAIR)
    other_chair = _user("ordforande2", "Petra", "Psykiatri", "Ordförande LPO Psykisk hälsa")
    for code in lpos:
        if code not in ("NERVSYSTEM", "HJART_KARL", "ONH"):
            _member(other_chair, lpos[code], Role.CHAIR)
    lag = _unit("RJH_LAG_HJARTSVIKT", UnitKind.LAG, "LAG Hjärtsvikt", jh, parent=lpos["HJART_KARL"])
    _member(lag_member, lag, Role.PROCESS_LEADER)
    _member(lag_member, lpos["HJART_KARL"], Role.MEMBER)
    _member(expert, lpos["NERVSYSTEM"], Role.EXPERT)

    if not jh.cases.exists():
        for index, (title, area, target) in enumerate(JAMTLAND_BOARD):
            support = KnowledgeSupport.objects.get(title=title, version="1.0")
            lpo = lpos[area]
            case_chair = chair if area in ("NERVSYSTEM", "HJART_KARL", "ONH") else other_chair
            case = services.case_register(
                actor=strategist,
                region=jh,
                knowledge_support=support,
                responsible_lpo=lpo,
                strategist=strategist,
                start_at_remiss=False,
            )
            case = _walk(case, target, (strategist, case_chair, manager), date(2024, 5, 1))
            if not case.is_ended:
                # The deadline of the station the story left the case at.
                services.station_deadline_set(case, date(2026, 12, 1 + index))

    # --- Västernorrland: joint with its seven municipalities -------------------------------
    vn_office = _unit("RVN_KANSLI", UnitKind.KANSLI, "Kunskapsstyrningsenheten RVN", vn)
    vn_hsl = _unit("RVN_HSL", UnitKind.HSL, "Hälso- och sjukvårdsledningen RVN", vn)
    _unit(
        "RVN_LSAM",
        UnitKind.LANSSAMORDNING,
        "Länssamordningsgruppen Västernorrland",
        vn,
        municipalities_participate=True,
    )
    vn_lans = _unit(
        "RVN_LANS",
        UnitKind.LANSLEDNING,
        "Länsledningen Västernorrland",
        vn,
        municipalities_participate=True,
    )
    vn_lpo = _lpo(vn, "PSYKISK_HALSA", "Psykisk hälsa")
    vn_lpo.municipalities_participate = True
    vn_lpo.save(update_fields=["municipalities_participate"])
    vn_lpo_aldre = _lpo(vn, "ALDRES_HALSA", "Äldres hälsa")
    # The order (reference data, seed 002): the LPO decides whether to go on (BP1); joint
    # cases are prepared in the länssamordningsgrupp and decided in the länsledning, where the
    # HSD decides for the region and each municipality's förvaltningschef for it (BP2).
    vn_strategist = _user("strateg.vn", "Viktor", "Västernorrland", "Kunskapsstyrningsstrateg")
    vn_director = _user("hsd.vn", "Helena", "Direktör", "Hälso- och sjukvårdsdirektör")
    vn_chair = _user("ordforande.vn", "Vera", "Ordförande", "Ordförande LPO Psykisk hälsa")
    municipal = _user("kommun.vn", "Kim", "Kommunrepresentant", "Socialchef, Härnösand")
    municipal_deciders = [municipal]
    for municipality in vn.municipalities.order_by("name"):
        # Each municipality decides for itself in the länsledning, by its own förvaltningschef.
        if municipality.name == "Härnösand":
            person = municipal
        else:
            person = _user(
                f"chef.{slugify(municipality.name)}",
                "Förvaltningschef",
                municipality.name,
                f"Förvaltningschef socialtjänst, {municipality.name}",
            )
            municipal_deciders.append(person)
        if person.municipality_id != municipality.pk:
            User.objects.filter(pk=person.pk).update(municipality=municipality)
            person.municipality = municipality
        _member(person, vn_lans, Role.MANAGEMENT)
    _member(vn_strategist, vn_office, Role.STRATEGIST)
    _member(vn_director, vn_hsl, Role.MANAGEMENT)
    _member(vn_director, vn_lans, Role.MANAGEMENT)
    _member(vn_chair, vn_lpo, Role.CHAIR)
    _member(municipal, vn_lpo, Role.MUNICIPAL_REPRESENTATIVE)
    if not vn.cases.exists():
        support = KnowledgeSupport.objects.get(title="Schizofreni – förstagångsinsjuknande")
        case = services.case_register(
            actor=vn_strategist,
            region=vn,
            knowledge_support=support,
            responsible_lpo=vn_lpo,
            concerned_lpos=[vn_lpo_aldre],
            strategist=vn_strategist,
            joint=True,
            municipalities=list(vn.municipalities.all()),
            start_at_remiss=False,
        )
        case = _walk(case, State.BP2, (vn_strategist, vn_chair, vn_director), date(2024, 9, 10))
        # Länssamordningsgruppen has prepared it: länsledningen decides next, each in its part.
        last_pk = _last_event_pk(case)
        services.proposal_record(
            case_id=case.pk,
            actor=vn_strategist,
            point="BP2",
            proposed_on=date(2024, 9, 20),
            text="Länssamordningsgruppen föreslår länsgemensamt införande av vårdförloppet "
            "i region och kommuner, med undantag av rekommendation 5 som prövas 2025.",
            registry_reference="HälSam 2024/17",
        )
        _date_events(case, last_pk, date(2024, 9, 20), moved=False)
        services.station_deadline_set(case, date(2027, 1, 15))
    # The work inside the stations, by the apps that own it.
    from . import gapanalys as gapanalys_demo
    from . import implementering as implementering_demo
    from . import nationellt as nationellt_demo
    from . import remisser as remisser_demo
    from . import sammantraden as sammantraden_demo

    gapanalys_demo.load_demo()
    remisser_demo.load_demo()
    implementering_demo.load_demo()
    nationellt_demo.load_demo()
    sammantraden_demo.load_demo()
    # Queued last, after the tasks it dates (callbacks run in the order they were queued).
    transaction.on_commit(lambda: _date_what_tasks_wrote(since))


DEMO_LOGINS = [
    ("admin", "administratör (allt, inklusive /admin/)"),
    ("strateg", "strateg, Region Jämtland Härjedalen"),
    ("ordforande", "LPO-ordförande (Nervsystem, Hjärt-kärl, ÖNH), Jämtland Härjedalen"),
    ("ordforande2", "LPO-ordförande för regionens övriga LPO (bl.a. Infektion: Sepsis)"),
    ("lag", "LAG-medlem/processledare, LAG Hjärtsvikt och LAG Sepsis"),
    ("ledning", "ledning (hälso- och sjukvårdsledningen), Jämtland Härjedalen"),
    ("sakkunnig", "sakkunnig, Jämtland Härjedalen"),
    ("strateg.vn", "strateg, Region Västernorrland"),
    ("hsd.vn", "hälso- och sjukvårdsdirektör, länsledningen Västernorrland"),
    ("ordforande.vn", "LPO-ordförande Psykisk hälsa, Västernorrland"),
    (
        "kommun.vn",
        "förvaltningschef Härnösand i länsledningen Västernorrland (de övriga sex kommunernas: "
        "chef.ange, chef.kramfors, chef.solleftea, chef.sundsvall, chef.timra, "
        "chef.ornskoldsvik)",
    ),
]
