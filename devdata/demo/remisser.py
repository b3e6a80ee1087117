"""Demo rounds in Jämtland Härjedalen, walked through the real services: one open round sent
to two LPOs with one answer in and an expert commenting, and one answered and registered.

Called at the end of `devdata.demo.load_demo()`; does nothing if the rounds exist.
"""

from django.db import transaction
from django.utils import timezone

from kunskapsstyrning.models import (
    Case,
    CaseEvent,
    KnowledgeSupport,
    Notification,
    Recommendation,
)
from organisation.models import Region, Unit, User
from remisser import services
from remisser.models import Asks, Disposition, Remiss, Response

OPEN_TITLE = "Traumatisk hjärnskada"
ANSWERED_TITLE = "Stroke och TIA – del 2"

DRAFT_RECOMMENDATIONS = {
    OPEN_TITLE: [
        (
            1,
            "Personer med måttlig eller svår traumatisk hjärnskada bedöms av ett "
            "multiprofessionellt team inom 72 timmar.",
            "specialiserad",
        ),
        (
            2,
            "Rehabiliteringsbehov kartläggs med en strukturerad bedömning före utskrivning.",
            "specialiserad",
        ),
        (3, "En fast vårdkontakt utses och följer personen över vårdnivåerna.", "alla"),
        (4, "Primärvården följer upp kognitiva besvär tre månader efter skadan.", "primarvard"),
    ],
    ANSWERED_TITLE: [
        (1, "Sekundärpreventiv läkemedelsbehandling följs upp inom sex veckor.", "primarvard"),
        (2, "Personer med afasi erbjuds logopedisk bedömning under vårdtiden.", "specialiserad"),
        (3, "Levnadsvanor tas upp med en strukturerad samtalsmetod.", "alla"),
    ],
}


def _days(n):
    return timezone.localdate() + timezone.timedelta(days=n)


def _support(title):
    support = KnowledgeSupport.objects.get(title=title, version="1.0")
    for number, text, level in DRAFT_RECOMMENDATIONS[title]:
        Recommendation.objects.get_or_create(
            knowledge_support=support, number=number, defaults={"text": text, "care_level": level}
        )
    return support


def load_demo():
    """Create the demo rounds (idempotent: nothing happens if Jämtland already has rounds)."""
    region = Region.objects.get(code="23")
    if Remiss.objects.filter(case__region=region).exists():
        return
    strategist = User.objects.get(username="strateg")
    chair = User.objects.get(username="ordforande")  # chairs LPO Nervsystemets sjukdomar
    other_chair = User.objects.get(username="ordforande2")  # chairs LPO Rehabilitering …
    expert = User.objects.get(username="sakkunnig")
    nerves = Unit.objects.get(code="RJH_LPO_NERVSYSTEM")
    rehab = Unit.objects.get(code="RJH_LPO_REHAB_HAB_FM")

    _answered_round(region, strategist, chair, other_chair, expert, nerves, rehab)
    _open_round(region, strategist, chair, other_chair, expert, nerves, rehab)


