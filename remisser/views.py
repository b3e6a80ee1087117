from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.confirm import confirmation_step
from common.forms import recall, remember_invalid, whole_number
from common.refusals import show_refusal
from common.text import genitive
from kunskapsstyrning.models import Case, State
from kunskapsstyrning.selectors import coordinated_region
from organisation.permissions import get_visible_or_404, require

from . import selectors, services
from .filters import RemissFilter
from .forms import (
    AttachmentsForm,
    CommentForm,
    CompileForm,
    DeclineForm,
    DistributeForm,
    ExpertInviteForm,
    MunicipalAssessmentForm,
    RemissRegisterForm,
    ResponseForm,
    SendForm,
)
from .models import Comment, Remiss, RemissAccess, Response

ROUNDS_PER_PAGE = 25


def _round_for(request, pk):
    """The round if the user may see it (404 otherwise), with its case."""
    return get_visible_or_404(selectors.round_queryset(), request.user, pk=pk)


def _response_for(request, remiss, response_pk):
    """One answer of the round, if the user may read it: another LPO's answer is a 404."""
    queryset = Response.objects.filter(remiss=remiss).select_related("lpo", "respondent")
    response = get_visible_or_404(queryset, request.user, pk=response_pk)
    response.remiss = remiss
    return response


@login_required
def remiss_list(request):
    today = timezone.localdate()
    visible = Remiss.objects.visible_to(request.user)
    remiss_filter = RemissFilter(request.GET or None, visible, today=today)
    rounds = selectors.round_list(remiss_filter.qs)
    page = Paginator(rounds, ROUNDS_PER_PAGE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "remisser/remiss_list.html",
        {
            "page": page,
            "form": remiss_filter.form,
            "query": query.urlencode(),
            "today": today,
            "can_register": coordinated_region(request.user) is not None,
        },
    )


@login_required
def remiss_register(request):
    region = coordinated_region(request.user)
    require(region is not None, _("Bara regionens strateger registrerar remisser."))
    initial = {"strategist": request.user, "received_on": timezone.localdate()}
    case_pk = whole_number(request.GET.get("arende"), digits=11)
    waiting = (
        Case.objects.filter(region=region, state=State.REMISS, remiss__isnull=True, pk=case_pk)
        .select_related("knowledge_support")
        .first()
        if case_pk is not None
        else None
    )
    if waiting is not None:  # from the case page of a case still without its remiss
        initial.update(
            knowledge_support=waiting.knowledge_support_id,
            responsible_lpo=waiting.responsible_lpo_id,
            strategist=waiting.strategist_id or request.user,
            reply_deadline=waiting.due_date,
        )
    form = RemissRegisterForm(
        request.POST or None, request.FILES or None, region=region, initial=initial, case=waiting
    )
    if request.method == "POST" and form.is_valid():
        try:
            remiss = services.remiss_register(
                actor=request.user, region=region, **form.service_arguments()
            )
        except services.ActionRefused as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Remissen registrerades som %(number)s.") % {"number": remiss.registry_number},
            )
            return redirect("remisser:remiss_detail", pk=remiss.pk)
    return render(
        request,
        "remisser/remiss_register.html",
        {"form": form, "region": region, "waiting": waiting},
    )


@login_required
def remiss_detail(request, pk):
    remiss = get_visible_or_404(selectors.round_page_queryset(), request.user, pk=pk)
    context = selectors.round_page(remiss, request.user, timezone.localdate())
    if context["viewer"].coordinator and remiss.is_open:
        context["attachments_form"] = recall(request, "attachments", AttachmentsForm)
    return render(request, "remisser/remiss_detail.html", context)


@require_POST
@login_required
def attachments_add(request, pk):
    remiss = _round_for(request, pk)
    require(
        services.is_round_coordinator(request.user, remiss),
        _("Bara regionens strateger lägger till bilagor."),
    )
    form = AttachmentsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachments_add(
                remiss_id=remiss.pk, actor=request.user, files=form.cleaned_data["attachments"]
            )
        except services.ActionRefused as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("Bilagorna lades till."))
    else:
        remember_invalid(request, "attachments", form)
    return redirect("remisser:remiss_detail", pk=remiss.pk)


