from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from common.forms import whole_number
from common.fragments import version_of
from common.refusals import ActionRefused, show_refusal
from gapanalys.models import GapAnalysis
from kunskapsstyrning.models import Case, KnowledgeSupport
from organisation.models import Region
from organisation.permissions import require, scope_of

from . import selectors, services
from .forms import NationalDecisionForm, SharingForm
from .spreadsheets import support_workbook

SUPPORTS_PER_PAGE = 25


@require_safe
def overview(request):
    """Every knowledge support some region works on, with each region's station. Open to every
    signed-in user; to the public with the regions that chose to be seen."""
    text = request.GET.get("q", "").strip()
    page = Paginator(selectors.overview(request.user, text), SUPPORTS_PER_PAGE).get_page(
        request.GET.get("sida")
    )
    stations = selectors.stations_of([support.pk for support in page.object_list], request.user)
    for support in page.object_list:
        support.regional = stations[support.pk]
    # The list is rendered once for what it shows (cached on a digest of it): 525 stations at
    # scale N were most of the page's time, and they change only when a case moves.
    stations_version = version_of(
        [
            (s.pk, s.title, s.version, [(st.region, st.state) for st in s.regional])
            for s in page.object_list
        ]
    )
    query = urlencode({"q": text}) if text else ""  # the pager keeps the search
    scope = scope_of(request.user)
    context = {
        "page": page,
        "stations_version": stations_version,
        "q": text,
        "query": query,
        "can_set_sharing": scope.is_admin or bool(scope.region_ids("administer_organisation")),
    }
    return render(request, "nationellt/overview.html", context)


@login_required
def support_regions(request, pk):
    """How the regions that work on one support stand, and how their analyses came out."""
    support = get_object_or_404(KnowledgeSupport, pk=pk)
    across = selectors.across_regions(support, request.user, tally_page=request.GET.get("sida", 1))
    # Both tables are rendered once for what they show (cached on a digest of it).
    stations_version = version_of(
        [
            (w.region.pk, w.region.name, w.case.state, w.passed, w.assessed, w.shares_more)
            + (w.sharing.share_analysis, w.sharing.share_plan, w.sharing.share_indicators)
            for w in across["regional"]
        ]
    )
    tally_version = version_of(
        [(r.number, r.text, [n for _label, n in r.counts]) for r in across["recommendations"]]
    )
    context = {"support": support, **across}
    context.update(stations_version=stations_version, tally_version=tally_version)
    return render(request, "nationellt/support.html", context)


@require_safe
@login_required
def support_region(request, pk, region_pk):
    """What one region shares of its work with one support: its analysis row by row, its
    plan's activities, its indicators — each only if the region shares it."""
    support = get_object_or_404(KnowledgeSupport, pk=pk)
    across = selectors.across_regions(support, request.user, details={region_pk})
    work = next((w for w in across["regional"] if w.region.pk == region_pk), None)
    if work is None:  # no such region, or it has no case for the support
        raise Http404
    context = {
        "support": support,
        "work": work,
        "points": across["points"],
        "to_fill": selectors.analyses_to_fill(request.user, support.pk) if work.rows else [],
    }
    return render(request, "nationellt/support_region.html", context)


@require_safe
@login_required
def support_export(request, pk):
    """The cross-region page as a workbook, with exactly what the page shows."""
    support = get_object_or_404(KnowledgeSupport, pk=pk)
    across = selectors.across_regions(support, request.user, details="all")
    data = support_workbook(support, across)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"regionerna-{slugify(support.title)[:60]}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@login_required
def start_from(request, pk):
    """A LAG starts its analysis from another region's shared analysis of the same support."""
    try:
        analysis_id, source_id = int(request.POST["analysis"]), int(request.POST["source"])
    except (KeyError, ValueError):
        raise Http404 from None
    filled = services.analysis_start_from(
        analysis_id=analysis_id, actor=request.user, source_case_id=source_id
    )
    analysis = GapAnalysis.objects.select_related("case").get(pk=analysis_id)
    if filled:
        messages.success(
            request,
            ngettext(
                "%(n)s rad fick förslag och konsekvenser från mallen. Bedöm den själva.",
                "%(n)s rader fick förslag och konsekvenser från mallen. Bedöm dem själva.",
                filled,
            )
            % {"n": filled},
        )
    else:
        messages.info(request, _("Inga orörda rader att fylla: analysen var redan påbörjad."))
    return redirect("gapanalys:gap_analysis", pk=analysis.case_id)


@login_required
def sharing(request):
    """A region's organisation administrator chooses what the region shares."""
    scope = scope_of(request.user)
    regions = Region.objects.order_by("name")
    if not scope.is_admin:
        regions = regions.filter(pk__in=scope.region_ids("administer_organisation"))
    require(regions.exists(), _("Bara regionens organisationsadministratörer ändrar delningen."))
    chosen = request.GET.get("region")
    region_id = whole_number(chosen) if chosen else regions.first().pk
    if region_id is None:  # "abc", "²", a number too long for an id: no region, not a 500
        raise Http404
    region = get_object_or_404(regions, pk=region_id)
    current = selectors.sharing_of(region)
    form = SharingForm(
        request.POST if request.method == "POST" else None,
        initial=SharingForm.initial_from(current),
    )
    if request.method == "POST" and form.is_valid():
        services.sharing_save(region=region, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("Regionens delning sparades."))
        return redirect(f"{request.path}?region={region.pk}")
    return render(
        request,
        "nationellt/sharing.html",
        {"form": form, "region": region, "regions": regions, "current": current},
    )


@login_required
def national_decision(request, pk):
    """The region's strategist records the national decision on the case's support, or applies
    the one already recorded (from another region's case of the same support)."""
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related(
            "knowledge_support", "region", "responsible_lpo"
        ),
        pk=pk,
    )
    require(
        services.may_record_national_decision(request.user, case),
        _("Bara regionens strateger registrerar det nationella beslutet."),
    )
    recorded = selectors.national_decision_of(case)
    waiting = case.state in services.AWAITING_NATIONAL
    form = None
    if recorded is None and waiting:
        form = NationalDecisionForm(request.POST or None, case=case)
    if request.method == "POST" and waiting:
        try:
            if recorded is not None:
                services.national_decision_apply(case_id=case.pk, actor=request.user)
            elif form.is_valid():
                services.national_decision_record(
                    case_id=case.pk, actor=request.user, **form.cleaned_data
                )
            else:
                return _national_decision_page(request, case, form, recorded, waiting)
        except ActionRefused as exc:
            show_refusal(request, exc)
            return redirect("nationellt:national_decision", pk=case.pk)
        messages.success(request, _("Det nationella beslutet är registrerat för ärendet."))
        return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    return _national_decision_page(request, case, form, recorded, waiting)


def _national_decision_page(request, case, form, recorded, waiting):
    return render(
        request,
        "nationellt/national_decision.html",
        {"case": case, "form": form, "recorded": recorded, "waiting": waiting},
    )
