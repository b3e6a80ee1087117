from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