@login_required
def attachment_download(request, pk, attachment_pk):
    remiss = _round_for(request, pk)
    attachment = get_object_or_404(remiss.attachments, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("Filen finns inte längre.")) from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def remiss_assess(request, pk):
    remiss = _round_for(request, pk)
    require(
        services.may_assess_municipalities(request.user, remiss),
        _("Bedömningen görs av strategen eller kommunernas samordnare för remissen."),
    )
    initial = {}
    if remiss.municipalities_concerned is not None:
        initial = {
            "concerned": "ja" if remiss.municipalities_concerned else "nej",
            "assessment": remiss.municipal_assessment,
            "municipalities": list(remiss.case.municipalities.all()),
        }
    form = MunicipalAssessmentForm(request.POST or None, initial=initial, region=remiss.case.region)
    if request.method == "POST" and form.is_valid():
        try:
            services.municipalities_assess(
                remiss_id=remiss.pk, actor=request.user, **form.service_arguments()
            )
        except services.ActionRefused as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Kommunernas bedömning sparades."))
            return redirect("remisser:remiss_detail", pk=remiss.pk)
    return render(request, "remisser/remiss_assess.html", {"remiss": remiss, "form": form})


@login_required
def remiss_distribute(request, pk):
    remiss = _round_for(request, pk)
    require(
        services.is_round_coordinator(request.user, remiss),
        _("Bara regionens strateger skickar ut remisser."),
    )
    if not remiss.is_open:
        messages.error(request, _("Remissen är avslutad."))
        return redirect("remisser:remiss_detail", pk=remiss.pk)
    already = list(remiss.responses.select_related("lpo", "respondent"))
    case = remiss.case
    initial = {
        "internal_deadline": remiss.internal_deadline,
        "message": remiss.distribution_message,
        "lpos": [case.responsible_lpo_id, *case.concerned_lpos.values_list("pk", flat=True)]
        if not already
        else [],
    }
    form = DistributeForm(request.POST or None, remiss=remiss, initial=initial)
    sent_to = {r.lpo_id for r in already if r.lpo_id}
    if request.method == "POST":
        # The same send-out posted again (a double click, a second tab): it went the first
        # time; say so rather than ask for LPOs the list no longer offers.
        posted = {whole_number(value) for value in request.POST.getlist("lpos")}
        if posted and None not in posted and posted <= sent_to:
            messages.success(request, _("Remissen är redan utskickad till de LPO:er du valde."))
            return redirect("remisser:remiss_detail", pk=remiss.pk)
    form.fields["lpos"].queryset = form.fields["lpos"].queryset.exclude(pk__in=sent_to)
    if any(r.respondent_id for r in already):
        del form.fields["municipal_representative"]
    if request.method == "POST" and form.is_valid():
        try:
            services.remiss_distribute(
                remiss_id=remiss.pk,
                actor=request.user,
                lpos=form.cleaned_data["lpos"],
                internal_deadline=form.cleaned_data["internal_deadline"],
                message=form.cleaned_data["message"],
                municipal_representative=form.cleaned_data.get("municipal_representative"),
            )
        except services.ActionRefused as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Remissen skickades ut."))
            return redirect("remisser:remiss_detail", pk=remiss.pk)
    return render(
        request,
        "remisser/remiss_distribute.html",
        {"remiss": remiss, "form": form, "already": already},
    )


# --- The chair's answering page -----------------------------------------------------------


def _comment_form(remiss, data=None):
    # Prefixed: on the chair's page it sits beside the answer form, whose text field is
    # also called `text`; two `id_text` on one page would confuse labels and screen readers.
    return CommentForm(
        data,
        prefix="synpunkt",
        questions=list(remiss.questions.all()),
        recommendations=list(remiss.case.knowledge_support.recommendations.all()),
    )


