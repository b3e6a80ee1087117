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


def test_an_upload_django_cannot_read_is_a_swedish_400_in_one_line(client, db):
    from django.core.exceptions import BadRequest

    # A part header longer than Django reads (a file name of 1,100 characters, as a browser
    # sends it): "Unable to parse request body".
    name = "a" * 1100 + ".pdf"
    body = (
        f'--b\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n%PDF-1.7\r\n--b--\r\n"
    ).encode()
    response = client.generic(
        "POST", "/verifiera/", body, content_type="multipart/form-data; boundary=b"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Begäran kunde inte läsas" in page and 'lang="sv"' in page
    try:
        raise BadRequest("Fel i uppladdningen")
    except BadRequest as exc:
        assert record_of(400, exc).exc_info is None


def test_a_form_posted_from_a_page_that_no_longer_holds_is_told_so_in_swedish(db):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.create(username="ingen"))
    response = client.post("/arenden/nytt/", {"title": "x"})
    assert response.status_code == 403
    assert "Formuläret har gått ut" in response.content.decode()
