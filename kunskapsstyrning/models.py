"""Knowledge supports, the cases a region runs for them, their lifecycle and decisions."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from common.search import contains_folded
from common.text import quantity
from common.validators import date_bounds, happened, planned
from organisation.models import Municipality, Region, Unit, UnitKind
from organisation.permissions import scope_of

from .contributions import transition_condition


class SupportType(models.TextChoices):
    VARDFORLOPP = "vardforlopp", _("Personcentrerat och sammanhållet vårdförlopp")
    VARDPROGRAM = "vardprogram", _("Nationellt vårdprogram")
    RIKTLINJER = "riktlinjer", _("Nationella riktlinjer")
    NKK = "nkk", _("NKK-rekommendation")
    SVF = "svf", _("Standardiserat vårdförlopp (SVF)")
    VIP = "vip", _("Vård- och insatsprogram (VIP)")
    OTHER = "ovrigt", _("Övrigt kunskapsstöd")


class NationalStatus(models.TextChoices):
    UNDER_FRAMTAGANDE = "under_framtagande", _("Under framtagande")
    PA_REMISS = "pa_remiss", _("På remiss")
    FASTSTALLT = "faststallt", _("Godkänt/fastställt")
    UNDER_UPPDATERING = "under_uppdatering", _("Under uppdatering")
    UTFASAD = "utfasad", _("Utfasad")


class CareLevel(models.TextChoices):
    PRIMARVARD = "primarvard", _("Primärvård")
    SPECIALISERAD = "specialiserad", _("Specialiserad vård")
    KOMMUNAL = "kommunal", _("Kommunal vård")
    ALLA = "alla", _("Alla vårdnivåer")


class KnowledgeSupportQuerySet(models.QuerySet):
    def search(self, text):
        if not text:
            return self
        return self.filter(contains_folded(text, "title", "version"))


class KnowledgeSupport(models.Model):
    """A national knowledge support in one version (KOL 1.0 and KOL 2.0 are two rows)."""

    type = models.CharField(_("typ"), max_length=16, choices=SupportType.choices)
    title = models.CharField(_("titel"), max_length=250)
    version = models.CharField(_("version"), max_length=20, default="1.0")
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("ersätter version"),
    )
    npo = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="knowledge_supports",
        limit_choices_to={"kind": UnitKind.NPO},
        verbose_name=_("ansvarigt NPO"),
    )
    national_status = models.CharField(
        _("nationell status"),
        max_length=20,
        choices=NationalStatus.choices,
        default=NationalStatus.FASTSTALLT,
    )
    url = models.URLField(_("länk"), blank=True)
    description = models.TextField(_("beskrivning"), blank=True)
    published = models.DateField(_("publicerad"), null=True, blank=True, validators=[happened])

    objects = KnowledgeSupportQuerySet.as_manager()

    class Meta:
        ordering = ["title", "version"]
        verbose_name = _("kunskapsstöd")
        verbose_name_plural = _("kunskapsstöd")
        constraints = [
            date_bounds("published", "knowledgesupport_published_in_range"),
            models.UniqueConstraint(fields=["title", "version"], name="support_title_version"),
        ]

    def __str__(self):
        return f"{self.title} {self.version}"


class Recommendation(models.Model):
    """One numbered recommendation (insats) a region compares its practice with."""

    knowledge_support = models.ForeignKey(
        KnowledgeSupport, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveIntegerField(_("nummer"))
    text = models.TextField(_("rekommendation"))
    care_level = models.CharField(
        _("vårdnivå"), max_length=16, choices=CareLevel.choices, default=CareLevel.ALLA
    )

    class Meta:
        ordering = ["knowledge_support", "number"]
        verbose_name = _("rekommendation")
        verbose_name_plural = _("rekommendationer")
        constraints = [
            models.UniqueConstraint(
                fields=["knowledge_support", "number"], name="recommendation_number"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"


class Indicator(models.Model):
    """A national indicator that follows a knowledge support up."""

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Högre är bättre")
        LOWER = "lower", _("Lägre är bättre")

    knowledge_support = models.ForeignKey(
        KnowledgeSupport, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("kod"), max_length=32)
    name = models.CharField(_("namn"), max_length=250)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("enhet"), max_length=20, default="procent")
    direction = models.CharField(
        _("riktning"), max_length=8, choices=Direction.choices, default=Direction.HIGHER
    )
    target = models.DecimalField(
        _("målvärde"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["knowledge_support", "code"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        constraints = [
            models.UniqueConstraint(fields=["knowledge_support", "code"], name="indicator_code"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def target_text(self):
        """The target as it is read: "90 %", "14 dagar"; "" without one."""
        return "" if self.target is None else quantity(self.target, self.unit)


class State(models.TextChoices):
    REMISS = "remiss", _("Remiss")
    NATIONAL_DECISION = "nationellt_beslut", _("Inväntar nationellt beslut")
    PRIORITISATION = "prioritering", _("Prioritering (LPO)")
    BP1 = "bp1", _("Inväntar beslut BP1")
    GAP_ANALYSIS = "gapanalys", _("Gap-analys")
    BP2 = "bp2", _("Inväntar beslut BP2")
    PLANNING = "planering", _("Planering")
    BP3 = "bp3", _("Inväntar beslut BP3")
    IMPLEMENTATION = "genomforande", _("Genomförande")
    FOLLOW_UP = "uppfoljning", _("Uppföljning")
    LEARNING = "larande", _("Lärande och justering")
    POSTPONED = "vilande", _("Vilande")
    NOT_ADOPTED = "ej_infort", _("Införs inte")
    CLOSED = "avslutad", _("Avslutad")
    SUPERSEDED = "ersatt", _("Ersatt av ny version")


END_STATES = {State.NOT_ADOPTED, State.CLOSED, State.SUPERSEDED}
ACTIVE_STATES = [s for s in State.values if s not in END_STATES and s != State.POSTPONED]
AWAITING_DECISION = {State.BP1: "BP1", State.BP2: "BP2", State.BP3: "BP3"}

# A case's deadline is always the current station's: what it is for follows from the state, and
# every transition clears it (`services._transition`), so a list never shows an old station's
# date under a new station's name.
DEADLINE_PURPOSE = {
    State.REMISS: _("remissvar"),
    State.NATIONAL_DECISION: _("nationellt beslut"),
    State.PRIORITISATION: _("prioritering klar för BP1"),
    State.BP1: _("beslut BP1"),
    State.GAP_ANALYSIS: _("gap-analys klar för BP2"),
    State.BP2: _("beslut BP2"),
    State.PLANNING: _("införandeplan klar för BP3"),
    State.BP3: _("beslut BP3"),
    State.IMPLEMENTATION: _("planen genomförd"),
    State.FOLLOW_UP: _("nästa uppföljning"),
    State.LEARNING: _("lärande och justering"),
    State.POSTPONED: _("återupptagande"),
}

# The road of the status board (seed 000): where each state stands.
BOARD_STATIONS = [
    (
        "fore_bp1",
        _("Före BP1"),
        [State.REMISS, State.NATIONAL_DECISION, State.PRIORITISATION, State.BP1],
    ),
    ("gap", _("BP1 – gap-analys pågår"), [State.GAP_ANALYSIS, State.BP2]),
    ("plan", _("BP2 – planering"), [State.PLANNING, State.BP3]),
    ("inford", _("BP3 – införande"), [State.IMPLEMENTATION]),
    ("implementerad", _("Implementerad – uppföljning"), [State.FOLLOW_UP, State.LEARNING]),
]

# The lifecycle's road, written once: each step's transition and the state it leads to, from a
# registered remiss to learning. The case page draws it (`ROAD_STOPS`), the demo, the scale
# generator and the tests walk it; the board groups it into its stations above.
ROAD = [
    ("remiss_answered", State.NATIONAL_DECISION),
    ("nationally_adopted", State.PRIORITISATION),
    ("submit_bp1", State.BP1),
    ("bp1_approved", State.GAP_ANALYSIS),
    ("submit_bp2", State.BP2),
    ("bp2_approved", State.PLANNING),
    ("submit_bp3", State.BP3),
    ("bp3_approved", State.IMPLEMENTATION),
    ("implemented", State.FOLLOW_UP),
    ("learning_started", State.LEARNING),
]
ROAD_STATES = [State.REMISS, *(state for _transition, state in ROAD)]
# The decision point each approving step records.
ROAD_DECISIONS = {"bp1_approved": "BP1", "bp2_approved": "BP2", "bp3_approved": "BP3"}


def road_to(state: str, start: str = State.REMISS) -> list[tuple[str, str]]:
    """The steps (transition, state after it) from `start` to `state` along the road."""
    return ROAD[ROAD_STATES.index(start) : ROAD_STATES.index(state)]


# The road as the case page shows it: its stops, each the states in which the case is there.
ROAD_STOPS = [
    (_("Remiss och prioritering"), [State.REMISS, State.NATIONAL_DECISION, State.PRIORITISATION]),
    ("BP1", [State.BP1]),
    (_("Gap-analys"), [State.GAP_ANALYSIS]),
    ("BP2", [State.BP2]),
    (_("Planering"), [State.PLANNING]),
    ("BP3", [State.BP3]),
    (_("Genomförande"), [State.IMPLEMENTATION]),
    (_("Uppföljning"), [State.FOLLOW_UP, State.LEARNING]),
]


def prioritisation_complete(case):
    prioritisation = getattr(case, "prioritisation", None)
    return prioritisation is not None and prioritisation.is_complete


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cases inside the user's scope: own LPOs', or the whole region for strategists and
        management. Everything else does not exist for them (404)."""
        scope = scope_of(user)
        if scope.is_admin:
            return self
        if not user.is_authenticated:
            return self.none()
        lpo_ids = scope.case_lpo_ids
        in_scope = Q(region_id__in=scope.overseen_region_ids)
        if lpo_ids:
            # One subquery (a union, not a join: no duplicates, no DISTINCT) that PostgreSQL
            # reads first through two indexes. `responsible_lpo_id IN … OR pk IN (…)` made it
            # walk every case of the country instead (8 ms at 10,000 cases, 0.5 ms this way).
            own = Case.objects.filter(responsible_lpo_id__in=lpo_ids).order_by().values("pk")
            concerned = Case.concerned_lpos.through.objects.filter(unit_id__in=lpo_ids)
            in_scope |= Q(pk__in=own.union(concerned.values("case_id"), all=True))
        return self.filter(in_scope)

    def active(self):
        return self.filter(state__in=ACTIVE_STATES)

    def awaiting_decision(self):
        return self.filter(state__in=list(AWAITING_DECISION))

    def search(self, text):
        if not text:
            return self
        return self.filter(contains_folded(text, "knowledge_support__title", "registry_number"))


