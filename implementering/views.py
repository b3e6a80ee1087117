import csv
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from common import charts
from common.confirm import confirmation_step
from common.forms import recall, recalled_key, remember_invalid
from common.refusals import ActionRefused, refusal_text, show_refusal
from gapanalys.models import STATES_NEEDING_PROPOSAL, GapRow
from kunskapsstyrning import services as case_services
from kunskapsstyrning.models import Document, DocumentKind, State
from organisation.permissions import require

from . import selectors, services
from .forms import (
    PART_FORMS,
    ActivityForm,
    AnchorForm,
    CycleForm,
    ExclusionForm,
    GoalForm,
    IndicatorForm,
    MeasurementForm,
    MeasurementImportForm,
    NationalIndicatorForm,
    ProgressForm,
    ReplanForm,
    TickForm,
)
from .imports import MeasurementImportError, import_measurements
from .models import (
    Activity,
    ActivityStatus,
    ChecklistItem,
    FollowUpIndicator,
    ImplementationPlan,
    ImprovementCycle,
    Measurement,
    Requirement,
    period_start,
)

PART_TITLES = {
    "kommunikation": (_("Kommunikationsinsats"), "h-communication"),
    "milstolpar": (_("Milstolpe"), "h-milestones"),
    "utfasning": (_("Utfasning"), "h-phase-out"),
}


def _case_for(request, pk):
    """The case if its plan is the user's to see (404 otherwise)."""
    visible = selectors.cases_visible_to(request.user)
    case = visible.select_related("region", "knowledge_support", "responsible_lpo").filter(pk=pk)
    case = case.first()
    if case is None:
        raise Http404
    return case


def _plan_for(case):
    plan = ImplementationPlan.objects.filter(case=case).select_related("anchored_by").first()
    if plan is None:
        raise Http404
    return plan


def _form_error(form, exc):
    """Put a service's validation error on the form (on its field where it names one)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- The plan -------------------------------------------------------------------------------


@login_required
def plan_detail(request, pk):
    case = _case_for(request, pk)
    rights = services.plan_rights(request.user, case)
    plan = ImplementationPlan.objects.filter(case=case).select_related("anchored_by").first()
    if plan is None:
        return render(
            request,
            "implementering/plan_start.html",
            {
                "case": case,
                "rights": rights,
                "can_start": rights.edits_plan and case.state in services.PLAN_STATES,
            },
        )
    activities = selectors.plan_activities(plan)
    mine = request.GET.get("visa") == "mina"
    shown = [a for a in activities if rights.edits(a.principal)] if mine else activities
    milestones = list(plan.milestones.all())
    editable = case.state in services.PLAN_STATES
    # An activity's progress report that was sent without a status comes back with its errors.
    progress_key = recalled_key(request, "progress-")
    progress_activity = int(progress_key.removeprefix("progress-")) if progress_key else None
    progress_form = (
        recall(request, progress_key, partial(ProgressForm, auto_id=f"%s-{progress_activity}"))
        if progress_key
        else None
    )
    return render(
        request,
        "implementering/plan_detail.html",
        {
            "case": case,
            "plan": plan,
            "rights": rights,
            "editable": editable,
            "activities": shown,
            "showing_mine": mine,
            "counts": selectors.activity_counts(activities),
            "communication": list(plan.communication_items.all()),
            "milestones": milestones,
            "phase_outs": list(plan.phase_outs.all()),
            "coverage": selectors.gap_coverage(plan),
            # A joint case's principals and whether each takes part (one that said no does
            # not): the plan is theirs. Three queries, for joint cases only.
            "principals": _principals(case) if case.joint else None,
            "timeline": selectors.timeline(plan, activities, milestones),
            "can_anchor": rights.leads and case.state == State.PLANNING,
            "all_done": bool(activities) and all(not a.is_open for a in activities),
            "status_choices": ActivityStatus.choices,
            "progress_form": progress_form,
            "progress_activity": progress_activity,
        },
    )


def _principals(case):
    """Who takes part in the joint case's plan, and who said no (with the part that said it)."""
    principals = case_services.taking_part(case)
    return {
        "taking_part": [name for name, takes_part, _part in principals if takes_part],
        "declined": [(name, part) for name, takes_part, part in principals if not takes_part],
    }


