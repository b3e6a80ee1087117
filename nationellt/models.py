from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import date_bounds, happened
from organisation.models import Region


class RegionSharing(models.Model):
    """What a region shows the other regions about its work with the national supports.

    Always shared, with every signed-in user: each case's station, the dates it passed the
    decision points, and the per-recommendation counts of its gap analysis. Shared only when
    the region opts in: the analysis row by row, the implementation plan's activities and the
    follow-up indicators' latest values. Never shared: people's names and comments. A region
    without a row shares the defaults and nothing with the public.
    """

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, related_name="sharing", verbose_name=_("region")
    )
    share_analysis = models.BooleanField(
        _("dela gap-analysen rad för rad"),
        default=False,
        help_text=_("Nuläge och förbättringsförslag per rekommendation, utan namn."),
    )
    share_plan = models.BooleanField(
        _("dela införandeplanens aktiviteter"),
        default=False,
        help_text=_("Aktivitet, huvudman, status och datum, utan ansvariga personer."),
    )
    share_indicators = models.BooleanField(_("dela indikatorernas senaste värden"), default=False)
    public = models.BooleanField(
        _("visa regionens stationer för allmänheten"),
        default=False,
        help_text=_(
            "Den nationella överblicken och kunskapsstödens sidor visar då regionens stationer "
            "och datum även för den som inte är inloggad."
        ),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("ändrad"), default=timezone.now)

    class Meta:
        verbose_name = _("regionens delning")
        verbose_name_plural = _("regionernas delning")

    def __str__(self):
        return str(self.region)


class NationalBody(models.TextChoices):
    SKS = "sks", _("SKS – Styrgruppen för kunskapsstyrning i samverkan")
    OTHER = "annat", _("Annat nationellt organ")


class NationalOutcome(models.TextChoices):
    ADOPTED = "infors", _("Införs")
    NOT_ADOPTED = "infors_inte", _("Införs inte")


class NationalDecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Ett nationellt beslut ändras aldrig.")

    def delete(self):
        raise TypeError("Ett nationellt beslut tas aldrig bort.")


class NationalDecision(models.Model):
    """The national decision on a knowledge support (by SKS or another national body): when,
    by whom, its reference and whether the support is introduced. Written once, never changed.

    A national fact, so one per knowledge support: the first region to record it records it for
    every region; a second region's case of the same support applies the decision already on
    record (`services.national_decision_apply`) instead of recording it again.
    """

    knowledge_support = models.OneToOneField(
        "kunskapsstyrning.KnowledgeSupport",
        on_delete=models.PROTECT,
        related_name="national_decision",
        verbose_name=_("kunskapsstöd"),
    )
    decided_on = models.DateField(_("beslutsdatum"), validators=[happened])
    body = models.CharField(
        _("beslutande organ"), max_length=8, choices=NationalBody.choices, default=NationalBody.SKS
    )
    body_name = models.CharField(
        _("annat organ"),
        max_length=200,
        blank=True,
        help_text=_("Namnet på organet, när det inte är SKS."),
    )
    reference = models.CharField(_("referens"), max_length=100)
    outcome = models.CharField(_("beslut"), max_length=12, choices=NationalOutcome.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrerat av"),
    )
    recorded_in = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerat i region")
    )
    recorded_at = models.DateTimeField(_("registrerat"), default=timezone.now)

    objects = NationalDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("nationellt beslut")
        verbose_name_plural = _("nationella beslut")
        constraints = [date_bounds("decided_on", "nationaldecision_decided_on_in_range")]

    def __str__(self):
        return f"{self.body_label} {self.decided_on}: {self.get_outcome_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Ett nationellt beslut ändras aldrig.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ett nationellt beslut tas aldrig bort.")

    @property
    def body_label(self):
        return self.body_name if self.body == NationalBody.OTHER else "SKS"

    @property
    def is_adopted(self):
        return self.outcome == NationalOutcome.ADOPTED
