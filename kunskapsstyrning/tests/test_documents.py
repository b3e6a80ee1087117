"""Documents: archival and sealed PDFs, a render that cannot get stuck, public verification.

The fault tests with a real worker, beat and Redis are in tests/test_documents_worker.py.
"""

import io
import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from common.pdf import html_to_pdf
from common.seal import check_seal
from implementering import services as plan_services
from kunskapsstyrning import documents, selectors, services
from kunskapsstyrning.models import CaseEvent, Document, DocumentKind, State
from kunskapsstyrning.selectors import documents_stale
from kunskapsstyrning.tasks import document_render
from kunskapsstyrning.tests.document_cases import bp2_document
from kunskapsstyrning.tests.helpers import walk_to

POPPLER = shutil.which("pdfinfo") and shutil.which("pdffonts")


def byte_range(data):
    """The first signed range of a PAdES signature: (start, length)."""
    numbers = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", data).groups()
    return int(numbers[0]), int(numbers[1])


def one_byte_changed(data):
    """`data` with one byte in the middle of the signed page content flipped."""
    start, length = byte_range(data)
    position = start + length // 2
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


def poppler(tool, path, *args):
    return subprocess.run([tool, *args, str(path)], capture_output=True, text=True, check=True)


@pytest.fixture
def demo_documents(db):
    """One document of every kind, rendered from the demo data (and one follow-up report)."""
    call_command("load_reference_data", verbosity=0)
    call_command("load_demo_data", verbosity=0)
    followed = Document.objects.filter(case__state=State.FOLLOW_UP).first().case
    plan_services.followup_report_request(case_id=followed.pk, actor=followed.strategist)
    rendered = {}
    for document in Document.objects.order_by("pk"):
        if document.kind not in rendered:
            rendered[document.kind] = documents.render_document(document)
    return rendered


@pytest.mark.skipif(not POPPLER, reason="needs poppler-utils (CI installs it)")
def test_every_document_kind_is_tagged_pdfa_with_embedded_fonts_and_a_valid_seal(
    demo_documents, tmp_path, capsys
):
    capsys.readouterr()
    assert set(demo_documents) == set(DocumentKind.values)
    for kind, document in demo_documents.items():
        assert document.status == Document.Status.READY, (kind, document.failure_reason)
        data = document.file.read()
        path = tmp_path / f"{kind}.pdf"
        path.write_bytes(data)

        assert "Tagged:          yes" in poppler("pdfinfo", path).stdout, kind
        xmp = poppler("pdfinfo", path, "-meta").stdout
        assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp, kind
        # pyHanko rewrites the packet when it seals, as an attribute or an element.
        number = re.escape(document.case.registry_number)
        assert re.search(f'dc:identifier(="{number}"|>{number}</dc:identifier>)', xmp), xmp
        assert f"<rdf:li>{document.case.region.name}</rdf:li>" in xmp
        assert f"<rdf:li>{document.get_kind_display()}</rdf:li>" in xmp
        assert "<dc:title" in xmp and document.case.registry_number in xmp
        fonts = poppler("pdffonts", path).stdout.splitlines()[2:]
        assert fonts, kind
        for line in fonts:  # name type [encoding] emb sub uni object ID
            assert line.split()[-5] == "yes", (kind, line)

        assert check_seal(data).valid, (kind, check_seal(data))
        altered = check_seal(one_byte_changed(data))
        assert altered.sealed and not altered.valid, kind
        assert "ändrats" in altered.reason


def test_the_pdf_says_it_is_swedish_and_its_headings_are_tagged():
    data, _ = html_to_pdf(
        '<!DOCTYPE html><html lang="sv"><head><title>Prov</title></head>'
        "<body><h1>Beslut</h1><p>Text</p><table><tr><th>A</th><td>B</td></tr></table></body></html>"
    )
    from pypdf import PdfReader

    catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert catalog["/Lang"] == "sv"
    assert catalog["/MarkInfo"]["/Marked"]
    structure = PdfReader(io.BytesIO(data)).trailer["/Root"]["/StructTreeRoot"]

    def roles(node, found):
        node = node.get_object()
        if hasattr(node, "get") and node.get("/S"):
            found.add(str(node["/S"]))
        kids = node.get("/K", []) if hasattr(node, "get") else []
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                roles(kid, found)
        return found

    found = roles(structure, set())
    assert {"/H1", "/P", "/Table", "/TH", "/TD"} <= found


