"""The API's endpoints (read-only, JSON) and its two pages: the guide and the user's tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from common.confirm import confirmation_step
from organisation import changes

from . import filters, selectors, serializers, services
from .forms import TokenForm


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A list with its filters and pages, and one object by id, both read through `scoped`:
    the selector that gives what the key's owner sees. A parameter the operation does not know
    is refused (400) rather than ignored: a misspelt filter would otherwise answer with
    everything, unfiltered, and look right."""

    scoped = None  # a selector: user -> queryset

    def get_queryset(self):
        return self.scoped(self.request.user)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # the key first: without one, 401
        if self.action not in ("list", "retrieve"):
            return  # a method the API does not take: 405 follows
        known = set()
        if self.action == "list":
            known = set(self.filterset_class.base_filters) | {
                self.paginator.cursor_query_param,
                self.paginator.page_size_query_param,
            }
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError({name: [_("Okänd parameter.")] for name in unknown})
        # A filter given without a value ("?state=") would answer with everything, as a
        # misspelt one would: refused too.
        filters = set(self.filterset_class.base_filters) if self.action == "list" else set()
        empty = sorted(
            name
            for name, value in request.query_params.items()
            if name in filters and not value.strip()
        )
        if empty:
            raise ValidationError(
                {name: [_("Ange ett värde eller utelämna parametern.")] for name in empty}
            )

    # An answer is kept for its key's owner until something changes in the regions they
    # follow (organisation.changes): an intranet or a BI tool asks the same again and again.
    # A page of 50 cases at scale N, in-process p50: 3.0x R1 serialised every time, 1.25x kept.

    def list(self, request, *args, **kwargs):
        return self._kept(
            request, lambda: super(ReadOnlyViewSet, self).list(request, *args, **kwargs)
        )

    def retrieve(self, request, *args, **kwargs):
        return self._kept(
            request, lambda: super(ReadOnlyViewSet, self).retrieve(request, *args, **kwargs)
        )

    def _kept(self, request, answer):
        user = request.user
        key = changes.followed_key(
            "api-answer",
            user,
            request.get_host(),  # the pages' links are absolute
            request.get_full_path(),
        )
        data = cache.get(key)
        if data is not None:
            return Response(data)
        response = answer()
        if response.status_code == 200:
            cache.set(key, response.data, changes.KEPT_SECONDS)
        return response


def _documented(tag, singular, plural):
    return extend_schema_view(
        list=extend_schema(tags=[tag], summary=plural),
        retrieve=extend_schema(tags=[tag], summary=singular),
    )


@_documented("kunskapsstöd", "Ett kunskapsstöd med rekommendationer", "Kunskapsstöden")
class KnowledgeSupportViewSet(ReadOnlyViewSet):
    """The national catalogue: every signed-in user sees it, as on the pages."""

    serializer_class = serializers.KnowledgeSupportSerializer
    filterset_class = filters.KnowledgeSupportFilter
    scoped = staticmethod(selectors.knowledge_supports)


@_documented("ärenden", "Ett ärende", "Ärendena nyckelns ägare ser")
class CaseViewSet(ReadOnlyViewSet):
    serializer_class = serializers.CaseSerializer
    filterset_class = filters.CaseFilter
    scoped = staticmethod(selectors.cases)


@_documented("beslut", "Ett beslut med dokument", "Besluten i ärendena nyckelns ägare ser")
class DecisionViewSet(ReadOnlyViewSet):
    serializer_class = serializers.DecisionSerializer
    filterset_class = filters.DecisionFilter
    scoped = staticmethod(selectors.decisions)


@_documented("gap-analyser", "En gap-analys i siffror", "Gap-analyserna i siffror")
class GapAnalysisViewSet(ReadOnlyViewSet):
    serializer_class = serializers.GapAnalysisSerializer
    filterset_class = filters.GapAnalysisFilter
    scoped = staticmethod(selectors.gap_analyses)


@_documented("uppföljning", "En indikator med mätvärden", "Uppföljningsindikatorerna")
class IndicatorViewSet(ReadOnlyViewSet):
    filterset_class = filters.IndicatorFilter
    scoped = staticmethod(selectors.indicators)

    def get_queryset(self):
        if self.action == "retrieve":
            return super().get_queryset().prefetch_related("measurements")
        return super().get_queryset()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.IndicatorDetailSerializer
        return serializers.IndicatorSerializer


@_documented("uppföljning", "Ett mätvärde", "Mätvärdena")
class MeasurementViewSet(ReadOnlyViewSet):
    serializer_class = serializers.MeasurementSerializer
    filterset_class = filters.MeasurementFilter
    scoped = staticmethod(selectors.measurements)


def not_found(request, path=""):
    """Anything else under /api/v1/: a JSON 404 like every answer of the API (an id that is no
    number never reaches a view, and the product's 404 page is HTML)."""
    return JsonResponse({"detail": _("Finns inte.")}, status=404)


# --- Pages --------------------------------------------------------------------------------


@login_required
def guide(request):
    return render(
        request,
        "api/guide.html",
        {"example_url": request.build_absolute_uri(reverse("api:case-list"))},
    )


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        token, secret = services.token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {"form": form, "tokens": selectors.tokens_of(request.user), "secret": secret},
    )
    if secret:
        # The secret is in this page only: no cache, proxy or back button may keep it.
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def token_delete(request, pk):
    # Another person's token, or one already removed, does not exist here (404).
    token = get_object_or_404(selectors.tokens_of(request.user), pk=pk)
    if confirm := confirmation_step(
        request,
        question=_("Ta bort API-nyckeln „%(name)s“?") % {"name": token.name},
        consequence=_(
            "Det som använder nyckeln (%(prefix)s…) får inte längre svar från API:t. "
            "Det går inte att ångra."
        )
        % {"prefix": token.prefix},
        confirm_label=_("Ja, ta bort nyckeln"),
        back_url=reverse("api:tokens"),
    ):
        return confirm
    services.token_revoke(token_id=token.pk, actor=request.user)
    messages.success(request, _("API-nyckeln „%(name)s“ togs bort.") % {"name": token.name})
    return redirect("api:tokens")
