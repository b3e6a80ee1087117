"""Rendering and serving decision documents."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.pdf import PdfMetadata, render_pdf, sha256
from common.seal import check_seal, seal_pdf

from . import contributions
from .models import CaseEvent, DecisionPart, DecisionRound, Document, DocumentKind, Outcome
from .orders import Order
from .selectors import attach_part_corrections, decision_material, decision_successors

# Seconds a claim outlives the render's hard time limit (the worker needs a moment to die).
CLAIM_MARGIN = 5

# Where the public verification page lives. Every sealed document prints this address, so it
# is part of the record and stays put: the URL configuration mounts the page here (and a test
# holds the two together), and a worker making a document need not load the web's whole URL
# configuration (REST framework, OIDC, every app's views) to print it: 19 MB of a worker's
# memory (make bench-pdf).
VERIFY_PATH = "verifiera/"

# The decision documents are the core's; other kinds are registered by the apps that ask for
# them (`contributions.register_document`).
TEMPLATES = {
    DocumentKind.BP1: "kunskapsstyrning/pdf/decision.html",
    DocumentKind.BP2: "kunskapsstyrning/pdf/decision.html",
    DocumentKind.BP3: "kunskapsstyrning/pdf/decision.html",
}


def document_template(kind: str) -> str | None:
    if kind in TEMPLATES:
        return TEMPLATES[kind]
    section = contributions.document_section(kind)
    return section.template if section is not None else None


def verify_url():
    """Where anyone checks a document: the public verification page, absolute when the
    deployment sets SITE_URL (as the e-mails' links are)."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + "/" + VERIFY_PATH


def document_context(document):
    case = document.case
    decision = document.decision
    context = {
        "document": document,
        "case": case,
        "decision": decision,
        "title": document.get_kind_display(),
        "material": decision_material(case, decision.point) if decision else {},
        # A decision's row is dated by its decision (recorded later than taken, perhaps).
        "events": case.events.select_related("actor", "decision").all(),
        "generated_at": timezone.now(),
        "verify_url": verify_url(),
    }
    if decision is not None:
        context.update(decision_parts(decision))
    section = contributions.document_section(document.kind)
    if section is not None:
        context.update(section.context(document))
    return context


def decision_parts(decision):
    """The round a decision closed, for its document: the order it was taken by (preparation,
    who was to be informed) and every part — who decided for whom, and how."""
    decision_round = (
        DecisionRound.objects.filter(decision=decision)
        .select_related("proposal", "proposal__body")
        .prefetch_related(
            Prefetch(
                "parts",
                DecisionPart.objects.select_related(
                    "decided_by", "municipality", "accession__decided_by"
                ),
            )
        )
        .first()
    )
    if decision_round is None:
        return {"order": None, "parts": []}
    order = Order.from_snapshot(decision_round.order)
    # A part as its record says now: with its latest correction, if any (only a joint
    # decision's parts are corrected one by one).
    parts = list(decision_round.parts.all())
    if order.is_joint_decision:
        attach_part_corrections(parts)
    recorded = {p.key: p for p in parts}
    not_approved = [
        (spec, recorded[spec.key])
        for spec in order.parts
        if order.each_decides
        and spec.key in recorded
        and recorded[spec.key].outcome != Outcome.APPROVED
    ]
    return {
        "order": order,
        "proposal": getattr(decision_round, "proposal", None),
        # Every part the order asked for, in its order; a part not given when every part had
        # to approve and another said no stays empty.
        "parts": [(spec, recorded.get(spec.key)) for spec in order.parts],
        # Where each decides for itself, those who did not approve take no part from here on
        # (unless they joined later, by a decision of their own): said under the outcome, not
        # only in the list of parts further down.
        "declined": [
            f"{spec.label} ({part.get_outcome_display().lower()})"
            for spec, part in not_approved
            if part.joined_later is None
        ],
        "joined": [
            f"{spec.label} ({accession.decided_on.isoformat()})"
            for spec, part in not_approved
            if (accession := part.joined_later) is not None
        ],
    }


def document_metadata(document):
    """What the PDF's XMP packet records besides its title."""
    case = document.case
    return PdfMetadata(
        registry_number=case.registry_number,
        region=case.region.name,
        kind=document.get_kind_display(),
    )


def document_pdf(document):
    """The sealed PDF/A bytes and page count of `document` (reads, writes nothing)."""
    template = document_template(document.kind)
    if template is None:
        raise ValueError(f"Ingen mall för dokumenttypen {document.kind}")
    data, pages = render_pdf(template, document_context(document), document_metadata(document))
    region = document.case.region
    return seal_pdf(data, region_code=region.code, location=region.name), pages


def document_claim(document_id):
    """Take a requested document for rendering, in one short transaction.

    Returns None when there is nothing to do: the document is ready, failed (a new version is
    requested instead), or taken by a render whose claim has not run out.
    """
    from .tasks import RENDER_TIME_LIMIT

    now = timezone.now()
    with transaction.atomic():
        document = Document.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status in {Document.Status.READY, Document.Status.FAILED}:
            return None
        if document.status == Document.Status.RENDERING and not document.is_stale:
            return None
        document.status = Document.Status.RENDERING
        document.attempts += 1
        document.claimed_until = now + timedelta(seconds=RENDER_TIME_LIMIT + CLAIM_MARGIN)
        document.save(update_fields=["status", "attempts", "claimed_until"])
    return document


def _still_mine(document):
    """The row locked, if the claim `document` holds is still the latest one."""
    current = Document.objects.select_for_update().select_related("case").get(pk=document.pk)
    if current.status != Document.Status.RENDERING or current.attempts != document.attempts:
        return None
    return current


def document_render_and_store(document):
    """Render a claimed document outside any transaction, then store it as ready."""
    data, pages = document_pdf(document)
    # A point decided twice (returned, then approved) has two first versions: the decision's
    # number tells their files apart.
    decision = f"-{document.decision_id}" if document.decision_id else ""
    name = (
        f"{slugify(document.case.registry_number)}-{document.kind}{decision}"
        f"-v{document.version}.pdf"
    )
    file_field = Document._meta.get_field("file")
    stored_name = default_storage.save(
        file_field.generate_filename(document, name), ContentFile(data)
    )
    try:
        with transaction.atomic():
            current = _still_mine(document)
            if current is None:
                # A later claim took over (this one outlived its claim); it stores its own.
                transaction.on_commit(lambda: default_storage.delete(stored_name))
                return "superseded"
            current.file.name = stored_name
            current.size = len(data)
            current.pages = pages
            current.sha256 = sha256(data)
            current.status = Document.Status.READY
            current.finished_at = timezone.now()
            current.claimed_until = None
            current.failure_reason = ""
            current.save()
            CaseEvent.objects.create(
                case=current.case,
                kind=CaseEvent.Kind.DOCUMENT,
                actor=None,
                message=_("Dokumentet %(kind)s (version %(version)s) är klart och stämplat.")
                % {"kind": current.get_kind_display(), "version": current.version},
            )
    except Exception:
        default_storage.delete(stored_name)
        raise
    document.status = Document.Status.READY
    return "ready"


def document_release(document):
    """Give a claimed document back to the queue (a transient fault; the task retries)."""
    with transaction.atomic():
        current = _still_mine(document)
        if current is not None:
            current.status = Document.Status.REQUESTED
            current.claimed_until = None
            current.save(update_fields=["status", "claimed_until"])


def document_fail(document, exc, reason=""):
    """Record why a claimed document could not be made; a strategist may request it again."""
    with transaction.atomic():
        current = _still_mine(document)
        if current is not None:
            current.status = Document.Status.FAILED
            current.claimed_until = None
            current.failure_reason = (reason or f"{type(exc).__name__}: {exc}")[:2000]
            current.save(update_fields=["status", "claimed_until", "failure_reason"])


def render_document(document):
    """Claim, render and store `document` in this process (demo data and tests)."""
    claimed = document_claim(document.pk)
    if claimed is not None:
        document_render_and_store(claimed)
    document.refresh_from_db()
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


# An upload to the public verification page is read in memory, checked and forgotten.
VERIFY_MAX_BYTES = 25 * 1024 * 1024


@dataclass(frozen=True)
class Verification:
    """What the public verification page says about an uploaded file."""

    genuine: bool
    headline: str
    detail: str = ""
    document: Document | None = None
    # A genuine document that a later one replaces (a corrected decision or part).
    superseded_by: Document | None = None


def document_superseded_by(document: Document) -> Document | None:
    """The latest ready document that replaces `document`, if any: a later version for the
    same decision (one of its parts was corrected) or the document of a decision that
    corrects it (followed to the last correction)."""
    if document.decision_id is None:
        return None
    decisions = decision_successors(document.case_id)(document.decision_id)
    return (
        Document.objects.filter(
            case_id=document.case_id,
            kind=document.kind,
            decision_id__in=decisions,
            status=Document.Status.READY,
        )
        .exclude(pk=document.pk)
        .filter(requested_at__gte=document.requested_at)
        .order_by("-requested_at", "-pk")
        .first()
    )


def document_verify(data: bytes) -> Verification:
    """Is `data` an unaltered document of this system, and which? Stores nothing."""
    if b"%PDF-" not in data[:1024]:
        return Verification(
            False,
            _("Filen är inte en PDF."),
            _("Bara PDF-dokument från Kunskapsstyrning kan kontrolleras här."),
        )
    document = (
        Document.objects.filter(sha256=sha256(data), status=Document.Status.READY)
        .select_related("case", "case__region", "case__knowledge_support", "decision")
        .first()
    )
    seal = check_seal(data)
    if document is not None:
        detail = (
            ""
            if seal.valid
            else _(
                "Filen är identisk med det registrerade dokumentet, men stämpeln kan inte "
                "kontrolleras med systemets nuvarande certifikat (%(reason)s)."
            )
            % {"reason": seal.reason}
        )
        return Verification(
            True,
            _("Dokumentet är äkta och oförändrat."),
            detail,
            document,
            superseded_by=document_superseded_by(document),
        )
    if seal.sealed and seal.valid:
        return Verification(
            False,
            _("Stämpeln är giltig, men dokumentet finns inte i registret."),
            _(
                "Dokumentet är stämplat med systemets certifikat men hittas inte bland ärendenas "
                "dokument. Kontakta regionens kunskapsstyrningskansli."
            ),
        )
    if seal.sealed:
        return Verification(
            False,
            _("Dokumentet är inte oförändrat."),
            seal.reason,
        )
    return Verification(
        False,
        _("Dokumentet kommer inte från Kunskapsstyrning."),
        _("PDF-filen har ingen stämpel från systemet och finns inte bland ärendenas dokument."),
    )