# --- Claiming: a render holds no transaction and runs once -----------------------------------


@pytest.fixture
def requested(case, maja):
    case = walk_to(case, State.BP1)
    decision = services.case_decide(
        case_id=case.pk,
        actor=maja,
        point="BP1",
        outcome="bifall",
        decided_on=timezone.localdate(),
        motivation="Möjligt och viktigt.",
    )
    return Document.objects.get(decision=decision)


def ready_events(document):
    return CaseEvent.objects.filter(
        case=document.case, kind=CaseEvent.Kind.DOCUMENT, message__contains="är klart"
    ).count()


def test_a_claimed_document_is_not_claimed_again(requested):
    first = documents.document_claim(requested.pk)
    assert first is not None and first.attempts == 1
    assert documents.document_claim(requested.pk) is None
    assert document_render.apply(args=[requested.pk]).result == "skipped"
    documents.document_render_and_store(first)
    assert documents.document_claim(requested.pk) is None  # ready
    assert Document.objects.get(pk=requested.pk).attempts == 1
    assert ready_events(requested) == 1


def test_a_claim_that_ran_out_is_taken_over_and_the_late_render_is_thrown_away(requested):
    dead = documents.document_claim(requested.pk)
    Document.objects.filter(pk=requested.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    assert list(documents_stale()) == [requested]
    second = documents.document_claim(requested.pk)
    assert second.attempts == 2
    assert documents.document_render_and_store(dead) == "superseded"
    assert Document.objects.get(pk=requested.pk).status == Document.Status.RENDERING
    assert documents.document_render_and_store(second) == "ready"
    stored = Document.objects.get(pk=requested.pk)
    assert stored.status == Document.Status.READY and stored.attempts == 2
    assert ready_events(requested) == 1


@pytest.mark.django_db(transaction=True)
def test_the_render_runs_outside_any_transaction(requested, monkeypatch):
    seen = []
    real = documents.document_pdf

    def spy(document):
        seen.append(connection.in_atomic_block)
        return real(document)

    monkeypatch.setattr(documents, "document_pdf", spy)
    Document.objects.filter(pk=requested.pk).update(status=Document.Status.REQUESTED)
    document_render.apply(args=[requested.pk])
    assert seen == [False]
    assert Document.objects.get(pk=requested.pk).status == Document.Status.READY


def test_a_broken_template_is_recorded_as_a_failure(requested, monkeypatch):
    monkeypatch.setitem(documents.TEMPLATES, requested.kind, "saknas/mall.html")
    assert document_render.apply(args=[requested.pk]).result == "failed"
    failed = Document.objects.get(pk=requested.pk)
    assert failed.status == Document.Status.FAILED and failed.claimed_until is None
    assert "TemplateDoesNotExist" in failed.failure_reason


def test_stale_means_waiting_a_minute_or_a_claim_run_out(requested):
    assert not documents_stale().exists()
    Document.objects.filter(pk=requested.pk).update(
        requested_at=timezone.now() - Document.STALE_AFTER - timedelta(seconds=1)
    )
    assert list(documents_stale()) == [requested]
    documents.document_claim(requested.pk)
    assert not documents_stale().exists()  # taken, its claim still running


def test_every_periodic_task_has_a_soft_limit_within_its_hard_limit(settings):
    from importlib import import_module

    from config.celery import app

    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        import_module(entry["task"].rsplit(".", 1)[0])
        task = app.tasks[entry["task"]]
        hard = task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        soft = task.soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT
        assert soft <= hard, entry["task"]


def test_redis_holds_an_unacknowledged_message_no_longer_than_a_task_may_run(settings):
    from kunskapsstyrning.tasks import RENDER_TIME_LIMIT

    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert RENDER_TIME_LIMIT <= settings.CELERY_TASK_TIME_LIMIT < timeout <= 5 * 60


# --- Re-requesting --------------------------------------------------------------------------


def rerequest(client, user, document):
    client.force_login(user)
    return client.post(
        reverse("kunskapsstyrning:document_rerequest", args=[document.case_id, document.pk]),
        follow=True,
    )


def test_the_strategist_requeues_a_document_waiting_too_long(
    client, requested, sara, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(document_render, "delay", queued.append)
    Document.objects.filter(pk=requested.pk).update(
        requested_at=timezone.now() - timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = rerequest(client, sara, requested)
    assert "Dokumentet begärdes på nytt." in response.content.decode()
    assert queued == [requested.pk]
    assert Document.objects.filter(case=requested.case).count() == 1  # the same document
    assert CaseEvent.objects.filter(case=requested.case, message__contains="köades på nytt")


def test_a_document_just_requested_is_not_requeued(client, requested, sara):
    response = rerequest(client, sara, requested)
    assert "väntat för länge" in response.content.decode()
    assert not CaseEvent.objects.filter(case=requested.case, message__contains="köades på nytt")


def test_only_the_strategist_requeues(client, requested, alice):
    Document.objects.filter(pk=requested.pk).update(
        requested_at=timezone.now() - timedelta(minutes=5)
    )
    client.force_login(alice)
    url = reverse("kunskapsstyrning:document_rerequest", args=[requested.case_id, requested.pk])
    assert client.post(url).status_code == 403


def test_the_case_page_offers_the_strategist_to_requeue_a_stuck_document(client, requested, sara):
    Document.objects.filter(pk=requested.pk).update(
        requested_at=timezone.now() - timedelta(minutes=5)
    )
    client.force_login(sara)
    page = client.get(
        reverse("kunskapsstyrning:document_status", args=[requested.case_id])
    ).content.decode()
    assert "Begär på nytt" in page


# --- Public verification --------------------------------------------------------------------


@pytest.fixture
def ready(requested):
    return documents.render_document(requested)


def verify(client, data, name="beslut.pdf"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(
        reverse("kunskapsstyrning:document_verify"), {"file": upload}
    ).content.decode()


def stored_files(settings):
    return sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


def test_anyone_can_verify_a_genuine_document(client, ready, settings, django_assert_num_queries):
    data = ready.file.read()
    before = (stored_files(settings), Document.objects.count())
    # The document with its case, region, support and decision; whether its decision was
    # corrected; whether a later document replaces it.
    with django_assert_num_queries(3):
        page = verify(client, data)
    assert "Dokumentet är äkta och oförändrat." in page
    assert ready.case.registry_number in page and "BP1" in page
    assert "Det finns en senare version" not in page
    assert (stored_files(settings), Document.objects.count()) == before


def test_a_genuine_document_of_a_corrected_decision_points_to_the_later_one(client, ready, maja):
    correction = services.decision_correct(
        decision_id=ready.decision_id,
        actor=maja,
        motivation="Möjligt och viktigt, med villkor.",
        reason="Villkoret saknades",
    )
    later = documents.render_document(Document.objects.get(decision=correction))
    page = verify(client, ready.file.read())
    assert "Dokumentet är äkta och oförändrat." in page  # it is what it was
    assert "Det finns en senare version." in page
    day = timezone.localtime(later.finished_at)  # the page's day, in Swedish time
    assert f"version {later.version} från {day:%Y-%m-%d}" in page
    assert "Det finns en senare version" not in verify(client, later.file.read())
    listed = selectors.mark_superseded(ready.case, list(ready.case.documents.all()))
    assert [(d.decision_id, d.superseded) for d in listed] == [
        (ready.decision_id, True),
        (correction.pk, False),
    ]


def test_the_verification_page_needs_no_login_and_no_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("kunskapsstyrning:document_verify"))
    assert response.status_code == 200
    assert "Kontrollera ett dokument" in response.content.decode()


def test_the_address_printed_on_documents_is_the_verification_page(settings):
    # Documents print documents.VERIFY_PATH without asking the URL configuration; the two must
    # not drift apart, or every sealed record would point nowhere.
    settings.SITE_URL = "https://ks.example.se/"
    assert documents.verify_url() == "https://ks.example.se" + reverse(
        "kunskapsstyrning:document_verify"
    )


def test_an_altered_document_is_told_apart(client, ready, settings):
    before = stored_files(settings)
    page = verify(client, one_byte_changed(ready.file.read()))
    assert "Dokumentet är inte oförändrat." in page
    assert "äkta" not in page
    assert stored_files(settings) == before


def test_an_unrelated_pdf_is_not_one_of_ours(client, db):
    data, _ = html_to_pdf("<html lang='sv'><title>Annat</title><p>Något annat.</p></html>")
    page = verify(client, data, "annat.pdf")
    assert "Dokumentet kommer inte från Kunskapsstyrning." in page


def test_a_renamed_executable_is_not_a_pdf(client, db, settings):
    before = stored_files(settings)
    page = verify(client, open(shutil.which("true") or "/bin/true", "rb").read(), "beslut.pdf")
    assert "Filen är inte en PDF." in page
    assert stored_files(settings) == before


def test_an_empty_upload_gets_a_message(client, db):
    page = verify(client, b"", "tom.pdf")
    assert 'role="alert"' in page
    assert "äkta" not in page


# --- What is not ready, and why -------------------------------------------------------------


def test_the_command_lists_documents_not_ready_and_why(requested, capsys):
    Document.objects.filter(pk=requested.pk).update(
        requested_at=timezone.now() - timedelta(minutes=5)
    )
    call_command("documents_not_ready")
    out = capsys.readouterr().out
    assert requested.case.registry_number in out
    assert "inte påbörjat" in out and "köas om" in out
    assert "1 dokument är inte klara." in out


def test_the_administrator_sees_documents_not_ready_and_why(client, requested, monkeypatch):
    from organisation.tests.factories import UserFactory

    monkeypatch.setitem(documents.TEMPLATES, requested.kind, "saknas/mall.html")
    document_render.apply(args=[requested.pk])
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/kunskapsstyrning/document/?klar=nej").content.decode()
    assert requested.case.registry_number in page
    assert "Misslyckades: TemplateDoesNotExist" in page


# --- What a decision-maker reads ------------------------------------------------------------


def pdf_pages(document):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(document.file.read()))
    # Words as extracted, with a line broken after a hyphen ("NT-⏎proBNP") joined again.
    return [re.sub(r"- ", "-", " ".join(page.extract_text().split())) for page in reader.pages]


def test_the_bp2_document_carries_each_recommendations_text_beside_its_assessment(case, maja):
    from kunskapsstyrning.tests.document_cases import RECOMMENDATION

    document = documents.render_document(bp2_document(case, 40, maja))
    text = " ".join(pdf_pages(document))
    for n in (6, 17, 40):  # 1-5 are the fixture's own
        assert " ".join(RECOMMENDATION.format(n=n).split()) in text
    assert "Bedömning per rekommendation" in text and "Delvis" in text


def test_the_bp3_document_lists_the_exclusions_with_reasons_and_the_indicators(case, alice, maja):
    from gapanalys.models import GapRow
    from implementering.models import FollowUpIndicator

    case = bp2_document(case, 8, maja).case  # now in planning
    plan_services.plan_start(case_id=case.pk, actor=alice, goal="Infört.")
    left_out = GapRow.objects.filter(analysis__case=case).order_by("recommendation__number")[2]
    plan_services.gap_row_exclude(
        case_id=case.pk,
        actor=alice,
        gap_row_id=left_out.pk,
        reason="Redan täckt av regionens strokeprogram.",
    )
    FollowUpIndicator.objects.create(
        case=case,
        code="HS-01",
        name="Andel utredda med ekokardiografi inom fyra veckor",
        created_by=alice,
    )
    case = walk_to(case, State.BP3)
    decision = services.case_decide(
        case_id=case.pk,
        actor=maja,
        point="BP3",
        outcome="bifall",
        decided_on=timezone.localdate(),
        motivation="Förberedelserna är klara.",
    )
    document = documents.render_document(Document.objects.get(decision=decision))
    text = " ".join(pdf_pages(document))
    assert "Medvetna undantag" in text
    assert "Redan täckt av regionens strokeprogram." in text
    assert "HS-01" in text and "Andel utredda med ekokardiografi inom fyra veckor" in text


def test_a_table_row_never_breaks_across_pages():
    """Any table of a document (a BP3 checklist, the timeline): each row whole on one page."""
    from django.template import engines

    template = engines["django"].from_string(
        '{% extends "pdf/base.html" %}{% block body %}<table>{% for n in rows %}'
        "<tr><td>Rad {{ n }} början</td><td>{{ text }}</td><td>Rad {{ n }} slut</td></tr>"
        "{% endfor %}</table>{% endblock %}"
    )
    html = template.render(
        {
            "rows": range(1, 61),
            "text": "Förberedelsen är gjord och avbockad av ansvarig person. " * 6,
            "title": "Prov",
            "case": {"registry_number": "RN 2026/0001", "region": {"name": "Region Norr"}},
        }
    )
    data, pages = html_to_pdf(html)
    from pypdf import PdfReader

    texts = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]
    assert pages > 3
    for n in range(1, 61):
        holding = [t for t in texts if f"Rad {n} början" in t]
        assert len(holding) == 1 and f"Rad {n} slut" in holding[0], n


def test_the_verification_page_sent_empty_names_the_missing_file_in_an_error_summary(client):
    response = client.post(reverse("kunskapsstyrning:document_verify"), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "data-error-summary" in page and 'href="#id_file"' in page
    assert "Välj en fil för ”PDF-dokument”." in page


def test_the_administrator_finds_who_was_told_and_whether_it_was_mailed(client, requested):
    from kunskapsstyrning.models import Notification
    from organisation.tests.factories import UserFactory

    told = Notification.objects.filter(case=requested.case).first()
    assert told is not None and told.emailed_at is None  # on_commit never ran: not mailed
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/kunskapsstyrning/notification/?mejlat=nej").content.decode()
    assert told.text[:40] in page and requested.case.registry_number in page
    assert "väntar på mejl, oläst" in page
    # One with no e-mail of its own is neither waiting nor mailed.
    from kunskapsstyrning import notifications

    notifications.notify(
        recipients=[told.recipient],
        kind=Notification.Kind.PART_DECIDED,
        case=requested.case,
        key="bara-startsidan",
        text="Bara på startsidan",
        url="/",
        email=False,
    )
    home_only = client.get("/admin/kunskapsstyrning/notification/?mejlat=utan")
    assert "Bara på startsidan" in home_only.content.decode()
    assert "utan eget mejl, oläst" in home_only.content.decode()
    for waiting_or_mailed in ("nej", "ja"):
        listed = client.get(f"/admin/kunskapsstyrning/notification/?mejlat={waiting_or_mailed}")
        assert "Bara på startsidan" not in listed.content.decode()
    assert (
        told.text[:40]
        not in client.get("/admin/kunskapsstyrning/notification/?mejlat=ja").content.decode()
    )
    detail = client.get(f"/admin/kunskapsstyrning/notification/{told.pk}/change/")
    assert detail.status_code == 200  # read-only: no save button
    assert 'name="_save"' not in detail.content.decode()


def test_a_point_decided_twice_has_two_documents_each_saying_its_own_outcome(
    client, case, alice, maja, sara
):
    case = walk_to(case, State.BP1)

    def decide(outcome, day=None):
        return services.case_decide(
            case_id=case.pk,
            actor=maja,
            point="BP1",
            outcome=outcome,
            decided_on=day or timezone.localdate(),
            motivation="Underlaget är prövat.",
            participants="Maja Ledning\n\nPer Primärvårdschef\n",
        )

    # Returned at a meeting in April, recorded today: back to the LPO, which sends it again.
    returned = decide("ater", date(2024, 4, 2))
    services.case_act(case_id=case.pk, actor=alice, action_name="submit_bp1")
    approved = decide("bifall")
    made = {
        d.decision_id: documents.render_document(d)
        for d in Document.objects.filter(decision__in=[returned, approved])
    }
    first, second = (" ".join(pdf_pages(made[d.pk])) for d in (returned, approved))
    # The point's name ("BP1 – starta gap-analys") is no heading above a return.
    assert "Beslut vid BP1: återremitterat" in first and "starta gap-analys" not in first
    assert "{#" not in first and "{%" not in first  # no template text leaks into the record
    assert "Beslut vid BP1: godkänt" in second
    # The history in the later document dates the return by its decision, not its recording.
    assert "2024-04-02 – BP1: Återremitterat" in second
    assert "Närvarande: Maja Ledning, Per Primärvårdschef" in first
    # Both are version 1 of the BP1 document: told apart by their files and on the case page.
    names = [made[d.pk].file.name.rsplit("/", 1)[-1] for d in (returned, approved)]
    slug = case.registry_number.lower().replace(" ", "-").replace("/", "")
    for name, decision in zip(names, (returned, approved), strict=True):
        assert name.startswith(f"{slug}-beslut_bp1-{decision.pk}-v1")  # (+ storage's suffix)
    client.force_login(sara)
    page = client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk])).content.decode()
    day = timezone.localdate().isoformat()
    assert "Beslut BP1 med prioritering (v1), återremitterat 2024-04-02" in page
    assert f"Beslut BP1 med prioritering (v1), godkänt {day}" in page
