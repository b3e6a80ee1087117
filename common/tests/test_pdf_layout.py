"""How the documents' shared stylesheet (`pdf/base.html`) breaks pages."""

from datetime import datetime
from types import SimpleNamespace

from django.template import Context, Template
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

DOCUMENT = Template(
    '{% extends "pdf/base.html" %}{% block body %}<h2>Ärendets gång</h2><div class="timeline">'
    "{% for n in events %}<p>2024-01-15 – Händelse {{ n }}: yttrande registrerat.</p>{% endfor %}"
    '</div>{% include "pdf/_verify.html" %}{% endblock %}'
)


def page_text(page):
    found = []

    def walk(box):
        if isinstance(box, boxes.TextBox):
            found.append(box.text)
        for child in getattr(box, "children", None) or ():
            walk(child)

    walk(page._page_box)
    return " ".join(found)


def test_the_seal_paragraph_never_stands_alone_on_the_last_page(db):
    """It says which case and version the document is: alone on a page it vouches for nothing
    the reader can see (the last event goes over with it)."""
    case = SimpleNamespace(
        registry_number="RN 2024/0001", region=SimpleNamespace(name="Region Norr")
    )
    pages_seen = set()
    for count in range(35, 42):
        html = DOCUMENT.render(
            Context(
                {
                    "events": range(count),
                    "case": case,
                    "document": SimpleNamespace(version=1),
                    "title": "Beslut vid BP1",
                    "verify_url": "https://example.org/kontrollera/",
                    "generated_at": datetime(2024, 5, 1, 10, 0),
                }
            )
        )
        pages = HTML(string=html).render().pages
        pages_seen.add(len(pages))
        assert "Händelse" in page_text(pages[-1]), f"{count} events: the seal alone"
    assert pages_seen == {1, 2}  # the break went past every event in turn