class Case(ConcurrentTransitionMixin, models.Model):
    """One knowledge support handled by one region, optionally jointly with its municipalities.

    Transitions only change fields; `kunskapsstyrning.services` runs them (permission, lock,
    save, timeline event) — nothing else may move a case.
    """

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="cases", verbose_name=_("region")
    )
    knowledge_support = models.ForeignKey(
        KnowledgeSupport,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("kunskapsstöd"),
    )
    registry_year = models.PositiveIntegerField(_("diarieår"))
    registry_sequence = models.PositiveIntegerField(_("löpnummer"))
    registry_number = models.CharField(_("diarienummer"), max_length=32, unique=True)
    responsible_lpo = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="responsible_cases",
        limit_choices_to={"kind": UnitKind.LPO},
        verbose_name=_("ansvarigt LPO"),
    )
    concerned_lpos = models.ManyToManyField(
        Unit,
        related_name="concerned_cases",
        blank=True,
        limit_choices_to={"kind": UnitKind.LPO},
        verbose_name=_("berörda LPO"),
    )
    joint = models.BooleanField(_("gemensamt med kommunerna"), default=False)
    municipalities = models.ManyToManyField(
        Municipality,
        related_name="joint_cases",
        blank=True,
        verbose_name=_("berörda kommuner"),
        help_text=_("Kommunerna som driver ärendet gemensamt med regionen."),
    )
    strategist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="strategist_cases",
        verbose_name=_("strateg"),
    )
    state = FSMField(_("status"), default=State.REMISS, choices=State.choices, protected=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("ersätter ärende"),
    )
    opened_at = models.DateTimeField(_("registrerat"), default=timezone.now)
    state_changed_at = models.DateTimeField(_("status ändrad"), default=timezone.now)
    # The current station's deadline; `deadline_purpose` says what it is for.
    due_date = models.DateField(_("nästa tidsgräns"), null=True, blank=True, validators=[planned])
    closed_at = models.DateTimeField(_("avslutat"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-registry_year", "-registry_sequence"]
        verbose_name = _("ärende")
        verbose_name_plural = _("ärenden")
        constraints = [
            date_bounds("due_date", "case_due_date_in_range"),
            models.UniqueConstraint(
                fields=["region", "registry_year", "registry_sequence"], name="case_registry_seq"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "state"]),
            models.Index(fields=["responsible_lpo", "state"]),
            # The case list's order, primary key last: a deep page reads only this index.
            models.Index(
                fields=["-registry_year", "-registry_sequence", "id"], name="case_list_order_pk"
            ),
            # Each region's latest case of a support (the national overview's 525 stations at
            # scale N): one probe each instead of two bitmap scans joined, 12 ms -> 3 ms.
            models.Index(
                fields=["knowledge_support", "region", "-opened_at", "-id"],
                name="case_latest_per_region",
            ),
        ]

    def __str__(self):
        return f"{self.registry_number} {self.knowledge_support.title}"

    @property
    def is_ended(self):
        return self.state in END_STATES

    @property
    def deadline_purpose(self):
        """What the deadline is for: the current station's step ("remissvar", "beslut BP1")."""
        return DEADLINE_PURPOSE.get(self.state, "")

    @property
    def awaiting_point(self):
        return AWAITING_DECISION.get(self.state)

    @property
    def road_stops(self):
        """The case page's road: (label, whether the case is there now) for each stop."""
        return [(label, self.state in states) for label, states in ROAD_STOPS]

    # --- Transitions: only fields change here; services do the rest. ---------------------

    @transition(field=state, source=State.REMISS, target=State.NATIONAL_DECISION)
    def remiss_answered(self):
        """The region's remiss answer is sent; the knowledge support is decided nationally."""

    @transition(
        field=state, source=[State.REMISS, State.NATIONAL_DECISION], target=State.PRIORITISATION
    )
    def nationally_adopted(self):
        """SKS (or the national body) has adopted the support: the LPO prioritises it."""

    @transition(
        field=state,
        source=State.PRIORITISATION,
        target=State.BP1,
        conditions=[prioritisation_complete, transition_condition("bp1_in_use")],
    )
    def submit_bp1(self):
        """The LPO's prioritisation goes to management for BP1."""

    @transition(field=state, source=State.BP1, target=State.GAP_ANALYSIS)
    def bp1_approved(self):
        """BP1: start the gap analysis."""

    @transition(field=state, source=State.BP1, target=State.PRIORITISATION)
    def bp1_returned(self):
        """BP1 returned to the LPO for a better prioritisation."""

    @transition(
        field=state,
        source=State.GAP_ANALYSIS,
        target=State.BP2,
        conditions=[transition_condition("submit_bp2"), transition_condition("bp2_in_use")],
    )
    def submit_bp2(self):
        """The gap analysis is done and goes to management for BP2."""

    @transition(
        field=state,
        source=State.BP2,
        target=State.PLANNING,
        conditions=[transition_condition("bp2_approved")],
    )
    def bp2_approved(self):
        """BP2: the gap analysis is approved; plan the implementation."""

    @transition(field=state, source=State.BP2, target=State.GAP_ANALYSIS)
    def bp2_returned(self):
        """BP2 returned: back to the gap analysis."""

    @transition(
        field=state,
        source=State.PLANNING,
        target=State.BP3,
        conditions=[transition_condition("submit_bp3"), transition_condition("bp3_in_use")],
    )
    def submit_bp3(self):
        """The plan and checklist go to management for BP3."""

    @transition(
        field=state,
        source=State.BP3,
        target=State.IMPLEMENTATION,
        conditions=[transition_condition("bp3_approved")],
    )
    def bp3_approved(self):
        """BP3: ready for implementation."""

    @transition(field=state, source=State.BP3, target=State.PLANNING)
    def bp3_returned(self):
        """BP3 returned: back to planning."""

    @transition(field=state, source=[State.BP1, State.BP2, State.BP3], target=State.POSTPONED)
    def postponed(self):
        """A decision point postponed the case (vilande)."""

    @transition(
        field=state,
        source=[State.BP1, State.BP2, State.BP3, State.NATIONAL_DECISION],
        target=State.NOT_ADOPTED,
    )
    def rejected(self):
        """The case is not adopted, nationally or at a decision point."""

    # A decision point the region does not use for the case is no gate: the case goes past it
    # (the core's own conditions, `kunskapsstyrning.apps`, say when; the apps' conditions for
    # the submission still hold — the analysis done, the checklist ticked).
    @transition(
        field=state,
        source=State.PRIORITISATION,
        target=State.GAP_ANALYSIS,
        conditions=[transition_condition("bp1_unused")],
    )
    def bp1_skipped(self):
        """The region does not use BP1 for the case: the gap analysis starts without it."""

    @transition(
        field=state,
        source=State.GAP_ANALYSIS,
        target=State.PLANNING,
        conditions=[transition_condition("submit_bp2"), transition_condition("bp2_unused")],
    )
    def bp2_skipped(self):
        """The region does not use BP2 for the case: planning starts without it."""

    @transition(
        field=state,
        source=State.PLANNING,
        target=State.IMPLEMENTATION,
        conditions=[transition_condition("submit_bp3"), transition_condition("bp3_unused")],
    )
    def bp3_skipped(self):
        """The region does not use BP3 for the case: implementation starts without it."""

    @transition(field=state, source=State.POSTPONED, target=State.PRIORITISATION)
    def resumed(self):
        """A postponed case is taken up again from the prioritisation."""

    @transition(
        field=state,
        source=State.IMPLEMENTATION,
        target=State.FOLLOW_UP,
        conditions=[transition_condition("implemented")],
    )
    def implemented(self):
        """The plan is carried out; the effect is followed up."""

    @transition(field=state, source=State.FOLLOW_UP, target=State.LEARNING)
    def learning_started(self):
        """Follow-up showed something to learn and adjust."""

    @transition(field=state, source=State.LEARNING, target=State.PLANNING)
    def replanned(self):
        """Learning leads to a new round of planning."""

    @transition(field=state, source=[State.FOLLOW_UP, State.LEARNING], target=State.CLOSED)
    def closed(self):
        """The case is closed: implemented and followed up."""

    @transition(field=state, source=ACTIVE_STATES + [State.POSTPONED], target=State.SUPERSEDED)
    def superseded(self):
        """A new national version replaced the support; a new case carries the history on."""


class RegistryCounter(models.Model):
    """The last registry number used per region and year; locked to hand out the next one."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="registry_counter_year"),
        ]

    def __str__(self):
        return f"{self.region_id}/{self.year}: {self.last}"


class Prioritisation(models.Model):
    """The LPO's BP1 form: is it possible? is it important?"""

    class Answer(models.TextChoices):
        YES = "ja", _("Ja")
        PARTLY = "delvis", _("Delvis")
        NO = "nej", _("Nej")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="prioritisation")
    possible = models.CharField(
        _("Är det möjligt?"), max_length=8, choices=Answer.choices, blank=True
    )
    possible_motivation = models.TextField(_("Motivering – möjligt"), blank=True)
    important = models.CharField(
        _("Är det viktigt?"), max_length=8, choices=Answer.choices, blank=True
    )
    important_motivation = models.TextField(_("Motivering – viktigt"), blank=True)
    expected_benefit = models.TextField(_("Förväntad nytta"), blank=True)
    consequence_if_not = models.TextField(_("Konsekvens av att inte införa"), blank=True)
    resources = models.TextField(_("Resursbehov"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("prioritering")
        verbose_name_plural = _("prioriteringar")

    def __str__(self):
        return f"Prioritering för {self.case_id}"

    REQUIRED = ["possible", "important", "expected_benefit", "consequence_if_not", "resources"]

    @property
    def is_complete(self):
        return all(getattr(self, name) for name in self.REQUIRED)


class DecisionPoint(models.TextChoices):
    BP1 = "BP1", _("BP1 – starta gap-analys")
    BP2 = "BP2", _("BP2 – gap-analysen godkänd")
    BP3 = "BP3", _("BP3 – klart för införande")


class DecisionRule(models.Model):
    """A region's decision order for one decision point and one kind of case, kept by the
    region's administrator in the product's pages (`order_edit`).

    It says whether the region uses the point at all, which body prepares it (and records a
    proposal), which principals must decide (the region through its decision body, each
    participating municipality through its own decision-maker, the responsible LPO), whether
    every part must approve or each principal decides for itself, and who is informed. A case
    keeps the order it was sent for a decision with (`DecisionRound.order`); `version` counts
    the edits. A rule applies to all the region's cases, or only to joint or only to the
    region's own cases; a specific rule wins over the general one.
    """

    class AppliesTo(models.TextChoices):
        ALL = "alla", _("Alla ärenden")
        JOINT = "gemensamma", _("Gemensamma ärenden med kommunerna")
        REGION = "regionens", _("Regionens egna ärenden")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="decision_rules")
    point = models.CharField(_("beslutspunkt"), max_length=3, choices=DecisionPoint.choices)
    applies_to = models.CharField(
        _("gäller"), max_length=12, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    in_use = models.BooleanField(
        _("regionen använder beslutspunkten"),
        default=True,
        help_text=_("En punkt som inte används är ingen grind för ärendena."),
    )
    # The region's part: who decides for the region (its management body, led by the HSD).
    deciding_body = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_rules",
        verbose_name=_("beslutar för regionen"),
        help_text=_(
            "Beslutsorganet som beslutar för regionen. Lämna tomt om regionen inte "
            "har en egen del i beslutet."
        ),
    )
    region_decider = models.CharField(
        _("regionens beslutsfattare"),
        max_length=120,
        blank=True,
        help_text=_("Vem i organet som beslutar, t.ex. hälso- och sjukvårdsdirektören."),
    )
    # Each participating municipality's part: its own person in this body decides for it.
    municipal_body = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipal_decision_rules",
        verbose_name=_("kommunerna beslutar i"),
        help_text=_(
            "Varje deltagande kommun beslutar för sig genom sin beslutsfattare i "
            "organet (en person med kommunen angiven). Bara för gemensamma ärenden."
        ),
    )
    municipal_decider = models.CharField(
        _("kommunernas beslutsfattare"),
        max_length=120,
        blank=True,
        help_text=_("T.ex. förvaltningschef för socialtjänst och skola."),
    )
    lpo_decides = models.BooleanField(
        _("ansvarigt LPO beslutar"),
        default=False,
        help_text=_("LPO:ts ordförande registrerar LPO:ts beslut."),
    )
    each_decides = models.BooleanField(
        _("varje huvudman beslutar för sig"),
        default=False,
        help_text=_(
            "Annars måste alla delar godkänna. Beslutar varje huvudman för sig går "
            "ärendet vidare för dem som säger ja; den som säger nej deltar inte."
        ),
    )
    preparing_body = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prepared_rules",
        verbose_name=_("beredande organ"),
        help_text=_(
            "Organet lämnar ett förslag till beslut (datum och dokument) innan någon del beslutas."
        ),
    )
    informed = models.CharField(
        _("informeras"),
        max_length=200,
        blank=True,
        help_text=_("Vem som informeras om beslutet, t.ex. HälSam politisk samverkan."),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    changed_at = models.DateTimeField(_("ändrad"), default=timezone.now)
    # Who saved the version in force (the administrator, in the pages); blank for reference data.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )

    class Meta:
        ordering = ["region", "point", "applies_to"]
        verbose_name = _("beslutsordning")
        verbose_name_plural = _("beslutsordningar")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "point", "applies_to"], name="decision_rule_once"
            ),
        ]

    def __str__(self):
        return f"{self.region.short_code} {self.point} ({self.get_applies_to_display()})"

    def applies(self, case):
        if self.applies_to == self.AppliesTo.JOINT:
            return case.joint
        if self.applies_to == self.AppliesTo.REGION:
            return not case.joint
        return True

    @property
    def forum(self):
        """The body named on the point's decision: where the municipalities decide with the
        region (länsledningen), else the region's body; None when only the LPO decides."""
        return self.municipal_body or self.deciding_body

    @property
    def has_deciders(self):
        return bool(self.deciding_body_id or self.municipal_body_id or self.lpo_decides)

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        for name in ("deciding_body", "municipal_body", "preparing_body"):
            body = getattr(self, name)
            if body is None:
                continue
            if not body.is_decision_body:
                errors[name] = _("Välj ett beslutsorgan (t.ex. hälso- och sjukvårdsledning).")
            elif self.region_id and body.region_id != self.region_id:
                errors[name] = _("Organet hör till en annan region.")
        if self.municipal_body_id and self.applies_to == self.AppliesTo.REGION:
            errors["municipal_body"] = _("Regionens egna ärenden har inga kommuner som beslutar.")
        if self.in_use and not self.has_deciders:
            errors["__all__"] = _(
                "%(point)s (%(kind)s) används men ingen kan besluta den: ange vem som beslutar "
                "för regionen, att kommunerna beslutar, eller att LPO:t beslutar – eller ange "
                "att regionen inte använder punkten."
            ) % {"point": self.point, "kind": self.get_applies_to_display().lower()}
        if errors:
            raise ValidationError(errors)


