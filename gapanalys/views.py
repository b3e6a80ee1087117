from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.confirm import confirmation_step
from common.models import PendingImport
from common.refusals import ActionRefused, refusal_text
from kunskapsstyrning.models import Case, State
from organisation.models import Role
from organisation.permissions import get_visible_or_404, is_chair, require

from . import selectors, services
from .filters import RowFilter
from .forms import AnalysisForm, ImportForm, LagForm, RowForm, StatementForm
from .models import Statement, statement_labels, statement_types_of
from .spreadsheets import SpreadsheetRefused, export_workbook, read_workbook

EDITORS_ONLY = _("Bara LAG:ens medlemmar och LPO:ts ordförande arbetar i gap-analysen.")


def _is_open(analysis):
    return analysis.case.state == State.GAP_ANALYSIS


def _context(request, analysis, **extra):
    """What every page of the analysis shows in its header."""
    can_edit = _is_open(analysis) and services.may_edit(request.user, analysis)
    return {
        "analysis": analysis,
        "case": analysis.case,
        "can_edit": can_edit,
        "is_open": _is_open(analysis),
        "progress": selectors.progress_of(analysis),
        "case_visible": selectors.case_visible(request.user, analysis.case),
        **extra,
    }


@login_required
def analysis_table(request, pk):
    analysis = selectors.analysis_for(request.user, pk)
    row_filter = RowFilter(request.GET or None, analysis.rows.all())
    filtered = row_filter.filtered
    rows = selectors.table(row_filter.qs)
    context = _context(
        request,
        analysis,
        rows=rows,
        rows_version=selectors.table_version(rows),
        filter_form=row_filter.form,
        filtered=filtered,
    )
    if request.htmx and request.htmx.target == "gap-table":
        return render(request, "gapanalys/_table.html", context)
    context["returned"] = selectors.returned_decision(analysis.case)
    # Unfiltered, the page holds every row: the gaps without proposal need no query.
    missing = (
        None if filtered else [row.recommendation.number for row in rows if row.lacks_proposal]
    )
    context.update(_submit_context(request, analysis, context["is_open"], missing))
    return render(request, "gapanalys/analysis.html", context)


def _submit_context(request, analysis, is_open, missing_proposal=None):
    return {
        "can_submit": is_open and is_chair(request.user, analysis.case),
        "blockers": analysis.bp2_blockers(missing_proposal) if is_open else [],
    }


@login_required
def bp2_status(request, pk):
    """The "to BP2" panel, refreshed by htmx after each in-place save (`gapRowSaved`)."""
    analysis = selectors.analysis_for(request.user, pk)
    if not _is_open(analysis):
        return HttpResponse("")
    context = {
        "analysis": analysis,
        "case": analysis.case,
        **_submit_context(request, analysis, True),
    }
    return render(request, "gapanalys/_submit_panel.html", context)


def _row_for(request, pk, row_pk):
    row = selectors.row_for(request.user, pk, row_pk)
    return row.analysis, row


@login_required
def row_detail(request, pk, row_pk):
    """One row of the table: its summary line, or (`?visa=1`) everything written on it."""
    analysis, row = _row_for(request, pk, row_pk)
    context = {
        "analysis": analysis,
        "case": analysis.case,
        "row": row,
        "can_edit": _is_open(analysis) and services.may_edit(request.user, analysis),
    }
    if request.GET.get("visa"):
        return render(request, "gapanalys/_row_detail.html", context)
    context["rows"] = [row]
    return render(request, "gapanalys/_rows.html", context)


def _conflict_notes(form, newer):
    """For each field the editor changed that now differs, what they had written."""
    notes = {}
    for name in services.ROW_FIELDS:
        mine = form.data.get(name, "")
        theirs = getattr(newer, name)
        theirs = "" if theirs is None else str(theirs)
        if mine.strip() != theirs.strip():
            field = form.fields[name]
            if hasattr(field, "choices"):
                mine = dict((str(k), v) for k, v in field.choices).get(mine, mine)
            notes[name] = mine or _("(tomt)")
    return notes


