"""What the API reads, each list through the same scope as the product's pages.

A token sees exactly what its owner sees on the pages: cases through
`Case.objects.visible_to`, gap analyses through `GapAnalysis.objects.visible_to`, plans and
follow-up through `implementering.selectors.cases_visible_to`. Anything outside is not there
(404), never forbidden.
"""

from django.db.models import Count, Prefetch, Q, QuerySet

from gapanalys.models import CurrentState, GapAnalysis
from implementering.models import FollowUpIndicator, Measurement
from implementering.selectors import cases_visible_to as followup_cases_visible_to
from kunskapsstyrning.models import Case, Decision, Document, KnowledgeSupport, Recommendation
from organisation.models import User

from .models import ApiToken, secret_hash


def token_for_secret(secret: str) -> ApiToken | None:
    """The usable token with this secret, with its owner; None for an unknown, removed or
    deactivated one."""
    return (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(secret_sha256=secret_hash(secret))
        .first()
    )


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's tokens that still work, newest first."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True)


def knowledge_supports(user: User) -> QuerySet[KnowledgeSupport]:
    """The national catalogue with its recommendations: every signed-in user sees all of it,
    as on the pages."""
    return KnowledgeSupport.objects.select_related("npo").prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.order_by("number"))
    )


def cases(user: User) -> QuerySet[Case]:
    """The cases the user sees on the pages, with what the API shows of each."""
    return (
        Case.objects.visible_to(user)
        .select_related("knowledge_support", "region", "responsible_lpo")
        .prefetch_related("municipalities")
    )


def decisions(user: User) -> QuerySet[Decision]:
    """Decisions of the cases the user sees, with their documents."""
    return (
        Decision.objects.filter(case__in=Case.objects.visible_to(user).values("pk"))
        .select_related("case", "deciding_body")
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.order_by("kind", "version"))
        )
    )


def gap_analyses(user: User) -> QuerySet[GapAnalysis]:
    """The gap analyses the user sees, each with its rows counted per current state.

    Rows and assessed rows are the summary the services keep on the analysis; the three
    states are counted here, one grouped query per page.
    """
    return (
        GapAnalysis.objects.visible_to(user)
        .select_related("case")
        .annotate(
            done_count=Count("rows", filter=Q(rows__current_state=CurrentState.DONE)),
            partly_count=Count("rows", filter=Q(rows__current_state=CurrentState.PARTLY)),
            not_done_count=Count("rows", filter=Q(rows__current_state=CurrentState.NOT_DONE)),
            not_applicable_count=Count(
                "rows", filter=Q(rows__current_state=CurrentState.NOT_APPLICABLE)
            ),
        )
    )


def indicators(user: User) -> QuerySet[FollowUpIndicator]:
    """The follow-up indicators of the cases whose plan and follow-up the user sees."""
    return FollowUpIndicator.objects.filter(
        case__in=followup_cases_visible_to(user).values("pk")
    ).select_related("case", "national")


def measurements(user: User) -> QuerySet[Measurement]:
    """The measurements of those indicators."""
    return Measurement.objects.filter(
        indicator__case__in=followup_cases_visible_to(user).values("pk")
    ).select_related("indicator")