class Outcome(models.TextChoices):
    APPROVED = "bifall", _("Godkänt")
    RETURNED = "ater", _("Återremitterat")
    POSTPONED = "vilande", _("Vilande")
    REJECTED = "avslag", _("Införs inte")


class DecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Beslut ändras aldrig; en rättelse är ett nytt beslut.")

    def delete(self):
        raise TypeError("Beslut tas aldrig bort; en rättelse är ett nytt beslut.")


class Decision(models.Model):
    """A final decision at BP1–BP3. A legal commitment: written once, never changed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    point = models.CharField(_("beslutspunkt"), max_length=3, choices=DecisionPoint.choices)
    outcome = models.CharField(_("utfall"), max_length=8, choices=Outcome.choices)
    deciding_body = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("beslutande organ")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("beslutsfattare"),
    )
    participants = models.TextField(_("närvarande vid beslutet"), blank=True)
    decided_on = models.DateField(_("beslutsdatum"), validators=[happened])
    motivation = models.TextField(_("motivering"))
    conditions = models.TextField(_("villkor"), blank=True)
    registry_reference = models.CharField(_("diariereferens"), max_length=64, blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("rättar beslut"),
    )
    recorded_at = models.DateTimeField(_("registrerat"), default=timezone.now)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at"]
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        constraints = [
            date_bounds("decided_on", "decision_decided_on_in_range"),
        ]

    def __str__(self):
        return f"{self.point} {self.get_outcome_display()} ({self.decided_on})"

    def save(self, *args, **kwargs):
        # Integrity, not workflow: a recorded decision is a public record.
        if self.pk is not None:
            raise TypeError("Beslut ändras aldrig; en rättelse är ett nytt beslut.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Beslut tas aldrig bort; en rättelse är ett nytt beslut.")


class Principal(models.TextChoices):
    REGION = "region", _("Regionen")
    MUNICIPALITY = "kommun", _("Kommun")
    LPO = "lpo", _("LPO")


class DecisionRound(models.Model):
    """One time a case was sent for a decision at a point, with the region's order as it was
    then (`order`, a snapshot: an edit of the order later does not change who decides here).
    Closed by the point's decision once every required part is in."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decision_rounds")
    point = models.CharField(_("beslutspunkt"), max_length=3, choices=DecisionPoint.choices)
    rule = models.ForeignKey(
        DecisionRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="rounds"
    )
    rule_version = models.PositiveIntegerField(_("ordningens version"), default=1)
    # {"parts": [{"key", "principal", "label", "body_id", "body", "municipality_id",
    #  "decider"}], "each_decides", "preparing_body_id", "preparing_body", "informed",
    #  "forum_id", "forum"} — see `kunskapsstyrning.orders.snapshot`.
    order = models.JSONField(_("beslutsordning"))
    opened_at = models.DateTimeField(_("skickat till beslut"), default=timezone.now)
    decision = models.OneToOneField(
        "Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="round",
        verbose_name=_("beslut"),
    )

    class Meta:
        ordering = ["opened_at", "pk"]
        verbose_name = _("beslutsomgång")
        verbose_name_plural = _("beslutsomgångar")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "point"],
                condition=Q(decision__isnull=True),
                name="decision_round_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.case_id} {self.point} ({self.opened_at:%Y-%m-%d})"