@login_required
def row_edit(request, pk, row_pk):
    """Edit one row in place (htmx swaps the table row); a full page without JavaScript."""
    analysis, row = _row_for(request, pk, row_pk)
    require(services.may_edit(request.user, analysis), EDITORS_ONLY)
    template = "gapanalys/_row_form.html" if request.htmx else "gapanalys/row_edit.html"
    context = {"analysis": analysis, "case": analysis.case, "row": row, "can_edit": True}
    if not _is_open(analysis):
        messages.error(request, _("Gap-analysen är inte öppen för ändringar."))
        return redirect("gapanalys:gap_analysis", pk=pk)
    form = RowForm(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.row_save(
                row_id=row.pk,
                actor=request.user,
                version=form.cleaned_data["version"],
                data=form.data_for_service(),
            )
        except services.RowConflict as exc:
            newer = exc.row
            newer.analysis = analysis
            fresh = RowForm(instance=newer)
            fresh.mine = _conflict_notes(form, newer)
            context.update(row=newer, form=fresh, conflict=exc.message)
            return render(request, template, context)
        except ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            progress = selectors.progress_of(saved.analysis)  # the service's recount
            saved.analysis = analysis
            if not request.htmx:
                messages.success(
                    request,
                    _("Rekommendation %(n)s sparades.") % {"n": saved.recommendation.number},
                )
                return redirect(reverse("gapanalys:gap_analysis", args=[pk]) + f"#rad-{saved.pk}")
            context.update(row=saved, rows=[saved], progress=progress)
            response = render(request, "gapanalys/_row_saved.html", context)
            # The "to BP2" panel asks for its own refresh, so the save stays small.
            response["HX-Trigger-After-Settle"] = "gapRowSaved"
            return response
    context["form"] = form
    return render(request, template, context)


@require_POST
@login_required
def analysis_submit(request, pk):
    analysis = selectors.analysis_for(request.user, pk)
    try:
        services.analysis_submit(case_id=analysis.case_id, actor=request.user)
    except ActionRefused as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("gapanalys:gap_analysis", pk=pk)
    messages.success(request, _("Gap-analysen är skickad till beslut BP2."))
    return redirect("kunskapsstyrning:case_detail", pk=pk)


@login_required
def lag_form(request, pk):
    case = get_visible_or_404(
        Case.objects.select_related("region", "knowledge_support", "responsible_lpo"),
        request.user,
        pk=pk,
    )
    require(services.may_form_lag(request.user, case), _("Bara LPO:ts ordförande bildar LAG."))
    if case.state != State.GAP_ANALYSIS:
        messages.error(request, _("En LAG bildas när ärendet är i gap-analys (efter BP1)."))
        return redirect("kunskapsstyrning:case_detail", pk=pk)
    analysis = getattr(case, "gap_analysis", None)
    initial = {}
    if analysis is not None:
        initial = {
            "lag": analysis.lag,
            "start_date": analysis.start_date,
            "presentation_date": analysis.presentation_date,
            "due_date": analysis.due_date,
            "scope_region": analysis.scope_region,
            "scope_municipalities": analysis.scope_municipalities,
            "scope_care_levels": analysis.scope_care_levels,
        }
    members = selectors.lag_members(analysis) if analysis is not None else []
    leader = next((m.user for m in members if m.role == Role.PROCESS_LEADER), None)
    if leader is not None:
        initial["process_leader"] = leader
    form = LagForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.lag_form(case_id=case.pk, actor=request.user, **form.cleaned_data)
        except ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("LAG:en är klar och gap-analysen kan börja."))
            return redirect("gapanalys:gap_analysis", pk=pk)
    return render(
        request,
        "gapanalys/lag_form.html",
        {"case": case, "form": form, "analysis": analysis, "members": members},
    )


@login_required
def analysis_details(request, pk):
    """Timeline, scope, LAG members and the report's own text."""
    analysis = selectors.analysis_for(request.user, pk)
    context = _context(request, analysis, members=selectors.lag_members(analysis))
    form = None
    if context["can_edit"]:
        form = AnalysisForm(request.POST or None, instance=analysis)
        if request.method == "POST" and form.is_valid():
            try:
                services.analysis_update(
                    analysis_id=analysis.pk,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    data=form.data_for_service(),
                )
            except services.AnalysisConflict as exc:
                messages.error(request, exc.message)
                form = AnalysisForm(instance=exc.analysis)
            except ActionRefused as exc:
                form.add_error(None, refusal_text(exc))
            else:
                messages.success(request, _("Uppgifterna sparades."))
                return redirect("gapanalys:gap_details", pk=pk)
    elif request.method == "POST":
        require(False, EDITORS_ONLY)
    context["form"] = form
    context["may_form_lag"] = context["is_open"] and services.may_form_lag(
        request.user, analysis.case
    )
    return render(request, "gapanalys/details.html", context)


