"""Walks every URL of the product and fails if one is reachable without a permission rule."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Pages anyone may open: the login page and the login-protected admin's own login, and the
# accessibility statement (the law wants it open to all, also to someone who cannot log in),
# and the check of a document's seal (anyone holding a decision may verify it; it stores nothing),
# and the national overview (it shows the public only the regions that chose to be seen).
PUBLIC = {
    "login",
    "logout",
    "accessibility_statement",
    "kunskapsstyrning:document_verify",
    "nationellt:overview",
}


def product_patterns(resolver=None, prefix="", namespace=""):
    """(name, route) of every URL outside Django's admin and static files; a name inside a
    namespace is given as `reverse` takes it ("api:tokens")."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin" or str(entry.pattern).startswith("static"):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from product_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if namespace and entry.name else entry.name
            yield name, prefix + str(entry.pattern), entry


def fill(route, value):
    """A concrete path: every converter replaced by `value` (ints) or a slug, and every group
    of a regular-expression route (the API's router) by `value`."""
    import re

    path = re.sub(r"\(\?P<[^>]+>[^)]*\)", str(value), route).replace("^", "").replace("$", "")
    path = re.sub(r"<id:[^>]+>", str(value), path)
    path = re.sub(r"<slug:[^>]+>", "x", path)
    path = re.sub(r"<(str:)?[^>]+>", "x", path)
    return "/" + path


def test_the_walk_fills_regular_expression_routes():
    assert fill("api/v1/^arenden/(?P<pk>[^/.]+)/$", 7) == "/api/v1/arenden/7/"


def test_the_walk_finds_the_product_pages():
    names = {name for name, _route, _p in product_patterns()}
    assert {
        f"kunskapsstyrning:{name}"
        for name in ["home", "board", "case_list", "case_detail", "case_decide"]
    } <= names


def test_no_page_is_reachable_anonymously(client, case):
    reachable = []
    for name, route, _pattern in product_patterns():
        if name in PUBLIC:
            continue
        path = fill(route, case.pk)
        for method in (client.get, client.post):
            response = method(path)
            if response.status_code == 200 or (
                response.status_code == 302 and not response.url.startswith("/logga-in/")
            ):
                reachable.append((method.__name__, path, response.status_code))
    assert not reachable


def test_no_case_page_is_reachable_for_someone_outside_the_case(client, case, olle, sven):
    reachable = []
    for person in (olle, sven):
        client.force_login(person)
        for _name, route, _pattern in product_patterns():
            # Pages under a case; the national catalogue (kunskapsstod/) is open to everyone
            # logged in, and other apps' objects have their own tests.
            if not route.startswith("arenden/<id:pk>/"):
                continue
            path = fill(route, case.pk)
            for method in (client.get, client.post):
                status = method(path).status_code
                if status not in (403, 404, 405):
                    reachable.append((person.username, method.__name__, path, status))
    assert not reachable


def test_an_id_too_large_for_the_database_is_no_page(client, case, sara):
    """Every id in an address is an `<id:>` (at most 18 digits): a longer one matches no page
    (404) instead of reaching a query that overflows (it was a 500 on the gap analysis's pages
    and a remiss's comments)."""
    routes = [route for _n, route, _p in product_patterns()]
    assert not [route for route in routes if "<int:" in route]
    assert any("<id:" in route for route in routes)
    client.force_login(sara)
    huge = 10**19
    for path in (
        f"/arenden/{huge}/gapanalys/",
        f"/arenden/{huge}/gapanalys/rader/1/",
        f"/arenden/{case.pk}/gapanalys/rader/{huge}/",
        f"/remisser/{huge}/synpunkter/",
        f"/arenden/{huge}/",
    ):
        assert client.get(path).status_code == 404, path