@require_POST
@login_required
def plan_start(request, pk):
    case = _case_for(request, pk)
    require(
        services.plan_rights(request.user, case).edits_plan,
        _("Du arbetar inte med det här ärendets plan."),
    )
    try:
        services.plan_start(case_id=case.pk, actor=request.user)
    except ActionRefused as exc:
        show_refusal(request, exc)
        return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    messages.success(request, _("Införandeplanen är påbörjad."))
    return redirect("implementering:plan_detail", pk=case.pk)


@login_required
def plan_goal(request, pk):
    case = _case_for(request, pk)
    plan = _plan_for(case)
    require(
        services.plan_rights(request.user, case).edits_plan,
        _("Du arbetar inte med det här ärendets plan."),
    )
    form = GoalForm(request.POST or None, initial={"goal": plan.goal})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_goal_save(
                case_id=case.pk, actor=request.user, goal=form.cleaned_data["goal"]
            )
        except ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Målet sparades."))
            return redirect("implementering:plan_detail", pk=case.pk)
    return render(
        request,
        "implementering/form_page.html",
        {
            "case": case,
            "form": form,
            "title": _("Mål med införandet"),
            "back": "implementering:plan_detail",
            "submit": _("Spara"),
        },
    )


def _gap_rows_for(case):
    return (
        GapRow.objects.filter(analysis__case=case, current_state__in=STATES_NEEDING_PROPOSAL)
        .select_related("recommendation")
        .order_by("recommendation__number")
    )


@login_required
def activity_edit(request, pk, activity_pk=None):
    case = _case_for(request, pk)
    plan = _plan_for(case)
    rights = services.plan_rights(request.user, case)
    activity = get_object_or_404(Activity, pk=activity_pk, plan=plan) if activity_pk else None
    require(
        rights.edits(activity.principal) if activity else rights.edits_plan,
        _("Aktiviteter ändras av den ansvariga huvudmannens företrädare."),
    )
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        gap_rows=_gap_rows_for(case),
        principal_choices=rights.principal_choices,
        municipalities=services.participating_municipalities(case) if case.joint else None,
    )
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in services.ACTIVITY_FIELDS
            if name in form.cleaned_data
        }
        try:
            services.activity_save(
                case_id=case.pk,
                actor=request.user,
                data=data,
                gap_row_ids=[row.pk for row in form.cleaned_data["gap_rows"]],
                activity_id=activity.pk if activity else None,
            )
        except ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Aktiviteten sparades."))
            return redirect("implementering:plan_detail", pk=case.pk)
    return render(
        request,
        "implementering/activity_form.html",
        {"case": case, "form": form, "activity": activity},
    )


@require_POST
@login_required
def activity_progress(request, pk, activity_pk):
    case = _case_for(request, pk)
    plan = _plan_for(case)
    activity = get_object_or_404(Activity, pk=activity_pk, plan=plan)
    require(
        services.plan_rights(request.user, case).edits(activity.principal),
        _("Aktiviteter ändras av den ansvariga huvudmannens företrädare."),
    )
    form = ProgressForm(request.POST)
    if not form.is_valid():
        remember_invalid(request, f"progress-{activity.pk}", form)
    else:
        try:
            services.activity_progress(
                case_id=case.pk, actor=request.user, activity_id=activity.pk, **form.cleaned_data
            )
        except ActionRefused as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("”%(title)s” uppdaterades.") % {"title": activity.title})
    return redirect(f"{_plan_url(case)}#aktivitet-{activity.pk}")


def _plan_url(case):
    return reverse("implementering:plan_detail", args=[case.pk])


def _to(name, case, anchor):
    return redirect(f"{reverse(f'implementering:{name}', args=[case.pk])}#{anchor}")


