"""Checking uploaded attachments by their content, never by their name.

PDF files start with `%PDF-`. Word (.docx), Excel (.xlsx) and OpenDocument text (.odt) are ZIP
packages; what is inside tells them apart. Anything else, or anything too large, is refused
with a message the person can act on.
"""

import hashlib
import os
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from common.tabular import TableRefused, inspect_zip

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
MAX_ATTACHMENTS_PER_UPLOAD = 10

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
}
ALLOWED_DESCRIPTION = "PDF, Word (.docx), Excel (.xlsx) eller OpenDocument-text (.odt)"


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, with what we learned from its content."""

    upload: object
    extension: str
    content_type: str
    size: int
    sha256: str
    original_name: str


# A Word, Excel or OpenDocument file of ours (25 MB at most) says in its ZIP directory how
# large it becomes unpacked. The directory is all that is read: nothing is inflated to tell a
# type, and a package that promises more than any real document (a zip bomb) is refused.
MAX_PACKAGE_ENTRIES = 5000
MAX_PACKAGE_UNPACKED_BYTES = 500 * 1024 * 1024


def detect_type(head, handle):
    """The extension the content proves, or None. `head` is the first bytes.

    Raises ValidationError for a ZIP package that would unpack to too much.
    """
    if head.startswith(b"%PDF-"):
        return "pdf"
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        inspect_zip(
            handle,
            max_entries=MAX_PACKAGE_ENTRIES,
            max_entry_bytes=MAX_PACKAGE_UNPACKED_BYTES,
            max_total_bytes=MAX_PACKAGE_UNPACKED_BYTES,
        )
        handle.seek(0)
        with zipfile.ZipFile(handle) as package:
            names = set(package.namelist())
            if "mimetype" in names:
                # OpenDocument keeps its type uncompressed first in the package; 73 bytes.
                info = package.getinfo("mimetype")
                if info.compress_type != zipfile.ZIP_STORED or info.file_size > 100:
                    return None
                with package.open(info) as entry:
                    mimetype = entry.read(100).strip()
                return "odt" if mimetype == CONTENT_TYPES["odt"].encode() else None
            if "[Content_Types].xml" not in names:
                return None
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    except TableRefused as exc:
        raise ValidationError(exc.message, code="zip_bomb") from None
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, EOFError):
        return None
    return None


def clean_name(name):
    """The uploaded file's name without any path, for display and download only."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return (base or "bilaga")[:200]


def check_upload(upload):
    """Return a `CheckedFile` or raise ValidationError with a Swedish message."""
    name = clean_name(getattr(upload, "name", ""))
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Filen %(name)s är tom.") % {"name": name}, code="empty")
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("Filen %(name)s är för stor (%(size)s). En bilaga får vara högst %(max)s MB.")
            % {
                "name": name,
                "size": filesizeformat(size),
                "max": MAX_ATTACHMENT_BYTES // (1024 * 1024),
            },
            code="too_large",
        )
    # Read in chunks: a 25 MB upload lies on disk (Django's temporary file) and stays there.
    upload.seek(0)
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if not head:
            head = chunk[:8]
        digest.update(chunk)
    upload.seek(0)
    try:
        extension = detect_type(head, upload)
    except ValidationError as exc:
        raise ValidationError(
            _("Filen %(name)s går inte att ladda upp: %(problem)s")
            % {"name": name, "problem": exc.messages[0]},
            code="zip_bomb",
        ) from None
    finally:
        upload.seek(0)
    if extension is None:
        raise ValidationError(
            _(
                "Filen %(name)s går inte att ladda upp: innehållet är inte %(allowed)s. "
                "Det är innehållet som avgör, inte filnamnet."
            )
            % {"name": name, "allowed": ALLOWED_DESCRIPTION},
            code="wrong_type",
        )
    return CheckedFile(
        upload=upload,
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        size=size,
        sha256=digest.hexdigest(),
        original_name=name,
    )
