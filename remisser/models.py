"""Consultation rounds (remisser): a national remiss registered, distributed to LPO chairs,
answered with the help of invited experts, compiled into the region's answer and sent.

A round belongs to one case (registering the remiss opens the case). Who may see a round is
decided here, in `visible_to`: the region's strategists and management, the LPOs it was sent
to, and the people invited to it. Experts reach one round by invitation, never through a
unit permission.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from common.search import contains_folded
from common.validators import date_bounds, happened, planned
from kunskapsstyrning.models import Case, Recommendation
from organisation.models import Unit, UnitKind
from organisation.permissions import scope_of

# A round is "due soon" when its national reply deadline is this close.
DUE_SOON_DAYS = 14


class Sender(models.TextChoices):
    SOCIALSTYRELSEN = "socialstyrelsen", _("Socialstyrelsen")
    SKR = "skr", _("SKR – Sveriges Kommuner och Regioner")
    NPO = "npo", _("Nationellt programområde (NPO)")
    OTHER = "ovrig", _("Annan remissinstans")


class Asks(models.TextChoices):
    WHOLE = "hela", _("Synpunkter på hela kunskapsstödet")
    QUESTIONS = "fragor", _("Svar på särskilda frågor")


class RemissStatus(models.TextChoices):
    REGISTERED = "registrerad", _("Registrerad")
    DISTRIBUTED = "utskickad", _("Utskickad till LPO")
    ANSWERED = "besvarad", _("Besvarad")
    DECLINED = "avstatt", _("Regionen avstår")


OPEN_STATUSES = [RemissStatus.REGISTERED, RemissStatus.DISTRIBUTED]
CLOSED_STATUSES = [RemissStatus.ANSWERED, RemissStatus.DECLINED]


class RemissQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rounds inside the user's scope: the region's (strategists, management), those sent
        to the user's LPOs, and those the user is invited to. Everything else is a 404."""
        scope = scope_of(user)
        if scope.is_admin:
            return self
        if not user.is_authenticated:
            return self.none()
        in_scope = Q(case__region_id__in=scope.overseen_region_ids) | Q(
            pk__in=RemissAccess.objects.active().filter(user=user).values("remiss_id")
        )
        lpo_ids = scope.unit_ids("view_unit_cases")
        if lpo_ids:
            in_scope |= Q(pk__in=Response.objects.filter(lpo_id__in=lpo_ids).values("remiss_id"))
        return self.filter(in_scope)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def closed(self):
        return self.filter(status__in=CLOSED_STATUSES)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(reply_deadline__lt=today)

    def due_soon(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(
            reply_deadline__gte=today,
            reply_deadline__lte=today + timezone.timedelta(days=DUE_SOON_DAYS),
        )

    def at_risk(self, today=None):
        """Open rounds that need the strategist: overdue, due soon, or past the internal
        deadline with LPO answers missing."""
        today = today or timezone.localdate()
        late_answers = Response.objects.filter(
            submitted_at__isnull=True, remiss__internal_deadline__lt=today
        )
        return self.open().filter(
            Q(reply_deadline__lte=today + timezone.timedelta(days=DUE_SOON_DAYS))
            | Q(pk__in=late_answers.values("remiss_id"))
        )

    def with_answer_counts(self):
        return self.annotate(
            responses_total=Count("responses", distinct=True),
            responses_submitted=Count(
                "responses", filter=Q(responses__submitted_at__isnull=False), distinct=True
            ),
        )

    def search(self, text):
        if not text:
            return self
        return self.filter(
            contains_folded(
                text, "case__knowledge_support__title", "case__registry_number", "diary_number"
            )
        )


class Remiss(ConcurrentTransitionMixin, models.Model):
    """A national remiss handled by one region: the start of a case.

    Transitions only change fields; `remisser.services` runs them.
    """

    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="remiss", verbose_name=_("ärende")
    )
    sender = models.CharField(_("avsändare"), max_length=20, choices=Sender.choices)
    sender_name = models.CharField(
        _("avsändare i klartext"),
        max_length=200,
        blank=True,
        help_text=_("T.ex. vilket NPO som skickat remissen."),
    )
    sender_reference = models.CharField(
        _("remissinstansens diarienummer"), max_length=64, blank=True
    )
    diary_number = models.CharField(
        _("diarienummer i regionens diarium"),
        max_length=64,
        blank=True,
        help_text=_("Lämna tomt om ärendets diarienummer gäller."),
    )
    received_on = models.DateField(_("inkom"), validators=[happened])
    reply_deadline = models.DateField(_("svar senast (nationellt)"), validators=[planned])
    internal_deadline = models.DateField(
        _("intern svarstid för LPO"), null=True, blank=True, validators=[planned]
    )
    asks = models.CharField(
        _("vad efterfrågas"), max_length=8, choices=Asks.choices, default=Asks.WHOLE
    )
    distribution_message = models.TextField(_("meddelande till ordförandena"), blank=True)

    municipalities_concerned = models.BooleanField(_("berör kommunerna"), null=True, blank=True)
    municipal_assessment = models.TextField(_("kommunernas bedömning"), blank=True)
    municipal_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    municipal_assessed_at = models.DateTimeField(null=True, blank=True)

    status = FSMField(
        _("status"),
        max_length=16,
        choices=RemissStatus.choices,
        default=RemissStatus.REGISTERED,
        protected=True,
    )
    answer_text = models.TextField(_("regionens svar"), blank=True)
    decline_reason = models.TextField(_("skäl att avstå"), blank=True)
    sent_on = models.DateField(_("skickat"), null=True, blank=True, validators=[happened])
    answer_registry_reference = models.CharField(
        _("diarienummer för svaret"), max_length=64, blank=True
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("registrerad"), default=timezone.now)
    distributed_at = models.DateTimeField(_("utskickad"), null=True, blank=True)
    closed_at = models.DateTimeField(_("avslutad"), null=True, blank=True)

    objects = RemissQuerySet.as_manager()

    class Meta:
        ordering = ["reply_deadline", "pk"]
        verbose_name = _("remiss")
        verbose_name_plural = _("remisser")
        indexes = [models.Index(fields=["status", "reply_deadline"])]
        constraints = [
            date_bounds("received_on", "remiss_received_on_in_range"),
            date_bounds("reply_deadline", "remiss_reply_deadline_in_range"),
            date_bounds("internal_deadline", "remiss_internal_deadline_in_range"),
            date_bounds("sent_on", "remiss_sent_on_in_range"),
            models.CheckConstraint(
                condition=Q(reply_deadline__gte=models.F("received_on")),
                name="remiss_deadline_after_received",
                violation_error_message=_("Svarsdatumet kan inte ligga före inkomstdatumet."),
            ),
        ]

    def __str__(self):
        return f"{self.case.registry_number} {self.case.knowledge_support}"

    @property
    def answer_label(self):
        """What the answer is called: a joint case answers for the county, not the region."""
        if self.case.joint:
            return _("Länets gemensamma svar")
        return _("Regionens svar")

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def registry_number(self):
        return self.diary_number or self.case.registry_number

    def is_overdue(self, today=None):
        return self.is_open and self.reply_deadline < (today or timezone.localdate())

    def is_internal_overdue(self, today=None):
        return (
            self.is_open
            and self.internal_deadline is not None
            and self.internal_deadline < (today or timezone.localdate())
        )

    # --- Transitions: only fields change here; services do the rest. ---------------------

    @transition(field=status, source=OPEN_STATUSES, target=RemissStatus.DISTRIBUTED)
    def distribute(self):
        """Sent (or sent again, to more LPOs) to the chairs with an internal deadline."""

    @transition(field=status, source=RemissStatus.DISTRIBUTED, target=RemissStatus.ANSWERED)
    def answer_sent(self):
        """The region's compiled answer is sent to the consulting body and registered."""

    @transition(field=status, source=OPEN_STATUSES, target=RemissStatus.DECLINED)
    def declined(self):
        """The region declines to answer, with a reason."""