@login_required
def statements(request, pk):
    analysis = selectors.analysis_for(request.user, pk)
    context = _context(request, analysis)
    form = None
    if context["can_edit"]:
        form = StatementForm(request.POST or None, kinds=statement_types_of(analysis.case.region))
        if request.method == "POST" and form.is_valid():
            try:
                services.statement_add(
                    analysis_id=analysis.pk, actor=request.user, **form.cleaned_data
                )
            except ActionRefused as exc:
                form.add_error(None, refusal_text(exc))
            else:
                messages.success(request, _("Yttrandet registrerades."))
                return redirect("gapanalys:gap_statements", pk=pk)
    elif request.method == "POST":
        require(False, EDITORS_ONLY)
    report = selectors.report(analysis)
    context.update(
        form=form,
        statements=report["statements"],
        required_statements=report["required_statements"],
    )
    return render(request, "gapanalys/statements.html", context)


@require_POST
@login_required
def statement_delete(request, pk, statement_pk):
    analysis = selectors.analysis_for(request.user, pk)
    statement = get_object_or_404(Statement, pk=statement_pk, analysis=analysis)
    if confirm := confirmation_step(
        request,
        question=_("Ta bort yttrandet „%(kind)s“?")
        % {"kind": statement_labels(analysis.case.region).get(statement.kind, statement.kind)},
        confirm_label=_("Ja, ta bort yttrandet"),
        back_url=reverse("gapanalys:gap_statements", kwargs={"pk": pk}),
    ):
        return confirm
    try:
        services.statement_delete(statement_id=statement.pk, actor=request.user)
    except ActionRefused as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, _("Yttrandet togs bort."))
    return redirect("gapanalys:gap_statements", pk=pk)


@login_required
def report(request, pk):
    analysis = selectors.analysis_for(request.user, pk)
    context = _context(request, analysis, report=selectors.report(analysis))
    return render(request, "gapanalys/report.html", context)


@login_required
def export(request, pk):
    analysis = selectors.analysis_for(request.user, pk)
    rows = selectors.table_rows(analysis)
    data = export_workbook(analysis, rows)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"gap-analys-{slugify(analysis.case.registry_number)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _session_key(analysis):
    return f"gapanalys_import_{analysis.pk}"


IMPORT_KIND = "gapanalys.rows"


@login_required
def import_upload(request, pk):
    """Read an edited workbook: preview what changes (nothing saved), then confirm."""
    analysis = selectors.analysis_for(request.user, pk)
    require(services.may_edit(request.user, analysis), EDITORS_ONLY)
    context = _context(request, analysis)
    if not context["is_open"]:
        messages.error(request, _("Gap-analysen är inte öppen för ändringar."))
        return redirect("gapanalys:gap_analysis", pk=pk)
    key = _session_key(analysis)
    if request.method == "POST" and request.POST.get("step") == "confirm":
        pending = PendingImport.objects.take(
            owner=request.user,
            kind=IMPORT_KIND,
            target_id=analysis.pk,
            pk=request.session.pop(key, None),
        )
        if not pending:
            messages.error(
                request,
                _(
                    "Förhandsgranskningen är redan genomförd eller har gått ut: inget nytt har "
                    "lästs in. Läs in filen igen om du vill göra om importen."
                ),
            )
            return redirect("gapanalys:gap_import", pk=pk)
        try:
            count = services.import_apply(
                analysis_id=analysis.pk, actor=request.user, changes=pending["changes"]
            )
        except ActionRefused as exc:
            messages.error(request, refusal_text(exc))
            return redirect("gapanalys:gap_import", pk=pk)
        messages.success(request, _("%(n)s rader uppdaterades från filen.") % {"n": count})
        return redirect("gapanalys:gap_analysis", pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = read_workbook(analysis, upload)
        except SpreadsheetRefused as exc:
            form.add_error("file", exc.message)
        else:
            if preview.ok and preview.changes:
                # Only an id rides in the session; the changes wait on the server.
                pending = PendingImport.objects.keep(
                    owner=request.user,
                    kind=IMPORT_KIND,
                    target_id=analysis.pk,
                    name=upload.name,
                    payload={"changes": [change.for_confirmation() for change in preview.changes]},
                )
                request.session[key] = str(pending.pk)
            else:
                request.session.pop(key, None)
    context.update(form=form, preview=preview)
    return render(request, "gapanalys/import.html", context)
