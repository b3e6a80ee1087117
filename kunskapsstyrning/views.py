from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.confirm import confirmation_step
from common.forms import whole_number
from common.refusals import refusal_text, show_refusal
from common.search import search_everything
from organisation import changes
from organisation import selectors as org_selectors
from organisation.models import Unit, UnitKind
from organisation.permissions import get_visible_or_404, require, scope_of

from . import notifications, orders, selectors, services
from .filters import CaseFilter, SupportFilter
from .forms import (
    AccessionForm,
    CaseDeadlineForm,
    CaseRegisterForm,
    DecisionCorrectionForm,
    DecisionForm,
    DecisionOrderForm,
    DecisionPartCorrectionForm,
    KnowledgeSupportForm,
    NoticeForm,
    PrioritisationForm,
    ProposalForm,
    RecommendationImportForm,
    SupersedeForm,
)
from .imports import RecommendationImportError, import_recommendations
from .models import (
    AWAITING_DECISION,
    BOARD_STATIONS,
    Case,
    Decision,
    DecisionPart,
    DecisionPoint,
    DecisionRule,
    Document,
    KnowledgeSupport,
    Notification,
    Prioritisation,
    Recommendation,
    State,
)

CASES_PER_PAGE = 25


def _posted(request):
    """Form data for a POST (even an empty one), None for a GET: binds forms correctly."""
    return request.POST if request.method == "POST" else None


