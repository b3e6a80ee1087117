"""Reads of consultation rounds: the list, a round's page, the home page blocks, the case
panel and the compiled answer's document."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from kunskapsstyrning.models import Case, Document, DocumentKind, State
from organisation.models import User
from organisation.permissions import scope_of

from . import services
from .models import (
    OPEN_STATUSES,
    AccessKind,
    Comment,
    Remiss,
    RemissAccess,
    RemissAttachment,
    RemissQuerySet,
    RemissQuestion,
    RemissStatus,
    Response,
)


def round_queryset() -> QuerySet[Remiss]:
    return Remiss.objects.select_related(
        "case", "case__region", "case__knowledge_support", "case__strategist"
    )


def round_page_queryset() -> QuerySet[Remiss]:
    """The round for its own page: the case, support and strategist the facts show (not the
    region: only its id is needed), and whether it has questions and attachments, so that a
    round without them costs no query for them."""
    return Remiss.objects.select_related(
        "case", "case__knowledge_support", "case__strategist"
    ).annotate(
        has_questions=Exists(RemissQuestion.objects.filter(remiss=OuterRef("pk"))),
        has_attachments=Exists(RemissAttachment.objects.filter(remiss=OuterRef("pk"))),
    )


def round_list(rounds: RemissQuerySet) -> QuerySet[Remiss]:
    """The rounds of the list (those the person may see, filtered), open ones first by
    deadline, with answer counts."""
    return (
        rounds.with_answer_counts()
        .select_related("case", "case__knowledge_support")
        .annotate(
            closed_last=models.Case(
                models.When(status__in=OPEN_STATUSES, then=models.Value(0)),
                default=models.Value(1),
                output_field=models.IntegerField(),
            )
        )
        .order_by("closed_last", "reply_deadline", "pk")
    )


@dataclass
class Viewer:
    """What one person is to one round."""

    coordinator: bool = False
    oversees: bool = False
    answers: set[int] = field(default_factory=set)  # response ids this person answers for
    lpo_ids: set[int] = field(default_factory=set)  # LPOs whose answers this person may read
    access: RemissAccess | None = None

    @property
    def is_invited_only(self) -> bool:
        """An expert (or municipal coordinator) who reaches the round by invitation only."""
        return not (self.oversees or self.answers or self.lpo_ids)

    def may_read(self, response: Response) -> bool:
        return (
            self.oversees
            or response.pk in self.answers
            or (response.lpo_id is not None and response.lpo_id in self.lpo_ids)
        )


def viewer_of(
    remiss: Remiss,
    user: User,
    responses: Iterable[Response],
    access: RemissAccess | None = None,
) -> Viewer:
    scope = scope_of(user)
    region_id = remiss.case.region_id
    return Viewer(
        coordinator=services.is_round_coordinator(user, remiss),
        oversees=scope.is_admin or region_id in scope.overseen_region_ids,
        answers={r.pk for r in responses if services.may_answer(user, r)},
        lpo_ids={
            r.lpo_id
            for r in responses
            if r.lpo_id is not None and scope.has("view_unit_cases", r.lpo_id)
        },
        access=access,
    )


def comment_count_subquery(**lookups: Any) -> Coalesce:
    """The number of comments matching `lookups` (with `OuterRef`s), as a subquery: the
    counts ride along with the rows they belong to instead of costing a query of their own."""
    comments = (
        Comment.objects.filter(**lookups)
        .order_by()  # the model's ordering would join questions and recommendations
        .values(*lookups)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(comments), 0)


def round_page(remiss: Remiss, user: User, today: date) -> dict[str, Any]:
    """Everything the round's page shows, in a fixed number of queries: the answers with
    their comment counts; the round's invitations (the viewer's own and the experts', with
    their comment counts); the LPOs' chairs; and what the round has of questions,
    attachments and (once closed, for those who read the whole round) answer documents.

    `remiss` comes from `round_page_queryset()`."""
    responses = list(
        remiss.responses.select_related("lpo", "respondent")
        .annotate(comment_count=comment_count_subquery(response=OuterRef("pk")))
        .order_by("kind", "lpo__name", "pk")
    )
    # Keyed by what an invitation points at (an invitation to the round as a whole: None).
    by_id: dict[int | None, Response] = {r.pk: r for r in responses}
    # One read of the invitations serves both the viewer's own and the experts' table.
    accesses = list(
        remiss.accesses.filter(
            Q(kind=AccessKind.EXPERT) | Q(user_id=user.pk, revoked_at__isnull=True)
        )
        .select_related("user")
        .annotate(
            comment_count=comment_count_subquery(
                response=OuterRef("response_id"), author=OuterRef("user_id")
            )
        )
        .order_by("user__first_name", "pk")
    )
    for access in accesses:
        access.response = by_id.get(access.response_id)
    own = next((a for a in accesses if a.user_id == user.pk and a.is_active), None)
    viewer = viewer_of(remiss, user, responses, own)
    chairs = services.chairs_by_lpo({r.lpo_id for r in responses if r.lpo_id}, today)
    for response in responses:
        response.answerers = chairs[response.lpo_id] if response.lpo_id else [response.respondent]
        response.readable = viewer.may_read(response)
        response.answerable = response.pk in viewer.answers
    experts = []
    if not viewer.is_invited_only:
        # By the answer they contribute to, in the table's order of LPO names (the
        # municipalities' answer last), then by name: `responses` came sorted from the database.
        position: dict[int | None, tuple[bool, int]] = {
            r.pk: (r.lpo_id is None, i) for i, r in enumerate(responses)
        }
        experts = sorted(
            (
                a
                for a in accesses
                if a.kind == AccessKind.EXPERT
                and a.response_id in by_id
                and by_id[a.response_id].readable
            ),
            key=lambda a: position[a.response_id],
        )
    documents = []
    if viewer.oversees and not remiss.is_open:  # the page lists them for a closed round only
        documents = list(
            remiss.case.documents.filter(kind=DocumentKind.REMISS_ANSWER).order_by("-version")
        )
    submitted = sum(1 for r in responses if r.submitted_at)
    return {
        "remiss": remiss,
        "case": remiss.case,
        "viewer": viewer,
        "responses": responses,
        "responses_submitted": submitted,
        "answerable": [r for r in responses if r.answerable],
        "missing": [r for r in responses if not r.submitted_at],
        "experts": experts,
        "questions": list(remiss.questions.all()) if remiss.has_questions else [],
        "attachments": list(remiss.attachments.all()) if remiss.has_attachments else [],
        "documents": documents,
        "overdue": remiss.is_overdue(today),
        "internal_overdue": remiss.is_internal_overdue(today),
        "may_assess": viewer.coordinator or (own is not None and own.kind == AccessKind.MUNICIPAL),
    }


def answer_page(remiss: Remiss, response: Response) -> dict[str, Any]:
    """Comments of one answer with their authors and targets, and who is invited to it."""
    comments = list(
        response.comments.select_related("author", "question", "recommendation").order_by(
            "question__number", "recommendation__number", "created_at", "pk"
        )
    )
    counts = Counter(c.author_id for c in comments)
    experts = list(
        response.accesses.filter(kind=AccessKind.EXPERT)
        .select_related("user", "invited_by")
        .order_by("revoked_at", "user__first_name", "pk")
    )
    for access in experts:
        access.comment_count = counts[access.user_id]
    return {"comments": comments, "experts": experts}


def compile_page(remiss: Remiss) -> dict[str, Any]:
    """All answers side by side: each submitted answer's comments that reached the region's
    answer, and who has not answered."""
    responses = list(
        remiss.responses.select_related("lpo", "respondent", "submitted_by").order_by(
            "kind", "lpo__name", "pk"
        )
    )
    comments = list(
        services.compiled_comments(remiss).select_related(
            "author", "question", "recommendation", "response__lpo"
        )
    )
    by_response: dict[int, list[Comment]] = {}
    for comment in comments:
        by_response.setdefault(comment.response_id, []).append(comment)
    for response in responses:
        response.compiled = by_response.get(response.pk, [])
    return {
        "responses": responses,
        "submitted": [r for r in responses if r.submitted_at],
        "missing": [r for r in responses if not r.submitted_at],
        "comments": comments,
        "questions": list(remiss.questions.all()),
    }


# --- Other pages' blocks ------------------------------------------------------------------


# The home page lists at most this many rounds in each block.
HOME_LIMIT = 50


def invited_regions(user: User) -> QuerySet[Any]:
    """The regions of the consultation rounds `user` is invited to (as an expert or the
    municipalities' representative): their home page shows those rounds."""
    return RemissAccess.objects.active().filter(user_id=user.pk).values("remiss__case__region_id")


def _waiting_answers(user: User, chair_lpos: set[int]) -> list[Response]:
    """The open rounds' answers that wait for this person, in one query: their LPOs'
    unanswered ones (chairs) and those they are invited to (experts, the municipalities'
    representative), each with this person's invitation to it (`access_pk`, `access_kind`)
    if any."""
    answers = (
        Response.objects.filter(remiss__status__in=OPEN_STATUSES)
        .select_related("remiss__case__knowledge_support", "lpo")
        # The comments in, so the home page's "Påbörjat"/"Ej påbörjat" agrees with the round's
        # page (Response.status_label): one subquery per answer shown (at most 3 × HOME_LIMIT).
        .annotate(comment_count=comment_count_subquery(response=OuterRef("pk")))
        .order_by("remiss__internal_deadline", "pk")
    )
    if not chair_lpos:
        # Invitations only: joined directly, the cheapest to plan and to build.
        answers = answers.filter(
            accesses__user_id=user.pk, accesses__revoked_at__isnull=True
        ).annotate(access_pk=F("accesses__pk"), access_kind=F("accesses__kind"))
        return list(answers[: 3 * HOME_LIMIT])
    # Both kinds are found by index through one `IN (… UNION ALL …)` of answer ids; an `OR`
    # of the two conditions would read every answer in the country.
    invitations = RemissAccess.objects.active().filter(user_id=user.pk).order_by()
    unanswered = Response.objects.unanswered().filter(lpo_id__in=chair_lpos).order_by()
    ids = unanswered.values("pk").union(
        invitations.filter(response__isnull=False).values("response_id"), all=True
    )
    own = invitations.filter(response=OuterRef("pk"))
    answers = answers.filter(pk__in=ids).annotate(
        access_pk=Subquery(own.values("pk")[:1]), access_kind=Subquery(own.values("kind")[:1])
    )
    return list(answers[: 3 * HOME_LIMIT])


def home_sections(user: User) -> dict[str, Any]:
    """What waits for this person in consultation rounds (the home page's remiss block).

    One query for everyone (the answers that wait for them, see `_waiting_answers`); one more
    for strategists (the rounds at risk).
    """
    scope = scope_of(user)
    today = timezone.localdate()
    sections: dict[str, Any] = {}
    chair_lpos = scope.unit_ids("act_for_unit")
    to_answer, invited = [], []
    for response in _waiting_answers(user, chair_lpos):
        distributed = response.remiss.status == RemissStatus.DISTRIBUTED
        unanswered = not response.submitted_at
        if response.access_kind == AccessKind.EXPERT:
            invited.append(response)
        if not (distributed and unanswered):
            continue
        if response.lpo_id in chair_lpos or (
            response.access_kind == AccessKind.MUNICIPAL and response.respondent_id == user.pk
        ):
            to_answer.append(response)
    if chair_lpos or to_answer:
        sections["remisser_to_answer"] = to_answer[:HOME_LIMIT]
    if invited:
        # By deadline (a round without one last, as the database sorts), then in the order
        # the invitations came.
        invited.sort(key=lambda r: (r.remiss.internal_deadline or date.max, r.access_pk))
        sections["remisser_invited"] = invited[:HOME_LIMIT]
    if scope.coordinated_region_ids:
        sections["remisser_at_risk"] = list(
            Remiss.objects.filter(case__region_id__in=scope.coordinated_region_ids)
            .at_risk(today)
            .with_answer_counts()
            .select_related("case__knowledge_support")
            .order_by("reply_deadline", "pk")[:20]
        )
    if sections:
        sections["remisser_today"] = today
    return sections


# Past the national decision the round is history: its answer stays among the documents.
PANEL_STATES = {State.REMISS, State.NATIONAL_DECISION}


def case_panel(case: Case, user: User) -> dict[str, Any]:
    """The remiss block on the case page while the round matters: the round and a link, if
    this person may open it."""
    if case.state not in PANEL_STATES:
        return {}
    remiss = Remiss.objects.visible_to(user).filter(case=case).with_answer_counts().first()
    if remiss is None:
        if case.state == State.REMISS and scope_of(user).coordinates(case.region_id):
            # The strategist sees every round of the region: this case has none yet. It was
            # registered as starting with a remiss; the remiss is registered into it.
            register = reverse("remisser:remiss_register") + f"?arende={case.pk}"
            return {"remiss_panel": {"register_url": register}}
        return {}
    return {"remiss_panel": {"remiss": remiss, "today": timezone.localdate()}}


def answer_document_context(document: Document | SimpleNamespace) -> dict[str, Any]:
    """Context for `remisser/pdf/answer.html`: the round, the answers and every comment's
    disposition, so the PDF traces each comment to the region's answer."""
    remiss = (
        Remiss.objects.select_related("case__knowledge_support", "closed_by", "case__strategist")
        .filter(case_id=document.case_id)
        .first()
    )
    if remiss is None:
        return {}
    page = compile_page(remiss)
    return {
        "remiss": remiss,
        "responses": page["responses"],
        # The outgoing answer names the groups behind it, not the people or how each comment
        # was handled: that stays in the product, on the round's page.
        "answered_by": [r.name for r in page["responses"] if r.submitted_at],
        "missing": page["missing"],
        "questions": list(remiss.questions.all()),
    }


def answer_draft_context(remiss: Remiss) -> dict[str, Any]:
    """Context for previewing the compiled answer as a draft, before it is approved and sent."""
    from types import SimpleNamespace

    from django.utils import timezone

    context = answer_document_context(SimpleNamespace(case_id=remiss.case_id))
    return {
        **context,
        "case": context["remiss"].case,
        "title": "Utkast till remissvar",
        "generated_at": timezone.now(),
        "draft": True,
    }
