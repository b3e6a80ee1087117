"""The administrator adds a municipality, an LPO and a person as its chair in /admin/; the new
chair then logs in and finds the LPO's case."""

import pytest
from playwright.sync_api import expect

from kunskapsstyrning import services
from organisation.models import Membership, Municipality, Role, Unit, UnitKind
from organisation.tests.factories import ProgrammeAreaFactory, UserFactory

from .a11y import check_a11y
from .errors import page_errors

pytestmark = pytest.mark.browser

# The admin's autocomplete boxes (select2) are named and its breadcrumb links underlined by
# templates/admin/base_site.html and static/admin-fixes/, so axe checks every admin page whole.
# The admin's scripts also set inline styles that the strict CSP blocks (harmless there).
ADMIN_NOT_OURS = []


def pick(page, field_id, text):
    """Choose `text` in one of the admin's autocomplete boxes (select2)."""
    page.locator(f"#id_{field_id} + .select2 [role=combobox]").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).click()


def admin_page(page, shot, name):
    shot(page, name)
    check_a11y(page, exclude=ADMIN_NOT_OURS)
    page_errors(page)  # forget the admin's blocked inline styles


def test_administrator_adds_an_lpo_and_its_chair_who_then_sees_the_lpos_case(
    page, login, shot, check_page, region, sara, support
):
    admin = UserFactory(
        username="admin", first_name="Alva", last_name="Admin", is_staff=True, is_superuser=True
    )
    ProgrammeAreaFactory(code="DIAB", name="Endokrina sjukdomar")
    login(page, admin)
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name="Webbplatsadministration")).to_be_visible()
    admin_page(page, shot, "admin")

    page.get_by_role("row", name="Kommuner").get_by_role("link", name="Lägg till").click()
    page.get_by_label("Kommunkod").fill("9001")
    page.get_by_label("Namn").fill("Norrby kommun")
    page.get_by_label("Län").select_option(label=str(region))
    admin_page(page, shot, "ny-kommun")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Norrby kommun")
    assert Municipality.objects.get(code="9001").region == region

    page.goto("/admin/organisation/unit/add/")
    page.get_by_label("Typ").select_option("LPO")
    page.get_by_label("Kod").fill("RN_LPO_DIAB")
    page.get_by_label("Namn").fill("LPO Diabetes")
    page.get_by_label("Region:", exact=True).select_option(label=str(region))
    pick(page, "programme_area", "Endokrina sjukdomar")
    admin_page(page, shot, "nytt-lpo")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("LPO Diabetes")
    lpo = Unit.objects.get(code="RN_LPO_DIAB")
    assert lpo.kind == UnitKind.LPO

    page.goto("/admin/organisation/user/add/")
    page.get_by_label("Användarnamn").fill("nora")
    page.get_by_label("Lösenord:", exact=True).fill("ett-langt-losenord-2026")
    page.get_by_label("Lösenordsbekräftelse").fill("ett-langt-losenord-2026")
    admin_page(page, shot, "ny-person")
    page.get_by_role("button", name="Spara och fortsätt redigera").click()
    page.get_by_label("Förnamn").fill("Nora")
    page.get_by_label("Efternamn").fill("Nyberg")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Nora Nyberg")

    page.goto("/admin/organisation/membership/add/")
    pick(page, "user", "nora")
    pick(page, "unit", "LPO Diabetes")
    page.get_by_label("Roll").select_option(label="Ordförande")
    admin_page(page, shot, "nytt-uppdrag")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Nora Nyberg")
    membership = Membership.objects.get(user__username="nora")
    assert (membership.unit, membership.role) == (lpo, Role.CHAIR)

    # The strategist opens a case for the new LPO (her own journey covers doing it by hand).
    case = services.case_register(
        actor=sara,
        region=region,
        knowledge_support=support,
        responsible_lpo=lpo,
        strategist=sara,
        start_at_remiss=False,
    )

    page.get_by_role("button", name="Logga ut").click()
    page.context.clear_cookies()
    page.goto("/logga-in/")
    page.get_by_label("Användarnamn").fill("nora")
    page.get_by_label("Lösenord").fill("ett-langt-losenord-2026")
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Nora")
    expect(page.get_by_text("Dina uppdrag: Ordförande i LPO Diabetes")).to_be_visible()
    mine = page.get_by_role("region", name="Dina LPO:ers ärenden som behöver åtgärd")
    check_page(page, "nya-ordforandens-start")
    mine.get_by_role("link", name=case.knowledge_support.title, exact=True).click()
    expect(page.get_by_role("link", name="Fyll i prioriteringen (BP1-underlag)")).to_be_visible()
    check_page(page, "nya-ordforandens-arende")
