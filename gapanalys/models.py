"""The gap and consequence analysis: one row per recommendation, from the LAG to BP2.

A case in the gap-analysis state has one `GapAnalysis`, led by a LAG (an `organisation.Unit`
of kind LAG under the case's LPO). Its rows compare today's practice with each recommendation
of the knowledge support; statements from the bodies a region requires are collected before
the analysis goes to BP2.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import date_bounds, fits_a_cell, happened, planned
from kunskapsstyrning.models import CareLevel
from organisation.models import Region, Unit, UnitKind
from organisation.permissions import scope_of


class CurrentState(models.TextChoices):
    DONE = "gor_vi", _("Gör vi")
    PARTLY = "delvis", _("Delvis")
    NOT_DONE = "gor_vi_inte", _("Gör vi inte")
    NOT_APPLICABLE = "ej_aktuellt", _("Ej aktuellt")


# A gap is a row where practice falls short; each needs a proposal before BP2.
STATES_NEEDING_PROPOSAL = {CurrentState.PARTLY, CurrentState.NOT_DONE}


class Principal(models.TextChoices):
    """The responsible principal, shown in the process's colours: blue, green, grey."""

    REGION = "region", _("Region")
    MUNICIPALITY = "kommun", _("Kommun")
    JOINT = "gemensam", _("Gemensam")


class Priority(models.IntegerChoices):
    HIGH = 1, _("Hög")
    MEDIUM = 2, _("Medel")
    LOW = 3, _("Låg")


class StatementKind(models.TextChoices):
    LPO = "lpo", _("LPO:s synpunkter")
    PATIENT_SAFETY = "patientsakerhet", _("LSG patientsäkerhet (inkl. kommunernas MAS/MAR)")
    VARDVAL = "vardval", _("Vårdval/Hälsoval")
    DIVISION = "divisionsledning", _("Förankring i divisionsledning")
    PROGRAMME_OWNER = "programagare", _("Programägarens godkännande")


# What the scale generator gives every analysis: the kinds the reference order requires.
DEFAULT_REQUIRED_STATEMENTS = [
    StatementKind.LPO,
    StatementKind.PATIENT_SAFETY,
    StatementKind.DIVISION,
    StatementKind.PROGRAMME_OWNER,
]


class StatementType(models.Model):
    """A kind of statement a region asks for before BP2, required or optional for its own cases
    and for joint cases: configuration the region's administrator keeps in the pages.

    A region without rows asks for its reference kinds (`reference_data`); its first edit
    saves them as its own.
    """

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="statement_types", verbose_name=_("region")
    )
    key = models.SlugField(_("kod"), max_length=30)
    name = models.CharField(_("yttrande"), max_length=200)
    required_own = models.BooleanField(_("krävs för regionens egna ärenden"), default=False)
    required_joint = models.BooleanField(
        _("krävs för gemensamma ärenden med kommunerna"), default=False
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["region", "order", "pk"]
        verbose_name = _("slags yttrande")
        verbose_name_plural = _("slags yttranden")
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], name="statement_type_once"),
        ]

    def __str__(self):
        return self.name

    def required_for(self, case):
        return self.required_joint if case.joint else self.required_own


def reference_statement_types(region):
    """The region's reference kinds, unsaved (`reference_data`)."""
    from . import reference_data

    rows = reference_data.STATEMENT_TYPES.get(region.code, reference_data.DEFAULT)
    return [
        StatementType(
            region=region,
            key=key,
            name=name,
            required_own=own,
            required_joint=joint,
            order=index,
        )
        for index, (key, name, own, joint) in enumerate(rows, start=1)
    ]


def statement_types_of(region, saved=None):
    """The kinds of statement the region asks for, in order: its own, or its reference kinds
    while it has none. `saved`: the region's rows, if the caller has read them."""
    if saved is None:
        saved = list(StatementType.objects.filter(region=region))
    return saved or reference_statement_types(region)


def required_statement_kinds(case, types=None):
    """The statement kinds the case's region requires before BP2 for a case of its kind, in
    order. `types`: the region's kinds, if the caller has them."""
    if types is None:
        types = statement_types_of(case.region)
    return [t.key for t in types if t.required_for(case)]


def statement_labels(region, types=None):
    """Each kind's name by key: the region's, with the old fixed names for statements given
    under a kind the region has since removed."""
    if types is None:
        types = statement_types_of(region)
    return {**dict(StatementKind.choices), **{t.key: t.name for t in types}}


class GapAnalysisQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Analyses of the cases the user may see (`Case.objects.visible_to`), and those of the
        LAGs the user works in: a LAG member may not belong to the LPO itself."""
        from kunskapsstyrning.models import Case

        scope = scope_of(user)
        if scope.is_admin:
            return self
        if not user.is_authenticated:
            return self.none()
        lag_ids = scope.unit_ids("view_unit_cases") | scope.unit_ids("edit_analysis")
        in_scope = models.Q(case__in=Case.objects.visible_to(user).values("pk"))
        if lag_ids:
            in_scope |= models.Q(lag_id__in=lag_ids)
        return self.filter(in_scope)


class GapAnalysis(models.Model):
    """The gap and consequence analysis of one case, led by a LAG."""

    case = models.OneToOneField(
        "kunskapsstyrning.Case",
        on_delete=models.CASCADE,
        related_name="gap_analysis",
        verbose_name=_("ärende"),
    )
    lag = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gap_analyses",
        limit_choices_to={"kind": UnitKind.LAG},
        verbose_name=_("LAG"),
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("bygger på tidigare analys"),
    )
    # Timeline of the work.
    start_date = models.DateField(_("start"), null=True, blank=True, validators=[planned])
    presentation_date = models.DateField(
        _("presentation i LPO"), null=True, blank=True, validators=[planned]
    )
    due_date = models.DateField(_("klar för BP2"), null=True, blank=True, validators=[planned])
    # Scope: which principals and care levels the analysis covers.
    scope_region = models.BooleanField(_("regionen"), default=True)
    scope_municipalities = models.BooleanField(_("kommunerna"), default=False)
    scope_care_levels = models.JSONField(
        _("vårdnivåer"),
        default=list,
        blank=True,
        help_text=_("Tom lista betyder alla vårdnivåer."),
    )
    # The report's own text beside the rows.
    summary = models.TextField(_("sammanfattning"), blank=True)
    roles_and_responsibilities = models.TextField(
        _("roller och ansvar för implementeringen"), blank=True
    )
    # The rows' progress, kept by every service that changes rows (`services.summary_refresh`,
    # under the analysis's row lock): the table, the home page and the case page read it
    # instead of counting among a million rows on every request.
    row_count = models.PositiveIntegerField(_("rader"), default=0, editable=False)
    assessed_count = models.PositiveIntegerField(_("bedömda rader"), default=0, editable=False)
    gaps_without_proposal = models.PositiveIntegerField(
        _("gap utan förslag"), default=0, editable=False
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = GapAnalysisQuerySet.as_manager()

    class Meta:
        verbose_name = _("gap-analys")
        verbose_name_plural = _("gap-analyser")
        constraints = [
            date_bounds("start_date", "gapanalysis_start_date_in_range"),
            date_bounds("presentation_date", "gapanalysis_presentation_date_in_range"),
            date_bounds("due_date", "gapanalysis_due_date_in_range"),
        ]

    def __str__(self):
        return f"Gap-analys {self.case_id}"

    @property
    def care_level_labels(self):
        labels = dict(CareLevel.choices)
        return [labels.get(value, value) for value in self.scope_care_levels]

    def required_statement_kinds(self):
        return required_statement_kinds(self.case)

    def bp2_blockers(self, missing_proposal=None):
        """What stands between the analysis and BP2, as Swedish sentences (empty: ready).

        The counts are the summary's. `missing_proposal`: the recommendation numbers of the
        gaps without proposal, when the caller holds every row (the table page); otherwise
        they are read, if the summary has any. One or two queries: those numbers, the
        statements given with the region's rules of which are required.
        """
        blockers = []
        total, unassessed = self.row_count, self.row_count - self.assessed_count
        if total == 0:
            blockers.append(_("Analysen har inga rader."))
        if unassessed:
            blockers.append(
                _("%(n)s av %(total)s rader är inte bedömda.") % {"n": unassessed, "total": total}
            )
        if missing_proposal is None and self.gaps_without_proposal:
            missing_proposal = list(
                self.rows.filter(current_state__in=STATES_NEEDING_PROPOSAL, proposal="")
                .order_by("recommendation__number")
                .values_list("recommendation__number", flat=True)
            )
        if missing_proposal:
            blockers.append(
                _("Förbättringsförslag saknas för rekommendation %(numbers)s.")
                % {"numbers": ", ".join(str(n) for n in missing_proposal)}
            )
        given, types = self._statements_given_and_types()
        labels = statement_labels(self.case.region, types)
        required = required_statement_kinds(self.case, types)
        missing = [str(labels[kind]) for kind in required if kind not in given]
        if missing:
            blockers.append(_("Yttranden saknas: %(kinds)s.") % {"kinds": ", ".join(missing)})
        return blockers

    def _statements_given_and_types(self):
        """The kinds of statement given, and the region's kinds: one query, a union of the
        statements and the region's kinds. Kept for issue 15 with its measurement: two plain
        queries cost 1.5-2.4 ms a call against 1.2-1.5 ms for the union (scale S, PostgreSQL),
        and one query more on the gap analysis page, which every LAG keeps open."""
        text = models.CharField()
        flag = models.BooleanField()
        given = self.statements.order_by().annotate(
            source=models.Value("given", output_field=text),
            name=models.Value("", output_field=text),
            own=models.Value(False, output_field=flag),
            joint=models.Value(False, output_field=flag),
            position=models.Value(0, output_field=models.IntegerField()),
        )
        types = (
            StatementType.objects.filter(region_id=self.case.region_id)
            .order_by()
            .annotate(source=models.Value("type", output_field=text))
        )
        kinds, saved = set(), []
        for source, key, name, own, joint, position in sorted(
            given.values_list("source", "kind", "name", "own", "joint", "position").union(
                types.values_list(
                    "source", "key", "name", "required_own", "required_joint", "order"
                ),
                all=True,
            ),
            key=lambda row: row[5],
        ):
            if source == "given":
                kinds.add(key)
            else:
                saved.append(
                    StatementType(
                        key=key, name=name, required_own=own, required_joint=joint, order=position
                    )
                )
        return kinds, statement_types_of(self.case.region, saved)

    @property
    def is_ready_for_bp2(self):
        """Every row assessed, every gap has a proposal, the required statements are in."""
        if not self.row_count or self.assessed_count < self.row_count:
            return False  # the summary answers without a query
        if self.gaps_without_proposal:
            return False
        return not self.bp2_blockers()


class GapRow(models.Model):
    """One recommendation compared with today's practice, and what to do about the gap."""

    analysis = models.ForeignKey(
        GapAnalysis, on_delete=models.CASCADE, related_name="rows", verbose_name=_("gap-analys")
    )
    recommendation = models.ForeignKey(
        "kunskapsstyrning.Recommendation",
        on_delete=models.PROTECT,
        related_name="gap_rows",
        verbose_name=_("rekommendation"),
    )
    current_state = models.CharField(
        _("nuläge"), max_length=12, choices=CurrentState.choices, blank=True
    )
    today_practice = models.TextField(
        _("så arbetar vi i dag"), blank=True, validators=[fits_a_cell]
    )
    cause_analysis = models.TextField(_("orsaksanalys"), blank=True, validators=[fits_a_cell])
    influence = models.TextField(_("hur kan vi påverka?"), blank=True, validators=[fits_a_cell])
    proposal = models.TextField(_("förbättringsförslag"), blank=True, validators=[fits_a_cell])
    start_doing = models.TextField(_("börja göra"), blank=True, validators=[fits_a_cell])
    stop_doing = models.TextField(_("sluta göra"), blank=True, validators=[fits_a_cell])
    principal = models.CharField(
        _("ansvarig huvudman"), max_length=10, choices=Principal.choices, blank=True
    )
    priority = models.PositiveSmallIntegerField(
        _("prioritet"), choices=Priority.choices, null=True, blank=True
    )
    resource_need = models.TextField(_("resursbehov"), blank=True, validators=[fits_a_cell])
    # Consequence analysis.
    consequence_patients = models.TextField(
        _("konsekvenser för patienter"), blank=True, validators=[fits_a_cell]
    )
    consequence_staff = models.TextField(
        _("personal och kompetens"), blank=True, validators=[fits_a_cell]
    )
    consequence_economy = models.TextField(_("ekonomi"), blank=True, validators=[fits_a_cell])
    consequence_it = models.TextField(_("IT och journal"), blank=True, validators=[fits_a_cell])
    consequence_crowding_out = models.TextField(
        _("undanträngning av andra patientgrupper"), blank=True, validators=[fits_a_cell]
    )
    consequence_close_care = models.TextField(_("nära vård"), blank=True, validators=[fits_a_cell])
    # Carried over from the analysis of a previous version: the LAG should look again.
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("överförd från"),
    )
    needs_review = models.BooleanField(_("behöver granskas"), default=False)
    # Optimistic concurrency: a save names the version it started from.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ändrad av"),
    )

    class Meta:
        ordering = ["analysis", "recommendation__number"]
        verbose_name = _("gap-rad")
        verbose_name_plural = _("gap-rader")
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "recommendation"], name="gap_row_per_recommendation"
            ),
        ]
        indexes = [models.Index(fields=["analysis", "current_state"])]

    def __str__(self):
        return f"{self.analysis_id}: {self.recommendation_id}"

    CONSEQUENCE_FIELDS = [
        "consequence_patients",
        "consequence_staff",
        "consequence_economy",
        "consequence_it",
        "consequence_crowding_out",
        "consequence_close_care",
    ]

    @property
    def is_assessed(self):
        return bool(self.current_state)

    @property
    def is_gap(self):
        return self.current_state in STATES_NEEDING_PROPOSAL

    @property
    def lacks_proposal(self):
        return self.is_gap and not self.proposal.strip()

    @property
    def has_consequences(self):
        return any(getattr(self, name) for name in self.CONSEQUENCE_FIELDS)


class Statement(models.Model):
    """A statement on the analysis before BP2: which body said what, who wrote it, when."""

    analysis = models.ForeignKey(
        GapAnalysis,
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("gap-analys"),
    )
    # A key of the region's kinds (`StatementType`); the five first kinds keep their names.
    kind = models.CharField(_("yttrande"), max_length=30)
    body = models.CharField(_("instans"), max_length=200)
    author = models.CharField(_("undertecknat av"), max_length=200)
    given_on = models.DateField(_("datum"), validators=[happened])
    text = models.TextField(_("yttrande"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerat av"),
    )
    recorded_at = models.DateTimeField(_("registrerat"), default=timezone.now)

    class Meta:
        ordering = ["given_on", "pk"]
        verbose_name = _("yttrande")
        verbose_name_plural = _("yttranden")
        constraints = [
            date_bounds("given_on", "statement_given_on_in_range"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.given_on})"
