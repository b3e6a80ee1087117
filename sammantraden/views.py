from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.confirm import confirmation_step
from common.forms import whole_number
from common.pdf import PdfMetadata, render_pdf
from common.refusals import ActionRefused, refusal_text, show_refusal
from kunskapsstyrning.documents import verify_url
from kunskapsstyrning.forms import DecisionForm
from kunskapsstyrning.models import Case
from kunskapsstyrning.selectors import coordinated_region
from organisation.permissions import require, scope_of

from . import selectors, services
from .forms import AddCasesForm, MeetingForm
from .models import MeetingItem


def _posted(request):
    return request.POST if request.method == "POST" else None


@login_required
def meeting_list(request):
    scope = scope_of(request.user)
    require(
        scope.overseen_region_ids or scope.is_admin,
        _("Sammanträdena visas för regionens strateger och ledning."),
    )
    meetings = list(selectors.meetings_of(request.user).order_by("-date", "-pk")[:100])
    today = timezone.localdate()
    return render(
        request,
        "sammantraden/meeting_list.html",
        {
            "coming": [m for m in meetings if m.is_open and m.date >= today][::-1],
            "held": [m for m in meetings if not (m.is_open and m.date >= today)],
            "can_plan": bool(scope.coordinated_region_ids),
        },
    )


@login_required
def meeting_create(request):
    region = coordinated_region(request.user)
    require(region is not None, _("Bara regionens strateger planerar sammanträden."))
    bodies = selectors.decision_bodies_of(region.pk)
    form = MeetingForm(_posted(request), bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, region=region, **form.cleaned_data
            )
        except ActionRefused as exc:
            form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Sammanträdet är planerat. Lägg till ärendena."))
            return redirect("sammantraden:meeting_add", pk=meeting.pk)
    return render(request, "sammantraden/meeting_form.html", {"form": form, "region": region})


@login_required
def meeting_detail(request, pk):
    meeting = selectors.meeting_for_page(request.user, pk)
    return render(
        request, "sammantraden/meeting_detail.html", selectors.meeting_page(request.user, meeting)
    )


@login_required
def meeting_add(request, pk):
    meeting = selectors.meeting_for_page(request.user, pk)
    require(
        services.may_plan(request.user, meeting), _("Bara regionens strateger sätter dagordningen.")
    )
    if not services.agenda_open(meeting):
        messages.error(
            request, _("Dagordningen är stängd: sammanträdet har varit eller avslutats.")
        )
        return redirect("sammantraden:meeting_detail", pk=meeting.pk)
    candidates = selectors.candidates(meeting)
    form = AddCasesForm(_posted(request), candidates=candidates)
    if request.method == "POST":
        # A case outside the region (or the user's sight) does not exist here, whatever was
        # posted: 404, as everywhere.
        ids = {whole_number(value) for value in request.POST.getlist("cases")}
        if None in ids:
            raise Http404
        found = (
            Case.objects.visible_to(request.user)
            .filter(region_id=meeting.region_id, pk__in=ids)
            .count()
        )
        if found != len(ids):
            raise Http404
        if form.is_valid():
            try:
                items = services.meeting_add_cases(
                    meeting_id=meeting.pk, actor=request.user, case_ids=sorted(ids)
                )
            except ActionRefused as exc:
                form.add_error("cases", refusal_text(exc))
            else:
                messages.success(
                    request,
                    _("Ett ärende lades till på dagordningen.")
                    if len(items) == 1
                    else _("%(n)s ärenden lades till på dagordningen.") % {"n": len(items)},
                )
                return redirect("sammantraden:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "sammantraden/meeting_add.html",
        {"meeting": meeting, "form": form, "candidates": candidates},
    )


@require_POST
@login_required
def meeting_remove(request, pk, item_pk):
    meeting = selectors.meeting_for_page(request.user, pk)
    item = get_object_or_404(
        MeetingItem.objects.select_related("case"), pk=item_pk, meeting=meeting
    )
    require(
        services.may_plan(request.user, meeting), _("Bara regionens strateger sätter dagordningen.")
    )
    if confirm := confirmation_step(
        request,
        question=_("Ta bort %(number)s från dagordningen?") % {"number": item.case.registry_number},
        consequence=_("Ärendet kan sättas upp på ett annat sammanträde."),
        confirm_label=_("Ja, ta bort det från dagordningen"),
        back_url=reverse("sammantraden:meeting_detail", kwargs={"pk": meeting.pk}),
    ):
        return confirm
    try:
        services.meeting_remove_case(item_id=item.pk, actor=request.user)
    except ActionRefused as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Ärendet togs bort från dagordningen."))
    return redirect("sammantraden:meeting_detail", pk=meeting.pk)


