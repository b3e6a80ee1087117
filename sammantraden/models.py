"""Decision meetings: the cases awaiting one decision point, put before one deciding body on
one day (seed 000: "Underlag till BP1 i HSL")."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import date_bounds
from kunskapsstyrning.models import Case, Decision, DecisionPoint
from organisation.models import Region, Unit
from organisation.permissions import scope_of


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Meetings of the regions whose every case the user reads (strategists and
        management); for everyone else they do not exist (404)."""
        scope = scope_of(user)
        if scope.is_admin:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(region_id__in=scope.overseen_region_ids)

    def open(self):
        return self.filter(closed_at__isnull=True)


class Meeting(models.Model):
    """A sitting of a deciding body on one day, deciding one point for several cases."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("region")
    )
    deciding_body = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("beslutande organ"),
    )
    point = models.CharField(_("beslutspunkt"), max_length=3, choices=DecisionPoint.choices)
    date = models.DateField(_("datum"))
    place = models.CharField(_("plats"), max_length=200, blank=True)
    participants = models.TextField(_("närvarande"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set when the sitting is over: cases left undecided may go on another meeting.
    closed_at = models.DateTimeField(_("avslutat"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        constraints = [date_bounds("date", "meeting_date_in_range")]
        indexes = [models.Index(fields=["region", "date"])]

    def __str__(self):
        return f"{self.deciding_body} {self.date:%Y-%m-%d} ({self.point})"

    @property
    def is_open(self):
        return self.closed_at is None


class MeetingItem(models.Model):
    """One case on a meeting's agenda, and the decision the sitting took on it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="meeting_items")
    number = models.PositiveIntegerField(_("paragraf"))
    decision = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_item",
        verbose_name=_("beslut"),
    )
    # On the agenda and not yet decided nor released by closing the meeting. A case is on at
    # most one open item: the unique constraint below holds it even for two strategists adding
    # the same case at the same moment.
    open = models.BooleanField(default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("punkt på dagordningen")
        verbose_name_plural = _("punkter på dagordningen")
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(open=True), name="meeting_item_case_open_once"
            ),
            models.UniqueConstraint(fields=["meeting", "number"], name="meeting_item_number"),
        ]

    def __str__(self):
        return f"§ {self.number} {self.case_id}"
