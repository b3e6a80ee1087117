import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

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


def test_a_zip_bomb_at_the_size_limit_is_refused_by_its_directory_alone(monkeypatch):
    import zipfile

    from common.testing.zipbombs import bomb_at

    data = bomb_at("docx", MAX_ATTACHMENT_BYTES)
    assert MAX_ATTACHMENT_BYTES * 0.9 < len(data) <= MAX_ATTACHMENT_BYTES

    def no_inflating(*args, **kwargs):
        raise AssertionError("an entry was inflated to tell the type")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile("bomb.docx", data))

    assert "zip-bomb" in refused.value.messages[0]
    assert "bomb.docx" in refused.value.messages[0]


def test_the_checksum_is_of_the_whole_file_read_in_chunks():
    import hashlib

    data = b"%PDF-1.4\n" + b"x" * (3 * 1024 * 1024)
    checked = check_upload(SimpleUploadedFile("stor.pdf", data))

    assert checked.sha256 == hashlib.sha256(data).hexdigest()