@require_POST
@login_required
def activity_delete(request, pk, activity_pk):
    case = _case_for(request, pk)
    plan = _plan_for(case)
    activity = get_object_or_404(Activity, pk=activity_pk, plan=plan)
    require(
        services.plan_rights(request.user, case).edits(activity.principal),
        _("Aktiviteter ändras av den ansvariga huvudmannens företrädare."),
    )
    if confirm := confirmation_step(
        request,
        question=_("Ta bort aktiviteten „%(name)s“?") % {"name": activity},
        confirm_label=_("Ja, ta bort aktiviteten"),
        back_url=reverse(
            "implementering:activity_edit", kwargs={"pk": case.pk, "activity_pk": activity.pk}
        ),
    ):
        return confirm
    try:
        services.activity_delete(case_id=case.pk, actor=request.user, activity_id=activity.pk)
    except ActionRefused as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Aktiviteten togs bort."))
    return redirect("implementering:plan_detail", pk=case.pk)


def _part(kind):
    if kind not in services.PARTS:
        raise Http404
    return services.PARTS[kind]


@login_required
def part_edit(request, pk, kind, part_pk=None):
    model = _part(kind)
    case = _case_for(request, pk)
    plan = _plan_for(case)
    rights = services.plan_rights(request.user, case)
    part = get_object_or_404(model, pk=part_pk, plan=plan) if part_pk else None
    allowed = rights.edits(part.principal) if kind == "utfasning" and part else rights.edits_plan
    require(allowed, _("Du får inte ändra den här delen av planen."))
    extra = {"principal_choices": rights.principal_choices} if kind == "utfasning" else {}
    form = PART_FORMS[kind](request.POST or None, instance=part, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_part_save(
                case_id=case.pk,
                actor=request.user,
                model=model,
                data=form.cleaned_data,
                part_id=part.pk if part else None,
            )
        except ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Planen sparades."))
            return redirect(f"{_plan_url(case)}#{PART_TITLES[kind][1]}")
    title = PART_TITLES[kind][0]
    return render(
        request,
        "implementering/form_page.html",
        {
            "case": case,
            "form": form,
            "title": (_("Ändra: %(what)s") if part else _("Ny: %(what)s")) % {"what": title},
            "back": "implementering:plan_detail",
            "submit": _("Spara"),
        },
    )


@require_POST
@login_required
def part_delete(request, pk, kind, part_pk):
    model = _part(kind)
    case = _case_for(request, pk)
    plan = _plan_for(case)
    part = get_object_or_404(model, pk=part_pk, plan=plan)
    rights = services.plan_rights(request.user, case)
    allowed = rights.edits(part.principal) if kind == "utfasning" else rights.edits_plan
    require(allowed, _("Du får inte ändra den här delen av planen."))
    if confirm := confirmation_step(
        request,
        question=_("Ta bort raden „%(name)s“?") % {"name": part},
        confirm_label=_("Ja, ta bort raden"),
        back_url=reverse(
            "implementering:part_edit", kwargs={"pk": case.pk, "kind": kind, "part_pk": part.pk}
        ),
    ):
        return confirm
    try:
        services.plan_part_delete(case_id=case.pk, actor=request.user, model=model, part_id=part.pk)
    except ActionRefused as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Raden togs bort."))
    return redirect(f"{_plan_url(case)}#{PART_TITLES[kind][1]}")


@login_required
def gap_exclude(request, pk, row_pk):
    case = _case_for(request, pk)
    plan = _plan_for(case)
    require(
        services.plan_rights(request.user, case).leads,
        _("Ordföranden eller strategen väljer bort gap ur planen."),
    )
    row = get_object_or_404(
        GapRow.objects.select_related("recommendation"), pk=row_pk, analysis__case=case
    )
    exclusion = plan.exclusions.filter(gap_row=row).first()
    if request.method == "POST" and request.POST.get("remove"):
        if confirm := confirmation_step(
            request,
            question=_("Ta bort undantaget för rekommendation %(number)s?")
            % {"number": row.recommendation.number},
            consequence=_("Gapet behöver då en aktivitet i planen igen."),
            confirm_label=_("Ja, ta bort undantaget"),
            back_url=request.path,
        ):
            return confirm
        try:
            services.gap_row_include(case_id=case.pk, actor=request.user, gap_row_id=row.pk)
        except ActionRefused as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("Gapet behöver nu en aktivitet igen."))
        return redirect(f"{_plan_url(case)}#h-coverage")
    form = ExclusionForm(
        request.POST or None, initial={"reason": exclusion.reason if exclusion else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.gap_row_exclude(
                case_id=case.pk,
                actor=request.user,
                gap_row_id=row.pk,
                reason=form.cleaned_data["reason"],
            )
        except ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Gapet lämnas medvetet utanför planen."))
            return redirect(f"{_plan_url(case)}#h-coverage")
    return render(
        request,
        "implementering/exclusion_form.html",
        {"case": case, "form": form, "row": row, "exclusion": exclusion},
    )


@login_required
def plan_anchor(request, pk):
    case = _case_for(request, pk)
    plan = _plan_for(case)
    require(
        services.plan_rights(request.user, case).leads,
        _("LPO:ts ordförande eller strategen registrerar förankringen."),
    )
    form = AnchorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_anchor(case_id=case.pk, actor=request.user, **form.cleaned_data)
        except ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Förankringen i LPO är registrerad."))
            return redirect("implementering:plan_detail", pk=case.pk)
    return render(
        request,
        "implementering/anchor_form.html",
        {"case": case, "plan": plan, "form": form, "coverage": selectors.gap_coverage(plan)},
    )


@login_required
def plan_history(request, pk):
    case = _case_for(request, pk)
    plan = _plan_for(case)
    return render(
        request,
        "implementering/plan_history.html",
        {"case": case, "plan": plan, "entries": selectors.plan_history(plan)},
    )


# --- The BP3 checklist ---------------------------------------------------------------------


@login_required
def checklist(request, pk):
    case = _case_for(request, pk)
    rights = services.plan_rights(request.user, case)
    items = list(ChecklistItem.objects.filter(checklist__case=case).select_related("ticked_by"))
    editable = rights.leads and case.state in services.CHECKLIST_STATES
    met = services.requirements_met(case) if editable else {}
    # Where what an unmet requirement asks for is done, so the message leads there.
    where = {
        Requirement.PLAN_ANCHORED: (("plan_anchor",), _("Registrera förankringen")),
        Requirement.COMMUNICATION_PLAN: (
            ("part_create", "kommunikation"),
            _("Lägg till en kommunikationsinsats"),
        ),
        Requirement.RESPONSIBILITIES: (("activity_create",), _("Lägg till en aktivitet")),
        Requirement.INDICATORS: (("followup",), _("Välj indikatorer")),
    }
    for item in items:
        item.requirement_met = met.get(item.requirement, True)
        item.unmet_message = services.REQUIREMENT_UNMET.get(item.requirement, "")
        if item.requirement in where:
            (name, *rest), label = where[item.requirement]
            item.unmet_link = (reverse(f"implementering:{name}", args=[case.pk, *rest]), label)
        item.form = recall(
            request, f"punkt-{item.pk}", partial(TickForm, prefix=f"punkt-{item.pk}")
        )
    return render(
        request,
        "implementering/checklist.html",
        {
            "case": case,
            "items": items,
            "editable": editable,
            "complete": bool(items) and all(i.is_ticked for i in items),
            "ticked": sum(1 for i in items if i.is_ticked),
            "has_plan": ImplementationPlan.objects.filter(case=case).exists(),
            "can_submit": rights.leads and case.state == State.PLANNING,
            "bp3_used": case_services.point_in_use(case, "BP3"),
        },
    )


@require_POST
@login_required
def checklist_tick(request, pk, item_pk):
    case = _case_for(request, pk)
    require(
        services.plan_rights(request.user, case).leads,
        _("LPO:ts ordförande eller strategen bockar av checklistan."),
    )
    item = get_object_or_404(ChecklistItem, pk=item_pk, checklist__case=case)
    if request.POST.get("untick"):
        try:
            services.checklist_untick(case_id=case.pk, actor=request.user, item_id=item.pk)
        except ActionRefused as exc:
            show_refusal(request, exc)
        return _to("checklist", case, f"punkt-{item.pk}")
    key = f"punkt-{item.pk}"
    form = TickForm(request.POST, prefix=key)
    if form.is_valid():
        try:
            services.checklist_tick(
                case_id=case.pk, actor=request.user, item_id=item.pk, **form.cleaned_data
            )
        except ActionRefused as exc:
            form.add_error(None, exc)  # a date's refusal goes to the date field
        else:
            messages.success(request, _("”%(item)s” är avbockad.") % {"item": item.text})
            return _to("checklist", case, key)
    # The item's form comes back as it was typed, with the error at its field (and in the
    # message at the top, which names the item).
    remember_invalid(request, key, form)
    for errors in form.errors.values():
        messages.error(request, f"{item.text}: {' '.join(errors)}")
    return _to("checklist", case, key)


# --- Follow-up -----------------------------------------------------------------------------


@login_required
def followup(request, pk):
    case = _case_for(request, pk)
    rights = services.plan_rights(request.user, case)
    overview = selectors.followup_overview(case)
    national_left = case.knowledge_support.indicators.exclude(followups__case=case).exists()
    reports = list(
        Document.objects.filter(case=case, kind=DocumentKind.FOLLOW_UP).order_by("-requested_at")
    )
    return render(
        request,
        "implementering/followup.html",
        {
            "case": case,
            "overview": overview,
            "editable": rights.edits_plan and case.state in services.FOLLOW_UP_STATES,
            "leads": rights.leads,
            "national_left": national_left,
            "cycles": list(
                ImprovementCycle.objects.filter(case=case)
                .select_related("indicator")
                .order_by("started_on", "pk")
            ),
            "reports": reports,
            "can_report": rights.leads and case.state in services.FOLLOW_UP_STATES,
            "can_replan": rights.leads and case.state in (State.FOLLOW_UP, State.LEARNING),
            "replan_form": recall(request, "replan", ReplanForm),
            "rules": charts.RULES,
        },
    )


def _indicator_for(case, indicator_pk):
    return get_object_or_404(FollowUpIndicator, pk=indicator_pk, case=case)


@login_required
def indicator_detail(request, pk, indicator_pk):
    case = _case_for(request, pk)
    indicator = get_object_or_404(
        FollowUpIndicator.objects.select_related("national", "municipality").prefetch_related(
            "measurements", "cycles"
        ),
        pk=indicator_pk,
        case=case,
    )
    rights = services.plan_rights(request.user, case)
    editable = rights.edits_plan and case.state in services.FOLLOW_UP_STATES
    form = MeasurementForm(request.POST or None, indicator=indicator)
    if request.method == "POST":
        require(editable, _("Du kan inte registrera mätvärden i ärendet nu."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.measurement_save(
                    case_id=case.pk,
                    actor=request.user,
                    indicator_id=indicator.pk,
                    period_start=data["period"],
                    numerator=data.get("numerator"),
                    denominator=data.get("denominator"),
                    value=data.get("value"),
                    note=data.get("note", ""),
                )
            except ActionRefused as exc:
                form.add_error(None, refusal_text(exc))
            except ValidationError as exc:  # a value outside its field's range
                _form_error(form, exc)
            else:
                messages.success(request, _("Mätvärdet sparades."))
                return redirect(
                    "implementering:indicator_detail", pk=case.pk, indicator_pk=indicator.pk
                )
    return render(
        request,
        "implementering/indicator_detail.html",
        {
            "case": case,
            "indicator": indicator,
            "charts": selectors.indicator_charts(indicator, width=960, height=380),
            "form": form,
            "editable": editable,
            "rules": charts.RULES,
            "run_rules": charts.RUN_CHART_RULES,
            "cycles": list(indicator.cycles.all()),
        },
    )


@login_required
def indicator_edit(request, pk, indicator_pk=None):
    case = _case_for(request, pk)
    rights = services.plan_rights(request.user, case)
    require(rights.edits_plan, _("Du arbetar inte med det här ärendets uppföljning."))
    indicator = _indicator_for(case, indicator_pk) if indicator_pk else None
    form = IndicatorForm(
        request.POST or None,
        instance=indicator,
        municipalities=services.participating_municipalities(case) if case.joint else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.indicator_save(
                case_id=case.pk,
                actor=request.user,
                data=form.cleaned_data,
                indicator_id=indicator.pk if indicator else None,
            )
        except ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Indikatorn sparades."))
            return redirect("implementering:indicator_detail", pk=case.pk, indicator_pk=saved.pk)
    return render(
        request,
        "implementering/form_page.html",
        {
            "case": case,
            "form": form,
            "title": _("Ändra indikator") if indicator else _("Ny lokal indikator"),
            "back": "implementering:followup",
            "submit": _("Spara indikatorn"),
        },
    )


@login_required
def indicator_national(request, pk):
    case = _case_for(request, pk)
    rights = services.plan_rights(request.user, case)
    require(rights.edits_plan, _("Du arbetar inte med det här ärendets uppföljning."))
    indicators = case.knowledge_support.indicators.exclude(followups__case=case)
    form = NationalIndicatorForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.indicator_add_national(
                case_id=case.pk, actor=request.user, **form.cleaned_data
            )
        except ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Indikatorn %(code)s följs nu upp.") % {"code": saved.code})
            return redirect("implementering:indicator_detail", pk=case.pk, indicator_pk=saved.pk)
    return render(
        request,
        "implementering/form_page.html",
        {
            "case": case,
            "form": form,
            "title": _("Välj nationell indikator"),
            "lead": _("Indikatorerna kommer från kunskapsstödet %(support)s.")
            % {"support": case.knowledge_support},
            "back": "implementering:followup",
            "submit": _("Följ upp indikatorn"),
        },
    )


@require_POST
@login_required
def indicator_delete(request, pk, indicator_pk):
    case = _case_for(request, pk)
    indicator = _indicator_for(case, indicator_pk)
    require(
        services.plan_rights(request.user, case).edits_plan,
        _("Du arbetar inte med det här ärendets uppföljning."),
    )
    if confirm := confirmation_step(
        request,
        question=_("Ta bort indikatorn „%(name)s“?") % {"name": indicator},
        confirm_label=_("Ja, ta bort indikatorn"),
        back_url=reverse(
            "implementering:indicator_detail", kwargs={"pk": case.pk, "indicator_pk": indicator.pk}
        ),
    ):
        return confirm
    try:
        services.indicator_delete(case_id=case.pk, actor=request.user, indicator_id=indicator.pk)
    except ActionRefused as exc:
        show_refusal(request, exc)
        return redirect("implementering:indicator_detail", pk=case.pk, indicator_pk=indicator.pk)
    messages.success(request, _("Indikatorn togs bort."))
    return redirect("implementering:followup", pk=case.pk)


@require_POST
@login_required
def measurement_delete(request, pk, indicator_pk, measurement_pk):
    case = _case_for(request, pk)
    indicator = _indicator_for(case, indicator_pk)
    measurement = get_object_or_404(Measurement, pk=measurement_pk, indicator=indicator)
    require(
        services.plan_rights(request.user, case).edits_plan,
        _("Du arbetar inte med det här ärendets uppföljning."),
    )
    if confirm := confirmation_step(
        request,
        question=_("Ta bort mätvärdet för %(period)s?")
        % {"period": indicator.label_of(measurement.period_start)},
        confirm_label=_("Ja, ta bort mätvärdet"),
        back_url=reverse(
            "implementering:indicator_detail", kwargs={"pk": case.pk, "indicator_pk": indicator.pk}
        ),
    ):
        return confirm
    try:
        services.measurement_delete(
            case_id=case.pk, actor=request.user, measurement_id=measurement.pk
        )
    except ActionRefused as exc:
        show_refusal(request, exc)
    else:
        messages.success(
            request,
            _("Mätvärdet för %(period)s togs bort.")
            % {"period": indicator.label_of(measurement.period_start)},
        )
    return redirect("implementering:indicator_detail", pk=case.pk, indicator_pk=indicator.pk)


@login_required
def measurements_template(request, pk):
    """A file to fill in and import: the columns the import reads, and a row per indicator of
    the case for its current period (the values left for the person to write)."""
    case = _case_for(request, pk)
    require(
        services.plan_rights(request.user, case).edits_plan,
        _("Du arbetar inte med det här ärendets uppföljning."),
    )
    today = timezone.localdate()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="matvarden-{slugify(case.registry_number)}.csv"'
    )
    response.write("\ufeff")  # Excel reads the file as UTF-8 with it
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["indikator", "period", "täljare", "nämnare", "värde", "kommentar"])
    for indicator in FollowUpIndicator.objects.filter(case=case).order_by("code"):
        writer.writerow(
            [indicator.code, indicator.label_of(period_start(indicator.period, today))]
            + ["", "", "", ""]
        )
    return response


@login_required
def measurements_import(request, pk):
    case = _case_for(request, pk)
    require(
        services.plan_rights(request.user, case).edits_plan,
        _("Du arbetar inte med det här ärendets uppföljning."),
    )
    form = MeasurementImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_measurements(
                case=case, actor=request.user, upload=form.cleaned_data["file"]
            )
        except MeasurementImportError as exc:
            form.add_error("file", exc.message)
        except ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            if not report.rejected:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s mätvärde importerades.",
                        "%(n)s mätvärden importerades.",
                        report.imported,
                    )
                    % {"n": report.imported},
                )
                return redirect("implementering:followup", pk=case.pk)
    return render(
        request,
        "implementering/import.html",
        {
            "case": case,
            "form": form,
            "report": report,
            "indicators": FollowUpIndicator.objects.filter(case=case),
        },
    )


@login_required
def cycle_edit(request, pk, cycle_pk=None):
    case = _case_for(request, pk)
    require(
        services.plan_rights(request.user, case).edits_plan,
        _("Du arbetar inte med det här ärendets uppföljning."),
    )
    cycle = get_object_or_404(ImprovementCycle, pk=cycle_pk, case=case) if cycle_pk else None
    form = CycleForm(
        request.POST or None,
        instance=cycle,
        indicators=FollowUpIndicator.objects.filter(case=case),
        activities=Activity.objects.filter(plan__case=case),
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "activities"}
        try:
            services.cycle_save(
                case_id=case.pk,
                actor=request.user,
                data=data,
                activity_ids=[a.pk for a in form.cleaned_data["activities"]],
                cycle_id=cycle.pk if cycle else None,
            )
        except ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Förbättringscykeln sparades."))
            return _to("followup", case, "h-cycles")
    return render(
        request,
        "implementering/form_page.html",
        {
            "case": case,
            "form": form,
            "title": _("Ändra förbättringscykel") if cycle else _("Ny förbättringscykel (PDSA)"),
            "lead": _(
                "Planera: vad vill ni uppnå och vad prövar ni? Gör: genomför i liten skala. "
                "Studera: vad visar mätningarna? Agera: behåll, justera eller släpp."
            ),
            "back": "implementering:followup",
            "submit": _("Spara cykeln"),
        },
    )


@require_POST
@login_required
def followup_report(request, pk):
    case = _case_for(request, pk)
    require(
        services.plan_rights(request.user, case).leads,
        _("LPO:ts ordförande eller strategen begär uppföljningsrapporter."),
    )
    try:
        services.followup_report_request(case_id=case.pk, actor=request.user)
    except ActionRefused as exc:
        show_refusal(request, exc)
    else:
        messages.success(
            request, _("Uppföljningsrapporten skapas; den visas under Dokument på ärendet.")
        )
    return redirect("implementering:followup", pk=case.pk)


@require_POST
@login_required
def followup_replan(request, pk):
    case = _case_for(request, pk)
    require(
        services.plan_rights(request.user, case).leads,
        _("LPO:ts ordförande eller strategen planerar om ärendet."),
    )
    form = ReplanForm(request.POST)
    if not form.is_valid():
        remember_invalid(request, "replan", form)
        return _to("followup", case, "h-replan")
    try:
        services.followup_replan(
            case_id=case.pk, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except ActionRefused as exc:
        show_refusal(request, exc)
        return redirect("implementering:followup", pk=case.pk)
    messages.success(
        request, _("Ärendet är tillbaka i planering. Planens historik visar ändringarna.")
    )
    return redirect("implementering:plan_detail", pk=case.pk)
