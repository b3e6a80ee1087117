"""The organisation of kunskapsstyrning: regions, municipalities, groups, people and roles.

Every group and decision body is one `Unit`. Object permissions (django-guardian, direct
foreign keys) are granted on units, never on single cases: an LPO chair holds the LPO's
permissions and through them reaches the LPO's cases.
"""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords


class HealthcareRegion(models.Model):
    """One of the six sjukvårdsregioner."""

    code = models.CharField(_("kod"), max_length=32, unique=True)
    name = models.CharField(_("namn"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sjukvårdsregion")
        verbose_name_plural = _("sjukvårdsregioner")

    def __str__(self):
        return self.name


class Region(models.Model):
    """One of the 21 regions (huvudman for health care in a county)."""

    code = models.CharField(_("länskod"), max_length=2, unique=True)
    short_code = models.CharField(_("förkortning"), max_length=8, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        on_delete=models.PROTECT,
        related_name="regions",
        verbose_name=_("sjukvårdsregion"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regioner")

    def __str__(self):
        return self.name


class RegionChange(models.Model):
    """A counter of the changes to a region's work, for keys of what is cached about it
    (`organisation.changes`): a page fragment keyed on the counters of the regions it shows
    is never stale and needs no invalidating. One row per region, made on its first change."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, primary_key=True, related_name="change"
    )
    serial = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("ändringsräknare")
        verbose_name_plural = _("ändringsräknare")

    def __str__(self):
        return f"{self.region_id}: {self.serial}"


class Municipality(models.Model):
    """A kommun, the other principal (huvudman) beside the region."""

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("län")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self):
        return self.name

    def clean(self):
        if self.code and self.region_id and not self.code.startswith(self.region.code):
            raise ValidationError(
                {
                    "code": _("Kommunkoden %(code)s hör inte till länet %(county)s.")
                    % {"code": self.code, "county": self.region.code}
                }
            )


class MunicipalAssociation(models.Model):
    """A kommunförbund through which the municipalities of a county act together."""

    code = models.CharField(_("kod"), max_length=16, unique=True)
    name = models.CharField(_("namn"), max_length=150)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="municipal_associations",
        verbose_name=_("län"),
    )
    municipalities = models.ManyToManyField(
        Municipality, related_name="associations", blank=True, verbose_name=_("kommuner")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommunförbund")
        verbose_name_plural = _("kommunförbund")

    def __str__(self):
        return self.name


class ProgrammeArea(models.Model):
    """A national programme area; its NPO is hosted by one healthcare region."""

    code = models.CharField(_("kod"), max_length=32, unique=True)
    name = models.CharField(_("namn"), max_length=150)
    host = models.ForeignKey(
        HealthcareRegion,
        on_delete=models.PROTECT,
        related_name="hosted_programme_areas",
        verbose_name=_("värdsjukvårdsregion"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("programområde")
        verbose_name_plural = _("programområden")

    def __str__(self):
        return self.name


class Level(models.TextChoices):
    NATIONAL = "nationell", _("Nationell")
    HEALTHCARE_REGIONAL = "sjukvardsregional", _("Sjukvårdsregional")
    LOCAL = "lokal", _("Lokal")


class UnitKind(models.TextChoices):
    SKS = "SKS", _("SKS – Styrgruppen för kunskapsstyrning i samverkan")
    NPO = "NPO", _("NPO – nationellt programområde")
    NSG = "NSG", _("NSG – nationell samverkansgrupp")
    NAG = "NAG", _("NAG – nationell arbetsgrupp")
    RPO = "RPO", _("RPO – regionalt programområde")
    RSG = "RSG", _("RSG – regional samverkansgrupp")
    RAG = "RAG", _("RAG – regional arbetsgrupp")
    LPO = "LPO", _("LPO – lokalt programområde")
    LSG = "LSG", _("LSG – lokal samverkansgrupp")
    LAG = "LAG", _("LAG – lokal arbetsgrupp")
    KANSLI = "KANSLI", _("Kunskapsstyrningskansli")
    HSL = "HSL", _("Hälso- och sjukvårdsledning")
    DIVISIONSLEDNING = "DIV", _("Divisionsledning")
    LANSSAMORDNING = "LSAM", _("Länssamordningsgrupp")
    LANSLEDNING = "LANS", _("Länsledning")


LEVEL_OF_KIND = {
    UnitKind.SKS: Level.NATIONAL,
    UnitKind.NPO: Level.NATIONAL,
    UnitKind.NSG: Level.NATIONAL,
    UnitKind.NAG: Level.NATIONAL,
    UnitKind.RPO: Level.HEALTHCARE_REGIONAL,
    UnitKind.RSG: Level.HEALTHCARE_REGIONAL,
    UnitKind.RAG: Level.HEALTHCARE_REGIONAL,
}  # every other kind belongs to one region: local.

# Which kind a unit's parent must be. Kinds missing here hang directly under their level.
PARENT_KINDS = {
    UnitKind.NAG: {UnitKind.NPO},
    UnitKind.RAG: {UnitKind.RPO},
    UnitKind.LAG: {UnitKind.LPO},
    UnitKind.NSG: {UnitKind.SKS},
    UnitKind.DIVISIONSLEDNING: {UnitKind.HSL},
}
PROGRAMME_KINDS = {UnitKind.NPO, UnitKind.RPO, UnitKind.LPO}
DECISION_BODY_KINDS = {
    UnitKind.HSL,
    UnitKind.DIVISIONSLEDNING,
    UnitKind.LANSSAMORDNING,
    UnitKind.LANSLEDNING,
}


class UnitQuerySet(models.QuerySet):
    def lpos(self):
        return self.filter(kind=UnitKind.LPO)

    def decision_bodies(self):
        return self.filter(kind__in=DECISION_BODY_KINDS)

    def of_region(self, region):
        return self.filter(region=region)


class Unit(models.Model):
    """A group (NPO…LAG), the strategists' office or a decision body."""

    kind = models.CharField(_("typ"), max_length=8, choices=UnitKind.choices)
    code = models.CharField(_("kod"), max_length=64, unique=True)
    name = models.CharField(_("namn"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("överordnad"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("region"),
        help_text=_("Ägande region för lokala grupper och organ."),
    )
    healthcare_region = models.ForeignKey(
        HealthcareRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("sjukvårdsregion"),
    )
    programme_area = models.ForeignKey(
        ProgrammeArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("programområde"),
    )
    municipalities_participate = models.BooleanField(_("kommunerna deltar"), default=False)
    active = models.BooleanField(_("aktiv"), default=True)
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisationsenhet")
        verbose_name_plural = _("organisationsenheter")
        permissions = [
            ("view_unit_cases", _("Se enhetens ärenden")),
            ("act_for_unit", _("Driva enhetens ärenden (ordförande)")),
            ("edit_analysis", _("Arbeta i enhetens gap-analys och plan")),
            ("decide_for_unit", _("Fatta beslut för beslutsorganet")),
            ("view_region_cases", _("Se alla regionens ärenden")),
            ("coordinate_region", _("Samordna regionens ärenden (strateg)")),
            ("administer_organisation", _("Administrera regionens organisation")),
        ]
        indexes = [models.Index(fields=["region", "kind"])]

    def __str__(self):
        return self.name

    @property
    def level(self):
        return LEVEL_OF_KIND.get(self.kind, Level.LOCAL)

    @property
    def is_decision_body(self):
        return self.kind in DECISION_BODY_KINDS

    def clean(self):
        errors = {}
        allowed_parents = PARENT_KINDS.get(self.kind)
        if allowed_parents and self.parent_id is None and self.kind != UnitKind.NSG:
            errors["parent"] = _("En %(kind)s måste ha en överordnad %(parents)s.") % {
                "kind": self.kind,
                "parents": " eller ".join(sorted(allowed_parents)),
            }
        if self.parent_id is not None:
            if allowed_parents is None or self.parent.kind not in allowed_parents:
                errors["parent"] = _("En %(kind)s kan inte ligga under en %(parent)s.") % {
                    "kind": self.kind,
                    "parent": self.parent.kind,
                }
            elif self.level == Level.LOCAL and self.parent.region_id != self.region_id:
                errors["parent"] = _("Den överordnade gruppen tillhör en annan region.")
        if self.level == Level.LOCAL and self.region_id is None:
            errors["region"] = _("Lokala grupper och beslutsorgan måste höra till en region.")
        if self.level != Level.LOCAL and self.region_id is not None:
            errors["region"] = _("Nationella och sjukvårdsregionala grupper har ingen region.")
        if self.level == Level.HEALTHCARE_REGIONAL and self.healthcare_region_id is None:
            errors["healthcare_region"] = _("Ange sjukvårdsregion för en sjukvårdsregional grupp.")
        if self.kind in PROGRAMME_KINDS and self.programme_area_id is None:
            errors["programme_area"] = _("Ett programområde måste ange vilket område det speglar.")
        if errors:
            raise ValidationError(errors)


class UnitUserObjectPermission(UserObjectPermissionBase):
    """Direct foreign-key table for per-unit permissions (faster than guardian's generic one)."""

    content_object = models.ForeignKey(Unit, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "permission"])]


def normalise_hsa_id(value):
    """HSA-IDs are compared without case or surrounding spaces ("se2321000016-abcd ")."""
    return (value or "").strip().upper()


class User(AbstractUser):
    """A person who uses the product. Roles come from memberships, not from the user row."""

    title = models.CharField(_("titel"), max_length=150, blank=True)
    organisation_name = models.CharField(
        _("arbetsplats"),
        max_length=150,
        blank=True,
        help_text=_("Förvaltning, kommun eller klinik."),
    )
    hsa_id = models.CharField(
        _("HSA-id"),
        max_length=64,
        blank=True,
        help_text=_("Personens HSA-id, t.ex. SE2321000016-ABCD. Används vid inloggning."),
    )
    municipality = models.ForeignKey(
        "Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("kommun"),
        help_text=_("Kommunen personen arbetar för, om hen företräder en kommun."),
    )

    class Meta:
        ordering = ["first_name", "last_name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        constraints = [
            models.UniqueConstraint(
                fields=["hsa_id"],
                condition=~Q(hsa_id=""),
                name="user_hsa_id_unique",
                violation_error_message=_("HSA-id:t används redan av en annan person."),
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    CHAIR = "ordforande", _("Ordförande")
    PROCESS_LEADER = "processledare", _("Processledare")
    MEMBER = "ledamot", _("Ledamot")
    EXPERT = "sakkunnig", _("Sakkunnig")
    PROGRAMME_OWNER = "programagare", _("Programägare (verksamhetschef)")
    DEVELOPMENT_LEAD = "verksamhetsutvecklare", _("Verksamhetsutvecklare")
    MUNICIPAL_REPRESENTATIVE = "kommunrepresentant", _("Kommunrepresentant")
    MAS_MAR = "mas_mar", _("MAS/MAR")
    STRATEGIST = "strateg", _("Kunskapsstyrningsstrateg")
    MANAGEMENT = "ledning", _("Ledning (beslutsfattare)")
    ADMINISTRATOR = "administrator", _("Organisationsadministratör")


# The single table that says what holding a role in a kind of unit allows. Kinds not named
# for a role get the role's default (the `None` key).
ROLE_PERMISSIONS = {
    Role.CHAIR: {None: {"view_unit_cases", "act_for_unit"}},
    Role.PROCESS_LEADER: {None: {"view_unit_cases", "edit_analysis"}},
    Role.MEMBER: {
        None: {"view_unit_cases"},
        UnitKind.LAG: {"view_unit_cases", "edit_analysis"},
    },
    Role.EXPERT: {None: set()},  # experts reach single remisser by invitation only.
    Role.PROGRAMME_OWNER: {None: {"view_unit_cases"}},
    Role.DEVELOPMENT_LEAD: {None: {"view_unit_cases", "edit_analysis"}},
    Role.MUNICIPAL_REPRESENTATIVE: {None: {"view_unit_cases"}},
    Role.MAS_MAR: {None: {"view_unit_cases"}},
    Role.STRATEGIST: {None: {"view_region_cases", "coordinate_region"}},
    Role.MANAGEMENT: {None: {"decide_for_unit", "view_region_cases"}},
    # Held in the region's office (kansli): keeps the region's units, people and roles.
    Role.ADMINISTRATOR: {None: {"administer_organisation"}},
}
ALL_UNIT_PERMISSIONS = {
    p for by_kind in ROLE_PERMISSIONS.values() for s in by_kind.values() for p in s
}


def permissions_for(role, kind):
    by_kind = ROLE_PERMISSIONS[role]
    return by_kind.get(kind, by_kind[None])


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))


class Membership(models.Model):
    """A person holding a role in a unit from a date, until a date (history-tracked)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("enhet")
    )
    role = models.CharField(_("roll"), max_length=32, choices=Role.choices)
    start_date = models.DateField(_("från"), default=date.today)
    end_date = models.DateField(_("till och med"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["unit__name", "role", "start_date"]
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=_("Uppdraget kan inte sluta innan det börjar."),
            ),
        ]
        indexes = [models.Index(fields=["end_date"]), models.Index(fields=["start_date"])]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.unit}"

    def is_active(self, day=None):
        day = day or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    def overlaps(self, other_start, other_end):
        far = date.max
        return self.start_date <= (other_end or far) and other_start <= (self.end_date or far)

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Uppdraget kan inte sluta innan det börjar.")})
        if self.role == Role.CHAIR and self.unit_id and self.start_date:
            # One chair at a time: the chair answers for the LPO, two would make that unclear.
            others = Membership.objects.filter(unit_id=self.unit_id, role=Role.CHAIR).exclude(
                pk=self.pk
            )
            for other in others:
                if other.overlaps(self.start_date, self.end_date):
                    raise ValidationError(
                        {
                            "role": _("%(unit)s har redan en ordförande under perioden (%(who)s).")
                            % {"unit": self.unit, "who": other.user}
                        }
                    )


class ChangeKind(models.TextChoices):
    UNIT_CREATED = "unit_created", _("Enhet skapad")
    UNIT_CHANGED = "unit_changed", _("Enhet ändrad")
    PERSON_CREATED = "person_created", _("Person upplagd")
    PERSON_CHANGED = "person_changed", _("Person ändrad")
    ROLE_ADDED = "role_added", _("Uppdrag tillagt")
    ROLE_ENDED = "role_ended", _("Uppdrag avslutat")
    NOMINATED = "nominated", _("Nominering till LAG")
    IMPORTED = "imported", _("Import av personer och uppdrag")


class OrganisationChangeQuerySet(models.QuerySet):
    def of_region(self, region):
        return self.filter(region=region)


class OrganisationChange(models.Model):
    """One change an administrator made to a region's organisation: what, who and when."""

    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        related_name="organisation_changes",
        verbose_name=_("region"),
    )
    kind = models.CharField(_("ändring"), max_length=32, choices=ChangeKind.choices)
    summary = models.CharField(_("beskrivning"), max_length=500)
    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("av")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet"),
    )
    person = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now)

    objects = OrganisationChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("organisationsändring")
        verbose_name_plural = _("organisationsändringar")
        indexes = [models.Index(fields=["region", "-at", "-id"])]

    def __str__(self):
        return self.summary
