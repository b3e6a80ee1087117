"""The remiss answer: a draft to read before it is approved, and an outgoing answer that holds
only what goes to the consulting body and names who approved it."""

import io

from django.urls import reverse
from pypdf import PdfReader

from kunskapsstyrning.documents import render_document
from kunskapsstyrning.models import Document, DocumentKind
from remisser import services
from remisser.models import Disposition

from .factories import answered, days, response_of


def text_of(data):
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def compiled(distributed, sara, alice, lpo, erik):
    """LPO Hjärta answers with its expert Erik's comment; the strategist compiles the answer."""
    hjarta = response_of(distributed, lpo)
    services.expert_invite(response_id=hjarta.pk, actor=alice, user=erik)
    comment = services.comment_add(
        response_id=hjarta.pk, actor=erik, text="Saknar evidens för rekommendation 2."
    )
    services.response_save(
        response_id=hjarta.pk,
        actor=alice,
        text="LPO Hjärta tillstyrker.",
        included_comment_ids=[comment.pk],
        submit=True,
    )
    services.compilation_save(
        remiss_id=distributed.pk,
        actor=sara,
        answer_text="Regionen tillstyrker med synpunkter på rekommendation 2.",
        dispositions={comment.pk: (Disposition.PARTLY, "Tas delvis med i svaret.")},
        answers=answered(distributed.pk),
    )
    return distributed


def test_the_strategist_reads_the_answer_as_a_draft_before_sending(
    client, distributed, sara, alice, lpo, erik
):
    remiss = compiled(distributed, sara, alice, lpo, erik)
    client.force_login(sara)
    response = client.get(reverse("remisser:remiss_answer_preview", args=[remiss.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "UTKAST" in text and "Utkast till remissvar" in text
    assert "Regionen tillstyrker med synpunkter på rekommendation 2." in text
    assert not Document.objects.filter(case=remiss.case).exists()  # nothing kept


def test_only_the_strategist_previews_the_draft(client, distributed, alice):
    client.force_login(alice)
    response = client.get(reverse("remisser:remiss_answer_preview", args=[distributed.pk]))
    assert response.status_code == 403


def test_the_outgoing_answer_names_its_approver_and_keeps_internal_material_out(
    distributed, sara, alice, lpo, erik
):
    remiss = compiled(distributed, sara, alice, lpo, erik)
    services.remiss_send(
        remiss_id=remiss.pk, actor=sara, sent_on=days(0), registry_reference="RN 2025/0042-3"
    )
    document = Document.objects.get(case=remiss.case, kind=DocumentKind.REMISS_ANSWER)
    text = text_of(render_document(document).file.read())
    assert "Godkänt och skickat av Sara Strateg" in text
    assert "Regionen tillstyrker med synpunkter på rekommendation 2." in text
    assert "LPO Hjärta" in text  # the group behind the answer
    # Each of the round's questions with the region's answer under it.
    assert "Fråga 1: Är rekommendationerna genomförbara? Svar på fråga 1." in text
    assert "Fråga 2: Saknas något? Svar på fråga 2." in text
    assert "Saknar evidens" not in text  # an expert's comment: internal
    assert "Tas delvis med i svaret." not in text  # how it was handled: internal
    assert "Erik" not in text  # the expert's name