def _open_round(region, strategist, chair, other_chair, expert, nerves, rehab):
    support = _support(OPEN_TITLE)
    remiss = services.remiss_register(
        actor=strategist,
        region=region,
        knowledge_support=support,
        sender="npo",
        sender_name="NPO Nervsystemets sjukdomar",
        sender_reference="NPO-NS 2026/14",
        received_on=_days(-12),
        reply_deadline=_days(12),
        asks=Asks.QUESTIONS,
        questions=[
            "Är vårdförloppets insatser genomförbara i er region?",
            "Vilka konsekvenser får vårdförloppet för rehabiliteringen?",
            "Har ni övriga synpunkter?",
        ],
        responsible_lpo=nerves,
        concerned_lpos=[rehab],
        strategist=strategist,
    )
    services.remiss_distribute(
        remiss_id=remiss.pk,
        actor=strategist,
        lpos=[nerves, rehab],
        internal_deadline=_days(6),
        message="Fokusera gärna på rehabiliteringskedjan och primärvårdens uppföljning.",
    )
    nerves_answer = Response.objects.get(remiss=remiss, lpo=nerves)
    rehab_answer = Response.objects.get(remiss=remiss, lpo=rehab)
    services.expert_invite(response_id=nerves_answer.pk, actor=chair, user=expert)
    services.comment_add(
        response_id=nerves_answer.pk,
        actor=expert,
        text="Bedömning inom 72 timmar kräver att neurorehabteamet finns på plats även helger; "
        "det gör det inte i dag.",
        recommendation=support.recommendations.get(number=1),
    )
    services.comment_add(
        response_id=nerves_answer.pk,
        actor=expert,
        text="Genomförbart i Östersund, svårare i Härjedalen utan digitala vårdmöten.",
        question=remiss.questions.get(number=1),
    )
    comment = services.comment_add(
        response_id=rehab_answer.pk,
        actor=other_chair,
        text="Rehabiliteringskedjan behöver en tydlig överlämning till kommunens "
        "hemrehabilitering.",
        question=remiss.questions.get(number=2),
    )
    services.response_save(
        response_id=rehab_answer.pk,
        actor=other_chair,
        text="LPO Rehabilitering tillstyrker vårdförloppet med synpunkt om överlämningen.",
        included_comment_ids=[comment.pk],
        submit=True,
    )
    # The round came twelve days ago and has been worked on since: each row on its day.
    Remiss.objects.filter(pk=remiss.pk).update(created_at=_at(12), distributed_at=_at(11))
    Case.objects.filter(pk=remiss.case_id).update(opened_at=_at(12), state_changed_at=_at(12))
    remiss.accesses.update(invited_at=_at(10))
    Response.objects.filter(remiss=remiss).update(requested_at=_at(11), updated_at=_at(11))
    nerves_answer.comments.update(created_at=_at(7))
    Response.objects.filter(pk=rehab_answer.pk).update(submitted_at=_at(3), updated_at=_at(3))
    rehab_answer.comments.update(created_at=_at(4))
    _date_round_events(
        remiss,
        [
            ("Ärendet registrerades", 12),
            ("Remiss från", 12),
            ("Remissen skickades till", 11),
            ("Utskicket mejlades", 11),
            ("bjöds in som sakkunnig", 10),
            ("Inbjudan som sakkunnig mejlades", 10),
            (f"synpunkter till {nerves.name}.", 7),
            (f"synpunkt till {rehab.name}.", 4),
            (f"{rehab.name} skickade in sitt remissvar", 3),
        ],
    )


def _answered_round(region, strategist, chair, other_chair, expert, nerves, rehab):
    support = _support(ANSWERED_TITLE)
    remiss = services.remiss_register(
        actor=strategist,
        region=region,
        knowledge_support=support,
        sender="skr",
        sender_name="SKR, Nationella system för kunskapsstyrning",
        received_on=_days(-75),
        reply_deadline=_days(-20),
        asks=Asks.WHOLE,
        responsible_lpo=nerves,
        concerned_lpos=[rehab],
        strategist=strategist,
    )
    # The round ran two months ago, when its deadlines were ahead; the services refuse
    # deadlines in the past, so it is distributed with today's dates and backdated below.
    Remiss.objects.filter(pk=remiss.pk).update(reply_deadline=_days(40))
    services.remiss_distribute(
        remiss_id=remiss.pk, actor=strategist, lpos=[nerves, rehab], internal_deadline=_days(1)
    )
    Remiss.objects.filter(pk=remiss.pk).update(
        reply_deadline=_days(-20), internal_deadline=_days(-35)
    )
    remiss.refresh_from_db()
    answers = {r.lpo_id: r for r in Response.objects.filter(remiss=remiss)}
    services.expert_invite(response_id=answers[nerves.pk].pk, actor=chair, user=expert)
    c1 = services.comment_add(
        response_id=answers[nerves.pk].pk,
        actor=expert,
        text="Uppföljning inom sex veckor är rimlig men kräver en kallelserutin i primärvården.",
        recommendation=support.recommendations.get(number=1),
    )
    c2 = services.comment_add(
        response_id=answers[nerves.pk].pk,
        actor=chair,
        text="Logopedbristen gör rekommendation 2 svår att uppfylla under vårdtiden.",
        recommendation=support.recommendations.get(number=2),
    )
    services.response_save(
        response_id=answers[nerves.pk].pk,
        actor=chair,
        text="LPO Nervsystemets sjukdomar tillstyrker med två påpekanden.",
        included_comment_ids=[c1.pk, c2.pk],
        submit=True,
    )
    c3 = services.comment_add(
        response_id=answers[rehab.pk].pk,
        actor=other_chair,
        text="Levnadsvanesamtal bör ingå i rehabiliteringsplanen.",
        recommendation=support.recommendations.get(number=3),
    )
    services.response_save(
        response_id=answers[rehab.pk].pk,
        actor=other_chair,
        text="LPO Rehabilitering tillstyrker.",
        included_comment_ids=[c3.pk],
        submit=True,
    )
    services.compilation_save(
        remiss_id=remiss.pk,
        actor=strategist,
        answer_text="Region Jämtland Härjedalen tillstyrker vårdförloppet Stroke och TIA – "
        "del 2.\n\nRegionen ser behov av en nationell kallelserutin för uppföljning och pekar på "
        "bristen på logopeder, som gör rekommendation 2 svår att uppfylla fullt ut.",
        dispositions={
            c1.pk: (Disposition.TAKEN, ""),
            c2.pk: (Disposition.PARTLY, "Bristen nämns; ett förslag om prioritering ryms inte."),
            c3.pk: (Disposition.NOT_TAKEN, "Hanteras lokalt i rehabiliteringsplanen."),
        },
    )
    services.remiss_send(
        remiss_id=remiss.pk,
        actor=strategist,
        sent_on=_days(-22),
        registry_reference="RJH 2026/0417-5",
    )
    _backdate(remiss)


