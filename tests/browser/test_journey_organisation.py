"""The organisation administrator keeps Region Norr by keyboard alone: a new LPO with its
chair, a LAG with two nominated municipal representatives (and a chair who may not be one), a
role ended; then the history and an import preview. axe checks every organisation page."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from conftest import START
from organisation.models import Membership, Municipality, Role, Unit, UnitKind
from organisation.tests.factories import ProgrammeAreaFactory, UserFactory, member

from .a11y import assert_visible_focus

pytestmark = pytest.mark.browser


def tab_to(page, locator, limit=120):
    """Press Tab until `locator` has focus (and shows it), as a keyboard user would."""
    handle = locator.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", handle):
            assert_visible_focus(page)
            return
    raise AssertionError(f"{locator} is not reachable by Tab")


def field(page, label):
    """The control labelled `label`, with or without the "(obligatorisk)" after it."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(obligatorisk\))?$"))


def type_into(page, label, text):
    tab_to(page, field(page, label))
    page.keyboard.type(text)


def choose(page, label, option_text):
    """Pick an option of a native select with the arrow keys."""
    select = field(page, label)
    tab_to(page, select)
    options = select.evaluate("(s) => Array.from(s.options).map(o => o.text)")
    target = next(i for i, text in enumerate(options) if text.startswith(option_text))
    current = select.evaluate("(s) => s.selectedIndex")
    for _ in range(target - max(current, 0) + (1 if current < 0 else 0)):
        page.keyboard.press("ArrowDown")
    assert select.evaluate("(s) => s.options[s.selectedIndex].text").startswith(option_text)


def press(page, locator, key="Enter"):
    tab_to(page, locator)
    page.keyboard.press(key)
    page.wait_for_load_state()


@pytest.fixture
def ada(office):
    user = UserFactory(username="ada", first_name="Ada", last_name="Administratör")
    member(user, office, Role.ADMINISTRATOR, start_date=START)
    return user


