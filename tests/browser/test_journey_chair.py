"""The LPO chair (alice) fills in the BP1 prioritisation and sends the case to BP1."""

import pytest
from playwright.sync_api import expect

from kunskapsstyrning.models import Case, State

pytestmark = pytest.mark.browser


def test_chair_fills_in_the_prioritisation_and_sends_the_case_to_bp1(
    page, login, check_page, make_case, alice, maja
):
    case = make_case("prioritering")
    login(page, alice)
    mine = page.get_by_role("region", name="Dina LPO:ers ärenden som behöver åtgärd")
    expect(mine.get_by_role("row").filter(has_text=case.registry_number)).to_contain_text(
        "Prioritering (LPO)"
    )
    check_page(page, "start")

    mine.get_by_role("link", name=case.knowledge_support.title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.knowledge_support.title)
    check_page(page, "arende")

    # Half the form now, the rest later: saving an incomplete prioritisation is allowed.
    page.get_by_role("link", name="Fyll i prioriteringen (BP1-underlag)").click()
    check_page(page, "prioritering-tom")
    page.get_by_role("group", name="Är det möjligt?").get_by_role("radio", name="Ja").check()
    page.get_by_label("Motivering – möjligt").fill("Mottagningarna har kapacitet under året.")
    page.get_by_role("button", name="Spara prioriteringen").click()
    expect(page.get_by_role("status")).to_contain_text("Prioriteringen sparades.")

    # Until every question is answered the case cannot go to BP1, and the page says so.
    next_step = page.get_by_role("region", name="Nästa steg")
    expect(next_step).to_contain_text(
        "Ärendet kan skickas till beslut BP1 när alla frågor i prioriteringen är besvarade."
    )
    expect(next_step.get_by_role("button", name="Skicka till beslut BP1")).to_have_count(0)
    check_page(page, "prioritering-ofullstandig")

    page.get_by_role("link", name="Ändra prioriteringen (BP1-underlag)").click()
    expect(page.get_by_label("Motivering – möjligt")).to_have_value(
        "Mottagningarna har kapacitet under året."
    )
    page.get_by_role("group", name="Är det viktigt?").get_by_role("radio", name="Ja").check()
    page.get_by_label("Motivering – viktigt").fill("Stor patientgrupp med ojämlik vård.")
    page.get_by_label("Förväntad nytta").fill("Färre återinläggningar.")
    page.get_by_label("Konsekvens av att inte införa").fill("Fortsatt ojämlik vård.")
    page.get_by_label("Resursbehov").fill("Processledare 20 % under ett halvår.")
    check_page(page, "prioritering-ifylld")
    page.get_by_role("button", name="Spara prioriteringen").click()
    prioritisation = page.get_by_role("region", name="Prioritering (BP1-underlag)")
    expect(prioritisation).to_contain_text("Färre återinläggningar.")

    page.get_by_role("button", name="Skicka till beslut BP1").click()
    expect(page.get_by_role("status")).to_contain_text("Prioriteringen skickades till beslut BP1.")
    expect(page.locator(".title-row .state")).to_have_text("Inväntar beslut BP1")
    expect(page.get_by_role("region", name="Nästa steg")).to_contain_text(
        "Väntar på beslut BP1 av Hälso- och sjukvårdsledningen."
    )
    check_page(page, "arende-bp1")
    assert Case.objects.get(pk=case.pk).state == State.BP1
