"""Cross-region learning in the browser (issue 16): the national overview shows a support in
two regions, the public sees only the region that chose to be seen, and a LAG in one region
starts its gap analysis from the other region's shared analysis."""

import pytest
from playwright.sync_api import expect

from gapanalys.models import GapRow
from nationellt.models import RegionSharing
from nationellt.tests.fixtures import PRIVATE_PROPOSAL

pytestmark = pytest.mark.browser


def test_a_lag_starts_from_another_regions_shared_analysis(
    page, login, check_page, north_fresh, south, south_shares, lars, support
):
    # The public: only regions that chose to be seen (none here), and no way further in.
    page.goto("/nationellt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nationell överblick")
    expect(page.get_by_text("Ingen region visar något arbete")).to_be_visible()
    check_page(page, "nationellt-allmanheten")

    login(page, lars)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Nationellt").click()
    card = page.locator(".national-list > li", has_text=support.title)
    expect(card.get_by_text("Region Norr")).to_be_visible()
    expect(card.get_by_text("Region Syd")).to_be_visible()
    check_page(page, "nationellt-oversikt")

    card.get_by_role("link", name=support.title).click()
    expect(page.get_by_role("heading", name="Var regionerna står")).to_be_visible()
    check_page(page, "nationellt-kunskapsstod")

    # Syd shares its analysis: its own page shows it row by row, with the template button.
    page.get_by_role("link", name="gap-analys från Region Syd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{support.title} i Region Syd")
    expect(page.get_by_text(PRIVATE_PROPOSAL).first).to_be_visible()
    expect(page.get_by_text("Regionen delar inte sin införandeplan.")).to_be_visible()
    check_page(page, "nationellt-region")

    page.get_by_role("button", name="Använd som mall för").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gap- och konsekvensanalys")
    expect(page.get_by_text("2 rader fick förslag och konsekvenser från mallen")).to_be_visible()
    check_page(page, "gapanalys-fran-mall")
    filled = GapRow.objects.filter(analysis=north_fresh, proposal=PRIVATE_PROPOSAL)
    assert filled.count() == 2
    assert not filled.exclude(current_state="").exists()


def test_the_public_sees_a_region_that_chose_to_be_seen(page, north_fresh, south, region):
    RegionSharing.objects.create(region=region, public=True)
    page.goto("/nationellt/")
    expect(page.get_by_text("Region Norr")).to_be_visible()
    expect(page.get_by_text("Region Syd")).to_have_count(0)
    # The support's own page is for signed-in users.
    expect(page.get_by_role("link", name=north_fresh.case.knowledge_support.title)).to_have_count(0)
