"""Where a reader learns to check a document: the PDF itself, the case page, every page's
footer; and whose certificate seals it."""

import io
import shutil

import pytest
from django.utils import timezone

from common.seal import check_seal, create_demo_certificate, trusted_certificates
from kunskapsstyrning import documents, services
from kunskapsstyrning.models import Document, State
from kunskapsstyrning.tests.helpers import walk_to


@pytest.fixture
def ready(case, maja):
    decision = services.case_decide(
        case_id=walk_to(case, State.BP1).pk,
        actor=maja,
        point="BP1",
        outcome="bifall",
        decided_on=timezone.localdate(),
        motivation="Möjligt och viktigt.",
    )
    return documents.render_document(Document.objects.get(decision=decision))


def pdf_text(data):
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_the_document_says_where_to_verify_it(ready, settings):
    settings.SITE_URL = "https://kunskapsstyrning.example.se"
    text = pdf_text(documents.document_pdf(ready)[0])
    assert "laddar upp den på https://kunskapsstyrning.example.se/verifiera/" in text
    assert "Kontrollera äktheten: https://kunskapsstyrning.example.se/verifiera/" in text  # footer


def test_the_case_page_links_to_the_verification_page(client, ready, sara):
    client.force_login(sara)
    page = client.get(f"/arenden/{ready.case_id}/").content.decode()
    assert 'href="/verifiera/">kontrollera att det är äkta och oförändrat</a>' in page


def test_every_page_footer_links_to_the_verification_page(client, db):
    page = client.get("/tillganglighet/").content.decode()
    assert 'href="/verifiera/">Kontrollera ett dokument</a>' in page


@pytest.fixture
def own_certificate(settings, region, tmp_path):
    """Region Norr's own certificate beside the installation's, as the README describes (in a
    folder of this test's own, the installation's pair copied there)."""
    for name in ("cert.pem", "key.pem"):
        shutil.copy(settings.DOCUMENT_SEAL_CERT.parent / name, tmp_path / name)
    settings.DOCUMENT_SEAL_CERT = tmp_path / region.code / "cert.pem"
    settings.DOCUMENT_SEAL_KEY = tmp_path / region.code / "key.pem"
    create_demo_certificate(common_name="Region Norr organisationsstämpel")
    settings.DOCUMENT_SEAL_CERT, settings.DOCUMENT_SEAL_KEY = (
        tmp_path / "cert.pem",
        tmp_path / "key.pem",
    )
    return tmp_path / region.code


def test_a_region_with_a_certificate_of_its_own_seals_with_it(ready, own_certificate):
    data = documents.document_pdf(ready)[0]
    seal = check_seal(data)
    assert seal.valid and "Region Norr organisationsstämpel" in seal.signer
    assert len(trusted_certificates()) == 2


def test_a_region_without_one_seals_with_the_installations(ready):
    seal = check_seal(documents.document_pdf(ready)[0])
    assert seal.valid and "demonstrationsstämpel" in seal.signer
