"""Rendering and serving decision documents."""

import hashlib

from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.text import slugify

from common.pdf import render_pdf, sha256

from .models import Document, DocumentKind
from .selectors import decision_material

TEMPLATES = {
    DocumentKind.BP1: "kunskapsstyrning/pdf/decision.html",
    DocumentKind.BP2: "kunskapsstyrning/pdf/decision.html",
    DocumentKind.BP3: "kunskapsstyrning/pdf/decision.html",
    DocumentKind.REMISS_ANSWER: "remisser/pdf/answer.html",
    DocumentKind.FOLLOW_UP: "implementering/pdf/followup.html",
}


def document_context(document):
    case = document.case
    decision = document.decision
    context = {
        "document": document,
        "case": case,
        "decision": decision,
        "title": document.get_kind_display(),
        "material": decision_material(case, decision.point) if decision else {},
        "events": case.events.select_related("actor").all(),
        "generated_at": timezone.now(),
    }
    if document.kind == DocumentKind.REMISS_ANSWER:
        from remisser.selectors import answer_document_context

        context.update(answer_document_context(document))
    if document.kind == DocumentKind.FOLLOW_UP:
        from implementering.selectors import followup_report

        context["followup"] = followup_report(case)
    return context


def render_document(document):
    """Render the PDF for `document` and store it; returns the stored document."""
    template = TEMPLATES.get(document.kind)
    if template is None:
        raise ValueError(f"Ingen mall för dokumenttypen {document.kind}")
    data, pages = render_pdf(template, document_context(document))
    name = f"{slugify(document.case.registry_number)}-{document.kind}-v{document.version}.pdf"
    document.file.save(name, ContentFile(data), save=False)
    document.size = len(data)
    document.pages = pages
    document.sha256 = sha256(data)
    document.status = Document.Status.READY
    document.finished_at = timezone.now()
    document.failure_reason = ""
    document.save()
    return document


def document_response(document):
    """Serve a ready document after checking that the file is the one that was registered."""
    if document.status != Document.Status.READY or not document.file:
        raise Http404
    with document.file.open("rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    if digest != document.sha256:
        # A changed file is not the registered document; never serve it as if it were.
        raise Http404("Dokumentets kontrollsumma stämmer inte.")
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
