"""Rendering Django templates to PDF with WeasyPrint (shared by every app's documents)."""

import hashlib

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name, context):
    """PDF bytes and page count of a template that extends `pdf/base.html`."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    return document.write_pdf(), len(document.pages)


def sha256(data):
    return hashlib.sha256(data).hexdigest()
