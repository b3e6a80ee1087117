"""An expert with no other role: an empty start page, and no way into another LPO's case."""

import pytest
from playwright.sync_api import expect

from organisation.models import Role
from organisation.tests.factories import UserFactory, member

pytestmark = pytest.mark.browser


@pytest.fixture
def expert(other_lpo):
    user = UserFactory(username="sakkunnig", first_name="Siv", last_name="Sakkunnig")
    member(user, other_lpo, Role.EXPERT)
    return user


def test_expert_sees_an_empty_start_page_and_not_another_lpos_case(
    page, login, check_page, expert, make_case, alice
):
    case = make_case("prioritering")
    login(page, expert)
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Siv")
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_role("heading", name="Din åtkomst")).to_be_visible()
    access = page.get_by_text("Dina uppdrag ger inte tillgång till LPO:ernas ärenden.")
    expect(access).to_be_visible()
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Ärenden")).to_have_count(0)
    expect(nav.get_by_role("link", name="Att besluta")).to_have_count(0)
    check_page(page, "start-tom")

    response = page.goto(f"/arenden/{case.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    expect(page.get_by_text(case.knowledge_support.title)).to_have_count(0)
    check_page(page, "arende-404")

    response = page.goto("/beslut/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Du saknar behörighet")
    check_page(page, "att-besluta-403")

    page.get_by_role("link", name="Till startsidan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Välkommen, Siv")
