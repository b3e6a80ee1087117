"""Data at national scale for the benchmark: `python manage.py generate_scale --scale S|M|N`.

Everything goes through the real models, with bulk inserts instead of services: walking
10,000 cases through `case_act` would take hours, and the benchmark measures reading, not
writing. What the services would have written is written here too — memberships with the
guardian permissions `membership_save` grants (after `organisation.models.ROLE_PERMISSIONS`),
a timeline event for every state change, an immutable decision at every decision point. On
PostgreSQL the big tables (gap rows, timeline events, measurements) go in with COPY.

The first region of a scale is the benchmark's region: its first cases are fixed anchors
(a gap analysis of 300 rows and one of 100 in the chair's LPO, a case in planning, a remiss
sent to every LPO), and its people log in with the demo logins and password:
`ordforande` (chair of its first LPO), `strateg`, `ledning`, `lag` and `admin`.
"""

import io
import math
import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from devdata.demo import DEMO_PASSWORD
from gapanalys.models import (
    DEFAULT_REQUIRED_STATEMENTS,
    CurrentState,
    GapAnalysis,
    GapRow,
    Principal,
    Statement,
    StatementKind,
)
from gapanalys.services import ROW_FIELDS
from kunskapsstyrning.models import (
    ROAD_DECISIONS,
    ROAD_STATES,
    CareLevel,
    Case,
    CaseEvent,
    Decision,
    DecisionRule,
    Indicator,
    KnowledgeSupport,
    Outcome,
    Prioritisation,
    Recommendation,
    RegistryCounter,
    State,
    SupportType,
    road_to,
)
from organisation.models import (
    Membership,
    Municipality,
    ProgrammeArea,
    Region,
    Role,
    Unit,
    UnitKind,
    UnitUserObjectPermission,
    User,
    permissions_for,
)


class ScaleRefused(Exception):
    """The database is not one a scale can be generated into; nothing was written."""


@dataclass(frozen=True)
class Scale:
    """How much to generate. `cases` and `users` are totals over all regions."""

    name: str
    regions: int
    cases: int
    users: int
    lpos_per_region: int = 30
    lags_per_lpo: int = 4
    rows: tuple = (90, 130)  # rows of an ordinary gap analysis: ~110
    big_rows: int = 300  # rows of every `big_every`th analysis
    big_every: int = 50
    measurement_periods: tuple = (12, 24)
    seed: int = 2026


SCALES = {
    # One region: 50 cases, ~5,000 gap rows.
    "S": Scale("S", regions=1, cases=50, users=150),
    # One region: 500 cases, ~50,000 gap rows.
    "M": Scale("M", regions=1, cases=500, users=300),
    # The country: 21 regions, ~30 LPOs each, 10,000 cases, ~1,000,000 gap rows, 3,000 people.
    "N": Scale("N", regions=21, cases=10_000, users=3_000),
}

# Where the cases stand (per mille). Ended and postponed cases are part of a real board.
STATE_WEIGHTS = [
    (State.REMISS, 40),
    (State.NATIONAL_DECISION, 20),
    (State.PRIORITISATION, 30),
    (State.BP1, 20),
    (State.GAP_ANALYSIS, 180),
    (State.BP2, 40),
    (State.PLANNING, 120),
    (State.BP3, 30),
    (State.IMPLEMENTATION, 140),
    (State.FOLLOW_UP, 140),
    (State.LEARNING, 30),
    (State.POSTPONED, 30),
    (State.NOT_ADOPTED, 20),
    (State.CLOSED, 50),
    (State.SUPERSEDED, 20),
    # Two "remiss" rows more go to the municipal-joint cases: weights need not sum to 1000.
]


def _road(state):
    """The lifecycle's road to `state` (kunskapsstyrning.models.ROAD), each step (transition,
    state after it, (decision point, outcome) or None)."""
    return [
        (t, s, (ROAD_DECISIONS[t], Outcome.APPROVED) if t in ROAD_DECISIONS else None)
        for t, s in road_to(state)
    ]


# The road to each state, and to the end states off it.
ROADS = {state: _road(state) for state in ROAD_STATES}
ROADS.update(
    {
        State.POSTPONED: [
            *_road(State.BP2),
            ("postponed", State.POSTPONED, ("BP2", Outcome.POSTPONED)),
        ],
        State.NOT_ADOPTED: [
            *_road(State.BP1),
            ("rejected", State.NOT_ADOPTED, ("BP1", Outcome.REJECTED)),
        ],
        State.CLOSED: [*_road(State.FOLLOW_UP), ("closed", State.CLOSED, None)],
        State.SUPERSEDED: [*_road(State.GAP_ANALYSIS), ("superseded", State.SUPERSEDED, None)],
    }
)
TRANSITION_LABELS = {
    "remiss_answered": "Remissen är besvarad.",
    "nationally_adopted": "Nationellt beslut: infört.",
    "submit_bp1": "Skickat till beslut BP1.",
    "submit_bp2": "Skickat till beslut BP2.",
    "submit_bp3": "Skickat till beslut BP3.",
    "implemented": "Planen är genomförd – uppföljning startar.",
    "learning_started": "Lärande och justering startade.",
    "closed": "Ärendet avslutades.",
    "superseded": "Ersatt av en ny nationell version.",
}
OUTCOME_LABELS = dict(Outcome.choices)


def _passed(state, station):
    """Whether a case in `state` has been through `station` on its road."""
    return state == station or any(step[1] == station for step in ROADS[state])


# States whose case has a gap analysis, a plan, a BP3 checklist, follow-up indicators.
ANALYSIS_STATES = {s for s in State.values if _passed(s, State.GAP_ANALYSIS)}
PLAN_STATES = {s for s in State.values if _passed(s, State.PLANNING)}
IMPLEMENTING_STATES = {s for s in State.values if _passed(s, State.IMPLEMENTATION)}

# --- Words ----------------------------------------------------------------------------------