class RecordedOnce(models.Model):
    """A record that is written once and never changed or removed (a legal record)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Posten ändras aldrig; en rättelse är en ny post.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Posten tas aldrig bort.")


class DecisionPart(RecordedOnce):
    """One principal's part of a decision: the region's (by its HSD or management body), one
    municipality's (by its own decision-maker) or the LPO's. Written once."""

    round = models.ForeignKey(DecisionRound, on_delete=models.PROTECT, related_name="parts")
    # "region", "lpo" or "kommun-<code>": one part per principal and round.
    key = models.CharField(_("del"), max_length=16)
    principal = models.CharField(_("huvudman"), max_length=8, choices=Principal.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    body = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organ"),
    )
    outcome = models.CharField(_("utfall"), max_length=8, choices=Outcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="decision_parts",
        verbose_name=_("beslutsfattare"),
    )
    decided_on = models.DateField(_("beslutsdatum"), validators=[happened])
    motivation = models.TextField(_("motivering"))
    conditions = models.TextField(_("villkor"), blank=True)
    registry_reference = models.CharField(_("diariereferens"), max_length=64, blank=True)
    # Who was present when this principal decided (each decides in its own forum).
    participants = models.TextField(_("närvarande vid beslutet"), blank=True)
    recorded_at = models.DateTimeField(_("registrerat"), default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("delbeslut")
        verbose_name_plural = _("delbeslut")
        constraints = [
            models.UniqueConstraint(fields=["round", "key"], name="decision_part_once"),
            date_bounds("decided_on", "decision_part_decided_on_in_range"),
        ]

    def __str__(self):
        return f"{self.key} {self.get_outcome_display()} ({self.decided_on})"

    @property
    def joined_later(self):
        """The `Accession` by which the principal of this part, which did not approve, joined
        later; None if it has not (`select_related("accession")` reads it with the part)."""
        try:
            return self.accession
        except models.ObjectDoesNotExist:
            return None

    @property
    def record(self):
        """What the record of this part says now: its latest correction, else the part as
        recorded (`selectors.attach_part_corrections` loads the corrections of many at once)."""
        if not hasattr(self, "latest_correction"):
            self.latest_correction = self.corrections.order_by("recorded_at", "pk").last()
        return self.latest_correction or self


class DecisionPartCorrection(RecordedOnce):
    """A correction of one part's record (a wrong registry reference, a missing condition),
    by someone who may record that part. The part itself never changes, nor do its outcome and
    date: a different outcome is a new decision, not a correction. The latest correction is
    what the record says now; the earlier ones stay, as the part does."""

    part = models.ForeignKey(DecisionPart, on_delete=models.PROTECT, related_name="corrections")
    motivation = models.TextField(_("motivering"))
    conditions = models.TextField(_("villkor"), blank=True)
    registry_reference = models.CharField(_("diariereferens"), max_length=64, blank=True)
    participants = models.TextField(_("närvarande vid beslutet"), blank=True)
    reason = models.CharField(_("skäl till rättelsen"), max_length=300)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rättad av"),
    )
    recorded_at = models.DateTimeField(_("registrerad"), default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("rättelse av delbeslut")
        verbose_name_plural = _("rättelser av delbeslut")

    def __str__(self):
        return f"{self.part} rättad {self.recorded_at:%Y-%m-%d}"


class Accession(RecordedOnce):
    """A municipality that did not approve its part of a joint decision joins the joint work
    later, by a decision of its own.

    Where each principal decides for itself the point goes on for those who said yes, and each
    municipality runs its own internal process (seed 002): a municipality still in it when the
    others decided says "vilande" and comes in when its own decision is taken. Its earlier part
    stays on the record as it was; this is a new record beside it, written once."""

    part = models.OneToOneField(
        DecisionPart,
        on_delete=models.PROTECT,
        related_name="accession",
        verbose_name=_("delbeslutet som inte godkände"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("beslutsfattare"),
    )
    decided_on = models.DateField(_("beslutsdatum"), validators=[happened])
    motivation = models.TextField(_("motivering"))
    registry_reference = models.CharField(_("diariereferens"), max_length=64, blank=True)
    participants = models.TextField(_("närvarande vid beslutet"), blank=True)
    recorded_at = models.DateTimeField(_("registrerad"), default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("anslutning")
        verbose_name_plural = _("anslutningar")
        constraints = [date_bounds("decided_on", "accession_decided_on_in_range")]

    def __str__(self):
        return f"{self.part.key} ansluter ({self.decided_on})"


class Proposal(RecordedOnce):
    """The preparing body's proposal for a decision (länssamordningsgruppen's), with its date
    and document. Written once per round."""

    round = models.OneToOneField(DecisionRound, on_delete=models.PROTECT, related_name="proposal")
    body = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("beredande organ")
    )
    proposed_on = models.DateField(_("datum"), validators=[happened])
    text = models.TextField(_("förslag till beslut"))
    document = models.FileField(_("dokument"), upload_to="forslag/%Y/", blank=True)
    registry_reference = models.CharField(_("diariereferens"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("förslag till beslut")
        verbose_name_plural = _("förslag till beslut")
        constraints = [date_bounds("proposed_on", "proposal_proposed_on_in_range")]

    def __str__(self):
        return f"{self.body} {self.proposed_on}"


class Notice(RecordedOnce):
    """That those the order names were informed of a decision (HälSam politisk samverkan),
    and when. Written once per round."""

    round = models.OneToOneField(DecisionRound, on_delete=models.PROTECT, related_name="notice")
    informed = models.CharField(_("informerade"), max_length=200)
    informed_on = models.DateField(_("datum"), validators=[happened])
    note = models.TextField(_("anteckning"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("information om beslut")
        verbose_name_plural = _("information om beslut")
        constraints = [date_bounds("informed_on", "notice_informed_on_in_range")]

    def __str__(self):
        return f"{self.informed} {self.informed_on}"


class CaseEvent(models.Model):
    """One row of a case's timeline: every state change, decision and notable step."""

    class Kind(models.TextChoices):
        REGISTERED = "registrerat", _("Registrerat")
        TRANSITION = "status", _("Statusändring")
        DECISION = "beslut", _("Beslut")
        NOTE = "notering", _("Notering")
        DOCUMENT = "dokument", _("Dokument")
        # One row per person, day and kind of work ("Lina Lagmedlem bedömde 11 rader"):
        # the deeds are many, the story needs their sum (kunskapsstyrning.timeline).
        WORK = "arbete", _("Arbete")
        NOTIFICATION = "utskick", _("Utskick")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    message = models.TextField(blank=True)
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    # A work row's kind of work (e.g. "gap-rader") and how many deeds it sums.
    topic = models.CharField(max_length=32, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.get_kind_display()}: {self.message}"

    @property
    def names_actor(self):
        """A work row's words name the person already ("Lina Lagmedlem bedömde 11 rader")."""
        return self.kind == self.Kind.WORK


