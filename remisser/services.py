"""One function per intent in a consultation round.

Each checks the actor's permission, locks the round, changes it in one transaction, writes a
row on the case's timeline and queues e-mail only after the commit. Views call these and
nothing else to change a round.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import can_proceed

from common.refusals import ActionRefused
from common.validators import happened, planned
from kunskapsstyrning import notifications as told
from kunskapsstyrning import services as case_services
from kunskapsstyrning import timeline
from kunskapsstyrning.models import (
    Case,
    CaseEvent,
    DocumentKind,
    KnowledgeSupport,
    NationalStatus,
    Recommendation,
    State,
)
from organisation.models import Membership, Municipality, Region, Role, Unit, UnitKind, User
from organisation.permissions import scope_of

from . import notifications
from .attachments import check_upload
from .models import (
    AccessKind,
    Asks,
    Comment,
    Disposition,
    Reminder,
    Remiss,
    RemissAccess,
    RemissAttachment,
    RemissQuestion,
    RemissStatus,
    Response,
    ResponseKind,
)

# --- Who may do what ----------------------------------------------------------------------


def is_round_coordinator(user: User, remiss: Remiss) -> bool:
    """The region's strategists run the round: register, distribute, compile, send."""
    return scope_of(user).coordinates(remiss.case.region_id)


def may_answer(user: User, response: Response) -> bool:
    """The chair answers for an LPO; the named representative for the municipalities."""
    scope = scope_of(user)
    if response.lpo_id:
        return scope.has("act_for_unit", response.lpo_id)
    return scope.is_admin or response.respondent_id == user.pk


def active_access(user: User, remiss_id: int) -> RemissAccess | None:
    return (
        RemissAccess.objects.active()
        .filter(remiss_id=remiss_id, user_id=user.pk)
        .select_related("response")
        .first()
    )


def may_assess_municipalities(
    user: User, remiss: Remiss, access: RemissAccess | None = None
) -> bool:
    """The strategist, or the municipalities' coordinator invited to the round."""
    if is_round_coordinator(user, remiss):
        return True
    access = access if access is not None else active_access(user, remiss.pk)
    return access is not None and access.kind == AccessKind.MUNICIPAL


def may_comment(user: User, response: Response, access: RemissAccess | None = None) -> bool:
    """Whoever answers for the LPO, and the experts invited to contribute to its answer."""
    if may_answer(user, response):
        return True
    access = access if access is not None else active_access(user, response.remiss_id)
    return access is not None and access.response_id == response.pk


# --- Helpers ------------------------------------------------------------------------------


def _locked(remiss_id: int) -> Remiss:
    """The round row, locked until the end of the transaction, with its case."""
    return (
        Remiss.objects.select_for_update(of=("self",))
        .select_related("case", "case__region", "case__knowledge_support", "case__strategist")
        .get(pk=remiss_id)
    )


def _require_open(remiss: Remiss) -> None:
    if not remiss.is_open:
        raise ActionRefused(
            _("Remissen är avslutad (%(status)s); inget mer kan lämnas eller ändras.")
            % {"status": remiss.get_status_display()}
        )


def _note(remiss: Remiss, actor: User | None, message: str) -> CaseEvent:
    return CaseEvent.objects.create(
        case=remiss.case, kind=CaseEvent.Kind.NOTE, actor=actor, message=message
    )


# --- Register -----------------------------------------------------------------------------


