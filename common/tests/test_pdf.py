"""WeasyPrint fetches only the product's static files and data: URIs."""

import logging
import socket
import urllib.request
from pathlib import Path

import pytest

from common.pdf import html_to_pdf

# A 1×1 transparent PNG.
PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhf"
    "DwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture
def opened(monkeypatch):
    """Every file read, URL opened and socket connected while rendering."""
    seen = []
    real_read_bytes = Path.read_bytes
    real_open = urllib.request.OpenerDirector.open

    def read_bytes(self):
        seen.append(f"file:{self}")
        return real_read_bytes(self)

    def open_url(self, url, *args, **kwargs):
        seen.append(f"url:{getattr(url, 'full_url', url)}")
        return real_open(self, url, *args, **kwargs)

    def connect(self, address):
        seen.append(f"socket:{address}")
        raise OSError("no network in this test")

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", open_url)
    monkeypatch.setattr(socket.socket, "connect", connect)
    return seen


def page(body):
    return (
        f'<!DOCTYPE html><html lang="sv"><head><title>Prov</title></head><body>{body}</body></html>'
    )


def test_file_and_http_urls_are_refused_and_logged(opened, caplog):
    html = page(
        '<p>Före</p><img src="file:///etc/passwd" alt="">'
        '<img src="http://example.com/x.png" alt=""><img src="/etc/passwd" alt="">'
        '<link rel="stylesheet" href="https://example.com/a.css"><p>Efter</p>'
    )
    with caplog.at_level(logging.WARNING, logger="common.pdf"):
        data, pages = html_to_pdf(html)
    assert data.startswith(b"%PDF-") and pages == 1
    assert not [s for s in opened if "passwd" in s or "example.com" in s or "socket" in s]
    refused = [r.getMessage() for r in caplog.records if r.name == "common.pdf"]
    for url in ("file:///etc/passwd", "http://example.com/x.png", "https://example.com/a.css"):
        assert any(url in message for message in refused), (url, refused)
    assert all(r.levelno == logging.WARNING for r in caplog.records if r.name == "common.pdf")


def test_static_files_and_data_uris_are_fetched(opened, caplog, settings):
    html = page(
        f'<link rel="stylesheet" href="{settings.STATIC_URL}css/app.css">'
        f'<img src="{PIXEL}" alt="Punkt">'
    )
    with caplog.at_level(logging.WARNING, logger="common.pdf"):
        html_to_pdf(html)
    assert [s for s in opened if s.endswith("static/css/app.css")]
    assert not [r for r in caplog.records if r.name == "common.pdf"]


def test_a_path_that_climbs_out_of_static_is_refused(opened, caplog, settings):
    html = page(f'<img src="{settings.STATIC_URL}../../../../etc/passwd" alt="">')
    with caplog.at_level(logging.WARNING, logger="common.pdf"):
        html_to_pdf(html)
    assert not [s for s in opened if "passwd" in s]
    assert [r for r in caplog.records if r.name == "common.pdf"]