@login_required
def meeting_decide(request, pk, item_pk):
    """The core's two steps (fill in and review, then confirm) for one case of the sitting."""
    meeting = selectors.meeting_for_page(request.user, pk)
    item = selectors.agenda_item(meeting, item_pk)
    require(
        services.may_sit(request.user, meeting),
        _("Sammanträdets beslut fattas av %(body)s.") % {"body": meeting.deciding_body.name},
    )
    back = redirect("sammantraden:meeting_detail", pk=meeting.pk)
    if item.decision_id is not None or not item.open:
        messages.error(request, _("Ärendet är redan beslutat på sammanträdet."))
        return back
    if timezone.localdate() < meeting.date:
        messages.error(
            request,
            _("Sammanträdet hålls %(date)s; dess beslut registreras från den dagen.")
            % {"date": meeting.date.isoformat()},
        )
        return back
    case = item.case
    initial = {"participants": meeting.participants}
    if meeting.date <= timezone.localdate():
        initial["decided_on"] = meeting.date
    form = DecisionForm(_posted(request), point=meeting.point, initial=initial)
    reviewing = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("step") == "confirm":
            try:
                decision = services.meeting_decide(
                    item_id=item.pk, actor=request.user, **form.cleaned_data
                )
            except ActionRefused as exc:
                show_refusal(request, exc)
            else:
                if decision is None:
                    messages.success(
                        request,
                        _(
                            "Din del av beslutet är registrerad; beslutet fattas när alla "
                            "delar är inne."
                        ),
                    )
                    return back
                messages.success(
                    request,
                    _("Beslutet %(point)s för %(number)s är registrerat.")
                    % {"point": meeting.point, "number": case.registry_number},
                )
            return back
        reviewing = True
    return render(
        request,
        "sammantraden/meeting_decide.html",
        {
            "meeting": meeting,
            "item": item,
            "case": case,
            "form": form,
            "point": meeting.point,
            "reviewing": reviewing,
            "review_steps": [
                ("confirm", _("Bekräfta och registrera beslutet"), ""),
                ("edit", _("Ändra"), " secondary"),
            ],
            "material": item.material,
        },
    )


@require_POST
@login_required
def meeting_close(request, pk):
    meeting = selectors.meeting_for_page(request.user, pk)
    require(
        services.may_close(request.user, meeting),
        _("Bara regionens strateger och beslutsorganet avslutar sammanträdet."),
    )
    if confirm := confirmation_step(
        request,
        question=_("Avsluta sammanträdet?"),
        consequence=_(
            "Ärenden som inte beslutades lämnar dagordningen och kan sättas upp på ett annat "
            "sammanträde. Beslut kan inte längre registreras här."
        ),
        confirm_label=_("Ja, avsluta sammanträdet"),
        back_url=reverse("sammantraden:meeting_detail", kwargs={"pk": meeting.pk}),
    ):
        return confirm
    try:
        services.meeting_close(meeting_id=meeting.pk, actor=request.user)
    except ActionRefused as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Sammanträdet är avslutat."))
    return redirect("sammantraden:meeting_detail", pk=meeting.pk)


def _pdf(meeting, template, title, filename, context):
    context = {
        **context,
        "meeting": meeting,
        "title": title,
        "generated_at": timezone.now(),
        "verify_url": verify_url(),
        # Not a registered case document: no seal, no line saying where to verify it (each
        # decision's own document is sealed and verifiable).
        "draft": True,
    }
    data, _pages = render_pdf(
        template,
        context,
        PdfMetadata(region=meeting.region.name, kind=title),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def meeting_agenda_pdf(request, pk):
    meeting = selectors.meeting_for_page(request.user, pk)
    return _pdf(
        meeting,
        "sammantraden/pdf/agenda.html",
        _("Dagordning"),
        f"dagordning-{meeting.date:%Y-%m-%d}-{meeting.point}.pdf",
        {"items": selectors.agenda(meeting)},
    )


@login_required
def meeting_protocol_pdf(request, pk):
    meeting = selectors.meeting_for_page(request.user, pk)
    items = [item for item in selectors.agenda(meeting) if item.decision_id]
    if not items:
        messages.error(
            request, _("Sammanträdet har inga beslut ännu; protokollet har inget att visa.")
        )
        return redirect("sammantraden:meeting_detail", pk=meeting.pk)
    return _pdf(
        meeting,
        "sammantraden/pdf/protocol.html",
        _("Protokollsutdrag"),
        f"protokollsutdrag-{meeting.date:%Y-%m-%d}-{meeting.point}.pdf",
        {"items": items},
    )
