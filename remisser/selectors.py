"""Reads of consultation rounds: the list, a round's page, the home page blocks, the case
panel and the compiled answer's document."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from kunskapsstyrning.models import DocumentKind, State
from organisation.permissions import scope_of

from . import services
from .models import (
    OPEN_STATUSES,
    AccessKind,
    Comment,
    Remiss,
    RemissAccess,
    RemissStatus,
    Response,
)


def round_queryset():
    return Remiss.objects.select_related(
        "case", "case__region", "case__knowledge_support", "case__strategist"
    )


def round_list(user, filter_form, today):
    """The rounds this person may see, open ones first by deadline, with answer counts."""
    rounds = filter_form.apply(Remiss.objects.visible_to(user), today)
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
    answers: set = field(default_factory=set)  # response ids this person answers for
    lpo_ids: set = field(default_factory=set)  # LPOs whose answers this person may read
    access: RemissAccess | None = None

    @property
    def is_invited_only(self):
        """An expert (or municipal coordinator) who reaches the round by invitation only."""
        return not (self.oversees or self.answers or self.lpo_ids)

    def may_read(self, response):
        return (
            self.oversees
            or response.pk in self.answers
            or (response.lpo_id is not None and response.lpo_id in self.lpo_ids)
        )


def viewer_of(remiss, user, responses):
    scope = scope_of(user)
    region_id = remiss.case.region_id
    return Viewer(
        coordinator=services.is_round_coordinator(user, remiss),
        oversees=scope.is_admin or region_id in scope.overseen_region_ids,
        answers={r.pk for r in responses if services.may_answer(user, r)},
        lpo_ids={r.lpo_id for r in responses if scope.has("view_unit_cases", r.lpo_id)},
        access=RemissAccess.objects.active()
        .filter(remiss=remiss, user_id=user.pk)
        .select_related("response")
        .first(),
    )


def comment_counts(remiss):
    """(response id, author id) → number of comments, in one query."""
    rows = Comment.objects.filter(response__remiss=remiss).values_list("response_id", "author_id")
    return Counter(rows)


def round_page(remiss, user, today):
    """Everything the round's page shows, in a fixed number of queries:
    responses, the viewer's invitation, invitations, comment counts, chairs, questions,
    attachments and (for those who read the whole round) the answer documents."""
    responses = list(
        remiss.responses.select_related("lpo", "respondent", "submitted_by").order_by(
            "kind", "lpo__name", "pk"
        )
    )
    viewer = viewer_of(remiss, user, responses)
    counts = comment_counts(remiss) if not viewer.is_invited_only else Counter()
    per_response = Counter()
    for (response_id, _author), n in counts.items():
        per_response[response_id] += n
    chairs = services.chairs_by_lpo({r.lpo_id for r in responses if r.lpo_id}, today)
    for response in responses:
        response.comment_count = per_response[response.pk]
        response.answerers = chairs[response.lpo_id] if response.lpo_id else [response.respondent]
        response.readable = viewer.may_read(response)
        response.answerable = response.pk in viewer.answers
    experts = []
    if not viewer.is_invited_only:
        readable = {r.pk for r in responses if r.readable}
        accesses = (
            remiss.accesses.filter(kind=AccessKind.EXPERT, response_id__in=readable)
            .select_related("user", "response__lpo")
            .order_by("response__lpo__name", "user__first_name", "pk")
        )
        for access in accesses:
            access.comment_count = counts[(access.response_id, access.user_id)]
            experts.append(access)
    documents = []
    if viewer.oversees:
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
        "missing": [r for r in responses if not r.submitted_at],
        "experts": experts,
        "questions": list(remiss.questions.all()),
        "attachments": list(remiss.attachments.all()),
        "documents": documents,
        "overdue": remiss.is_overdue(today),
        "internal_overdue": remiss.is_internal_overdue(today),
        "may_assess": viewer.coordinator
        or (viewer.access is not None and viewer.access.kind == AccessKind.MUNICIPAL),
    }


def answer_page(remiss, response):
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


def compile_page(remiss):
    """All answers side by side: each submitted answer's comments that reached the region's
    answer, and who has not answered."""
    responses = list(
        remiss.responses.select_related("lpo", "respondent", "submitted_by").order_by(
            "kind", "lpo__name", "pk"
        )
    )
    comments = list(
        services.compiled_comments(remiss)
        .select_related("author", "question", "recommendation", "response__lpo")
        .order_by(
            "response__kind",
            "response__lpo__name",
            "response_id",
            "question__number",
            "recommendation__number",
            "created_at",
            "pk",
        )
    )
    by_response = {}
    for comment in comments:
        by_response.setdefault(comment.response_id, []).append(comment)
    for response in responses:
        response.compiled = by_response.get(response.pk, [])
    return {
        "responses": responses,
        "submitted": [r for r in responses if r.submitted_at],
        "missing": [r for r in responses if not r.submitted_at],
        "comments": comments,
    }


# --- Other pages' blocks ------------------------------------------------------------------


def home_sections(user):
    """What waits for this person in consultation rounds (the home page's remiss block).

    One query for everyone (their invitations: experts, and municipal representatives who
    answer for the municipalities); one more for chairs and one more for strategists.
    """
    scope = scope_of(user)
    today = timezone.localdate()
    sections = {}
    accesses = list(
        RemissAccess.objects.active()
        .filter(user_id=user.pk, remiss__status__in=OPEN_STATUSES)
        .select_related("remiss__case__knowledge_support", "response__lpo")
        .order_by("remiss__internal_deadline", "pk")[:50]
    )
    to_answer = [
        a.response
        for a in accesses
        if a.kind == AccessKind.MUNICIPAL
        and a.response is not None
        and a.response.respondent_id == user.pk
        and not a.response.submitted_at
        and a.remiss.status == RemissStatus.DISTRIBUTED
    ]
    for response in to_answer:
        response.remiss = next(a.remiss for a in accesses if a.response_id == response.pk)
    chair_lpos = scope.unit_ids("act_for_unit")
    if chair_lpos:
        to_answer += list(
            Response.objects.unanswered()
            .filter(remiss__status=RemissStatus.DISTRIBUTED, lpo_id__in=chair_lpos)
            .select_related("remiss__case__knowledge_support", "lpo")
            .order_by("remiss__internal_deadline", "pk")[:50]
        )
        to_answer.sort(key=lambda r: (r.remiss.internal_deadline, r.pk))
    if chair_lpos or to_answer:
        sections["remisser_to_answer"] = to_answer
    invited = [a for a in accesses if a.kind == AccessKind.EXPERT]
    if invited:
        sections["remisser_invited"] = invited
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


def case_panel(case, user):
    """The remiss block on the case page while the round matters: the round and a link, if
    this person may open it."""
    if case.state not in PANEL_STATES:
        return {}
    remiss = Remiss.objects.visible_to(user).filter(case=case).with_answer_counts().first()
    if remiss is None:
        return {}
    return {"remiss_panel": {"remiss": remiss, "today": timezone.localdate()}}


def answer_document_context(document):
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
        "missing": page["missing"],
        "questions": list(remiss.questions.all()),
    }
