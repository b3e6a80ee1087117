"""The seal works whoever calls it: also from a thread that already runs an event loop."""

import asyncio
import threading

from weasyprint import HTML

from common.seal import check_seal, seal_pdf


def test_a_document_is_sealed_and_checked_inside_a_running_event_loop():
    # pyHanko's synchronous API runs asyncio.run(), which refuses inside a running loop (an
    # ASGI server; Playwright's sync API in the browser tests, where CI first met it).
    pdf = HTML(string="<p>Beslut</p>").write_pdf()

    async def in_a_loop():
        sealed = seal_pdf(pdf)
        return check_seal(sealed), check_seal(sealed[:-200] + b"x" + sealed[-199:])

    # A thread of the test's own runs the loop: the test thread itself may already run one
    # (Playwright's, after the browser tests), where asyncio.run() here would refuse too.
    outcome = []
    runner = threading.Thread(target=lambda: outcome.append(asyncio.run(in_a_loop())))
    runner.start()
    runner.join(timeout=60)
    valid, altered = outcome[0]

    assert valid.valid, valid.reason
    assert not altered.valid


def test_the_seal_signs_the_pades_attributes_and_names_its_certificate():
    # The signing-certificate reference is encoded once per signer (common.seal): each seal
    # must still carry it, for the certificate that signed, and no signing time (PAdES).
    import hashlib
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    from common.seal import _signer

    first, second = (seal_pdf(HTML(string=f"<p>Beslut {n}</p>").write_pdf()) for n in (1, 2))
    certificate = _signer().signing_cert
    for sealed in (first, second):
        signature = PdfFileReader(io.BytesIO(sealed)).embedded_signatures[0]
        attributes = {
            attribute["type"].native: attribute["values"][0]
            for attribute in signature.signer_info["signed_attrs"]
        }
        assert set(attributes) == {"content_type", "message_digest", "signing_certificate_v2"}
        reference = attributes["signing_certificate_v2"]["certs"][0]
        assert reference["cert_hash"].native == hashlib.sha256(certificate.dump()).digest()
        assert check_seal(sealed).valid
    assert first != second