FIRST_NAMES = (
    "Anna Eva Maria Karin Sara Lena Kerstin Emma Ingrid Malin Sofia Hanna Ida Elin Johanna "
    "Lars Mikael Anders Johan Erik Per Karl Peter Thomas Jan Daniel Fredrik Magnus Ali Omar "
    "Linnea Maja Astrid Nils Oskar Viktor Amira Leila Henrik Jonas Åsa Örjan Björn Märta"
).split()
LAST_NAMES = (
    "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
    "Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Lindström "
    "Olofsson Lindqvist Lindgren Berg Axelsson Bergström Lundberg Lind Lundgren Mattsson "
    "Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund Danielsson"
).split()
TITLES = [
    "Överläkare",
    "Specialistläkare",
    "Sjuksköterska",
    "Distriktssköterska",
    "Fysioterapeut",
    "Arbetsterapeut",
    "Verksamhetschef",
    "Verksamhetsutvecklare",
    "Enhetschef",
    "Kurator",
    "Dietist",
    "Psykolog",
]
CONDITIONS = (
    "Hjärtsvikt|Förmaksflimmer|Stroke och TIA|Diabetes typ 1|Diabetes typ 2|KOL|Astma|"
    "Depression|Ångestsyndrom|Schizofreni|Bipolär sjukdom|ADHD|Autism|Demenssjukdom|"
    "Parkinsons sjukdom|Multipel skleros|Epilepsi|Migrän|Reumatoid artrit|Psoriasis|"
    "Artros i höft|Artros i knä|Osteoporos|Ländryggssmärta|Långvarig smärta|Sepsis|"
    "Pneumoni|Urinvägsinfektion|Kronisk njursjukdom|Inflammatorisk tarmsjukdom|Celiaki|"
    "Gallsten|Obesitas|Levnadsvanor|Ätstörningar|Missbruk och beroende|Suicidprevention|"
    "Graviditetsdiabetes|Förlossningsbristning|Endometrios|Prostatacancer|Bröstcancer|"
    "Tjocktarmscancer|Lungcancer|Hudmelanom|Grav hörselnedsättning|Glaukom|Makuladegeneration|"
    "Palliativ vård|Fallprevention|Trycksår|Undernäring|Kognitiv svikt|Hjärtinfarkt|"
    "Perifer kärlsjukdom|Venös tromboembolism|Sömnapné|Tinnitus|Karies|Parodontit"
).split("|")
ASPECTS = [
    "nydebuterad",
    "etablerad",
    "hos barn",
    "hos äldre",
    "i primärvården",
    "uppföljning",
    "rehabilitering",
    "utredning",
    "behandling",
    "egenvård",
]
SUPPORT_TYPES = [
    (SupportType.VARDFORLOPP, 45),
    (SupportType.VARDPROGRAM, 25),
    (SupportType.RIKTLINJER, 10),
    (SupportType.NKK, 8),
    (SupportType.SVF, 7),
    (SupportType.VIP, 3),
    (SupportType.OTHER, 2),
]
RECOMMENDATION_TEXTS = [
    "Erbjud strukturerad bedömning inom två veckor efter remiss.",
    "Använd en gemensam vårdplan som följer patienten mellan vårdnivåerna.",
    "Utse en fast vårdkontakt för varje patient.",
    "Erbjud patientutbildning i grupp eller individuellt.",
    "Följ upp behandlingen med validerade skattningsskalor.",
    "Säkerställ läkemedelsgenomgång vid varje vårdövergång.",
    "Erbjud stöd till närstående.",
    "Registrera i det nationella kvalitetsregistret.",
    "Samordna insatserna med kommunens hälso- och sjukvård.",
    "Erbjud rådgivande samtal om levnadsvanor.",
    "Gör en strukturerad riskbedömning vid inskrivning.",
    "Erbjud digitala vårdkontakter som komplement.",
]
PRACTICE_TEXTS = [
    "Görs på de flesta mottagningar men saknar gemensam rutin.",
    "Görs i specialistvården, inte i primärvården.",
    "Ingen enhetlig arbetsform i länet i dag.",
    "Fungerar väl på sjukhusen; glesbygden har långa väntetider.",
    "Görs när personal finns; bemanningen räcker inte hela året.",
    "Rutin finns men följs inte upp.",
]
PROPOSAL_TEXTS = [
    "Inför gemensam rutin och checklista i journalen.",
    "Utbilda personalen i primärvården under hösten.",
    "Avsätt tid för fast vårdkontakt i varje team.",
    "Samordna med kommunerna genom länsgemensam överenskommelse.",
    "Bygg en mall i journalsystemet och följ upp kvartalsvis.",
]
CAUSE_TEXTS = [
    "Kompetensen finns men tiden räcker inte.",
    "Ansvarsfördelningen mellan vårdnivåerna är otydlig.",
    "Journalsystemet stödjer inte arbetssättet.",
    "Rutinen är okänd för nyanställda.",
]
CONSEQUENCE_TEXTS = [
    "Fler patienter får rätt insats i rätt tid.",
    "Kräver omfördelning av sjuksköterskeresurser.",
    "Engångskostnad för utbildning; minskade slutenvårdsdagar på sikt.",
    "Mallar i journalen behöver uppdateras.",
    "Risk för undanträngning av andra återbesök första året.",
    "Mer vård nära patienten i primärvården och kommunen.",
]


def _weighted(rng, weighted, count):
    """`count` values in proportion to their weights, in random order."""
    total = sum(w for _v, w in weighted)
    values = []
    for value, weight in weighted:
        values += [value] * round(count * weight / total)
    while len(values) < count:
        values.append(rng.choice(weighted)[0])
    values = values[:count]
    rng.shuffle(values)
    return values


# --- Fast inserts ---------------------------------------------------------------------------


def _copy_value(value):
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def insert_many(model, fields, rows, chunk=50_000):
    """Insert plain rows (tuples in the order of `fields`): COPY on PostgreSQL, bulk_create
    elsewhere. For tables whose new primary keys nobody needs back."""
    rows = iter(rows)
    count = 0
    if connection.vendor != "postgresql":
        while batch := [model(**dict(zip(fields, row, strict=True))) for row in _take(rows, chunk)]:
            model.objects.bulk_create(batch, batch_size=2_000)
            count += len(batch)
        return count
    # COPY leaves a column it is not given NULL: the model's defaults (Python-side, not the
    # database's; '' for text) go in for every field the rows do not name.
    named = {model._meta.get_field(f).column for f in fields}
    defaults = [
        field
        for field in model._meta.concrete_fields
        if field.column not in named
        and not field.primary_key
        and (field.has_default() or (not field.null and field.empty_strings_allowed))
    ]
    extra = tuple(field.get_default() for field in defaults)
    columns = ", ".join(
        connection.ops.quote_name(column)
        for column in [
            *(model._meta.get_field(f).column for f in fields),
            *(d.column for d in defaults),
        ]
    )
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        while batch := list(_take(rows, chunk)):
            buffer = io.StringIO()
            buffer.writelines("\t".join(map(_copy_value, (*row, *extra))) + "\n" for row in batch)
            buffer.seek(0)
            cursor.cursor.copy_expert(sql, buffer)
            count += len(batch)
    return count


def _take(iterator, n):
    for _i in range(n):
        try:
            yield next(iterator)
        except StopIteration:
            return