@login_required
def remiss_answer(request, pk, response_pk):
    remiss = _round_for(request, pk)
    response = _response_for(request, remiss, response_pk)
    may_answer = services.may_answer(request.user, response)
    editable = may_answer and remiss.is_open and not response.is_submitted
    page = selectors.answer_page(remiss, response)
    response.comment_count = len(page["comments"])
    form = ResponseForm(
        request.POST or None,
        comments=response.comments.select_related("author", "question", "recommendation"),
        initial={
            "text": response.text,
            "included": [c.pk for c in page["comments"] if c.included],
        },
    )
    unsaved = ""
    if request.method == "POST" and may_answer and not editable:
        # Written in a second tab, or after the round closed: the page says so and hands the
        # text back, rather than show the answer as if nothing had been sent.
        unsaved = request.POST.get("text", "").strip()
        messages.error(request, _("Det du skickade sparades inte: svaret kan inte längre ändras."))
    elif request.method == "POST":
        require(may_answer, _("Bara LPO:ts ordförande skriver och skickar in LPO:ts svar."))
        if form.is_valid():
            submit = request.POST.get("step") == "submit"
            if submit and (
                confirm := confirmation_step(
                    request,
                    question=_("Skicka in %(name)s svar?") % {"name": genitive(response.name)},
                    consequence=_(
                        "När svaret är inskickat kan det inte ändras, och sakkunniga kan inte "
                        "längre lämna synpunkter."
                    ),
                    confirm_label=_("Ja, skicka in svaret"),
                    back_url=request.path,
                )
            ):
                return confirm
            try:
                services.response_save(
                    response_id=response.pk,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    included_comment_ids=form.included_ids(),
                    submit=submit,
                )
            except services.ActionRefused as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("%(name)s svar skickades in.") % {"name": genitive(response.name)}
                    if submit
                    else _("Utkastet sparades."),
                )
                return redirect("remisser:remiss_answer", pk=remiss.pk, response_pk=response.pk)
    invited = {a.user_id for a in page["experts"] if a.is_active}
    return render(
        request,
        "remisser/remiss_answer.html",
        {
            "remiss": remiss,
            "response": response,
            "form": form,
            "unsaved": unsaved,
            "may_answer": may_answer,
            "editable": editable,
            "comment_form": recall(request, "comment", partial(_comment_form, remiss))
            if editable
            else None,
            "invite_form": recall(
                request,
                "invite",
                partial(ExpertInviteForm, remiss=remiss, exclude={request.user.pk, *invited}),
            )
            if editable
            else None,
            "questions": list(remiss.questions.all()),
            "attachments": list(remiss.attachments.all()),
            **page,
        },
    )


@require_POST
@login_required
def expert_invite(request, pk, response_pk):
    remiss = _round_for(request, pk)
    response = _response_for(request, remiss, response_pk)
    require(
        services.may_answer(request.user, response),
        _("Bara LPO:ts ordförande bjuder in sakkunniga."),
    )
    form = ExpertInviteForm(request.POST, remiss=remiss, exclude={request.user.pk})
    if form.is_valid():
        try:
            access = services.expert_invite(
                response_id=response.pk, actor=request.user, user=form.cleaned_data["user"]
            )
        except services.ActionRefused as exc:
            show_refusal(request, exc)
        else:
            messages.success(
                request,
                _("%(who)s är inbjuden och har fått ett mejl med länken.") % {"who": access.user},
            )
    else:
        remember_invalid(request, "invite", form)
    return redirect("remisser:remiss_answer", pk=remiss.pk, response_pk=response.pk)


@require_POST
@login_required
def expert_revoke(request, pk, response_pk, access_pk):
    remiss = _round_for(request, pk)
    response = _response_for(request, remiss, response_pk)
    access = get_object_or_404(RemissAccess, pk=access_pk, response=response)
    require(
        services.may_answer(request.user, response),
        _("Bara LPO:ts ordförande tar bort sakkunniga."),
    )
    if confirm := confirmation_step(
        request,
        question=_("Ta bort %(who)s tillgång till remissen?") % {"who": genitive(str(access.user))},
        consequence=_("Personen kan inte längre läsa remissen eller lämna synpunkter."),
        confirm_label=_("Ja, ta bort tillgången"),
        back_url=reverse(
            "remisser:remiss_answer", kwargs={"pk": remiss.pk, "response_pk": response.pk}
        ),
    ):
        return confirm
    try:
        services.expert_revoke(access_id=access.pk, actor=request.user)
    except services.ActionRefused as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("%(who)s har inte längre tillgång.") % {"who": access.user})
    return redirect("remisser:remiss_answer", pk=remiss.pk, response_pk=response.pk)


