"""The experts' comments and the e-mails sent about a round, on the case's timeline."""

from kunskapsstyrning.models import CaseEvent
from remisser import services

from .factories import distribute, response_of


def test_comments_are_counted_per_person_day_and_answer(distributed, lpo, other_lpo, alice, erik):
    hjarta = response_of(distributed, lpo)
    services.expert_invite(response_id=hjarta.pk, actor=alice, user=erik)
    for text in ("Genomförbart.", "Saknar sjuksköterskor.", "Bra helhet."):
        services.comment_add(response_id=hjarta.pk, actor=erik, text=text)
    services.comment_add(response_id=hjarta.pk, actor=alice, text="Håller med.")
    work = CaseEvent.objects.filter(case=distributed.case, kind=CaseEvent.Kind.WORK)
    assert sorted(work.values_list("message", flat=True)) == [
        "Alice Ordförande lämnade 1 synpunkt till LPO Hjärta.",
        "Erik Expert lämnade 3 synpunkter till LPO Hjärta.",
    ]


def test_the_mail_sent_is_on_the_timeline(
    remiss, lpo, other_lpo, alice, erik, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        distribute(remiss, [lpo, other_lpo])
    hjarta = response_of(remiss, lpo)
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_invite(response_id=hjarta.pk, actor=alice, user=erik)
    sent = list(
        CaseEvent.objects.filter(case=remiss.case, kind=CaseEvent.Kind.NOTIFICATION)
        .order_by("pk")
        .values_list("message", flat=True)
    )
    assert len(mailoutbox) == 3
    assert sent[0].startswith("Utskicket mejlades till ")
    assert "Alice Ordförande (LPO Hjärta)" in sent[0]
    assert sent[1] == "Inbjudan som sakkunnig mejlades till Erik Expert."