def _bulk(model, objects):
    """bulk_create that gives the new primary keys back (PostgreSQL and SQLite both do)."""
    return model.objects.bulk_create(objects, batch_size=2_000)


# --- The generator ----------------------------------------------------------------------------


@dataclass
class RegionWorld:
    """One region's organisation as generated: what its cases are built from."""

    region: Region
    office: Unit = None
    management: Unit = None
    joint_body: Unit = None  # the länsledning, where joint cases are decided
    joint_preparing: Unit = None
    lpos: list = field(default_factory=list)
    lags: dict = field(default_factory=dict)  # LPO id → its LAGs
    chairs: dict = field(default_factory=dict)  # LPO id → chair
    strategists: list = field(default_factory=list)
    managers: list = field(default_factory=list)
    lag_people: list = field(default_factory=list)
    experts: list = field(default_factory=list)
    municipal: list = field(default_factory=list)


class Generator:
    """Builds one scale into an empty database (reference data only). Steps run in order;
    each step's docstring says what it adds."""

    def __init__(self, scale, *, today=None, log=None):
        self.scale = scale
        self.rng = random.Random(scale.seed)
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.log = log or (lambda message: None)
        self.worlds = []
        self.counts = {}
        self._invited = set()  # (remiss, expert): an expert is invited to a round once

    # Public ----------------------------------------------------------------------------

    def run(self):
        if Case.objects.exists():
            raise ScaleRefused(
                "Databasen har redan ärenden. Skaldata genereras i en tom databas "
                "(migrate och load_reference_data, inget annat)."
            )
        from kunskapsstyrning.loaders import load_catalogue
        from organisation.loaders import load_reference_data

        load_reference_data()
        load_catalogue()
        steps = [
            self.organisation,
            self.people,
            self.decision_rules,
            self.catalogue,
            self.cases,
            self.timelines,
            self.gap_analyses,
            self.remisser,
            self.implementation,
            self.sharing,
        ]
        for step in steps:
            started = timezone.now()
            with transaction.atomic():
                step()
            seconds = (timezone.now() - started).total_seconds()
            self.log(f"{step.__name__:<16} {seconds:6.1f} s")
        if connection.vendor == "postgresql":
            # As autovacuum would have left a database in use: planner statistics, and the
            # visibility map that lets an index-only scan skip the table.
            # VACUUM cannot run inside a transaction (a test's); ANALYZE alone can.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        return self.counts

    # Steps -----------------------------------------------------------------------------

    def organisation(self):
        """Each region's strategists' office, management, ~30 LPOs and their LAGs."""
        regions = sorted(Region.objects.all(), key=lambda r: (r.code != "23", r.code))
        if len(regions) < self.scale.regions:
            raise ScaleRefused(f"Skalan behöver {self.scale.regions} regioner i referensdatan.")
        areas = list(ProgrammeArea.objects.order_by("code"))
        units = []
        for region in regions[: self.scale.regions]:
            world = RegionWorld(region)
            short = region.short_code
            world.office = Unit(
                kind=UnitKind.KANSLI,
                code=f"{short}_KANSLI",
                name=f"Kunskapsstyrningsenheten {region.name}",
                region=region,
            )
            world.management = Unit(
                kind=UnitKind.HSL,
                code=f"{short}_HSL",
                name=f"Hälso- och sjukvårdsledningen {region.name}",
                region=region,
            )
            units += [world.office, world.management]
            if region.code == "22":
                # Västernorrland decides joint cases in the länsledning (DOMAIN.md §3.1).
                world.joint_preparing = Unit(
                    kind=UnitKind.LANSSAMORDNING,
                    code=f"{short}_LSAM",
                    name="Länssamordningsgruppen Västernorrland",
                    region=region,
                    municipalities_participate=True,
                )
                world.joint_body = Unit(
                    kind=UnitKind.LANSLEDNING,
                    code=f"{short}_LANS",
                    name="Länsledningen Västernorrland",
                    region=region,
                    municipalities_participate=True,
                )
                units += [world.joint_preparing, world.joint_body]
            for i in range(self.scale.lpos_per_region):
                area = areas[i % len(areas)]
                suffix = f" {i // len(areas) + 1}" if i >= len(areas) else ""
                world.lpos.append(
                    Unit(
                        kind=UnitKind.LPO,
                        code=f"{short}_LPO_{i + 1:02d}",
                        name=f"LPO {area.name}{suffix}",
                        region=region,
                        programme_area=area,
                        municipalities_participate=i % 3 == 0,
                    )
                )
            units += world.lpos
            self.worlds.append(world)
        _bulk(Unit, units)
        lags = []
        for world in self.worlds:
            for i, lpo in enumerate(world.lpos):
                world.lags[lpo.pk] = [
                    Unit(
                        kind=UnitKind.LAG,
                        code=f"{world.region.short_code}_LAG_{i + 1:02d}_{j + 1}",
                        name=f"LAG {self.rng.choice(CONDITIONS)} ({lpo.name[4:]})",
                        region=world.region,
                        parent=lpo,
                    )
                    for j in range(self.scale.lags_per_lpo)
                ]
                lags += world.lags[lpo.pk]
        _bulk(Unit, lags)
        self.counts["units"] = len(units) + len(lags)

    def people(self):
        """The people, their memberships and the unit permissions those grant.

        Per region: a chair per LPO, three strategists, five in management, and LAG members,
        LPO members, experts and municipal representatives for the rest.
        """
        password = make_password(DEMO_PASSWORD)  # hashed once: every generated user shares it
        quotas = _spread(self.scale.users, len(self.worlds))
        users, plan = [], []  # plan: (user, world, role tag)
        for r, world in enumerate(self.worlds):
            per_region = max(quotas[r], len(world.lpos) + 12)
            short = world.region.short_code.lower()
            tags = ["chair"] * len(world.lpos) + ["strategist"] * 3 + ["management"] * 5
            rest = per_region - len(tags)
            tags += ["lag"] * (rest * 45 // 100) + ["member"] * (rest * 35 // 100)
            tags += ["expert"] * (rest * 12 // 100)
            tags += ["municipal"] * (per_region - len(tags))
            counters = {}
            for tag in tags:
                counters[tag] = counters.get(tag, 0) + 1
                username = f"{short}.{tag}.{counters[tag]}"
                if r == 0 and counters[tag] == 1 and tag in PERSONAS:
                    username = PERSONAS[tag]
                first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
                user = User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.se",
                    title=self.rng.choice(TITLES),
                    organisation_name=world.region.name,
                    password=password,
                )
                users.append(user)
                plan.append((user, world, tag))
        admin = User(
            username="admin",
            first_name="Alva",
            last_name="Admin",
            email="admin@example.se",
            title="Systemadministratör",
            is_staff=True,
            is_superuser=True,
            password=password,
        )
        _bulk(User, [*users, admin])

        start = date(self.today.year - 3, 1, 1)
        memberships = []

        def member(user, unit, role, end=None):
            memberships.append(
                Membership(user=user, unit=unit, role=role, start_date=start, end_date=end)
            )

        for user, world, tag in plan:
            if tag == "chair":
                lpo = world.lpos[len(world.chairs)]
                world.chairs[lpo.pk] = user
                member(user, lpo, Role.CHAIR)
            elif tag == "strategist":
                world.strategists.append(user)
                member(user, world.office, Role.STRATEGIST)
            elif tag == "management":
                world.managers.append(user)
                member(user, world.management, Role.MANAGEMENT)
                if world.joint_body is not None:
                    member(user, world.joint_body, Role.MANAGEMENT)
            elif tag == "lag":
                world.lag_people.append(user)
            elif tag == "member":
                lpo = self.rng.choice(world.lpos)
                role = self.rng.choice([Role.MEMBER, Role.MEMBER, Role.PROGRAMME_OWNER])
                member(user, lpo, role)
            elif tag == "expert":
                world.experts.append(user)
                member(user, self.rng.choice(world.lpos), Role.EXPERT)
            else:
                world.municipal.append(user)
                role = self.rng.choice([Role.MUNICIPAL_REPRESENTATIVE, Role.MAS_MAR])
                member(user, self.rng.choice(world.lpos), role)
        for world in self.worlds:
            # Every LAG: a process leader and three members from the region's LAG people,
            # so one person sits in several LAGs, as in a real region.
            pool = world.lag_people or world.managers
            i = 0
            for lags in world.lags.values():
                for lag in lags:
                    for n in range(4):
                        role = Role.PROCESS_LEADER if n == 0 else Role.MEMBER
                        member(pool[i % len(pool)], lag, role)
                        i += 1
            # A former chair whose term ended: the membership stays, the permissions do not.
            former = self.rng.choice(world.experts or world.managers)
            member(former, world.lpos[-1], Role.CHAIR, end=start - timedelta(days=1))
            memberships[-1].start_date = start - timedelta(days=800)
        _bulk(Membership, memberships)
        self._grant(memberships)
        self.counts["users"] = len(users) + 1
        self.counts["memberships"] = len(memberships)

    def _grant(self, memberships):
        """Guardian rows exactly as `organisation.services.unit_permissions_sync` would write."""
        unit_type = ContentType.objects.get_for_model(Unit)
        permission_ids = dict(
            Permission.objects.filter(content_type=unit_type).values_list("codename", "pk")
        )
        wanted = set()
        for m in memberships:
            if m.is_active(self.today):
                for codename in permissions_for(m.role, m.unit.kind):
                    wanted.add((m.user_id, m.unit_id, permission_ids[codename]))
        rows = [(user, unit, perm) for user, unit, perm in sorted(wanted)]
        insert_many(
            UnitUserObjectPermission, ["user_id", "content_object_id", "permission_id"], rows
        )
        self.counts["unit_permissions"] = len(rows)

    def decision_rules(self):
        """BP1–BP3 decided by each region's management; Västernorrland decides joint cases in
        the länsledning, prepared by the länssamordningsgrupp."""
        rules = []
        for world in self.worlds:
            for point in ("BP1", "BP2", "BP3"):
                rules.append(
                    DecisionRule(region=world.region, point=point, deciding_body=world.management)
                )
                if world.joint_body is not None:
                    rules.append(
                        DecisionRule(
                            region=world.region,
                            point=point,
                            applies_to=DecisionRule.AppliesTo.JOINT,
                            deciding_body=world.joint_body,
                            preparing_body=world.joint_preparing,
                        )
                    )
        _bulk(DecisionRule, rules)

    def catalogue(self):
        """Enough national knowledge supports for every region to run each case on its own
        support; big ones carry 300 recommendations for the big analyses."""
        per_region = math.ceil(self.scale.cases / len(self.worlds))
        big = math.ceil(per_region / self.scale.big_every) + 1
        count = per_region + 30
        npos = list(Unit.objects.filter(kind=UnitKind.NPO).order_by("code"))
        types = _weighted(self.rng, SUPPORT_TYPES, count)
        titles = set(KnowledgeSupport.objects.values_list("title", flat=True))
        supports = []
        for i in range(count):
            title = f"{CONDITIONS[i % len(CONDITIONS)]} – {ASPECTS[(i // len(CONDITIONS)) % 10]}"
            n = 1
            while title in titles:
                n += 1
                title = f"{CONDITIONS[i % len(CONDITIONS)]} – {ASPECTS[(i + n) % 10]} ({n})"
            titles.add(title)
            supports.append(
                KnowledgeSupport(
                    type=types[i],
                    title=title,
                    version="1.0",
                    npo=npos[i % len(npos)] if npos else None,
                    published=self.today - timedelta(days=200 + 7 * i),
                    description="Nationellt kunskapsstöd (genererat för prestandamätning).",
                )
            )
        _bulk(KnowledgeSupport, supports)
        self.big_supports = supports[:big]
        self.supports = supports[big:]
        rows, indicators = [], []
        levels = CareLevel.values
        for i, support in enumerate(supports):
            n = self.scale.big_rows if i < big else self.scale.rows[1]
            support.recommendation_count = n
            for number in range(1, n + 1):
                text = RECOMMENDATION_TEXTS[(i + number) % len(RECOMMENDATION_TEXTS)]
                rows.append((support.pk, number, f"{text} ({number})", levels[number % 4]))
            for k in range(1, 3):
                indicators.append(
                    Indicator(
                        knowledge_support=support,
                        code=f"IND{k}",
                        name=f"Andel patienter med insats {k} enligt {support.title}",
                        target=80 + k * 5,
                    )
                )
        insert_many(Recommendation, ["knowledge_support_id", "number", "text", "care_level"], rows)
        _bulk(Indicator, indicators)
        self.recommendation_ids = {}
        for pk, support_id, number in Recommendation.objects.filter(
            knowledge_support__in=supports
        ).values_list("pk", "knowledge_support_id", "number"):
            self.recommendation_ids.setdefault(support_id, {})[number] = pk
        self.indicators = {}
        for indicator in indicators:
            self.indicators.setdefault(indicator.knowledge_support_id, []).append(indicator)
        self.counts["knowledge_supports"] = count
        self.counts["recommendations"] = len(rows)

    def cases(self):
        """The cases of every region, spread over all states, with registry numbers."""
        per_region = _spread(self.scale.cases, len(self.worlds))
        cases, concerned = [], []
        counters = {}
        for r, (world, n) in enumerate(zip(self.worlds, per_region, strict=True)):
            states = _weighted(self.rng, STATE_WEIGHTS, n)
            anchors = ANCHORS if r == 0 else []
            for i, (state, _responsible_first) in enumerate(anchors[:n]):
                states[i] = state
            opened = sorted(
                (self.now - timedelta(days=self.rng.randint(20, 1400)) for _i in range(n)),
            )
            big_i = small_i = 0
            for i in range(n):
                state = states[i]
                anchor = i < len(anchors)
                # Every `big_every`th case (the first of the region among them) is a big one.
                if i % self.scale.big_every == 0 and big_i < len(self.big_supports):
                    support = self.big_supports[big_i]
                    big_i += 1
                else:
                    support = self.supports[small_i % len(self.supports)]
                    small_i += 1
                lpo = world.lpos[0] if anchor else self.rng.choice(world.lpos)
                at = opened[i] if not anchor else self.now - timedelta(days=200 + i)
                if state in (State.REMISS, State.NATIONAL_DECISION):
                    at = self.now - timedelta(days=self.rng.randint(5, 120))
                year = timezone.localtime(at).year
                counters[(r, year)] = counters.get((r, year), 0) + 1
                sequence = counters[(r, year)]
                # Anchors are joint: their case page shows the municipalities too.
                joint = anchor or self.rng.random() < (0.5 if world.joint_body else 0.15)
                case = Case(
                    region=world.region,
                    knowledge_support=support,
                    registry_year=year,
                    registry_sequence=sequence,
                    registry_number=f"{world.region.short_code} {year}/{sequence:04d}",
                    responsible_lpo=lpo,
                    joint=joint,
                    strategist=self.rng.choice(world.strategists),
                    state=state,
                    opened_at=at,
                    state_changed_at=at,
                )
                case.world = world
                case.is_big = support in self.big_supports
                case.is_anchor = anchor
                cases.append(case)
                if self.rng.random() < 0.3 and not anchor:
                    for other in self.rng.sample(world.lpos, 2)[: self.rng.randint(1, 2)]:
                        if other.pk != lpo.pk:
                            concerned.append((case, other))
        self._road_times(cases)
        _bulk(Case, cases)
        through = Case.concerned_lpos.through
        insert_many(through, ["case_id", "unit_id"], [(c.pk, u.pk) for c, u in concerned])
        # A joint case is run with the county's municipalities (all of them, as Västernorrland's).
        municipalities = {}
        for pk, region_id in Municipality.objects.values_list("pk", "region_id"):
            municipalities.setdefault(region_id, []).append(pk)
        insert_many(
            Case.municipalities.through,
            ["case_id", "municipality_id"],
            [(c.pk, m) for c in cases if c.joint for m in municipalities.get(c.region_id, [])],
        )
        counters_rows = [
            RegistryCounter(region=self.worlds[r].region, year=year, last=last)
            for (r, year), last in counters.items()
        ]
        _bulk(RegistryCounter, counters_rows)
        self.case_list = cases
        self.counts["cases"] = len(cases)

    def _road_times(self, cases):
        """Dates along each case's road, its last state change, deadline and closing."""
        for case in cases:
            road = ROADS[case.state]
            span = max((self.now - case.opened_at).total_seconds(), 86_400)
            cuts = sorted(self.rng.random() for _step in road)
            case.road = [
                (step, case.opened_at + timedelta(seconds=span * cut * 0.95))
                for step, cut in zip(road, cuts, strict=True)
            ]
            if case.road:
                case.state_changed_at = case.road[-1][1]
            if case.state in (State.CLOSED, State.NOT_ADOPTED, State.SUPERSEDED):
                case.closed_at = case.state_changed_at
            elif self.rng.random() < 0.7:
                case.due_date = self.today + timedelta(days=self.rng.randint(-30, 365))

    def timelines(self):
        """Every case's timeline: registered, each state change, a decision at each point;
        the BP1 prioritisation of every case that has been through it."""
        decisions, events, prioritisations = [], [], []
        for case in self.case_list:
            world = case.world
            events.append(
                (case.pk, CaseEvent.Kind.REGISTERED, "", State.REMISS, case.strategist_id)
                + (case.opened_at, f"Ärendet registrerades som {case.registry_number}.", None)
            )
            previous = State.REMISS
            for (transition, to_state, decided), at in case.road:
                if decided is None:
                    actor = (
                        case.strategist_id
                        if transition in ("remiss_answered", "nationally_adopted", "superseded")
                        else world.chairs[case.responsible_lpo_id].pk
                    )
                    events.append(
                        (case.pk, CaseEvent.Kind.TRANSITION, previous, to_state, actor)
                        + (at, TRANSITION_LABELS[transition], None)
                    )
                else:
                    point, outcome = decided
                    joint_rule = case.joint and world.joint_body is not None
                    body = world.joint_body if joint_rule else world.management
                    decision = Decision(
                        case=case,
                        point=point,
                        outcome=outcome,
                        deciding_body=body,
                        decided_by=self.rng.choice(world.managers),
                        participants=f"{body.name}",
                        decided_on=timezone.localtime(at).date(),
                        motivation=f"Underlaget för {point} är komplett och förankrat.",
                        registry_reference=f"{case.registry_number}-{point}",
                        recorded_at=at,
                    )
                    decision.event = (case.pk, previous, to_state, at, point, outcome, body)
                    decisions.append(decision)
                previous = to_state
            if _passed(case.state, State.BP1) or (
                case.state == State.PRIORITISATION and self.rng.random() < 0.5
            ):
                prioritisations.append(
                    Prioritisation(
                        case=case,
                        possible="ja",
                        possible_motivation="Berörda verksamheter har kapacitet under året.",
                        important=self.rng.choice(["ja", "delvis"]),
                        important_motivation="Stor patientgrupp med ojämlik vård i länet.",
                        expected_benefit="Jämlik och säker vård enligt kunskapsstödet.",
                        consequence_if_not="Fortsatt omotiverad variation i vården.",
                        resources="Processledare 20 %, LAG om fyra personer under ett halvår.",
                        updated_by=case.world.chairs[case.responsible_lpo_id],
                    )
                )
        _bulk(Decision, decisions)
        for decision in decisions:
            case_id, previous, to_state, at, point, outcome, body = decision.event
            events.append(
                (case_id, CaseEvent.Kind.DECISION, previous, to_state, decision.decided_by_id)
                + (at, f"{point}: {OUTCOME_LABELS[outcome]} av {body.name}.", decision.pk)
            )
        fields = ["case_id", "kind", "from_state", "to_state", "actor_id", "at", "message"]
        insert_many(CaseEvent, [*fields, "decision_id"], events)
        _bulk(Prioritisation, prioritisations)
        self.counts["decisions"] = len(decisions)
        self.counts["case_events"] = len(events)

    def gap_analyses(self):
        """A gap analysis for every case that has reached it: ~110 rows, 300 for the big
        ones; assessed in part while the LAG works, wholly once it went to BP2."""
        from gapanalys.services import summaries_refresh

        analyses = []
        for case in self.case_list:
            if case.state not in ANALYSIS_STATES:
                continue
            lags = case.world.lags[case.responsible_lpo_id]
            gap_at = next(at for (_t, s, _d), at in case.road if s == State.GAP_ANALYSIS)
            start = timezone.localtime(gap_at).date()
            analysis = GapAnalysis(
                case=case,
                lag=lags[case.pk % len(lags)],
                start_date=start,
                presentation_date=start + timedelta(days=120),
                due_date=start + timedelta(days=180),
                scope_municipalities=case.joint,
                summary=""
                if case.state == State.GAP_ANALYSIS
                else "Gapen gäller främst samordning mellan vårdnivåerna och uppföljning.",
                roles_and_responsibilities=""
                if case.state == State.GAP_ANALYSIS
                else "Verksamhetscheferna ansvarar för införandet i sina verksamheter.",
                created_at=gap_at,
            )
            if case.is_big:
                analysis.row_total = self.scale.big_rows
            elif case.is_anchor:
                analysis.row_total = min(100, self.scale.rows[1])
            else:
                analysis.row_total = self.rng.randint(*self.scale.rows)
            analysis.open = case.state == State.GAP_ANALYSIS
            analyses.append(analysis)
        _bulk(GapAnalysis, analyses)
        fields = [
            "analysis_id",
            "recommendation_id",
            *ROW_FIELDS,
            "needs_review",
            "version",
            "updated_at",
            "updated_by_id",
        ]
        self.counts["gap_rows"] = insert_many(GapRow, fields, self._gap_rows(analyses))
        # The rows went in past the services: their progress summaries are counted once.
        summaries_refresh(GapAnalysis.objects.filter(pk__in=[a.pk for a in analyses]))
        statements = []
        for analysis in analyses:
            if analysis.open:
                continue
            for kind in DEFAULT_REQUIRED_STATEMENTS:
                statements.append(
                    Statement(
                        analysis=analysis,
                        kind=kind,
                        body=dict(StatementKind.choices)[kind],
                        author=f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}",
                        given_on=analysis.due_date,
                        text="Instansen tillstyrker analysen med de förbättringsförslag som "
                        "redovisas.",
                        recorded_by=analysis.case.strategist,
                    )
                )
        _bulk(Statement, statements)
        self.analyses = analyses
        self.counts["gap_analyses"] = len(analyses)

    def _gap_rows(self, analyses):
        rng = self.rng
        states = [CurrentState.DONE, CurrentState.PARTLY, CurrentState.NOT_DONE]
        states.append(CurrentState.NOT_APPLICABLE)
        principals = Principal.values
        for analysis in analyses:
            case = analysis.case
            numbers = self.recommendation_ids[case.knowledge_support_id]
            assessed_share = rng.uniform(0.3, 0.9) if analysis.open else 1.0
            editor = case.world.chairs[case.responsible_lpo_id].pk
            for number in range(1, analysis.row_total + 1):
                if rng.random() >= assessed_share:
                    # Not assessed yet: only the recommendation.
                    head = (analysis.pk, numbers[number], *[""] * 8, None, *[""] * 7)
                    yield (*head, False, 1, analysis.created_at, None)
                    continue
                state = rng.choice(states)
                gap = state in (CurrentState.PARTLY, CurrentState.NOT_DONE)
                head = (
                    analysis.pk,
                    numbers[number],
                    state,
                    rng.choice(PRACTICE_TEXTS),
                    rng.choice(CAUSE_TEXTS) if gap else "",
                    "Genom gemensamma rutiner och utbildning." if gap else "",
                    rng.choice(PROPOSAL_TEXTS) if gap else "",
                    "Strukturerad uppföljning." if gap else "",
                    "",
                    rng.choice(principals),
                    rng.randint(1, 3) if gap else None,
                    "Utbildningsinsats, två halvdagar." if gap else "",
                    rng.choice(CONSEQUENCE_TEXTS) if gap else "",
                    rng.choice(CONSEQUENCE_TEXTS) if gap else "",
                    "",
                    "",
                    "",
                    "",
                )
                yield (*head, False, rng.randint(1, 4), case.state_changed_at, editor)

    def remisser(self):
        """A consultation round for every case: still out at the LPOs for cases in remiss,
        answered (now and then declined) for the rest. Each round asks the responsible and
        concerned LPOs and a few more, every tenth round all of them; the chairs' answers
        carry comments from invited experts."""
        from remisser.models import (
            Asks,
            Comment,
            Disposition,
            Remiss,
            RemissAccess,
            RemissQuestion,
            RemissStatus,
            Response,
            ResponseKind,
            Sender,
        )

        rng = self.rng
        concerned = {}
        for case_id, unit_id in Case.concerned_lpos.through.objects.filter(
            case__in=self.case_list
        ).values_list("case_id", "unit_id"):
            concerned.setdefault(case_id, set()).add(unit_id)
        rounds = []
        for i, case in enumerate(self.case_list):
            received = timezone.localtime(case.opened_at).date()
            open_round = case.state == State.REMISS
            if open_round:
                status = RemissStatus.REGISTERED if rng.random() < 0.2 else RemissStatus.DISTRIBUTED
                if case.is_anchor:
                    status = RemissStatus.DISTRIBUTED
                deadline = max(received, self.today + timedelta(days=rng.randint(-10, 60)))
            else:
                status = RemissStatus.DECLINED if rng.random() < 0.05 else RemissStatus.ANSWERED
                deadline = received + timedelta(days=rng.randint(30, 90))
            answered_at = next(
                (at for (t, _s, _d), at in case.road if t == "remiss_answered"), None
            )
            remiss = Remiss(
                case=case,
                sender=rng.choice(Sender.values),
                sender_reference=f"S{received.year}/{1000 + i}",
                received_on=received,
                reply_deadline=deadline,
                internal_deadline=deadline - timedelta(days=14),
                asks=Asks.QUESTIONS if i % 5 == 0 else Asks.WHOLE,
                distribution_message="Ta fram LPO:ts synpunkter med era sakkunniga.",
                municipalities_concerned=case.joint,
                status=status,
                answer_text=""
                if status != RemissStatus.ANSWERED
                else "Regionen tillstyrker kunskapsstödet med de synpunkter som redovisas.",
                decline_reason="Berör inte regionens verksamhet i nuläget."
                if status == RemissStatus.DECLINED
                else "",
                sent_on=timezone.localtime(answered_at).date() if answered_at else None,
                closed_by=case.strategist if not open_round else None,
                closed_at=answered_at,
                created_by=case.strategist,
                created_at=case.opened_at,
                distributed_at=None
                if status == RemissStatus.REGISTERED
                else case.opened_at + timedelta(days=2),
            )
            remiss.everyone = case.is_anchor or i % 10 == 0
            rounds.append(remiss)
        _bulk(Remiss, rounds)
        questions = [
            RemissQuestion(remiss=r, number=n, text=f"Fråga {n}: hur påverkas er verksamhet?")
            for r in rounds
            if r.asks == Asks.QUESTIONS
            for n in (1, 2, 3)
        ]
        _bulk(RemissQuestion, questions)
        responses = []
        for remiss in rounds:
            if remiss.status == RemissStatus.REGISTERED:
                continue
            case = remiss.case
            world = case.world
            asked = {case.responsible_lpo_id} | concerned.get(case.pk, set())
            if remiss.everyone:
                asked |= {lpo.pk for lpo in world.lpos}
            else:
                asked |= {lpo.pk for lpo in rng.sample(world.lpos, 2)}
            done = remiss.status != RemissStatus.DISTRIBUTED
            for lpo_id in sorted(asked):
                submitted = done or rng.random() < 0.5
                responses.append(
                    Response(
                        remiss=remiss,
                        kind=ResponseKind.LPO,
                        lpo_id=lpo_id,
                        text="LPO:t tillstyrker med synpunkter." if submitted else "",
                        requested_at=remiss.distributed_at,
                        updated_at=remiss.distributed_at if submitted else None,
                        submitted_at=remiss.distributed_at + timedelta(days=10)
                        if submitted
                        else None,
                        submitted_by=world.chairs[lpo_id] if submitted else None,
                    )
                )
            if case.joint and world.municipal:
                responses.append(
                    Response(
                        remiss=remiss,
                        kind=ResponseKind.MUNICIPAL,
                        respondent=world.municipal[case.pk % len(world.municipal)],
                        text="Kommunerna instämmer." if done else "",
                        requested_at=remiss.distributed_at,
                        submitted_at=remiss.distributed_at + timedelta(days=12) if done else None,
                    )
                )
        _bulk(Response, responses)
        accesses, comments = [], []
        for response in responses:
            if response.kind != ResponseKind.LPO or rng.random() < 0.4:
                continue
            remiss = response.remiss
            world = remiss.case.world
            chair = world.chairs[response.lpo_id]
            authors = [chair]
            if world.experts:
                expert = world.experts[(response.pk * 7) % len(world.experts)]
                if (remiss.pk, expert.pk) not in self._invited:
                    self._invited.add((remiss.pk, expert.pk))
                    accesses.append(
                        RemissAccess(
                            remiss=remiss,
                            user=expert,
                            kind="sakkunnig",
                            response=response,
                            invited_by=chair,
                            invited_at=remiss.distributed_at,
                        )
                    )
                    authors.append(expert)
            for n in range(rng.randint(1, 4)):
                answered = remiss.status == RemissStatus.ANSWERED
                comments.append(
                    Comment(
                        response=response,
                        author=authors[n % len(authors)],
                        text=rng.choice(PROPOSAL_TEXTS),
                        created_at=remiss.distributed_at + timedelta(days=n + 1),
                        disposition=rng.choice(Disposition.values) if answered else "",
                        disposition_reason="Beaktat i regionens svar." if answered else "",
                        disposed_by=remiss.case.strategist if answered else None,
                        disposed_at=remiss.closed_at if answered else None,
                    )
                )
        _bulk(RemissAccess, accesses)
        _bulk(Comment, comments)
        self.counts["remisser"] = len(rounds)
        self.counts["remiss_responses"] = len(responses)
        self.counts["remiss_comments"] = len(comments)

    def implementation(self):
        """Plans (activities closing gaps, communication, milestones, phasing out) from
        planning on, the BP3 checklist, and follow-up indicators with monthly measurements
        from implementation on."""
        from implementering.models import (
            DEFAULT_CHECKLIST,
            Activity,
            ActivityStatus,
            Bp3Checklist,
            ChecklistItem,
            CommunicationItem,
            FollowUpIndicator,
            ImplementationPlan,
            ImprovementCycle,
            Measurement,
            Milestone,
            PhaseOut,
        )

        rng = self.rng
        planned = [c for c in self.case_list if c.state in PLAN_STATES]
        analysis_of = {a.case_id: a for a in self.analyses}
        gaps = {}
        for pk, analysis_id in GapRow.objects.filter(
            analysis__case__in=planned,
            current_state__in=[CurrentState.PARTLY, CurrentState.NOT_DONE],
        ).values_list("pk", "analysis_id"):
            gaps.setdefault(analysis_id, []).append(pk)
        plans = []
        for case in planned:
            planning_at = next(at for (_t, s, _d), at in case.road if s == State.PLANNING)
            anchored = case.state != State.PLANNING
            chair = case.world.chairs[case.responsible_lpo_id]
            plan = ImplementationPlan(
                case=case,
                goal="Alla patienter får vård enligt kunskapsstödet inom två år.",
                anchored_on=timezone.localtime(planning_at).date() + timedelta(days=60)
                if anchored
                else None,
                anchored_by=chair if anchored else None,
                anchored_note="Förankrad vid LPO-möte." if anchored else "",
                anchored_at=planning_at + timedelta(days=60) if anchored else None,
                created_at=planning_at,
                changed_at=planning_at + timedelta(days=30),
            )
            plan.start = timezone.localtime(planning_at).date()
            plans.append(plan)
        _bulk(ImplementationPlan, plans)
        activities, links, communication, milestones, phase_outs = [], [], [], [], []
        for plan in plans:
            case = plan.case
            started = case.state in IMPLEMENTING_STATES
            finished = case.state in (State.FOLLOW_UP, State.LEARNING, State.CLOSED)
            for n in range(rng.randint(4, 8)):
                start = plan.start + timedelta(days=30 * n)
                if finished:
                    status = ActivityStatus.DONE
                elif started:
                    status = rng.choice([ActivityStatus.IN_PROGRESS, ActivityStatus.DONE])
                else:
                    status = ActivityStatus.PLANNED
                activity = Activity(
                    plan=plan,
                    title=rng.choice(PROPOSAL_TEXTS),
                    principal=rng.choice(Principal.values),
                    responsible=f"Verksamhetschef {rng.choice(LAST_NAMES)}",
                    start=start,
                    due=start + timedelta(days=rng.randint(30, 180)),
                    status=status,
                    completed_on=start + timedelta(days=60) if status == "klar" else None,
                )
                activity.closes = rng.sample(
                    gaps.get(analysis_of[case.pk].pk, []),
                    min(2, len(gaps.get(analysis_of[case.pk].pk, []))),
                )
                activities.append(activity)
            for n in range(2):
                communication.append(
                    CommunicationItem(
                        plan=plan,
                        audience=["Berörda verksamheter", "Patientföreningar"][n],
                        message="Nytt arbetssätt enligt kunskapsstödet.",
                        channel=["Arbetsplatsträffar", "Webb"][n],
                        planned_on=plan.start + timedelta(days=45 * (n + 1)),
                        responsible="Processledaren",
                        done=started,
                    )
                )
                milestones.append(
                    Milestone(
                        plan=plan,
                        title=["Utbildning klar", "Nytt arbetssätt i alla team"][n],
                        date=plan.start + timedelta(days=120 * (n + 1)),
                        reached=finished,
                    )
                )
            phase_outs.append(
                PhaseOut(
                    plan=plan,
                    what="Separata remissrutiner per sjukhus.",
                    principal=Principal.REGION,
                    from_date=plan.start + timedelta(days=180),
                    responsible="Verksamhetscheferna",
                )
            )
        _bulk(Activity, activities)
        for activity in activities:
            links += [(activity.pk, row_id) for row_id in activity.closes]
        insert_many(Activity.gap_rows.through, ["activity_id", "gaprow_id"], links)
        _bulk(CommunicationItem, communication)
        _bulk(Milestone, milestones)
        _bulk(PhaseOut, phase_outs)

        checklists = [Bp3Checklist(case=plan.case, created_at=plan.created_at) for plan in plans]
        _bulk(Bp3Checklist, checklists)
        items = []
        for checklist in checklists:
            case = checklist.case
            chair = case.world.chairs[case.responsible_lpo_id]
            ticked_all = case.state != State.PLANNING
            for position, (text, requirement) in enumerate(DEFAULT_CHECKLIST, start=1):
                ticked = ticked_all or rng.random() < 0.4
                items.append(
                    ChecklistItem(
                        checklist=checklist,
                        position=position,
                        text=str(text),
                        requirement=requirement,
                        ticked_by=chair if ticked else None,
                        ticked_on=timezone.localtime(checklist.created_at).date()
                        + timedelta(days=90)
                        if ticked
                        else None,
                        ticked_at=checklist.created_at + timedelta(days=90) if ticked else None,
                    )
                )
        _bulk(ChecklistItem, items)

        indicators = []
        for case in self.case_list:
            if case.state not in IMPLEMENTING_STATES:
                continue
            for national in self.indicators.get(case.knowledge_support_id, []):
                indicator = FollowUpIndicator(
                    case=case,
                    national=national,
                    code=national.code,
                    name=national.name,
                    target=national.target,
                    created_by=case.strategist,
                )
                indicator.periods = (
                    rng.randint(0, 6)
                    if case.state == State.IMPLEMENTATION
                    else rng.randint(*self.scale.measurement_periods)
                )
                indicators.append(indicator)
        _bulk(FollowUpIndicator, indicators)
        measurements = []
        this_month = self.today.replace(day=1)
        for indicator in indicators:
            level = rng.uniform(0.4, 0.7)
            for k in range(indicator.periods, 0, -1):
                month = _months_back(this_month, k)
                denominator = rng.randint(40, 160)
                share = min(0.98, level + 0.01 * (indicator.periods - k) + rng.gauss(0, 0.04))
                numerator = max(0, min(denominator, round(denominator * share)))
                measurements.append((indicator.pk, month, numerator, denominator, "", self.now))
        insert_many(
            Measurement,
            ["indicator_id", "period_start", "numerator", "denominator", "note", "entered_at"],
            measurements,
        )
        # What the services keep for management's home: each indicator's signals this year.
        from implementering.region_report import signals_refresh

        ids = [indicator.pk for indicator in indicators]
        for start in range(0, len(ids), 2_000):
            signals_refresh(ids[start : start + 2_000], today=self.today)
        cycles = [
            ImprovementCycle(
                case=indicator.case,
                indicator=indicator,
                title="Påminnelse i journalen",
                plan="Öka andelen genom en påminnelse i journalen.",
                do="Påminnelsen infördes på två vårdcentraler.",
                started_on=self.today - timedelta(days=120),
                created_by=indicator.case.strategist,
            )
            for indicator in indicators
            if indicator.case.state == State.LEARNING and indicator.code == "IND1"
        ]
        _bulk(ImprovementCycle, cycles)
        self.counts["implementation_plans"] = len(plans)
        self.counts["activities"] = len(activities)
        self.counts["followup_indicators"] = len(indicators)
        self.counts["measurements"] = len(measurements)

    def sharing(self):
        """What the regions share with each other (issue 16): every second region opts in
        to its analyses, plans and indicators, every third shows its stations to the public;
        the rest share the defaults."""
        from nationellt.models import RegionSharing

        rows = []
        for number, world in enumerate(self.worlds):
            opted_in = number % 2 == 0
            rows.append(
                RegionSharing(
                    region=world.region,
                    share_analysis=opted_in,
                    share_plan=opted_in,
                    share_indicators=opted_in,
                    public=number % 3 == 0,
                )
            )
        _bulk(RegionSharing, rows)
        self.counts["regions_sharing_more"] = sum(row.share_analysis for row in rows)


def _months_back(month, k):
    index = month.year * 12 + month.month - 1 - k
    return date(index // 12, index % 12 + 1, 1)


# The benchmark region's first cases, in the chair's LPO: (state, in the chair's LPO).
ANCHORS = [
    (State.GAP_ANALYSIS, True),  # the big support: a 300-row analysis
    (State.GAP_ANALYSIS, True),  # 100 rows
    (State.PLANNING, True),  # the case page with every panel
    (State.REMISS, True),  # a remiss sent to every LPO of the region
]
# The benchmark region's people who log in with the demo logins.
PERSONAS = {
    "chair": "ordforande",
    "strategist": "strateg",
    "management": "ledning",
    "lag": "lag",
}


def _spread(total, parts):
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def generate(scale, *, log=None, **overrides):
    """Generate `scale` (a name in SCALES or a Scale) into the current database."""
    if isinstance(scale, str):
        scale = SCALES[scale]
    if overrides:
        scale = replace(scale, **overrides)
    return Generator(scale, log=log).run()