@require_POST
@login_required
def chair_comment_add(request, pk, response_pk):
    remiss = _round_for(request, pk)
    response = _response_for(request, remiss, response_pk)
    require(
        services.may_answer(request.user, response),
        _("Bara LPO:ts ordförande skriver i LPO:ts svar."),
    )
    return _comment_add(request, remiss, response, "remisser:remiss_answer", response.pk)


def _comment_add(request, remiss, response, next_view, *next_args):
    form = _comment_form(remiss, request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                response_id=response.pk,
                actor=request.user,
                text=form.cleaned_data["text"],
                **form.targets(),
            )
        except services.ActionRefused as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("Synpunkten sparades."))
    else:
        remember_invalid(request, "comment", form)
    return redirect(next_view, remiss.pk, *next_args)


# --- The expert's commenting page ---------------------------------------------------------


def _invitation_for(request, pk):
    """The user's own invitation to this round; anyone else (and any other round) is a 404."""
    access = (
        RemissAccess.objects.active()
        .filter(remiss_id=pk, user_id=request.user.pk, response__isnull=False)
        .select_related(
            "remiss__case__knowledge_support",
            "remiss__case__region",
            "response__lpo",
            "invited_by",
        )
        .first()
    )
    if access is None:
        raise Http404
    return access


@login_required
def remiss_comments(request, pk):
    access = _invitation_for(request, pk)
    remiss, response = access.remiss, access.response
    if request.method == "POST":
        return _comment_add(request, remiss, response, "remisser:remiss_comments")
    editable = remiss.is_open and not response.is_submitted
    comments = list(
        response.comments.filter(author=request.user)
        .select_related("question", "recommendation")
        .order_by("question__number", "recommendation__number", "created_at", "pk")
    )
    return render(
        request,
        "remisser/remiss_comments.html",
        {
            "remiss": remiss,
            "response": response,
            "access": access,
            "comments": comments,
            "editable": editable,
            "comment_form": recall(request, "comment", partial(_comment_form, remiss))
            if editable
            else None,
            "questions": list(remiss.questions.all()),
            "attachments": list(remiss.attachments.all()),
            "recommendations": list(remiss.case.knowledge_support.recommendations.all()),
        },
    )


@require_POST
@login_required
def comment_delete(request, pk, comment_pk):
    remiss = _round_for(request, pk)
    # Only the author's own comments are found: another person's comment is as absent as
    # one that does not exist (a 403 would tell that it is there, in an answer one cannot see).
    comment = get_object_or_404(
        Comment, pk=comment_pk, response__remiss=remiss, author=request.user
    )
    if confirm := confirmation_step(
        request,
        question=_("Ta bort synpunkten om %(target)s?") % {"target": comment.target_label},
        confirm_label=_("Ja, ta bort synpunkten"),
        back_url=(
            reverse("remisser:remiss_answer", args=[remiss.pk, comment.response_id])
            if services.may_answer(request.user, comment.response)
            else reverse("remisser:remiss_comments", args=[remiss.pk])
        ),
    ):
        return confirm
    try:
        services.comment_delete(comment_id=comment.pk, actor=request.user)
    except services.ActionRefused as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("Synpunkten togs bort."))
    if services.may_answer(request.user, comment.response):
        return redirect("remisser:remiss_answer", pk=remiss.pk, response_pk=comment.response_id)
    return redirect("remisser:remiss_comments", pk=remiss.pk)


# --- The strategist's compile page --------------------------------------------------------


