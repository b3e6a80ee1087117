"""Making rounds and files for tests, through the real services."""

import io
import zipfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kunskapsstyrning.services import open_case_for
from kunskapsstyrning.tests.factories import copy_of
from remisser import services
from remisser.models import Asks, Response

START = date(2024, 1, 1)


def days(n):
    return timezone.localdate() + timezone.timedelta(days=n)


def register(actor, region, lpo, support, **kwargs):
    arguments = {
        "sender": "socialstyrelsen",
        "received_on": days(-5),
        "reply_deadline": days(40),
        "asks": Asks.QUESTIONS,
        "questions": ["Är rekommendationerna genomförbara?", "Saknas något?"],
        "concerned_lpos": [],
        **kwargs,
    }
    if support is not None and open_case_for(region, support) is not None:
        support = copy_of(support)  # the region's case for it is another test's
    return services.remiss_register(
        actor=actor,
        region=region,
        knowledge_support=support,
        responsible_lpo=lpo,
        strategist=actor,
        **arguments,
    )


def distribute(remiss, lpos, internal_deadline=None, **kwargs):
    return services.remiss_distribute(
        remiss_id=remiss.pk,
        actor=remiss.case.strategist,
        lpos=lpos,
        internal_deadline=internal_deadline or days(20),
        **kwargs,
    )


def response_of(remiss, lpo):
    return Response.objects.get(remiss=remiss, lpo=lpo)


# --- Files whose content is what their name says (or not) ---------------------------------


def pdf_file(name="remiss.pdf", size=None):
    data = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    if size:
        data = data + b"0" * (size - len(data))
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in entries.items():
            package.writestr(name, content)
    return buffer.getvalue()


def docx_file(name="svarsmall.docx"):
    data = _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def xlsx_file(name="indikatorer.xlsx"):
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Indikator"
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/vnd.ms-excel")


def odt_file(name="remiss.odt"):
    data = _zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def exe_file(name="remiss.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")


def zip_file(name="remiss.docx"):
    data = _zip({"readme.txt": "inte ett Word-dokument"})
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def answered(remiss_id):
    """An answer to each of the round's questions, as the compile page sends them."""
    from remisser.models import RemissQuestion

    return {
        q.pk: f"Svar på fråga {q.number}."
        for q in RemissQuestion.objects.filter(remiss_id=remiss_id)
    }