@transaction.atomic
def remiss_register(
    *,
    actor: User,
    region: Region,
    sender: str,
    received_on: date,
    reply_deadline: date,
    responsible_lpo: Unit,
    strategist: User | None,
    knowledge_support: KnowledgeSupport | None = None,
    new_support: dict[str, str] | None = None,
    sender_name: str = "",
    sender_reference: str = "",
    diary_number: str = "",
    asks: str = Asks.WHOLE,
    questions: Iterable[str] = (),
    concerned_lpos: Iterable[Unit] = (),
    municipal_coordinator: User | None = None,
    files: Iterable[UploadedFile] = (),
) -> Remiss:
    """Register an incoming remiss: it opens a case at the station Remiss.

    The knowledge support is an existing one in the catalogue or a new one (`new_support`:
    title, version, type), created here with the national status "på remiss".
    """
    if not scope_of(actor).coordinates(region.pk):
        raise PermissionDenied(_("Bara regionens strateger registrerar remisser."))
    case_services.require_plausible(happened, received_on)
    case_services.require_plausible(planned, reply_deadline)
    if reply_deadline < received_on:
        raise ActionRefused(_("Svarsdatumet kan inte ligga före inkomstdatumet."))
    questions = [q.strip() for q in questions if q.strip()]
    if asks == Asks.QUESTIONS and not questions:
        raise ActionRefused(_("Skriv minst en fråga när remissen gäller särskilda frågor."))
    if (knowledge_support is None) == (not new_support):
        raise ActionRefused(_("Välj ett kunskapsstöd i katalogen eller beskriv ett nytt."))
    # Every file is checked before anything is saved: a bad file stops the whole registration.
    checked = _checked(files)
    if new_support:
        if KnowledgeSupport.objects.filter(
            title=new_support["title"], version=new_support["version"]
        ).exists():
            raise ActionRefused(
                _("%(title)s %(version)s finns redan i katalogen; välj det i listan.") % new_support
            )
        knowledge_support = case_services.support_save(
            support=KnowledgeSupport(national_status=NationalStatus.PA_REMISS, **new_support)
        )
    assert knowledge_support is not None  # chosen, or created above
    waiting = case_services.open_case_for(region, knowledge_support, lock=True)
    if waiting is not None and waiting.state == State.REMISS and not hasattr(waiting, "remiss"):
        # Registered as starting with a remiss before the remiss came: the round is its own
        # (the support's lock keeps a second registration of it waiting until this commits).
        case = case_services.case_locked(waiting.pk)
        case_services.station_deadline_set(case, reply_deadline)
        others = [*concerned_lpos, responsible_lpo]  # the case keeps its responsible LPO
        case.concerned_lpos.add(*{lpo for lpo in others if lpo.pk != case.responsible_lpo_id})
    else:
        case = case_services.case_register(  # refuses if the region has a case for it already
            actor=actor,
            region=region,
            knowledge_support=knowledge_support,
            responsible_lpo=responsible_lpo,
            strategist=strategist,
            concerned_lpos=concerned_lpos,
            joint=False,
            start_at_remiss=True,
            due_date=reply_deadline,
        )
    remiss = Remiss(
        case=case,
        sender=sender,
        sender_name=sender_name,
        sender_reference=sender_reference,
        diary_number=diary_number,
        received_on=received_on,
        reply_deadline=reply_deadline,
        asks=asks,
        created_by=actor,
    )
    remiss.save()
    RemissQuestion.objects.bulk_create(
        RemissQuestion(remiss=remiss, number=n, text=text)
        for n, text in enumerate(questions if asks == Asks.QUESTIONS else [], start=1)
    )
    if municipal_coordinator is not None:
        RemissAccess.objects.create(
            remiss=remiss, user=municipal_coordinator, kind=AccessKind.MUNICIPAL, invited_by=actor
        )
    for item in checked:
        _attach(remiss, item, actor)
    _note(
        remiss,
        actor,
        _("Remiss från %(sender)s registrerades; svar senast %(deadline)s.")
        % {
            "sender": sender_name or remiss.get_sender_display(),
            "deadline": reply_deadline.isoformat(),
        },
    )
    return remiss


def _checked(files: Iterable[UploadedFile]) -> list[Any]:
    messages = []
    checked = []
    for upload in files:
        try:
            checked.append(check_upload(upload))
        except ValidationError as exc:
            messages.extend(exc.messages)
    if messages:
        raise ActionRefused(messages)
    return checked