class RemissQuestion(models.Model):
    """One of the specific questions the consulting body asks."""

    remiss = models.ForeignKey(Remiss, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveIntegerField(_("nummer"))
    text = models.TextField(_("fråga"))
    # The region's answer to the question, written when the answer is compiled; it goes out
    # under the question in the remiss answer.
    answer = models.TextField(_("svar"), blank=True)

    class Meta:
        ordering = ["remiss", "number"]
        verbose_name = _("remissfråga")
        verbose_name_plural = _("remissfrågor")
        constraints = [
            models.UniqueConstraint(fields=["remiss", "number"], name="remiss_question_number"),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"


def attachment_path(instance, filename):
    """A generated name: the uploaded name and path are never used on disk."""
    return f"remisser/{timezone.now():%Y}/{uuid.uuid4().hex}.{instance.extension}"


class RemissAttachment(models.Model):
    """A file that came with the remiss (the draft support, a cover letter, a reply form)."""

    remiss = models.ForeignKey(Remiss, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("filnamn"), max_length=200)
    extension = models.CharField(max_length=8)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("storlek"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")

    def __str__(self):
        return self.original_name


class ResponseKind(models.TextChoices):
    LPO = "lpo", _("LPO")
    MUNICIPAL = "kommun", _("Kommunerna")


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Answers the user may read: all of the region's for strategists and management, an
        LPO's own answer for its people, the municipal answer for its representative."""
        scope = scope_of(user)
        if scope.is_admin:
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(remiss__case__region_id__in=scope.overseen_region_ids)
            | Q(lpo_id__in=scope.unit_ids("view_unit_cases"))
            | Q(respondent=user)
        )

    def unanswered(self):
        return self.filter(submitted_at__isnull=True)


class Response(models.Model):
    """One LPO's answer to a round (or the municipalities' input), written by its chair."""

    remiss = models.ForeignKey(Remiss, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(
        _("typ"), max_length=8, choices=ResponseKind.choices, default=ResponseKind.LPO
    )
    lpo = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remiss_responses",
        limit_choices_to={"kind": UnitKind.LPO},
        verbose_name=_("LPO"),
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remiss_responses",
        verbose_name=_("kommunrepresentant"),
        help_text=_("Den som lämnar kommunernas svar."),
    )
    text = models.TextField(_("sammanfattande svar"), blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("inskickat"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["remiss", "kind", "lpo__name", "pk"]
        verbose_name = _("LPO-svar")
        verbose_name_plural = _("LPO-svar")
        constraints = [
            models.UniqueConstraint(fields=["remiss", "lpo"], name="response_once_per_lpo"),
            models.UniqueConstraint(
                fields=["remiss"],
                condition=Q(kind="kommun"),
                name="response_one_municipal",
            ),
            models.CheckConstraint(
                condition=Q(kind="lpo", lpo__isnull=False)
                | Q(kind="kommun", lpo__isnull=True, respondent__isnull=False),
                name="response_lpo_or_municipal",
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.remiss}"

    @property
    def name(self):
        return self.lpo.name if self.lpo_id else str(_("Kommunerna"))

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def status_label(self):
        if self.submitted_at:
            return _("Inskickat")
        # A draft saved, or comments in (pages that count them set `comment_count`).
        if self.updated_at or getattr(self, "comment_count", 0):
            return _("Påbörjat")
        return _("Ej påbörjat")


class AccessKind(models.TextChoices):
    EXPERT = "sakkunnig", _("Sakkunnig")
    MUNICIPAL = "kommun", _("Kommunernas samordnare")


class RemissAccessQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class RemissAccess(models.Model):
    """An invitation that opens one round to one person: an expert invited by a chair to
    comment toward that LPO's answer, or the municipalities' coordinator."""

    remiss = models.ForeignKey(Remiss, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="remiss_accesses",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("roll"), max_length=12, choices=AccessKind.choices)
    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accesses",
        verbose_name=_("bidrar till svaret från"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RemissAccessQuerySet.as_manager()

    class Meta:
        ordering = ["invited_at", "pk"]
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        constraints = [
            models.UniqueConstraint(fields=["remiss", "user"], name="remiss_access_once"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_kind_display()}) – {self.remiss_id}"

    @property
    def is_active(self):
        return self.revoked_at is None


class Disposition(models.TextChoices):
    TAKEN = "helt", _("Tagen in")
    PARTLY = "delvis", _("Delvis tagen in")
    NOT_TAKEN = "inte", _("Inte tagen in")


class Comment(models.Model):
    """One comment (synpunkt) toward an LPO's answer: general, on a question or on a
    recommendation. The strategist's disposition traces it to the region's answer."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="remiss_comments"
    )
    question = models.ForeignKey(
        RemissQuestion,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("fråga"),
    )
    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="remiss_comments",
        verbose_name=_("rekommendation"),
    )
    text = models.TextField(_("synpunkt"))
    created_at = models.DateTimeField(default=timezone.now)
    included = models.BooleanField(
        _("ingår i LPO:ts svar"),
        default=True,
        help_text=_("Ordföranden väljer vilka synpunkter som går vidare i LPO:ts svar."),
    )
    disposition = models.CharField(
        _("hantering i regionens svar"), max_length=8, choices=Disposition.choices, blank=True
    )
    disposition_reason = models.TextField(_("motivering"), blank=True)
    disposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["response", "question__number", "recommendation__number", "created_at", "pk"]
        verbose_name = _("synpunkt")
        verbose_name_plural = _("synpunkter")
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=True) | Q(recommendation__isnull=True),
                name="comment_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.author}: {self.text[:60]}"

    @property
    def target_label(self):
        if self.question_id:
            return _("Fråga %(n)s") % {"n": self.question.number}
        if self.recommendation_id:
            return _("Rekommendation %(n)s") % {"n": self.recommendation.number}
        return _("Allmänt")


class Reminder(models.Model):
    """A reminder sent to one person about one round: recorded so it is sent only once."""

    remiss = models.ForeignKey(Remiss, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at"]
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(fields=["remiss", "user"], name="reminder_once_per_person"),
        ]

    def __str__(self):
        return f"{self.user_id} – {self.remiss_id}"