@login_required
def remiss_answer_preview(request, pk):
    """The compiled answer as a draft PDF: read before it is approved and sent; nothing kept."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    from common.pdf import html_to_pdf

    remiss = _round_for(request, pk)
    require(
        services.is_round_coordinator(request.user, remiss),
        _("Bara regionens strateger sammanställer svaret."),
    )
    html = render_to_string("remisser/pdf/answer.html", selectors.answer_draft_context(remiss))
    data, _pages = html_to_pdf(html, archival=False)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="utkast-remissvar.pdf"'
    return response


@login_required
def remiss_compile(request, pk):
    remiss = _round_for(request, pk)
    require(
        services.is_round_coordinator(request.user, remiss),
        _("Bara regionens strateger sammanställer svaret."),
    )
    page = selectors.compile_page(remiss)
    form = CompileForm(
        request.POST or None,
        comments=page["comments"],
        questions=page["questions"],
        initial={"answer_text": remiss.answer_text},
    )
    form.fields["answer_text"].label = remiss.answer_label
    form.attach_fields()
    if request.method == "POST" and form.is_valid():
        try:
            services.compilation_save(
                remiss_id=remiss.pk,
                actor=request.user,
                answer_text=form.cleaned_data["answer_text"],
                dispositions=form.dispositions(),
                answers=form.answers(),
            )
        except services.ActionRefused as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Sammanställningen sparades."))
            return redirect("remisser:remiss_compile", pk=remiss.pk)
    return render(
        request,
        "remisser/remiss_compile.html",
        {
            "remiss": remiss,
            "form": form,
            "send_form": recall(request, "send", SendForm),
            "decline_form": recall(request, "decline", DeclineForm),
            "problems": services.compilation_problems(remiss) if remiss.is_open else [],
            **page,
        },
    )


@require_POST
@login_required
def remiss_send(request, pk):
    remiss = _round_for(request, pk)
    require(
        services.is_round_coordinator(request.user, remiss),
        _("Bara regionens strateger skickar regionens svar."),
    )
    form = SendForm(request.POST)
    if not form.is_valid():
        remember_invalid(request, "send", form)
        return redirect("remisser:remiss_compile", pk=remiss.pk)
    # Ask only when the answer can go: what stops it is said before, not after, confirming.
    if problems := services.compilation_problems(remiss):
        messages.error(request, " ".join(str(p) for p in problems))
        return redirect("remisser:remiss_compile", pk=remiss.pk)
    if confirm := confirmation_step(
        request,
        question=_("Markera regionens svar som skickat?"),
        consequence=_("Svaret registreras och remissen stängs; det går inte att ångra."),
        confirm_label=_("Ja, markera svaret som skickat"),
        back_url=reverse("remisser:remiss_compile", kwargs={"pk": remiss.pk}),
    ):
        return confirm
    try:
        services.remiss_send(remiss_id=remiss.pk, actor=request.user, **form.cleaned_data)
    except services.ActionRefused as exc:
        show_refusal(request, exc)
        return redirect("remisser:remiss_compile", pk=remiss.pk)
    messages.success(request, _("Regionens svar är markerat som skickat och registrerat."))
    return redirect("remisser:remiss_detail", pk=remiss.pk)


@require_POST
@login_required
def remiss_decline(request, pk):
    remiss = _round_for(request, pk)
    require(
        services.is_round_coordinator(request.user, remiss),
        _("Bara regionens strateger beslutar att avstå."),
    )
    form = DeclineForm(request.POST)
    if not form.is_valid():
        remember_invalid(request, "decline", form)
        return redirect("remisser:remiss_compile", pk=remiss.pk)
    if confirm := confirmation_step(
        request,
        question=_("Ska regionen avstå från att svara?"),
        consequence=_("Beslutet registreras och remissen stängs; det går inte att ångra."),
        confirm_label=_("Ja, regionen avstår"),
        back_url=reverse("remisser:remiss_compile", kwargs={"pk": remiss.pk}),
    ):
        return confirm
    try:
        services.remiss_decline(
            remiss_id=remiss.pk, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except services.ActionRefused as exc:
        show_refusal(request, exc)
        return redirect("remisser:remiss_compile", pk=remiss.pk)
    messages.success(request, _("Regionen avstår från att svara; beslutet är registrerat."))
    return redirect("remisser:remiss_detail", pk=remiss.pk)