def _attach(remiss: Remiss, checked: Any, actor: User) -> RemissAttachment:
    attachment = RemissAttachment(
        remiss=remiss,
        original_name=checked.original_name,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    checked.upload.seek(0)
    attachment.file.save(f"bilaga.{checked.extension}", checked.upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachments_add(
    *, remiss_id: int, actor: User, files: Iterable[UploadedFile]
) -> list[RemissAttachment]:
    """Add files to a registered round (a reply form that came later, a corrected draft)."""
    remiss = _locked(remiss_id)
    if not is_round_coordinator(actor, remiss):
        raise PermissionDenied(_("Bara regionens strateger lägger till bilagor."))
    _require_open(remiss)
    checked = _checked(files)
    if not checked:
        raise ActionRefused(_("Välj minst en fil."))
    attachments = [_attach(remiss, item, actor) for item in checked]
    _note(
        remiss,
        actor,
        _("Bilagor lades till: %(names)s.")
        % {"names": ", ".join(a.original_name for a in attachments)},
    )
    return attachments


# --- Assess and distribute ----------------------------------------------------------------


@transaction.atomic
def municipalities_assess(
    *,
    remiss_id: int,
    actor: User,
    concerned: bool,
    assessment: str,
    municipalities: Iterable[Municipality] | None = None,
) -> Remiss:
    """Record whether the remiss concerns the municipalities (joint handling) and why.

    When they are concerned the case becomes joint and names the municipalities (all of the
    county's unless `municipalities` says which).
    """
    remiss = _locked(remiss_id)
    if not may_assess_municipalities(actor, remiss):
        raise PermissionDenied(
            _("Bedömningen görs av strategen eller kommunernas samordnare för remissen.")
        )
    _require_open(remiss)
    if not assessment.strip():
        raise ActionRefused(_("Beskriv kort vad bedömningen bygger på."))
    remiss.municipalities_concerned = concerned
    remiss.municipal_assessment = assessment.strip()
    remiss.municipal_assessed_by = actor
    remiss.municipal_assessed_at = timezone.now()
    remiss.save()
    case = remiss.case
    if municipalities is not None and any(m.region_id != case.region_id for m in municipalities):
        raise ActionRefused(_("En av kommunerna ligger i ett annat län."))
    if case.state == State.REMISS:
        # Joint handling decides who prepares and decides the case later (decision rules).
        if case.joint != concerned:
            Case.objects.filter(pk=case.pk).update(joint=concerned)
            case.joint = concerned
        if not concerned:
            case.municipalities.clear()
        elif municipalities:
            case.municipalities.set(municipalities)
        else:
            case.municipalities.set(case.region.municipalities.all())
    _note(
        remiss,
        actor,
        _("Kommunernas bedömning: remissen berör kommunerna.")
        if concerned
        else _("Kommunernas bedömning: remissen berör inte kommunerna."),
    )
    return remiss


@transaction.atomic
def remiss_distribute(
    *,
    remiss_id: int,
    actor: User,
    lpos: Iterable[Unit],
    internal_deadline: date,
    message: str = "",
    municipal_representative: User | None = None,
) -> list[Response]:
    """Send the round to the chairs of the concerned LPOs (and the municipalities' input to
    their representative) with an internal deadline before the national one.

    Sending again adds LPOs and may move the internal deadline; those already asked keep their
    answers and are not e-mailed again.
    """
    remiss = _locked(remiss_id)
    if not is_round_coordinator(actor, remiss):
        raise PermissionDenied(_("Bara regionens strateger skickar ut remisser."))
    _require_open(remiss)
    lpos = list(lpos)
    if not lpos and municipal_representative is None and not remiss.responses.exists():
        raise ActionRefused(_("Välj minst ett LPO att skicka remissen till."))
    if any(lpo.kind != UnitKind.LPO or lpo.region_id != remiss.case.region_id for lpo in lpos):
        raise ActionRefused(_("Remissen kan bara skickas till regionens egna LPO."))
    today = timezone.localdate()
    case_services.require_plausible(planned, internal_deadline)
    if internal_deadline < today:
        raise ActionRefused(_("Den interna svarstiden kan inte ligga bakåt i tiden."))
    if internal_deadline >= remiss.reply_deadline:
        raise ActionRefused(
            _("Den interna svarstiden måste ligga före remissens svarsdatum (%(date)s).")
            % {"date": remiss.reply_deadline.isoformat()}
        )
    existing = set(remiss.responses.filter(lpo__isnull=False).values_list("lpo_id", flat=True))
    new_lpos = [lpo for lpo in lpos if lpo.pk not in existing]
    new_responses = Response.objects.bulk_create(
        Response(remiss=remiss, kind=ResponseKind.LPO, lpo=lpo) for lpo in new_lpos
    )
    recipients = [lpo.name for lpo in sorted(new_lpos, key=lambda lpo: lpo.name)]
    if municipal_representative is not None:
        municipal = _municipal_response(remiss, municipal_representative, actor)
        if municipal is not None:
            new_responses.append(municipal)
            recipients.append(str(_("kommunerna")))
    case = remiss.case
    case.concerned_lpos.add(*[lpo for lpo in new_lpos if lpo.pk != case.responsible_lpo_id])
    remiss.internal_deadline = internal_deadline
    if message.strip():
        remiss.distribution_message = message.strip()
    if remiss.distributed_at is None:
        remiss.distributed_at = timezone.now()
    remiss.distribute()
    remiss.save()
    _note(
        remiss,
        actor,
        _("Remissen skickades till %(who)s; intern svarstid %(date)s.")
        % {
            "who": ", ".join(recipients) or _("samma mottagare"),
            "date": internal_deadline.isoformat(),
        },
    )
    response_ids = [r.pk for r in new_responses]
    if response_ids:
        from .tasks import remiss_distributed_notify

        remiss_distributed_notify.delay_on_commit(response_ids)
    return new_responses


def _municipal_response(
    remiss: Remiss, representative: User | None, actor: User
) -> Response | None:
    """The municipalities' response slot, created once; its representative gets access."""
    if remiss.responses.filter(kind=ResponseKind.MUNICIPAL).exists():
        return None
    response = Response.objects.create(
        remiss=remiss, kind=ResponseKind.MUNICIPAL, respondent=representative
    )
    access, created = RemissAccess.objects.get_or_create(
        remiss=remiss,
        user=representative,
        defaults={"kind": AccessKind.MUNICIPAL, "invited_by": actor, "response": response},
    )
    if not created:
        access.kind = AccessKind.MUNICIPAL
        access.response = response
        access.revoked_at = None
        access.save(update_fields=["kind", "response", "revoked_at"])
    return response


# --- Collect: experts, comments, the LPO's answer -----------------------------------------


def _locked_response(response_id: int) -> tuple[Response, Remiss]:
    response = Response.objects.select_for_update(of=("self",)).get(pk=response_id)
    remiss = _locked(response.remiss_id)
    response.remiss = remiss
    return response, remiss


def _require_unsubmitted(response: Response) -> None:
    if response.is_submitted:
        raise ActionRefused(
            _("%(name)s har redan skickat in sitt svar; det kan inte längre ändras.")
            % {"name": response.name}
        )


@transaction.atomic
def expert_invite(*, response_id: int, actor: User, user: User) -> RemissAccess:
    """The chair opens this one round to an expert, who comments toward the LPO's answer."""
    response, remiss = _locked_response(response_id)
    if not may_answer(actor, response):
        raise PermissionDenied(_("Bara LPO:ts ordförande bjuder in sakkunniga."))
    _require_open(remiss)
    _require_unsubmitted(response)
    if user.pk == actor.pk:
        raise ActionRefused(_("Du kan inte bjuda in dig själv."))
    if not user.is_active:
        raise ActionRefused(_("%(who)s har inget aktivt konto.") % {"who": user})
    access = RemissAccess.objects.filter(remiss=remiss, user=user).first()
    if access is not None and access.is_active:
        raise ActionRefused(_("%(who)s har redan tillgång till remissen.") % {"who": user})
    if access is None:
        try:
            with transaction.atomic():  # a savepoint: another chair may invite them this moment
                access = RemissAccess.objects.create(
                    remiss=remiss,
                    user=user,
                    kind=AccessKind.EXPERT,
                    response=response,
                    invited_by=actor,
                )
        except IntegrityError:
            raise ActionRefused(
                _("%(who)s har redan tillgång till remissen.") % {"who": user}
            ) from None
    else:
        access.kind = AccessKind.EXPERT
        access.response = response
        access.invited_by = actor
        access.invited_at = timezone.now()
        access.revoked_at = None
        access.save()
    _note(
        remiss,
        actor,
        _("%(who)s bjöds in som sakkunnig för %(name)s.") % {"who": user, "name": response.name},
    )
    from .tasks import expert_invited_notify

    expert_invited_notify.delay_on_commit(access.pk)
    return access


@transaction.atomic
def expert_revoke(*, access_id: int, actor: User) -> RemissAccess:
    """The chair withdraws an invitation; the expert's comments stay with the answer."""
    access = RemissAccess.objects.select_related("response", "user").get(pk=access_id)
    if access.response is None or not may_answer(actor, access.response):
        raise PermissionDenied(_("Bara LPO:ts ordförande tar bort sakkunniga."))
    remiss = _locked(access.remiss_id)
    _require_open(remiss)
    if access.is_active:
        access.revoked_at = timezone.now()
        access.save(update_fields=["revoked_at"])
        _note(
            remiss,
            actor,
            _("%(who)s har inte längre tillgång till remissen.") % {"who": access.user},
        )
    return access


@transaction.atomic
def comment_add(
    *,
    response_id: int,
    actor: User,
    text: str,
    question: RemissQuestion | None = None,
    recommendation: Recommendation | None = None,
) -> Comment:
    """A comment toward an LPO's answer, by an invited expert or the chair."""
    response, remiss = _locked_response(response_id)
    if not may_comment(actor, response):
        raise PermissionDenied(_("Du är inte inbjuden att lämna synpunkter på detta svar."))
    _require_open(remiss)
    _require_unsubmitted(response)
    if not text.strip():
        raise ActionRefused(_("Skriv din synpunkt."))
    if question is not None and question.remiss_id != remiss.pk:
        raise ActionRefused(_("Frågan hör inte till remissen."))
    if recommendation is not None and (
        recommendation.knowledge_support_id != remiss.case.knowledge_support_id
    ):
        raise ActionRefused(_("Rekommendationen hör inte till kunskapsstödet."))
    comment = Comment.objects.create(
        response=response,
        author=actor,
        text=text.strip(),
        question=question,
        recommendation=recommendation,
    )
    timeline.work_counted(
        case=remiss.case,
        actor=actor,
        topic=f"synpunkter-{response.pk}",
        words=lambda name, n: (
            ngettext(
                "%(name)s lämnade %(n)s synpunkt till %(answer)s.",
                "%(name)s lämnade %(n)s synpunkter till %(answer)s.",
                n,
            )
            % {"name": name, "n": n, "answer": response.name}
        ),
    )
    return comment


@transaction.atomic
def comment_delete(*, comment_id: int, actor: User) -> None:
    """Authors take their own comments back until the LPO's answer is submitted."""
    comment = Comment.objects.select_related("response").get(pk=comment_id)
    response, remiss = _locked_response(comment.response_id)
    if comment.author_id != actor.pk:
        raise PermissionDenied(_("Du kan bara ta bort dina egna synpunkter."))
    _require_open(remiss)
    _require_unsubmitted(response)
    comment.delete()


@transaction.atomic
def response_save(
    *,
    response_id: int,
    actor: User,
    text: str,
    included_comment_ids: Iterable[int],
    submit: bool = False,
) -> Response:
    """The chair writes the LPO's answer from the comments, and submits it when done."""
    response, remiss = _locked_response(response_id)
    if not may_answer(actor, response):
        raise PermissionDenied(_("Bara LPO:ts ordförande skriver och skickar in LPO:ts svar."))
    _require_open(remiss)
    _require_unsubmitted(response)
    included = {int(pk) for pk in included_comment_ids}
    comments = list(response.comments.all())
    for comment in comments:
        comment.included = comment.pk in included
    Comment.objects.bulk_update(comments, ["included"])
    response.text = text.strip()
    response.updated_at = timezone.now()
    if submit:
        if not response.text and not any(c.included for c in comments):
            raise ActionRefused(
                _("Skriv LPO:ts svar eller ta med minst en synpunkt innan du skickar in.")
            )
        response.submitted_at = response.updated_at
        response.submitted_by = actor
    response.save()
    if submit:
        _note(remiss, actor, _("%(name)s skickade in sitt remissvar.") % {"name": response.name})
        if not remiss.responses.unanswered().exists():
            _answers_in(remiss, actor)
    return response


def _answers_in_key(remiss: Remiss) -> str:
    return f"remiss-{remiss.pk}-answers-in"


def _answers_in(remiss: Remiss, actor: User) -> None:
    """Every answer of the round is in: the strategist compiles the region's answer."""
    case = Case.objects.select_related("knowledge_support", "strategist").get(pk=remiss.case_id)
    told.notify(
        recipients=[case.strategist],
        kind=told.Notification.Kind.ANSWERS_IN,
        case=case,
        key=_answers_in_key(remiss),
        text=_("Alla svar på remissen om %(support)s är inne: sammanställ regionens svar.")
        % {"support": case.knowledge_support.title},
        url=reverse("remisser:remiss_detail", args=[remiss.pk]),
        actor=actor,
    )


# --- Compile and answer -------------------------------------------------------------------


def compiled_comments(remiss: Remiss) -> QuerySet[Comment]:
    """The comments that reach the region's answer: included in a submitted LPO answer, in the
    order the compile page numbers them ("Synpunkt 1", "Synpunkt 2", …)."""
    return Comment.objects.filter(
        response__remiss=remiss, response__submitted_at__isnull=False, included=True
    ).order_by(
        "response__kind",
        "response__lpo__name",
        "response_id",
        "question__number",
        "recommendation__number",
        "created_at",
        "pk",
    )


@transaction.atomic
def compilation_save(
    *,
    remiss_id: int,
    actor: User,
    answer_text: str,
    dispositions: Mapping[int, tuple[str, str]],
    answers: Mapping[int, str] | None = None,
) -> Remiss:
    """The strategist writes the region's answer and decides each comment's disposition.

    `dispositions` maps comment id → (disposition, reason); an empty disposition means not
    yet decided. `answers` maps a question's id → the region's answer to it (a round that asks
    specific questions answers each).
    """
    remiss = _locked(remiss_id)
    if not is_round_coordinator(actor, remiss):
        raise PermissionDenied(_("Bara regionens strateger sammanställer svaret."))
    _require_open(remiss)
    now = timezone.now()
    comments = list(compiled_comments(remiss).filter(pk__in=list(dispositions)))
    for comment in comments:
        value, reason = dispositions[comment.pk]
        if value and value not in Disposition.values:
            raise ActionRefused(_("Okänd hantering av en synpunkt."))
        reason = (reason or "").strip()
        if (value, reason) != (comment.disposition, comment.disposition_reason):
            comment.disposition, comment.disposition_reason = value, reason
            comment.disposed_by, comment.disposed_at = actor, now
    Comment.objects.bulk_update(
        comments, ["disposition", "disposition_reason", "disposed_by", "disposed_at"]
    )
    answers = answers or {}
    questions = list(remiss.questions.filter(pk__in=list(answers)))
    for question in questions:
        question.answer = answers[question.pk].strip()
    RemissQuestion.objects.bulk_update(questions, ["answer"])
    remiss.answer_text = answer_text.strip()
    remiss.save()
    return remiss


def compilation_problems(remiss: Remiss) -> list[str]:
    """What stops the compiled answer from being sent, in words for the strategist."""
    problems = []
    if not remiss.answer_text.strip():
        problems.append(_("%(answer)s är inte skrivet.") % {"answer": remiss.answer_label})
    if remiss.asks == Asks.QUESTIONS:
        unanswered = [q.number for q in remiss.questions.all() if not q.answer.strip()]
        if unanswered:
            problems.append(
                ngettext(
                    "Fråga %(numbers)s saknar svar.",
                    "Frågorna %(numbers)s saknar svar.",
                    len(unanswered),
                )
                % {"numbers": ", ".join(map(str, unanswered))}
            )
    comments = list(
        compiled_comments(remiss).select_related("question", "recommendation", "author")
    )
    undecided = sum(1 for c in comments if not c.disposition)
    if undecided:
        problems.append(
            ngettext(
                "%(n)s synpunkt saknar hantering (tagen in, delvis eller inte).",
                "%(n)s synpunkter saknar hantering (tagen in, delvis eller inte).",
                undecided,
            )
            % {"n": undecided}
        )
    unexplained = [
        (number, c)
        for number, c in enumerate(comments, start=1)
        if c.disposition in (Disposition.PARTLY, Disposition.NOT_TAKEN)
        and not c.disposition_reason.strip()
    ]
    if unexplained:
        # Named as the compile page numbers them, so the strategist finds which among many.
        which = ", ".join(
            _("synpunkt %(n)s (%(target)s, %(author)s)")
            % {"n": number, "target": c.target_label, "author": c.author}
            for number, c in unexplained
        )
        problems.append(
            ngettext(
                "%(n)s synpunkt som delvis eller inte tas in saknar motivering: %(which)s.",
                "%(n)s synpunkter som delvis eller inte tas in saknar motivering: %(which)s.",
                len(unexplained),
            )
            % {"n": len(unexplained), "which": which}
        )
    return problems


def _close_case_station(remiss: Remiss, actor: User, message: str) -> None:
    """Move the case on to awaiting the national decision, unless someone already did."""
    told.done(_answers_in_key(remiss))  # the region's answer is compiled and sent (or not)
    case = remiss.case
    if case.state == State.REMISS:
        case_services.case_act(
            case_id=case.pk, actor=actor, action_name="remiss_answered", message=message
        )
    else:
        _note(remiss, actor, message)


@transaction.atomic
def remiss_send(*, remiss_id: int, actor: User, sent_on: date, registry_reference: str) -> Remiss:
    """Mark the region's compiled answer sent on a date and registered in the diarium.

    The case moves on to awaiting the national decision and the answer becomes a document.
    """
    remiss = _locked(remiss_id)
    if not is_round_coordinator(actor, remiss):
        raise PermissionDenied(_("Bara regionens strateger skickar svaret."))
    _require_open(remiss)
    if not can_proceed(remiss.answer_sent):
        raise ActionRefused(
            _("Skicka ut remissen till LPO:erna först, eller avstå från att svara.")
        )
    case_services.require_plausible(happened, sent_on)
    if sent_on > timezone.localdate():
        raise ActionRefused(_("Datumet då svaret skickades kan inte ligga i framtiden."))
    if sent_on < remiss.received_on:
        raise ActionRefused(_("Svaret kan inte ha skickats innan remissen kom in."))
    if not registry_reference.strip():
        raise ActionRefused(_("Ange diarienumret som svaret registrerades med."))
    problems = compilation_problems(remiss)
    if problems:
        raise ActionRefused(" ".join(str(p) for p in problems))
    remiss.answer_sent()
    remiss.sent_on = sent_on
    remiss.answer_registry_reference = registry_reference.strip()
    remiss.closed_by = actor
    remiss.closed_at = timezone.now()
    remiss.save()
    _close_case_station(
        remiss,
        actor,
        _("Regionens remissvar skickades %(date)s och registrerades som %(ref)s.")
        % {"date": sent_on.isoformat(), "ref": remiss.answer_registry_reference},
    )
    case_services.document_request(case=remiss.case, kind=DocumentKind.REMISS_ANSWER, actor=actor)
    return remiss


@transaction.atomic
def remiss_decline(*, remiss_id: int, actor: User, reason: str) -> Remiss:
    """The region declines to answer; that too is a recorded outcome with a document."""
    remiss = _locked(remiss_id)
    if not is_round_coordinator(actor, remiss):
        raise PermissionDenied(_("Bara regionens strateger beslutar att avstå."))
    _require_open(remiss)
    if not reason.strip():
        raise ActionRefused(_("Ange varför regionen avstår från att svara."))
    remiss.declined()
    remiss.decline_reason = reason.strip()
    remiss.closed_by = actor
    remiss.closed_at = timezone.now()
    remiss.save()
    _close_case_station(
        remiss,
        actor,
        _("Regionen avstår från att svara på remissen: %(reason)s")
        % {"reason": remiss.decline_reason},
    )
    case_services.document_request(case=remiss.case, kind=DocumentKind.REMISS_ANSWER, actor=actor)
    return remiss


# --- Deadlines (Celery beat) --------------------------------------------------------------


def chairs_by_lpo(lpo_ids: Iterable[int], day: date) -> defaultdict[int, list[User]]:
    chairs = defaultdict(list)
    memberships = (
        Membership.objects.active_on(day)
        .filter(role=Role.CHAIR, unit_id__in=lpo_ids)
        .select_related("user")
        # Each LPO's chairs by start, as the model's ordering has them; without its join to
        # the units for their names, which the grouping by LPO below does not need.
        .order_by("start_date", "pk")
    )
    for membership in memberships:
        chairs[membership.unit_id].append(membership.user)
    return chairs


def answerers_of(responses: list[Response], day: date) -> Iterator[tuple[Response, User]]:
    """(response, person) for everyone who answers each response: the LPO's chair(s), or the
    municipalities' representative."""
    chairs = chairs_by_lpo({r.lpo_id for r in responses if r.lpo_id}, day)
    for response in responses:
        if response.lpo_id:
            people = chairs[response.lpo_id]
        else:
            people = [response.respondent] if response.respondent else []
        for person in people:
            yield response, person


def answer_reminders(today: date) -> list[told.Reminder]:
    """For the daily digest: each person who has not answered a round whose internal deadline
    is `REMISS_REMINDER_DAYS` days away or nearer, once per person per round (the `Reminder`
    row is written with the digest's e-mail: a failed send is tried again the next run)."""
    horizon = today + timedelta(days=settings.REMISS_REMINDER_DAYS)
    responses = list(
        Response.objects.unanswered()
        .filter(
            remiss__status=RemissStatus.DISTRIBUTED,
            remiss__internal_deadline__isnull=False,
            remiss__internal_deadline__lte=horizon,
        )
        .select_related("remiss__case__knowledge_support", "lpo", "respondent")
        .order_by("remiss_id", "pk")
    )
    already = set(
        Reminder.objects.filter(remiss_id__in={r.remiss_id for r in responses}).values_list(
            "remiss_id", "user_id"
        )
    )
    reminders: list[told.Reminder] = []
    recorded: set[tuple[int, int]] = set()
    for response, person in answerers_of(responses, today):
        remiss = response.remiss
        deadline = remiss.internal_deadline
        key = (remiss.pk, person.pk)
        if key in already or deadline is None:  # the query asks for a deadline
            continue
        first = key not in recorded
        recorded.add(key)
        reminders.append(
            told.Reminder(
                person=person,
                heading=_("Remissvar att skicka in (enda påminnelsen om varje remiss)"),
                text=_("%(title)s: svaret från %(name)s, senast %(date)s")
                % {
                    "title": remiss.case.knowledge_support.title,
                    "name": response.name,
                    "date": deadline.isoformat(),
                },
                url=notifications.link("remiss_answer", remiss.pk, response.pk),
                case=remiss.case,
                # One row per person and round, however many of its answers are theirs.
                record=(
                    partial(Reminder.objects.create, remiss=remiss, user=person) if first else None
                ),
                logged=(
                    _("Påminnelse om remissvaret mejlades till %(who)s.") % {"who": person}
                    if first
                    else ""
                ),
            )
        )
    return reminders


def rounds_at_risk_reminders(today: date) -> list[told.Reminder]:
    """For the daily digest: each strategist's rounds at risk (overdue, due soon, LPO answers
    missing)."""
    rounds = (
        Remiss.objects.at_risk(today)
        .with_answer_counts()
        .select_related("case__knowledge_support", "case__strategist")
        .order_by("reply_deadline", "pk")
    )
    reminders = []
    for remiss in rounds:
        late = remiss.reply_deadline is not None and remiss.reply_deadline < today
        reminders.append(
            told.Reminder(
                person=remiss.case.strategist,
                heading=_("Remisser som behöver dig"),
                text=_(
                    "%(support)s (%(number)s): svar senast %(date)s%(late)s; %(done)s av "
                    "%(total)s svar inne"
                )
                % {
                    "support": remiss.case.knowledge_support,
                    "number": remiss.registry_number,
                    "date": remiss.reply_deadline.isoformat() if remiss.reply_deadline else "–",
                    "late": _(" – FÖRSENAD") if late else "",
                    "done": remiss.responses_submitted,
                    "total": remiss.responses_total,
                },
                url=notifications.link("remiss_detail", remiss.pk),
                case=remiss.case,
            )
        )
    return reminders
