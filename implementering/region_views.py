"""The region-wide follow-up report's pages (`region_report`): the report for a period, its
PDF and spreadsheet, and a large report made in the background with its progress."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common import charts
from organisation.permissions import scope_of

from . import region_report as reports
from . import selectors
from .forms import ReportPeriodForm
from .models import RegionReport


def _period(request, data):
    """The form and the period it asks for (the last full year when empty), or None."""
    form = ReportPeriodForm(data if data.get("fran") or data.get("till") else None)
    if not form.is_bound:
        period = reports.default_period(timezone.localdate())
        form = ReportPeriodForm(initial={"fran": period.start, "till": period.end})
        return form, period
    if not form.is_valid():
        return form, None
    return form, reports.ReportPeriod(form.cleaned_data["fran"], form.cleaned_data["till"])


def _page(region, period=None):
    url = reverse("uppfoljning:region_report", args=[region.pk])
    return f"{url}?{period.query}" if period else url


@login_required
def report_start(request):
    # One who oversees several regions (a superuser: all 21) starts where there is most to
    # follow up, not in the first region by name; the report page lets them choose another.
    region = (
        reports.regions_for_report(request.user)
        .annotate(
            followed=Count("cases", filter=Q(cases__state__in=reports.FOLLOW_UP_NOW)),
        )
        .order_by("-followed", "name")
        .first()
    )
    if region is None:
        if any(scope_of(request.user).regions.values()):
            raise PermissionDenied(_("Regionens uppföljningsrapport är för strateger och ledning."))
        raise Http404
    query = request.GET.urlencode()
    return redirect(_page(region) + (f"?{query}" if query else ""))


@login_required
def region_report(request, region_id):
    region = reports.region_for_report(request.user, region_id)
    form, period = _period(request, request.GET)
    context = {
        "region": region,
        "form": form,
        "period": period,
        "regions": list(reports.regions_for_report(request.user).order_by("name"))
        if scope_of(request.user).is_admin or len(scope_of(request.user).overseen_region_ids) > 1
        else [],
        "rules": charts.RULES,
        "background_above": reports.BACKGROUND_ABOVE,
    }
    if period is not None:
        total = reports.report_cases(region, period).count()
        background = total > reports.BACKGROUND_ABOVE
        report = reports.region_followup(region, period, with_charts=not background)
        if not report.measured_count:
            # Nothing measured in the period: say when something last was, if ever.
            latest = reports.latest_measured_year(region)
            if latest is not None and latest < period.start.year:
                context["latest"] = reports.year_period(latest)
        context.update(
            {
                "report": report,
                "background": background,
                "made": list(
                    RegionReport.objects.filter(
                        region=region, period_start=period.start, period_end=period.end
                    ).order_by("-requested_at")[:5]
                )
                if background
                else [],
            }
        )
    return render(request, "implementering/region_report.html", context)


def _small_report(request, region_id):
    """The region and the report's content for a download made in the request, or a redirect
    to the page (the input is wrong, or the report is made in the background)."""
    region = reports.region_for_report(request.user, region_id)
    form, period = _period(request, request.GET)
    if period is None:
        return region, None, redirect(_page(region) + "?" + request.GET.urlencode())
    if reports.report_cases(region, period).count() > reports.BACKGROUND_ABOVE:
        messages.info(
            request,
            _("Rapporten är stor: skapa den i bakgrunden och ladda ner filerna när den är klar."),
        )
        return region, None, redirect(_page(region, period))
    return region, reports.region_followup(region, period), None


def _download(data, filename, content_type):
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def region_report_pdf(request, region_id):
    region, report, refused = _small_report(request, region_id)
    if refused is not None:
        return refused
    data, _pages = reports.report_pdf(report)
    return _download(
        data,
        reports.report_filename(region, report.period, "pdf"),
        reports.CONTENT_TYPES["pdf"],
    )


@login_required
def region_report_xlsx(request, region_id):
    region, report, refused = _small_report(request, region_id)
    if refused is not None:
        return refused
    return _download(
        reports.report_xlsx(report),
        reports.report_filename(region, report.period, "xlsx"),
        reports.CONTENT_TYPES["xlsx"],
    )


@require_POST
@login_required
def region_report_request(request, region_id):
    region = reports.region_for_report(request.user, region_id)
    form, period = _period(request, request.POST)
    if period is None:
        typed = {name: request.POST.get(name, "") for name in ("fran", "till")}
        return redirect(_page(region) + "?" + urlencode(typed))
    report = reports.region_report_request(region=region, period=period, actor=request.user)
    return redirect("uppfoljning:report_status", report_id=report.pk)


@login_required
def report_status(request, report_id):
    report = reports.report_for(request.user, report_id)
    period = reports.ReportPeriod(report.period_start, report.period_end)
    return render(
        request,
        "implementering/region_report_status.html",
        {"report": report, "period": period, "page": _page(report.region, period)},
    )


@login_required
def report_file(request, report_id, kind):
    if kind not in reports.CONTENT_TYPES:
        raise Http404
    return reports.report_file_response(reports.report_for(request.user, report_id), kind)


# The overdue activities' list: this many a page.
OVERDUE_PER_PAGE = 50


@login_required
def overdue_activities(request):
    """Every overdue activity of the plans the person follows (a chair's LPOs', a strategist's
    or decision-maker's regions), the most overdue first: what the home page's list of the
    first few leads to."""
    overdue = selectors.overdue_activities(request.user)
    if overdue is None:
        raise PermissionDenied(
            _("Försenade aktiviteter visas för LPO:ernas ordförande, strateger och ledning.")
        )
    activities = overdue.select_related(
        "plan__case__knowledge_support", "plan__case__responsible_lpo"
    ).order_by("due", "pk")
    page = Paginator(activities, OVERDUE_PER_PAGE).get_page(request.GET.get("sida"))
    return render(
        request,
        "implementering/overdue_activities.html",
        {"page": page, "today": timezone.localdate()},
    )