class NotificationQuerySet(models.QuerySet):
    def unread_for(self, user):
        """The person's notifications they have not opened, newest first."""
        return self.filter(recipient=user, read_at__isnull=True).order_by("-created_at", "-pk")


class Notification(models.Model):
    """Something handed over to one person ("all answers are in", "your part of BP2 is due"):
    shown on their home page until they open it, and e-mailed once (`emailed_at`).

    `key` names the event, so telling someone the same thing twice yields one row."""

    class Kind(models.TextChoices):
        ANSWERS_IN = "svar_inne", _("Alla remissvar är inne")
        DECISION_DUE = "beslut", _("Väntar på ditt beslut")
        DECIDED = "beslutat", _("Beslut fattat")
        PART_DECIDED = "delbeslut", _("Delbeslut fattat")
        ACCEDED = "anslutning", _("Kommun ansluter")
        NATIONAL_DECISION = "nationellt", _("Nationellt beslut")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=64)
    text = models.CharField(_("meddelande"), max_length=300)
    url = models.CharField(_("länk"), max_length=200)
    created_at = models.DateTimeField(_("skapat"), default=timezone.now)
    read_at = models.DateTimeField(_("läst"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("mejlat"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("meddelande")
        verbose_name_plural = _("meddelanden")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once"),
        ]
        # The home page's one query: a person's unread, newest first.
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self):
        return f"{self.recipient_id}: {self.text}"


class DailyDigest(models.Model):
    """The one reminder e-mail a person got on a day: written in the same transaction as the
    e-mail is handed over, so a second run that day sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    items = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("daglig påminnelse")
        verbose_name_plural = _("dagliga påminnelser")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="daily_digest_once_a_day"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.day}"


class DocumentKind(models.TextChoices):
    BP1 = "beslut_bp1", _("Beslut BP1 med prioritering")
    BP2 = "beslut_bp2", _("Beslut BP2 med gap-analysrapport")
    BP3 = "beslut_bp3", _("Beslut BP3 med checklista och plan")
    REMISS_ANSWER = "remissvar", _("Remissvar")
    FOLLOW_UP = "uppfoljning", _("Uppföljningsrapport")


class Document(models.Model):
    """A requested decision document; created in the same transaction as its decision."""

    class Status(models.TextChoices):
        REQUESTED = "begard", _("Begärd")
        RENDERING = "skapas", _("Skapas")
        READY = "klar", _("Klar")
        FAILED = "misslyckad", _("Misslyckades")

    kind = models.CharField(_("typ"), max_length=16, choices=DocumentKind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="documents", verbose_name=_("ärende")
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("beslut"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    failure_reason = models.TextField(_("orsak"), blank=True)
    file = models.FileField(_("fil"), upload_to="dokument/%Y/", blank=True)
    size = models.PositiveIntegerField(_("storlek"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("sidor"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("begärd av"),
    )
    requested_at = models.DateTimeField(_("begärd"), default=timezone.now)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("försök"), default=0)
    # A render claims the document until this moment; a claim past it was a worker that died.
    claimed_until = models.DateTimeField(_("upptaget till"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("dokument")
        verbose_name_plural = _("dokument")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "decision", "version"], name="document_version_once"
            ),
        ]
        # The few documents not ready, among every document ever made: beat looks for stale
        # ones every minute and an administrator's home page counts them on each visit.
        indexes = [
            models.Index(
                fields=["status", "requested_at"],
                condition=~Q(status="klar"),
                name="document_not_ready",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"

    # Requested and not taken after this long: beat queues it again, a strategist may too.
    STALE_AFTER = timedelta(minutes=1)

    @property
    def is_pending(self):
        return self.status in {self.Status.REQUESTED, self.Status.RENDERING}

    @property
    def is_stale(self):
        """Waiting although nobody works on it (see `selectors.documents_stale`)."""
        now = timezone.now()
        if self.status == self.Status.REQUESTED:
            return self.requested_at < now - self.STALE_AFTER
        if self.status == self.Status.RENDERING:
            return self.claimed_until is None or self.claimed_until < now
        return False

    def not_ready_reason(self):
        """Why the document is not ready, in words for the administrator's list."""
        if self.status == self.Status.FAILED:
            return _("Misslyckades: %(reason)s") % {"reason": self.failure_reason or "–"}
        if self.status == self.Status.READY:
            return ""
        since = timezone.localtime(self.requested_at).strftime("%Y-%m-%d %H:%M")
        if self.status == self.Status.RENDERING:
            if self.is_stale:
                return _("Arbetaren som skapade det svarar inte (försök %(n)s); köas om.") % {
                    "n": self.attempts
                }
            return _("Skapas nu (försök %(n)s).") % {"n": self.attempts}
        if self.is_stale:
            return _(
                "Begärt %(since)s men inte påbörjat: kön eller arbetaren nås inte; köas om."
            ) % {"since": since}
        return _("Begärt %(since)s, väntar i kön.") % {"since": since}
