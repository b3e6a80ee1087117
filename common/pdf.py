"""Rendering Django templates to archival, tagged PDF with WeasyPrint (shared by every app).

Every document is PDF/A-2b (ISO 19005-2, what Swedish public records are kept as) and tagged
(structure a screen reader follows), and WeasyPrint may fetch nothing but the product's own
static files and data: URIs: a template that names `file:///etc/passwd` or an http URL gets
neither, only a warning in the log.
"""

import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/a-2b"


@dataclass(frozen=True)
class PdfMetadata:
    """What the XMP packet says about a document besides its <title>."""

    registry_number: str = ""
    region: str = ""
    kind: str = ""


def _static_roots():
    roots = [Path(p) for p in settings.STATICFILES_DIRS] + [Path(settings.STATIC_ROOT)]
    return [root.resolve() for root in roots]


def _static_file(url):
    """The file a `file:` URL names, if it is one of the product's static files; else None.

    Templates may write `{% static 'x.css' %}` (`/static/x.css`, which WeasyPrint resolves
    against the file:// base to `file:///static/x.css`) or point into a static folder directly.
    """
    path = unquote(urlsplit(url).path)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if path.startswith(static_prefix):
        try:
            found = finders.find(path[len(static_prefix) :])
        except SuspiciousFileOperation:  # "../" out of a static folder
            return None
        return Path(found).resolve() if found else None
    candidate = Path(path).resolve()
    for root in _static_roots():
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate
    return None


def _url_fetcher():
    from weasyprint import URLFetcher
    from weasyprint.urls import URLFetcherResponse

    class RestrictedURLFetcher(URLFetcher):
        """Fetches data: URIs and the product's static files; refuses and logs anything else."""

        def fetch(self, url, headers=None):
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = _static_file(url)
                if path is not None:
                    return URLFetcherResponse(url, path.read_bytes())
            logger.warning("PDF: hämtar inte %s (bara egna statiska filer och data:-adresser)", url)
            raise ValueError(f"Adressen hämtas inte i PDF-dokument: {url[:200]}")

    return RestrictedURLFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


def _xmp_properties(metadata):
    """Dublin Core properties PDF/A already knows (no extension schema needed)."""
    parts = []
    if metadata.registry_number:
        parts.append(f"<dc:identifier>{escape(metadata.registry_number)}</dc:identifier>")
    if metadata.region:
        parts.append(
            f"<dc:publisher><rdf:Bag><rdf:li>{escape(metadata.region)}</rdf:li></rdf:Bag>"
            "</dc:publisher>"
        )
    if metadata.kind:
        parts.append(
            f"<dc:type><rdf:Bag><rdf:li>{escape(metadata.kind)}</rdf:li></rdf:Bag></dc:type>"
        )
    if not parts:
        return b""
    return (
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        + "".join(parts)
        + "</rdf:Description>"
    ).encode()


def _add_xmp(metadata):
    """A WeasyPrint finisher that writes `metadata` into the XMP packet PDF/A requires."""

    def finisher(document, pdf):
        extra = _xmp_properties(metadata)
        if not extra:
            return
        reference = pdf.catalog["Metadata"]  # b"35 0 R"
        reference = int(
            (reference.decode() if isinstance(reference, bytes) else reference).split()[0]
        )
        stream = pdf.objects[reference]
        packet = b"".join(
            part if isinstance(part, bytes) else str(part).encode() for part in stream.stream
        )
        stream.stream = [packet.replace(b"</rdf:RDF>", extra + b"</rdf:RDF>", 1)]

    return finisher


_fonts = threading.local()


def _font_config():
    """This thread's font configuration, loaded once.

    WeasyPrint otherwise loads Fontconfig's configuration and fonts again for every document:
    15 of a 1-page BP1 document's 75 ms of rendering and writing (make bench-pdf). Per thread,
    because a Pango font map is not to be shared between threads (the web server renders
    previews in its threads, the worker in its processes).
    """
    from weasyprint.text.fonts import FontConfiguration

    if getattr(_fonts, "config", None) is None:
        _fonts.config = FontConfiguration()
    return _fonts.config


def html_to_pdf(html, metadata=None, archival=True):
    """PDF bytes and page count of an HTML string; PDF/A-2b and tagged unless not `archival`."""
    from weasyprint import HTML

    base_url = settings.BASE_DIR.resolve().as_uri() + "/"
    options = {"pdf_variant": PDF_VARIANT, "pdf_tags": True} if archival else {}
    document = HTML(string=html, base_url=base_url, url_fetcher=_url_fetcher()).render(
        font_config=_font_config(), **options
    )
    finisher = _add_xmp(metadata or PdfMetadata()) if archival else None
    return document.write_pdf(finisher=finisher, **options), len(document.pages)


def render_pdf(template_name, context, metadata=None):
    """PDF/A-2b bytes and page count of a template that extends `pdf/base.html`."""
    return html_to_pdf(render_to_string(template_name, context), metadata)


def sha256(data):
    return hashlib.sha256(data).hexdigest()