def test_administrator_keeps_the_organisation_by_keyboard(
    page, login, check_page, region, other_region, ada, alice, live_server
):
    ProgrammeAreaFactory(code="DIAB", name="Endokrina sjukdomar")
    Municipality.objects.create(code="9001", name="Norrby kommun", region=region)
    # Another region has an LPO of the same name: the pages must never mix them up.
    Unit.objects.create(
        kind=UnitKind.LPO,
        name="LPO Hjärta",
        code="RS_LPO_HJ",
        region=other_region,
        programme_area=alice.memberships.get().unit.programme_area,
    )
    login(page, ada)
    press(page, page.get_by_role("link", name="Organisation", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Region Norr: organisation")
    check_page(page, "regionens-enheter")

    # A new LPO.
    press(page, page.get_by_role("link", name="Ny enhet"))
    check_page(page, "ny-enhet")
    choose(page, "Typ", "LPO")
    type_into(page, "Namn", "LPO Diabetes")
    type_into(page, "Kod", "RN_LPO_DIAB")
    choose(page, "Programområde", "Endokrina sjukdomar")
    press(page, page.get_by_role("button", name="Lägg till enheten"))
    expect(page.locator(".messages")).to_contain_text("LPO Diabetes är tillagd")
    lpo = Unit.objects.get(code="RN_LPO_DIAB")

    # Its chair: a new person, then the role, chosen among units shown with their region.
    press(page, page.get_by_role("link", name="Till personerna"))
    check_page(page, "personer")
    type_into(page, "Förnamn", "Nora")
    type_into(page, "Efternamn", "Nyberg")
    type_into(page, "HSA-id", "SE2321000016-NORA")
    type_into(page, "E-post", "nora.nyberg@region.example.se")
    press(page, page.get_by_role("button", name="Lägg upp personen"))
    expect(page.locator(".messages")).to_contain_text("Nora Nyberg är upplagd")
    units = field(page, "Enhet").evaluate("(s) => Array.from(s.options).map(o => o.text)")
    assert "LPO Hjärta (Region Norr)" in units
    assert not any("Region Syd" in text for text in units)  # not Ada's region
    choose(page, "Enhet", "LPO Diabetes (Region Norr)")
    choose(page, "Roll", "Ordförande")
    check_page(page, "person")
    press(page, page.get_by_role("button", name="Lägg till uppdraget"))
    expect(page.locator(".messages")).to_contain_text("är ordförande i LPO Diabetes (Region Norr)")
    nora = Membership.objects.get(unit=lpo, role=Role.CHAIR).user
    assert nora.hsa_id == "SE2321000016-NORA"
    press(page, page.get_by_role("link", name="Ändra uppgifterna"))
    check_page(page, "andra-person")
    type_into(page, "Titel", "Överläkare")
    press(page, page.get_by_role("button", name="Spara"))
    expect(page.locator(".messages")).to_contain_text("Uppgifterna om Nora Nyberg är sparade")

    # A LAG under it, where the municipalities take part.
    page.goto(f"/organisation/regioner/{region.pk}/ny-enhet/")
    choose(page, "Typ", "LAG")
    type_into(page, "Namn", "LAG Diabetesfot")
    type_into(page, "Kod", "RN_LAG_DIABFOT")
    choose(page, "Överordnad enhet", "LPO Diabetes (Region Norr)")
    press(page, page.get_by_label("Kommunerna deltar (kommunrepresentanter kan nomineras)"), " ")
    press(page, page.get_by_role("button", name="Lägg till enheten"))
    expect(page.locator(".messages")).to_contain_text("LAG Diabetesfot är tillagd")
    lag = Unit.objects.get(code="RN_LAG_DIABFOT")
    assert lag.parent == lpo and lag.municipalities_participate

    # Two municipal representatives from Norrby.
    for first, hsa_id in (("Kim", "SE2321000016-KIMK"), ("Lo", "SE2321000016-LOKO")):
        page.goto(f"/organisation/regioner/{region.pk}/personer/")
        type_into(page, "Förnamn", first)
        type_into(page, "Efternamn", "Kommun")
        type_into(page, "HSA-id", hsa_id)
        choose(page, "Kommun", "Norrby kommun")
        press(page, page.get_by_role("button", name="Lägg upp personen"))
        expect(page.locator(".messages")).to_contain_text(f"{first} Kommun är upplagd")
    page.goto(f"/organisation/enheter/{lag.pk}/")
    check_page(page, "lag")

    # Alice chairs an LPO but works for no municipality: she cannot be nominated as one.
    choose(page, "Person", "Alice Ordförande")
    choose(page, "Roll", "Kommunrepresentant")
    press(page, page.get_by_role("button", name="Nominera"))
    expect(page.locator(".error-summary")).to_contain_text(
        "arbetar inte för någon av de deltagande kommunerna"
    )
    check_page(page, "lag-fel-person")
    assert not Membership.objects.filter(unit=lag).exists()

    for person in ("Kim Kommun", "Lo Kommun"):
        choose(page, "Person", person)
        choose(page, "Roll", "Kommunrepresentant")
        press(page, page.get_by_role("button", name="Nominera"))
        expect(page.locator(".messages")).to_contain_text(f"{person} är kommunrepresentant")
    representatives = Membership.objects.filter(unit=lag, role=Role.MUNICIPAL_REPRESENTATIVE)
    assert sorted(m.user.first_name for m in representatives) == ["Kim", "Lo"]
    expect(page.get_by_role("table", name="Nuvarande och kommande uppdrag")).to_contain_text(
        "Norrby kommun"
    )

    # Kim is nominated twice by mistake? No: the same role in the same period is refused.
    choose(page, "Person", "Kim Kommun")
    choose(page, "Roll", "Kommunrepresentant")
    press(page, page.get_by_role("button", name="Nominera"))
    expect(page.locator(".error-summary")).to_contain_text("har redan rollen")

    check_page(page, "lag-med-kommunrepresentanter")

    # A role ended: Alice stops chairing LPO Hjärta today, and her access goes with it.
    page.goto(f"/organisation/personer/{alice.pk}/")
    ending = page.get_by_role("button", name=re.compile(r"^Avsluta i dag.*Ordförande i LPO Hjärta"))
    press(page, ending)
    # Ending a role takes the access away at once: the page asks first (issue 18).
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Avsluta Alice Ordförandes uppdrag"
    )
    check_page(page, "avsluta-uppdrag-bekrafta")
    press(page, page.get_by_role("button", name="Ja, avsluta uppdraget"))
    expect(page.locator(".messages")).to_contain_text("Alice Ordförande är inte längre ordförande")
    expect(page.get_by_role("table", name="Avslutade uppdrag")).to_contain_text("LPO Hjärta")
    check_page(page, "person-avslutat-uppdrag")
    chair = Membership.objects.get(user=alice, role=Role.CHAIR)
    assert chair.end_date == date.today() - timedelta(days=1)
    assert not alice.unituserobjectpermission_set.exists()

    press(page, page.get_by_role("link", name="Organisation", exact=True))
    press(page, page.get_by_role("link", name="Historik"))
    history = page.locator("table")
    expect(history).to_contain_text("Ada Administratör")
    expect(history).to_contain_text("LAG Diabetesfot")
    expect(history).to_contain_text("Nora Nyberg blev ordförande i LPO Diabetes")
    check_page(page, "historik")

    press(page, page.get_by_role("link", name="Importera"))
    check_page(page, "import")


def test_import_preview_and_the_organisation_index_pass_axe(
    page, login, check_page, region, other_region, tmp_path
):
    admin = UserFactory(username="superadmin", is_staff=True, is_superuser=True)
    Unit.objects.create(kind=UnitKind.KANSLI, name="Kansliet", code="RN_K", region=region)
    csv = tmp_path / "personer.csv"
    csv.write_text(
        "HSA-id;Förnamn;Efternamn;E-post;Enhetskod;Roll\n"
        "SE2321000016-AAAA;Anna;Andersson;anna@x.se;RN_K;strateg\n"
        "SE2321000016-AAAA;Bertil;Berg;bertil@x.se;RN_K;strateg\n",
        encoding="utf-8",
    )
    login(page, admin)
    page.goto("/organisation/")
    expect(page.get_by_role("link", name="Region Syd")).to_be_visible()
    check_page(page, "index")
    page.goto(f"/organisation/regioner/{region.pk}/import/")
    page.get_by_label("Fil (.xlsx eller .csv)").set_input_files(str(csv))
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("alert")).to_contain_text("1 rad har fel")
    expect(page.locator("table")).to_contain_text("står redan på rad 2")
    check_page(page, "import-med-fel")