def _at(days_ago):
    moment = timezone.now() - timezone.timedelta(days=days_ago)
    return moment.replace(hour=10, minute=0, second=0, microsecond=0)


def _backdate(remiss):
    """Spread the answered round's timeline over the two months it took."""
    Remiss.objects.filter(pk=remiss.pk).update(
        created_at=_at(75), distributed_at=_at(74), closed_at=_at(22)
    )
    Case.objects.filter(pk=remiss.case_id).update(opened_at=_at(75), state_changed_at=_at(22))
    from . import remember_documents

    remember_documents(remiss.case, _at(22))  # the answer's document, requested when sent
    for days_ago, response in zip((38, 36), remiss.responses.order_by("lpo__name"), strict=True):
        Response.objects.filter(pk=response.pk).update(
            requested_at=_at(74), submitted_at=_at(days_ago), updated_at=_at(days_ago)
        )
        response.comments.update(created_at=_at(days_ago + 10))
    remiss.accesses.update(invited_at=_at(72))
    answered = dict(zip(remiss.responses.order_by("lpo__name"), (38, 36), strict=True))
    # The strategist was told when the last answer came in (mailed then, after the commit).
    Notification.objects.filter(case_id=remiss.case_id, kind=Notification.Kind.ANSWERS_IN).update(
        created_at=_at(min(answered.values())), read_at=_at(min(answered.values()))
    )
    # Each row on the day of what it tells (the work rows: the day of the comments they count).
    days = [
        ("Ärendet registrerades", 75),
        ("Remiss från", 75),
        ("Remissen skickades till", 74),
        ("Utskicket mejlades", 74),
        ("bjöds in som sakkunnig", 72),
        ("Inbjudan som sakkunnig mejlades", 72),
        *((f"synpunkt till {r.name}.", d + 10) for r, d in answered.items()),
        *((f"synpunkter till {r.name}.", d + 10) for r, d in answered.items()),
        *((f"{r.name} skickade in sitt remissvar", d) for r, d in answered.items()),
        # The strategist is told when the last answer is in (issue 13's handovers).
        ("”Alla svar på remissen", min(answered.values())),
        ("Regionens remissvar skickades", 22),
    ]

    _date_round_events(remiss, days, internal_deadline=_days(-35))


def _date_round_events(remiss, days, internal_deadline=None):
    """Date each row of the round's timeline by `days`: (words in the row, days ago)."""

    def date_events():
        for event in remiss.case.events.exclude(kind=CaseEvent.Kind.DOCUMENT):
            day = next((d for words, d in days if words in event.message), None)
            if day is None:
                continue
            event.at = _at(day)
            if internal_deadline and "intern svarstid" in event.message:
                event.message = event.message.rsplit("intern svarstid", 1)[0] + (
                    f"intern svarstid {internal_deadline.isoformat()}."
                )
            event.save(update_fields=["at", "message"])

    date_events()
    # The e-mails' rows are written when the mail has gone, after the commit (at once without
    # a broker): dated then too, in a callback queued after theirs.
    transaction.on_commit(date_events)
