import pytest
from django.core.exceptions import ValidationError

from remisser.attachments import MAX_ATTACHMENT_BYTES, check_upload, clean_name

from .factories import docx_file, exe_file, odt_file, pdf_file, xlsx_file, zip_file


@pytest.mark.parametrize(
    ("upload", "extension"),
    [(pdf_file, "pdf"), (docx_file, "docx"), (xlsx_file, "xlsx"), (odt_file, "odt")],
)
def test_pdf_word_excel_and_odt_are_recognised_by_content(upload, extension):
    checked = check_upload(upload())
    assert checked.extension == extension
    assert len(checked.sha256) == 64


def test_the_content_decides_not_the_name():
    assert check_upload(docx_file("ser-ut-som.pdf")).extension == "docx"


@pytest.mark.parametrize("upload", [exe_file, zip_file])
def test_other_content_is_refused_whatever_its_name(upload):
    with pytest.raises(ValidationError, match="innehållet är inte PDF, Word"):
        check_upload(upload())


def test_a_file_over_25_mb_is_refused_with_its_size():
    with pytest.raises(ValidationError, match="för stor .*högst 25 MB"):
        check_upload(pdf_file(size=MAX_ATTACHMENT_BYTES + 1))


def test_a_file_of_exactly_25_mb_is_accepted():
    assert check_upload(pdf_file(size=MAX_ATTACHMENT_BYTES)).size == MAX_ATTACHMENT_BYTES


def test_an_empty_file_is_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="är tom"):
        check_upload(SimpleUploadedFile("tom.pdf", b""))


def test_a_corrupt_zip_is_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="innehållet är inte"):
        check_upload(SimpleUploadedFile("trasig.docx", b"PK\x03\x04" + b"\x00" * 50))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\sara\\Remiss.pdf", "Remiss.pdf"),
        ("a<b>.pdf", "ab.pdf"),
        ("", "bilaga"),
    ],
)
def test_uploaded_names_lose_their_paths(name, expected):
    assert clean_name(name) == expected
