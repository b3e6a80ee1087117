"""Around every page: refusals logged in one line, the site icon."""

import logging

from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils.log import log_response

from common.logging import RefusalWithoutTraceback


def record_of(status, exception):
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger("django.request")
    handler = Keep()
    handler.addFilter(RefusalWithoutTraceback())
    logger.addHandler(handler)
    try:
        response = type("R", (), {"status_code": status, "_has_been_logged": False})()
        log_response(
            "Svar %s",
            status,
            response=response,
            request=RequestFactory().get("/x/"),
            exception=exception,
        )
    finally:
        logger.removeHandler(handler)
    return records[0]


def test_a_refused_request_is_one_line_and_an_error_keeps_its_traceback():
    try:
        raise PermissionDenied("Du får inte.")
    except PermissionDenied as exc:
        refused = record_of(403, exc)
    assert refused.exc_info is None and refused.getMessage() == "Svar 403"
    try:
        raise ValueError("trasigt")
    except ValueError as exc:
        failed = record_of(500, exc)
    assert failed.exc_info is not None


def test_the_site_icon_is_linked_and_the_browsers_own_request_finds_it(client, db):
    assert client.get("/favicon.ico").url.endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/logga-in/").content.decode()
