"""Django's admin, kept for superusers' maintenance, passes axe too (no parts excluded): the
product fixes what its own templates and admin classes cause (organisation/admin.py,
templates/admin/, static/admin-fixes/)."""

import pytest
from playwright.sync_api import expect

from organisation.models import Membership, Role
from organisation.tests.factories import UnitFactory, UserFactory

from .a11y import check_a11y
from .errors import page_errors

pytestmark = pytest.mark.browser


def test_admin_pages_pass_axe_and_units_are_named_with_their_region(
    page, login, shot, region, other_region, alice, lpo
):
    UnitFactory(name="LPO Hjärta", code="RS_LPO_HJ2", region=other_region)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    login(page, admin)
    for name, url in [
        ("start", "/admin/"),
        ("uppdrag-ny", "/admin/organisation/membership/add/"),
        ("enhet", f"/admin/organisation/unit/{lpo.pk}/change/"),
        ("uppdrag-lista", "/admin/organisation/membership/"),
    ]:
        page.goto(url)
        shot(page, name)
        check_a11y(page)
        page_errors(page)  # the admin's own inline styles, blocked by the CSP, are not ours

    page.goto("/admin/organisation/membership/add/")
    page.get_by_role("combobox", name="Enhet").click()  # named by its label now
    page.locator(".select2-search__field").fill("Hjärta")
    options = page.locator(".select2-results__option")
    expect(options).to_have_count(2)
    expect(options).to_have_text(["LPO Hjärta (Region Norr)", "LPO Hjärta (Region Syd)"])
    check_a11y(page)
    assert Membership.objects.filter(role=Role.CHAIR).count() == 1
