"""Implementation planning, the BP3 checklist and follow-up (DOMAIN.md §6).

After BP2 the LAG plans: activities (which gaps they close, which principal owns them), a
communication plan, milestones and what is phased out. The plan is anchored in the LPO, the
region's BP3 checklist is ticked, management decides BP3, the activities are carried out and
the effect is followed up with indicators read as run and control charts.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.text import quantity
from common.validators import date_bounds, happened, planned
from gapanalys.models import Principal
from kunskapsstyrning.models import Case, Indicator
from organisation.models import Municipality, Region

# --- The implementation plan ---------------------------------------------------------------


class ImplementationPlan(models.Model):
    """The case's införandeplan: activities, communication, milestones and phasing out."""

    case = models.OneToOneField(
        Case,
        on_delete=models.CASCADE,
        related_name="implementation_plan",
        verbose_name=_("ärende"),
    )
    goal = models.TextField(_("mål med införandet"), blank=True)
    anchored_on = models.DateField(
        _("förankrad i LPO"), null=True, blank=True, validators=[happened]
    )
    anchored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("förankring registrerad av"),
    )
    anchored_note = models.TextField(_("förankring – anteckning"), blank=True)
    anchored_at = models.DateTimeField(_("förankring registrerad"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    # Set by the services on every change to the plan's parts: shows a change after anchoring.
    changed_at = models.DateTimeField(_("senast ändrad"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("införandeplan")
        verbose_name_plural = _("införandeplaner")
        constraints = [
            date_bounds("anchored_on", "implementationplan_anchored_on_in_range"),
        ]

    def __str__(self):
        return f"Införandeplan {self.case_id}"

    @property
    def is_anchored(self):
        return self.anchored_on is not None

    @property
    def changed_since_anchoring(self):
        return self.is_anchored and self.changed_at > self.anchored_at


class ActivityStatus(models.TextChoices):
    PLANNED = "planerad", _("Planerad")
    IN_PROGRESS = "pagar", _("Pågår")
    DONE = "klar", _("Klar")
    CANCELLED = "installd", _("Inställd")


OPEN_STATUSES = [ActivityStatus.PLANNED, ActivityStatus.IN_PROGRESS]


class ActivityQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, day=None):
        """Not done or cancelled, and due before `day` (today)."""
        return self.open().filter(due__lt=day or timezone.localdate())

    def counting(self):
        """The activities that count for coverage: all but the cancelled ones."""
        return self.exclude(status=ActivityStatus.CANCELLED)


class Activity(models.Model):
    """One thing to do: what, why (the gap rows it closes), which principal, who, when."""

    plan = models.ForeignKey(
        ImplementationPlan,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("plan"),
    )
    title = models.CharField(_("aktivitet"), max_length=250)
    description = models.TextField(_("beskrivning"), blank=True)
    principal = models.CharField(_("ansvarig huvudman"), max_length=10, choices=Principal.choices)
    # In a joint case each municipality owns its own activities (seed 002): which one, for a
    # municipal activity; none for one the municipalities carry out together.
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kommun"),
        help_text=_("För en kommunal aktivitet i ett gemensamt ärende. Tomt: alla kommunerna."),
    )
    responsible = models.CharField(_("ansvarig person eller enhet"), max_length=200)
    start = models.DateField(_("start"), validators=[planned])
    due = models.DateField(_("klar senast"), validators=[planned])
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    progress_note = models.TextField(_("lägesbeskrivning"), blank=True)
    completed_on = models.DateField(_("klar datum"), null=True, blank=True, validators=[happened])
    gap_rows = models.ManyToManyField(
        "gapanalys.GapRow",
        related_name="activities",
        blank=True,
        verbose_name=_("gap som aktiviteten stänger"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["start", "due", "pk"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        constraints = [
            date_bounds("start", "activity_start_in_range"),
            date_bounds("due", "activity_due_in_range"),
            date_bounds("completed_on", "activity_completed_on_in_range"),
            models.CheckConstraint(
                condition=Q(due__gte=models.F("start")),
                name="activity_due_after_start",
                violation_error_message=_("Aktiviteten kan inte vara klar innan den startar."),
            ),
        ]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due < timezone.localdate()

    @property
    def principal_label(self):
        """ "Kommun: Sundsvall" for one municipality's activity; else the principal's name."""
        if self.municipality_id is not None:
            return f"{self.get_principal_display()}: {self.municipality.name}"
        return self.get_principal_display()


class CommunicationItem(models.Model):
    """One row of the communication plan: to whom, what, how, when and by whom."""

    plan = models.ForeignKey(
        ImplementationPlan,
        on_delete=models.CASCADE,
        related_name="communication_items",
        verbose_name=_("plan"),
    )
    audience = models.CharField(_("målgrupp"), max_length=200)
    message = models.TextField(_("budskap"))
    channel = models.CharField(_("kanal"), max_length=200)
    planned_on = models.DateField(_("när"), validators=[planned])
    responsible = models.CharField(_("vem"), max_length=200)
    done = models.BooleanField(_("genomförd"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["planned_on", "pk"]
        verbose_name = _("kommunikationsinsats")
        verbose_name_plural = _("kommunikationsplan")
        constraints = [
            date_bounds("planned_on", "communicationitem_planned_on_in_range"),
        ]

    def __str__(self):
        return f"{self.audience}: {self.channel}"


class Milestone(models.Model):
    """A date on the plan's timeline that the work steers towards."""

    plan = models.ForeignKey(
        ImplementationPlan,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("plan"),
    )
    title = models.CharField(_("milstolpe"), max_length=200)
    date = models.DateField(_("datum"), validators=[planned])
    reached = models.BooleanField(_("nådd"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("milstolpe")
        verbose_name_plural = _("milstolpar")
        constraints = [
            date_bounds("date", "milestone_date_in_range"),
        ]

    def __str__(self):
        return self.title


class PhaseOut(models.Model):
    """Ordnad utfasning: what stops being done, from when, and who sees to it."""

    plan = models.ForeignKey(
        ImplementationPlan,
        on_delete=models.CASCADE,
        related_name="phase_outs",
        verbose_name=_("plan"),
    )
    what = models.TextField(_("det här slutar vi göra"))
    principal = models.CharField(_("huvudman"), max_length=10, choices=Principal.choices)
    from_date = models.DateField(_("från och med"), validators=[planned])
    responsible = models.CharField(_("ansvarig"), max_length=200)
    note = models.TextField(_("kommentar"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["from_date", "pk"]
        verbose_name = _("utfasning")
        verbose_name_plural = _("utfasningar")
        constraints = [
            date_bounds("from_date", "phaseout_from_date_in_range"),
        ]

    def __str__(self):
        return self.what[:60]


class GapRowExclusion(models.Model):
    """A gap the plan consciously leaves out, with the reason: it needs no activity."""

    plan = models.ForeignKey(
        ImplementationPlan,
        on_delete=models.CASCADE,
        related_name="exclusions",
        verbose_name=_("plan"),
    )
    gap_row = models.ForeignKey(
        "gapanalys.GapRow",
        on_delete=models.CASCADE,
        related_name="plan_exclusions",
        verbose_name=_("gap-rad"),
    )
    reason = models.TextField(_("motivering"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerat av"),
    )
    decided_at = models.DateTimeField(_("registrerat"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["gap_row__recommendation__number"]
        verbose_name = _("medvetet undantag")
        verbose_name_plural = _("medvetna undantag")
        constraints = [
            models.UniqueConstraint(fields=["plan", "gap_row"], name="gap_row_excluded_once"),
        ]

    def __str__(self):
        return f"Undantag {self.gap_row_id}"


# --- The BP3 checklist -------------------------------------------------------------------------


class Requirement(models.TextChoices):
    """What the product checks before an item can be ticked (nothing, for most items)."""

    NONE = "", _("Ingen automatisk kontroll")
    GAP_ANALYSIS_APPROVED = "bp2_godkand", _("BP2 är beslutad: gap-analysen är godkänd")
    PLAN_ANCHORED = "plan_forankrad", _("Införandeplanen är förankrad i LPO")
    COMMUNICATION_PLAN = "kommunikationsplan", _("Kommunikationsplanen har minst en insats")
    RESPONSIBILITIES = "ansvar", _("Planen har aktiviteter med ansvariga")
    INDICATORS = "indikatorer", _("Minst en indikator är vald för uppföljningen")


# The default set of the issue, in the order the preparations usually happen.
DEFAULT_CHECKLIST = [
    (_("Gap-analysen är godkänd"), Requirement.GAP_ANALYSIS_APPROVED),
    (_("Införandeplanen är förankrad i LPO"), Requirement.PLAN_ANCHORED),
    (_("Kommunikationsplanen är klar"), Requirement.COMMUNICATION_PLAN),
    (_("Roller och ansvar är fördelade"), Requirement.RESPONSIBILITIES),
    (_("Indikatorer för uppföljning är valda"), Requirement.INDICATORS),
    (_("Utbildningsbehov är identifierade"), Requirement.NONE),
    (_("Journalmallar är uppdaterade"), Requirement.NONE),
]


class ChecklistTemplateItem(models.Model):
    """One preparation a region requires before BP3: configuration kept by the administrator.

    A region without rows uses `DEFAULT_CHECKLIST`. A case's checklist copies the items when
    it is created, so later changes to the configuration leave running cases as they were.
    """

    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="bp3_checklist_items",
        verbose_name=_("region"),
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    text = models.CharField(_("punkt"), max_length=250)
    requirement = models.CharField(
        _("automatisk kontroll"),
        max_length=20,
        choices=Requirement.choices,
        blank=True,
        default=Requirement.NONE,
    )

    class Meta:
        ordering = ["region", "position", "pk"]
        verbose_name = _("punkt i BP3-checklistan")
        verbose_name_plural = _("BP3-checklista (konfiguration)")

    def __str__(self):
        return f"{self.region.short_code}: {self.text}"


class Bp3Checklist(models.Model):
    """The case's BP3 checklist: the preparations, each ticked by a named person."""

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="bp3_checklist", verbose_name=_("ärende")
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        verbose_name = _("BP3-checklista")
        verbose_name_plural = _("BP3-checklistor")

    def __str__(self):
        return f"BP3-checklista {self.case_id}"

    @property
    def is_complete(self):
        """Every item ticked. Uses prefetched items when the caller has them."""
        return all(item.is_ticked for item in self.items.all())


class ChecklistItem(models.Model):
    """One preparation on a case's checklist: ticked by whom, on which date, with a comment."""

    checklist = models.ForeignKey(
        Bp3Checklist, on_delete=models.CASCADE, related_name="items", verbose_name=_("checklista")
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    text = models.CharField(_("punkt"), max_length=250)
    requirement = models.CharField(
        _("automatisk kontroll"), max_length=20, choices=Requirement.choices, blank=True
    )
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avbockad av"),
    )
    ticked_on = models.DateField(_("datum"), null=True, blank=True, validators=[happened])
    comment = models.TextField(_("kommentar"), blank=True)
    ticked_at = models.DateTimeField(_("registrerad"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["checklist", "position", "pk"]
        verbose_name = _("punkt i checklistan")
        verbose_name_plural = _("punkter i checklistan")
        constraints = [
            date_bounds("ticked_on", "checklistitem_ticked_on_in_range"),
            models.CheckConstraint(
                condition=Q(ticked_by__isnull=True, ticked_on__isnull=True)
                | Q(ticked_by__isnull=False, ticked_on__isnull=False),
                name="checklist_item_ticked_by_someone_on_a_date",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_ticked(self):
        return self.ticked_on is not None


# --- Follow-up -------------------------------------------------------------------------------


class Period(models.TextChoices):
    MONTH = "manad", _("Månad")
    QUARTER = "kvartal", _("Kvartal")
    YEAR = "ar", _("År")


class MeasureKind(models.TextChoices):
    PROPORTION = "andel", _("Andel – täljare och nämnare (p-diagram)")
    VALUE = "varde", _("Värde – ett tal per period (XmR-diagram)")


def period_start(kind, day):
    """The first day of the period that contains `day`."""
    if kind == Period.YEAR:
        return date(day.year, 1, 1)
    if kind == Period.QUARTER:
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, day.month, 1)


def next_period(kind, start):
    """The first day of the period after the one that starts on `start`."""
    months = {Period.YEAR: 12, Period.QUARTER: 3}.get(kind, 1)
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def missing_periods(kind, starts):
    """The periods between the first and the last of `starts` that have no measurement, in
    order: a chart draws the measurements one after the other, and does not show the gap."""
    measured = set(starts)
    if not measured:
        return []
    missing, day, last = [], min(measured), max(measured)
    while day < last:
        if day not in measured:
            missing.append(day)
        day = next_period(kind, day)
    return missing


def period_label(kind, start):
    # Four digits for the year whatever it is: strftime writes year 1 as "1", and a refused
    # period 0001-01 was told back as "1-01".
    if kind == Period.YEAR:
        return f"{start.year:04d}"
    if kind == Period.QUARTER:
        return f"{start.year:04d} K{(start.month - 1) // 3 + 1}"
    return f"{start.year:04d}-{start.month:02d}"


class FollowUpIndicator(models.Model):
    """An indicator the case is followed up with: a national one (copied, so the region can
    set its own target) or a local one."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="followup_indicators", verbose_name=_("ärende")
    )
    national = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("nationell indikator"),
    )
    code = models.CharField(_("kod"), max_length=32)
    name = models.CharField(_("namn"), max_length=250)
    definition = models.TextField(_("definition"), blank=True)
    measure = models.CharField(
        _("mäts som"), max_length=8, choices=MeasureKind.choices, default=MeasureKind.PROPORTION
    )
    unit = models.CharField(
        _("enhet"), max_length=20, blank=True, help_text=_("För värden, t.ex. dagar eller minuter.")
    )
    direction = models.CharField(
        _("riktning"),
        max_length=8,
        choices=Indicator.Direction.choices,
        default=Indicator.Direction.HIGHER,
    )
    target = models.DecimalField(
        _("målvärde"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("För andelar i procent (t.ex. 80)."),
    )
    period = models.CharField(
        _("period"), max_length=8, choices=Period.choices, default=Period.MONTH
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mäts för kommun"),
        help_text=_(
            "I gemensamma ärenden: kommunen vars verksamhet mätvärdena gäller. Tomt: regionen."
        ),
    )
    baseline_periods = models.PositiveSmallIntegerField(
        _("perioder i baslinjen"),
        null=True,
        blank=True,
        help_text=_(
            "Styrgränserna räknas på de första perioderna och förlängs sedan (frysta gränser). "
            "Tomt: alla perioder."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    # What management's home shows without working out every chart of the region on each visit
    # (issue 16): the special-cause signals of this indicator's chart in `signal_year`, kept by
    # the services that change its measurements or its chart (`region_report.signals_refresh`).
    signal_year = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    signal_text = models.TextField(blank=True, editable=False)  # one sentence a line
    signal_label = models.CharField(max_length=20, blank=True, editable=False)  # the latest

    class Meta:
        ordering = ["case", "code", "pk"]
        verbose_name = _("uppföljningsindikator")
        verbose_name_plural = _("uppföljningsindikatorer")
        constraints = [
            # Whatever the case of its letters: the measurement import finds an indicator by
            # its code so ("str-01" is STR-01), and two that differ only so could not both be
            # reached.
            models.UniqueConstraint(
                Lower("code"),
                "case",
                name="followup_indicator_code_ci",
                violation_error_message=_("Ärendet har redan en indikator med den koden."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_proportion(self):
        return self.measure == MeasureKind.PROPORTION

    @property
    def is_national(self):
        return self.national_id is not None

    @property
    def target_text(self):
        """The target as it is read: "90 %", "14 dagar"; "" without one."""
        if self.target is None:
            return ""
        return quantity(self.target, "%" if self.is_proportion else self.unit)

    def label_of(self, start):
        return period_label(self.period, start)


class Measurement(models.Model):
    """One period's result for an indicator: numerator and denominator, or a value."""

    indicator = models.ForeignKey(
        FollowUpIndicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indikator"),
    )
    period_start = models.DateField(_("period"), validators=[happened])
    numerator = models.PositiveIntegerField(_("täljare"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("nämnare"), null=True, blank=True)
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=3, null=True, blank=True)
    note = models.CharField(_("kommentar"), max_length=250, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    entered_at = models.DateTimeField(_("registrerad"), default=timezone.now)

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("mätvärde")
        verbose_name_plural = _("mätvärden")
        constraints = [
            date_bounds("period_start", "measurement_period_start_in_range"),
            # numeric(14, 3) holds this on PostgreSQL; SQLite would store 1e309 as infinity.
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gt=-(10**11), value__lt=10**11),
                name="measurement_value_finite",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_start"], name="measurement_period_once"
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="measurement_denominator_positive",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=models.F("denominator")),
                name="measurement_numerator_within_denominator",
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.period_start}"

    @property
    def proportion(self):
        if self.numerator is None or not self.denominator:
            return None
        return self.numerator / self.denominator


class ImprovementCycle(models.Model):
    """A PDSA cycle (plan, do, study, act) linked to an indicator and activities; marked on
    the indicator's charts where it starts."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="improvement_cycles", verbose_name=_("ärende")
    )
    indicator = models.ForeignKey(
        FollowUpIndicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cycles",
        verbose_name=_("indikator"),
    )
    activities = models.ManyToManyField(
        Activity, related_name="cycles", blank=True, verbose_name=_("aktiviteter")
    )
    title = models.CharField(_("förbättringscykel"), max_length=200)
    plan = models.TextField(_("planera (plan)"), help_text=_("Vad vill vi uppnå, vad prövar vi?"))
    do = models.TextField(_("gör (do)"), blank=True)
    study = models.TextField(_("studera (study)"), blank=True)
    act = models.TextField(_("lär och agera (act)"), blank=True)
    started_on = models.DateField(_("start"), validators=[planned])
    finished_on = models.DateField(_("avslutad"), null=True, blank=True, validators=[planned])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["started_on", "pk"]
        verbose_name = _("förbättringscykel (PDSA)")
        verbose_name_plural = _("förbättringscykler (PDSA)")
        constraints = [
            date_bounds("started_on", "improvementcycle_started_on_in_range"),
            date_bounds("finished_on", "improvementcycle_finished_on_in_range"),
            models.CheckConstraint(
                condition=Q(finished_on__isnull=True) | Q(finished_on__gte=models.F("started_on")),
                name="cycle_finishes_after_start",
                violation_error_message=_("Cykeln kan inte avslutas innan den startar."),
            ),
        ]

    def __str__(self):
        return self.title


class RegionReport(models.Model):
    """A region-wide follow-up report made in the background (too large for one request): the
    period it covers, who asked, how far the worker has come, and the PDF and spreadsheet."""

    class Status(models.TextChoices):
        REQUESTED = "begard", _("Begärd")
        RENDERING = "skapas", _("Skapas")
        READY = "klar", _("Klar")
        FAILED = "misslyckad", _("Misslyckades")

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="followup_reports", verbose_name=_("region")
    )
    period_start = models.DateField(_("från och med"))
    period_end = models.DateField(_("till och med"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("begärd av"),
    )
    requested_at = models.DateTimeField(_("begärd"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    claimed_until = models.DateTimeField(_("tagen till"), null=True, blank=True)
    cases_total = models.PositiveIntegerField(_("ärenden"), default=0)
    cases_done = models.PositiveIntegerField(_("ärenden klara"), default=0)
    pdf = models.FileField(_("PDF"), upload_to="uppfoljning/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    xlsx = models.FileField(_("kalkylblad"), upload_to="uppfoljning/%Y/", blank=True)
    xlsx_sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(_("sidor"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    failure_reason = models.TextField(_("orsak till fel"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("regionens uppföljningsrapport")
        verbose_name_plural = _("regionens uppföljningsrapporter")
        indexes = [models.Index(fields=["region", "period_start", "period_end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="region_report_period_ordered",
            ),
        ]

    def __str__(self):
        return f"Uppföljningsrapport {self.region_id} {self.period_start}–{self.period_end}"

    @property
    def is_pending(self):
        return self.status in {self.Status.REQUESTED, self.Status.RENDERING}

    @property
    def is_stale(self):
        """Claimed by a worker whose claim ran out (it died), or never taken for a minute."""
        now = timezone.now()
        if self.status == self.Status.RENDERING:
            return self.claimed_until is None or self.claimed_until < now
        if self.status == self.Status.REQUESTED:
            return self.requested_at < now - timedelta(minutes=1)
        return False

    @property
    def percent(self):
        if not self.cases_total:
            return 0 if self.is_pending else 100
        return round(100 * self.cases_done / self.cases_total)