class IdsFirstPaginator(Paginator):
    """Finds a page's primary keys first, in the case table alone (one index scan, however
    deep the page), and only then joins those 25 rows to what the list shows. Sorting every
    visible case with its joins before the offset cost 20 ms on the last of 400 pages."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


def _case_for(request, pk):
    """The case if the user may see it (404 otherwise), with what the page shows of it."""
    # The one-to-ones ride along in the case's query: the transitions' conditions (BP2's gap
    # analysis, BP3's checklist) read them. The region's decision rules are read when asked
    # for (services.region_rules_of).
    queryset = Case.objects.select_related(
        "region",
        "knowledge_support",
        "responsible_lpo",
        "strategist",
        "prioritisation",
        "gap_analysis",
        "bp3_checklist",
    )
    return get_visible_or_404(queryset, request.user, pk=pk)


def _lpos_in_scope(user):
    scope = scope_of(user)
    lpos = Unit.objects.filter(kind=UnitKind.LPO)
    if scope.is_admin:
        return lpos
    return lpos.filter(region_id__in=scope.overseen_region_ids) | lpos.filter(
        pk__in=scope.case_lpo_ids
    )


@login_required
def home(request):
    """The person's sections are rendered once and kept under a key that changes with
    anything in the regions they follow (`selectors.home_cache_key`): management's home went
    from 14 statements to 5 on a visit with nothing changed, and its p95 at scale N from 6.0
    to 1.4 x R1 (the chair's from 4.7 to 1.4: `make bench`, BENCH_PAGES, 2026-12-04)."""
    user = request.user

    def rendered():
        context = selectors.home_sections(user)
        return {
            part: render_to_string(f"kunskapsstyrning/_home_{part}.html", context)
            for part in ("top", "rest")
        }

    sections = cache.get_or_set(selectors.home_cache_key(user), rendered, changes.KEPT_SECONDS)
    return render(
        request,
        "kunskapsstyrning/home.html",
        {"sections": sections, **selectors.home_live(user)},
    )


@login_required
def board(request):
    """The board is rendered once per person and address and kept until anything changes in
    the regions they follow (`changes.kept_key`): a visit with nothing changed costs 4
    statements instead of 6."""
    user = request.user
    key = changes.followed_key("board", user, request.get_full_path())
    body = cache.get_or_set(
        key,
        lambda: render_to_string("kunskapsstyrning/_board_body.html", _board(request), request),
        changes.KEPT_SECONDS,
    )
    return render(request, "kunskapsstyrning/board.html", {"body": body})


def _board(request):
    """What the board shows this person at this address (its filters and pages)."""
    cases = Case.objects.visible_to(request.user)
    case_filter = CaseFilter(request.GET or None, cases, lpos=_lpos_in_scope(request.user))
    cases = case_filter.qs
    pages = {}
    for key, _label, _states in BOARD_STATIONS:
        try:
            pages[key] = int(request.GET.get(f"sida-{key}", 1))
        except ValueError:
            pages[key] = 1  # a hand-edited address shows the first page, not an error
    stations = selectors.board(cases, pages)
    # Each station's pager keeps the filters and the other stations' pages; its link to the
    # case list keeps the filters only.
    filters = request.GET.copy()
    for key in list(filters):
        if key.startswith("sida-") or key == "station":
            filters.pop(key)
    for station in stations["stations"]:
        query = request.GET.copy()
        query.pop(f"sida-{station['key']}", None)
        station["query"] = query.urlencode()
        station["list_query"] = filters.urlencode()
    return {
        "stations": stations,
        "form": case_filter.form,
        "unused_points": selectors.unused_points_of(request.user),
    }


@login_required
def case_list(request):
    cases = Case.objects.visible_to(request.user).select_related(
        "region", "knowledge_support", "responsible_lpo"
    )
    case_filter = CaseFilter(request.GET or None, cases, lpos=_lpos_in_scope(request.user))
    cases = case_filter.qs.order_by("-registry_year", "-registry_sequence", "pk")
    page = IdsFirstPaginator(cases, CASES_PER_PAGE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "kunskapsstyrning/case_list.html",
        {
            "page": page,
            "form": case_filter.form,
            "query": query.urlencode(),
            "can_register": bool(scope_of(request.user).coordinated_region_ids),
        },
    )


# What the timeline and the decisions show: the people and the deciding body by name only
# (a user row has a dozen columns, a unit ten; 2.1 -> 1.5 ms for a case's timeline).
TIMELINE_FIELDS = [
    "at",
    "kind",
    "from_state",
    "to_state",
    "message",
    "case_id",
    *(f"actor__{name}" for name in ("first_name", "last_name", "username")),
    *(
        f"decision__{name}"
        for name in (
            "case_id",
            "point",
            "outcome",
            "decided_on",
            "motivation",
            "conditions",
            "registry_reference",
            "corrects_id",
            "recorded_at",
            "deciding_body__name",
            *(f"decided_by__{n}" for n in ("first_name", "last_name", "username")),
        )
    ),
]


@login_required
def case_detail(request, pk):
    """The case's content is rendered once per person and kept until anything changes in the
    case's region (`selectors.case_page_key`): a visit with nothing changed costs the scope
    and the case, 4 statements instead of 10."""
    case = selectors.case_seen_by(request.user, pk)
    body = cache.get_or_set(
        selectors.case_page_key(request, case),
        lambda: render_to_string(
            "kunskapsstyrning/_case_body.html", _case_page(request, case), request=request
        ),
        changes.KEPT_SECONDS,
    )
    return render(request, "kunskapsstyrning/case_detail.html", {"case": case, "body": body})


def _case_page(request, case):
    """What the case page shows of `case` (from `selectors.case_seen_by`) to this person."""
    selectors.case_page_load(case)
    events = list(
        case.events.select_related("actor", "decision__deciding_body", "decision__decided_by").only(
            *TIMELINE_FIELDS
        )
    )
    # Every decision is recorded with its timeline event (case_decide, decision_correct).
    decisions = sorted(
        {event.decision for event in events if event.decision_id},
        key=lambda d: (d.recorded_at, d.pk),
    )
    corrected = {d.corrects_id for d in decisions if d.corrects_id}
    # Who decided for whom: the parts of each decision taken in parts.
    rounds = {r.decision_id: r for r in services.rounds_of(case) if r.decision_id}
    for decision in decisions:
        decision_round = rounds.get(decision.pk)
        decision.parts = list(decision_round.parts.all()) if decision_round else []
        decision.is_corrected = decision.pk in corrected
        # A decision taken in parts is not corrected as one record: each part is its
        # principal's own, corrected by whoever may record it.
        decision.correctable = (
            not decision.is_corrected and len(decision.parts) < 2
        ) and services.may_correct(request.user, decision)
    parts = [part for d in decisions if len(d.parts) > 1 for part in d.parts]
    for part in selectors.attach_part_corrections(parts):  # one query for every decision's
        part.correctable = services.may_correct_part(request.user, case, part)
    documents = selectors.case_documents(case)
    actions, blocked_actions = services.case_actions(request.user, case)
    involved = selectors.involved_in(case)
    taking_part = (
        services.taking_part(case, involved["municipality_principals"]) if case.joint else []
    )
    context = {
        "documents_pending": any(d.is_pending for d in documents),
        "can_rerequest": services.is_coordinator(request.user, case),
        "case": case,
        "actions": actions,
        "blocked_actions": blocked_actions,
        "can_decide": services.can_decide_now(request.user, case),
        "can_prioritise": case.state == State.PRIORITISATION
        and services.chair_or_coordinator(request.user, case),
        "can_supersede": services.is_coordinator(request.user, case) and not case.is_ended,
        "can_set_deadline": services.is_coordinator(request.user, case) and not case.is_ended,
        "events": events,
        "decisions": decisions,
        "documents": documents,
        **involved,
        "prioritisation": getattr(case, "prioritisation", None),
        **selectors.case_panels(case, request.user),
        "progress": services.decision_progress(request.user, case),
        "notice_due": services.notice_due(case)
        if services.is_coordinator(request.user, case)
        else None,
        "taking_part": taking_part,
        # The parts by which a municipality stays out that this person may undo by recording
        # the municipality's own decision to join.
        "may_accede": {
            part.pk
            for _name, takes, part in taking_part
            if not takes and services.may_accede(request.user, case, part)
        },
        # The road says which points the region's order does not use for the case.
        "unused_points": [
            p for p in AWAITING_DECISION.values() if not services.point_in_use(case, p)
        ],
    }
    return context


@login_required
def case_register(request):
    region = selectors.coordinated_region(request.user)
    require(region is not None, _("Bara regionens strateger registrerar ärenden."))
    # From a knowledge support's page: that support chosen (the list offers it only if the
    # region has no case for it running).
    initial = {
        "strategist": request.user,
        "knowledge_support": whole_number(request.GET.get("kunskapsstod")),
    }
    form = CaseRegisterForm(_posted(request), region=region, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_register(actor=request.user, region=region, **form.cleaned_data)
        except services.ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(
                request, _("Ärendet %(number)s registrerades.") % {"number": case.registry_number}
            )
            return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    return render(request, "kunskapsstyrning/case_register.html", {"form": form, "region": region})


@require_POST
@login_required
def case_action(request, pk, action):
    case = _case_for(request, pk)
    chosen = services.ACTIONS.get(action)
    if chosen is not None and chosen.irreversible:
        if confirm := confirmation_step(
            request,
            question=_("%(label)s?") % {"label": chosen.label},
            consequence=chosen.irreversible,
            # "Ja, starta genomförandet (… BP3)": the first letter only, not the point's name
            confirm_label=_("Ja, %(label)s")
            % {"label": chosen.label[:1].lower() + chosen.label[1:]},
            back_url=reverse("kunskapsstyrning:case_detail", kwargs={"pk": case.pk}),
        ):
            return confirm
    try:
        services.case_act(
            case_id=case.pk,
            actor=request.user,
            action_name=action,
            expected_state=request.POST.get("state"),
        )
    except services.ActionRefused as exc:
        show_refusal(request, exc)
    else:
        # What happened, in the timeline's words, not the button's.
        messages.success(
            request, str(services.HAPPENED.get(action, services.ACTIONS[action].label))
        )
    return redirect("kunskapsstyrning:case_detail", pk=case.pk)


@login_required
def prioritisation_edit(request, pk):
    case = _case_for(request, pk)
    require(
        services.chair_or_coordinator(request.user, case),
        _("Bara LPO:ts ordförande fyller i prioriteringen."),
    )
    if case.state != State.PRIORITISATION:
        messages.error(request, _("Prioriteringen kan bara ändras när ärendet är i prioritering."))
        return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    instance = Prioritisation.objects.filter(case=case).first()
    form = PrioritisationForm(_posted(request), instance=instance)
    if request.method == "POST" and form.is_valid():
        services.prioritisation_save(
            case_id=case.pk,
            actor=request.user,
            data={name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(request, _("Prioriteringen sparades."))
        return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    return render(
        request, "kunskapsstyrning/prioritisation_form.html", {"case": case, "form": form}
    )


@login_required
def case_decide(request, pk, part=None):
    """Record one part of the decision the case awaits (in an order where one body decides,
    the decision itself). Two steps: fill in and review (nothing saved), then confirm (final,
    cannot be undone). `part`: which principal's part; by default the user's first open one."""
    case = _case_for(request, pk)
    point = case.awaiting_point
    if point is None:
        messages.error(
            request,
            _("Ärendet väntar inte på något beslut (status: %(state)s).")
            % {"state": case.get_state_display()},
        )
        return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    progress = services.decision_progress(request.user, case)
    order = progress["order"]
    if part is not None:
        # A principal that is not part of this decision (a municipality outside the joint
        # case) does not exist here.
        spec = order.part(part) if order else None
        if spec is None:
            raise Http404
        require(
            orders.may_record(request.user, case, spec),
            _("%(label)s beslutas av %(who)s.") % {"label": spec.label, "who": spec.who},
        )
    else:
        require(
            services.may_decide(request.user, case, point),
            _("Du hör inte till dem som beslutar %(point)s.") % {"point": point},
        )
        spec = services.parts_open_to(request.user, case, point)[0]
    row = next(r for r in progress["parts"] if r.spec.key == spec.key)
    if row.recorded is not None or progress["needs_proposal"]:
        if row.recorded is not None:
            messages.error(
                request,
                _("Beslutet för %(label)s är redan registrerat.") % {"label": spec.label},
            )
        else:
            messages.error(
                request,
                _("%(body)s har inte lämnat sitt förslag till beslut ännu.")
                % {"body": order.preparing_body},
            )
        return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    form = DecisionForm(_posted(request), point=point)
    reviewing = False
    if request.method == "POST" and form.is_valid():
        try:  # said at the date, keeping what was written, rather than after the confirmation
            services.require_after_last_decision(
                case, form.cleaned_data["decided_on"], _("Beslutsdatumet")
            )
        except services.ActionRefused as exc:
            form.add_error("decided_on", refusal_text(exc))
    if request.method == "POST" and form.is_valid():
        if request.POST.get("step") == "confirm":
            try:
                decision = services.case_decide(
                    case_id=case.pk,
                    actor=request.user,
                    point=point,
                    part=spec.key,
                    **form.cleaned_data,
                )
            except services.ActionRefused as exc:
                show_refusal(request, exc)
            else:
                if decision is None:
                    messages.success(
                        request,
                        _("Beslutet för %(label)s är registrerat; %(point)s väntar på fler delar.")
                        % {"label": spec.label, "point": point},
                    )
                else:
                    messages.success(
                        request, _("Beslutet %(point)s är registrerat.") % {"point": point}
                    )
            return redirect("kunskapsstyrning:case_detail", pk=case.pk)
        reviewing = True
    return render(
        request,
        "kunskapsstyrning/decision_form.html",
        {
            "case": case,
            "form": form,
            "point": point,
            "progress": progress,
            "spec": spec,
            "reviewing": reviewing,
            "material": selectors.decision_material(case, point),
        },
    )


@login_required
def decision_correct(request, pk, decision_pk):
    case = _case_for(request, pk)
    decision = get_object_or_404(
        Decision.objects.select_related("deciding_body"), pk=decision_pk, case=case
    )
    require(
        services.may_correct(request.user, decision),
        _("Bara beslutsorganet kan rätta sitt beslut."),
    )
    form = DecisionCorrectionForm(
        _posted(request),
        initial={
            "motivation": decision.motivation,
            "conditions": decision.conditions,
            "participants": decision.participants,
            "registry_reference": decision.registry_reference,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_correct(
                decision_id=decision.pk, actor=request.user, **form.cleaned_data
            )
        except services.ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Rättelsen är registrerad som ett nytt beslut."))
            return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    return render(
        request,
        "kunskapsstyrning/decision_correct.html",
        {"case": case, "decision": decision, "form": form},
    )


@login_required
def decision_part_correct(request, pk, part_pk):
    """Correct one principal's part of a joint decision, by whoever may record that part."""
    case = _case_for(request, pk)
    part = get_object_or_404(
        DecisionPart.objects.select_related("round__decision", "municipality", "decided_by"),
        pk=part_pk,
        round__case=case,
    )
    order = orders.Order.from_snapshot(part.round.order)
    if not order.is_joint_decision:
        raise Http404("One body's decision is corrected as a whole (decision_correct).")
    require(
        services.may_correct_part(request.user, case, part),
        _("Bara den som beslutar för delen kan rätta den."),
    )
    record = part.record
    form = DecisionPartCorrectionForm(
        _posted(request),
        initial={
            "motivation": record.motivation,
            "conditions": record.conditions,
            "registry_reference": record.registry_reference,
            "participants": record.participants,
            "based_on": part.latest_correction.pk if part.latest_correction else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_part_correct(part_id=part.pk, actor=request.user, **form.cleaned_data)
        except services.ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Rättelsen av delbeslutet är registrerad."))
            return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    spec = order.part(part.key)
    return render(
        request,
        "kunskapsstyrning/decision_part_correct.html",
        {"case": case, "part": part, "label": spec.label if spec else part.key, "form": form},
    )


@login_required
def municipality_accede(request, pk, part_pk):
    """A municipality that did not approve its part of a joint decision joins after all, by
    its own decision, recorded by whoever decides for it."""
    case = _case_for(request, pk)
    part = get_object_or_404(
        DecisionPart.objects.select_related("round__decision", "municipality", "decided_by"),
        pk=part_pk,
        round__case=case,
        municipality__isnull=False,
    )
    require(  # whoever may record the municipality's part, and no one else, before and after
        services.may_correct_part(request.user, case, part),
        _("Bara den som beslutar för kommunen kan registrera att den ansluter."),
    )
    if part.joined_later is not None:
        messages.info(
            request,
            _("%(name)s har redan anslutit (%(date)s).")
            % {"name": part.municipality.name, "date": part.joined_later.decided_on},
        )
        return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    require(
        services.may_accede(request.user, case, part),
        _("%(name)s deltar redan i ärendet, eller så har ärendet avslutats.")
        % {"name": part.municipality.name},
    )
    form = AccessionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.municipality_accede(part_id=part.pk, actor=request.user, **form.cleaned_data)
        except services.ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(
                request,
                _("%(name)s deltar nu i ärendet. Beslutet vid %(point)s får ett nytt dokument.")
                % {"name": part.municipality.name, "point": part.round.point},
            )
            return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    return render(
        request,
        "kunskapsstyrning/municipality_accede.html",
        {"case": case, "part": part, "form": form},
    )


@login_required
def case_supersede(request, pk):
    case = _case_for(request, pk)
    require(
        services.is_coordinator(request.user, case),
        _("Bara regionens strateger hanterar nya versioner."),
    )
    form = SupersedeForm(_posted(request))
    form.fields["new_support"].queryset = KnowledgeSupport.objects.exclude(
        pk=case.knowledge_support_id
    ).filter(title=case.knowledge_support.title) | KnowledgeSupport.objects.filter(
        replaces=case.knowledge_support
    )
    if request.method == "POST" and form.is_valid():
        try:
            successor = services.case_supersede(
                case_id=case.pk, actor=request.user, new_support=form.cleaned_data["new_support"]
            )
        except services.ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(
                request,
                _("Nytt ärende %(number)s öppnades för den nya versionen.")
                % {"number": successor.registry_number},
            )
            return redirect("kunskapsstyrning:case_detail", pk=successor.pk)
    return render(request, "kunskapsstyrning/supersede_form.html", {"case": case, "form": form})


@login_required
def case_deadline(request, pk):
    case = _case_for(request, pk)
    require(
        services.is_coordinator(request.user, case),
        _("Bara regionens strateger sätter ärendets tidsgräns."),
    )
    form = CaseDeadlineForm(
        _posted(request), initial={"due_date": case.due_date}, purpose=case.deadline_purpose
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_deadline_set(
                case_id=case.pk, actor=request.user, due_date=form.cleaned_data["due_date"]
            )
        except services.ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Tidsgränsen sparades."))
            return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    return render(request, "kunskapsstyrning/deadline_form.html", {"case": case, "form": form})


@login_required
def awaiting_decision(request):
    scope = scope_of(request.user)
    require(
        scope.unit_ids("decide_for_unit") or scope.is_admin,
        _("Sidan visar beslut för den som sitter i ett beslutsorgan."),
    )
    # Kept per person until anything changes in the regions they follow (`changes.kept_key`).
    user = request.user
    body = cache.get_or_set(
        changes.followed_key("awaiting", user),
        lambda: render_to_string(
            "kunskapsstyrning/_awaiting_body.html",
            {"cases": selectors.awaiting_decision_of(user)},
            request,
        ),
        changes.KEPT_SECONDS,
    )
    return render(request, "kunskapsstyrning/awaiting_decision.html", {"body": body})


# --- Documents ----------------------------------------------------------------------------


@login_required
def document_status(request, pk):
    """The documents block of the case page; htmx polls it while a document is pending."""
    case = _case_for(request, pk)
    documents = selectors.case_documents(case)
    return render(
        request,
        "kunskapsstyrning/_documents.html",
        {
            "case": case,
            "documents": documents,
            "documents_pending": any(d.is_pending for d in documents),
            "can_rerequest": services.is_coordinator(request.user, case),
        },
    )


@login_required
def document_download(request, pk, document_pk):
    from .documents import document_response

    case = _case_for(request, pk)
    document = get_object_or_404(Document, pk=document_pk, case=case)
    return document_response(document)


@require_POST
@login_required
def document_rerequest(request, pk, document_pk):
    case = _case_for(request, pk)
    document = get_object_or_404(Document, pk=document_pk, case=case)
    require(
        services.is_coordinator(request.user, case),
        _("Bara regionens strateger begär om dokument."),
    )
    try:
        services.document_rerequest(document_id=document.pk, actor=request.user)
    except services.ActionRefused as refused:
        show_refusal(request, refused)
    else:
        messages.success(request, _("Dokumentet begärdes på nytt."))
    return redirect("kunskapsstyrning:case_detail", pk=case.pk)


def document_verify(request):
    """Anyone may check whether a PDF is an unaltered document of this system; nothing is kept."""
    from .documents import document_verify as verify
    from .forms import DocumentVerifyForm

    result = None
    if request.method == "POST":
        form = DocumentVerifyForm(request.POST, request.FILES)
        if form.is_valid():
            result = verify(form.cleaned_data["file"].read())
            form = DocumentVerifyForm()
    else:
        form = DocumentVerifyForm()
    return render(
        request, "kunskapsstyrning/document_verify.html", {"form": form, "result": result}
    )


# --- Catalogue ----------------------------------------------------------------------------


def _may_maintain_catalogue(user):
    return user.is_staff or bool(scope_of(user).coordinated_region_ids)


@login_required
def search(request):
    """The header's search box: cases, remisser and knowledge supports, each within scope."""
    text = request.GET.get("q", "").strip()[:200]
    results = search_everything(request.user, text)
    return render(
        request,
        "kunskapsstyrning/search.html",
        {"text": text, "results": results, "found": sum(len(hits) for _f, hits in results)},
    )


@login_required
def support_list(request):
    # Counted per row of the page (a subquery), not by joining every recommendation of the
    # catalogue to every support before paginating: 50 ms at 68,000 recommendations.
    recommendations = (
        Recommendation.objects.filter(knowledge_support=OuterRef("pk"))
        .order_by()
        .values("knowledge_support")
        .annotate(n=Count("pk"))
        .values("n")
    )
    supports = KnowledgeSupport.objects.select_related("npo").annotate(
        recommendation_count=Coalesce(Subquery(recommendations), 0)
    )
    support_filter = SupportFilter(request.GET or None, supports)
    supports = support_filter.qs
    page = Paginator(supports.order_by("title", "version", "pk"), 50).get_page(
        request.GET.get("sida")
    )
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "kunskapsstyrning/support_list.html",
        {
            "page": page,
            "form": support_filter.form,
            "query": query.urlencode(),
            "can_maintain": _may_maintain_catalogue(request.user),
        },
    )


@login_required
def support_detail(request, pk):
    support = get_object_or_404(
        KnowledgeSupport.objects.select_related("npo", "replaces").prefetch_related(
            "recommendations", "indicators", "replaced_by"
        ),
        pk=pk,
    )
    return render(
        request,
        "kunskapsstyrning/support_detail.html",
        {
            "support": support,
            "cases": Case.objects.visible_to(request.user)
            .filter(knowledge_support=support)
            .select_related("region", "responsible_lpo", "knowledge_support"),
            "can_maintain": _may_maintain_catalogue(request.user),
            # A strategist's region without a case for the support running may open one here.
            "can_register": (region := selectors.coordinated_region(request.user)) is not None
            and services.open_case_for(region, support) is None,
        },
    )


@login_required
def support_edit(request, pk=None):
    require(
        _may_maintain_catalogue(request.user),
        _("Katalogen sköts av administratörer och strateger."),
    )
    support = get_object_or_404(KnowledgeSupport, pk=pk) if pk else None
    form = KnowledgeSupportForm(_posted(request), instance=support)
    form.fields["npo"].queryset = Unit.objects.filter(kind=UnitKind.NPO)
    if request.method == "POST" and form.is_valid():
        try:
            support = services.support_save(support=form.save(commit=False))
        except services.ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Kunskapsstödet sparades."))
            return redirect("kunskapsstyrning:support_detail", pk=support.pk)
    return render(request, "kunskapsstyrning/support_form.html", {"form": form, "support": support})


@login_required
def recommendations_import(request, pk):
    require(
        _may_maintain_catalogue(request.user),
        _("Katalogen sköts av administratörer och strateger."),
    )
    support = get_object_or_404(KnowledgeSupport, pk=pk)
    form = RecommendationImportForm(_posted(request), request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = import_recommendations(support=support, upload=form.cleaned_data["file"])
        except RecommendationImportError as exc:
            form.add_error("file", exc.message)
        else:
            if not report.rejected:
                messages.success(
                    request, _("%(n)s rekommendationer importerades.") % {"n": report.imported}
                )
                return redirect("kunskapsstyrning:support_detail", pk=support.pk)
    return render(
        request,
        "kunskapsstyrning/recommendations_import.html",
        {"support": support, "form": form, "report": report},
    )


# --- The decision order: the preparing body's proposal, information, the administrator ----


@login_required
def proposal_record(request, pk):
    case = _case_for(request, pk)
    progress = services.decision_progress(request.user, case)
    if progress is None or not progress["needs_proposal"]:
        messages.error(request, _("Inget förslag till beslut väntar i ärendet."))
        return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    order = progress["order"]
    require(
        progress["may_propose"],
        _("Förslaget lämnas av %(body)s eller strategen.") % {"body": order.preparing_body},
    )
    form = ProposalForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_record(
                case_id=case.pk, actor=request.user, point=progress["point"], **form.cleaned_data
            )
        except services.ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Förslaget till beslut är registrerat."))
            return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    return render(
        request,
        "kunskapsstyrning/proposal_form.html",
        {"case": case, "form": form, "progress": progress},
    )


@login_required
def notice_record(request, pk):
    case = _case_for(request, pk)
    require(
        services.is_coordinator(request.user, case),
        _("Bara regionens strateger registrerar informationen."),
    )
    due = services.notice_due(case)
    if due is None:
        messages.error(request, _("Ingen information om beslut väntar i ärendet."))
        return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    form = NoticeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_record(
                case_id=case.pk,
                actor=request.user,
                decision_id=due.decision_id,
                **form.cleaned_data,
            )
        except services.ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Informationen är registrerad."))
            return redirect("kunskapsstyrning:case_detail", pk=case.pk)
    return render(
        request, "kunskapsstyrning/notice_form.html", {"case": case, "form": form, "due": due}
    )


# The order's kinds of case, as the administrator's page lists them.
ORDER_KINDS = [DecisionRule.AppliesTo.REGION, DecisionRule.AppliesTo.JOINT]


@login_required
def decision_orders(request, pk):
    """The region's decision order: for each point and kind of case, who does what."""
    region = org_selectors.region_for(request.user, pk)
    rules = {
        (r.point, r.applies_to): r
        for r in DecisionRule.objects.filter(region=region).select_related(
            "deciding_body", "municipal_body", "preparing_body", "changed_by"
        )
    }
    rows = []
    for point, point_label in DecisionPoint.choices:
        for kind in ORDER_KINDS:
            # A rule for all cases stands for a kind without its own.
            rule = rules.get((point, kind)) or rules.get((point, DecisionRule.AppliesTo.ALL))
            rows.append({"point": point, "point_label": point_label, "kind": kind, "rule": rule})
    return render(
        request,
        "kunskapsstyrning/decision_orders.html",
        {"region": region, "rows": rows, "kinds": ORDER_KINDS},
    )


@login_required
def decision_order_edit(request, pk, point, kind):
    region = org_selectors.region_for(request.user, pk)
    if point not in DecisionPoint.values or kind not in ORDER_KINDS:
        raise Http404
    rule = DecisionRule.objects.filter(region=region, point=point, applies_to=kind).first()
    if rule is None:
        # The first edit of a kind gives it its own order, starting from the general one.
        general = DecisionRule.objects.filter(
            region=region, point=point, applies_to=DecisionRule.AppliesTo.ALL
        ).first()
        rule = DecisionRule(region=region, point=point, applies_to=kind)
        if general is not None:
            for name in DecisionOrderForm.Meta.fields:
                setattr(rule, name, getattr(general, name))
    form = DecisionOrderForm(_posted(request), instance=rule, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_save(rule=form.instance, actor=request.user)
        except services.ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(
                request,
                _("Beslutsordningen för %(point)s (%(kind)s) är sparad.")
                % {"point": point, "kind": rule.get_applies_to_display().lower()},
            )
            return redirect("kunskapsstyrning:decision_orders", pk=region.pk)
    return render(
        request,
        "kunskapsstyrning/decision_order_form.html",
        {
            "region": region,
            "rule": rule,
            "form": form,
            "affected": services.cases_following(rule),
        },
    )


# --- The person's notifications ("Meddelanden") ---------------------------------------------


def _own_notification(request, pk):
    try:
        return notifications.notification_read(notification_id=pk, user=request.user)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc  # someone else's is not there for you


@login_required
def notification_open(request, pk):
    """Open a notification: it is read, and you land where it points."""
    notification = _own_notification(request, pk)
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("kunskapsstyrning:notification_list")
    return redirect(notification.url)


@require_POST
@login_required
def notification_read(request, pk):
    _own_notification(request, pk)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("kunskapsstyrning:home")
    return redirect(back)


@require_POST
@login_required
def notifications_read_all(request):
    count = notifications.notifications_read_all(user=request.user)
    messages.success(request, _("%(n)s meddelanden markerades som lästa.") % {"n": count})
    return redirect("kunskapsstyrning:notification_list")


@login_required
def notification_list(request):
    mine = Notification.objects.filter(recipient=request.user).select_related(
        "case__knowledge_support"
    )
    page = Paginator(mine, 50).get_page(request.GET.get("sida"))
    any_unread = mine.filter(read_at__isnull=True).exists()
    return render(
        request,
        "kunskapsstyrning/notification_list.html",
        {"page": page, "any_unread": any_unread},
    )
