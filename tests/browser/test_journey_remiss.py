"""A consultation round through the pages, from registration to a sent, registered answer.

sara (strategist) registers the remiss with an attachment and sends it to LPO Hjärta (alice)
and LPO Lunga (bob); the chairs invite three experts (erik and eva, emil), who comment; an
expert gets 404 on a round he was not invited to; the chairs submit; sara compiles with a
disposition for every comment, marks the answer sent and registered, and the case moves on.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kunskapsstyrning.models import Case, State
from organisation.models import Role
from organisation.tests.factories import UserFactory, member
from remisser import services
from remisser.models import Remiss, RemissStatus

from .a11y import assert_error_next_to

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def day(n):
    return (timezone.localdate() + timezone.timedelta(days=n)).isoformat()


def expert(username, first, unit):
    user = UserFactory(username=username, first_name=first, last_name="Expert")
    member(user, unit, Role.EXPERT)
    return user


@pytest.fixture
def experts(lpo, other_lpo):
    return (
        expert("erik", "Erik", lpo),
        expert("eva", "Eva", lpo),
        expert("emil", "Emil", other_lpo),
    )


@pytest.fixture
def other_round(region, other_lpo, sara, bob, support):
    """A round sent only to LPO Lunga: nobody in this journey invites erik to it (on another
    version of the support: the region's case for `support` is the journey's own)."""
    from kunskapsstyrning.tests.factories import copy_of

    remiss = services.remiss_register(
        actor=sara,
        region=region,
        knowledge_support=copy_of(support),
        sender="skr",
        received_on=timezone.localdate(),
        reply_deadline=timezone.localdate() + timezone.timedelta(30),
        responsible_lpo=other_lpo,
        strategist=sara,
    )
    services.remiss_distribute(
        remiss_id=remiss.pk,
        actor=sara,
        lpos=[other_lpo],
        internal_deadline=timezone.localdate() + timezone.timedelta(10),
    )
    return remiss


def switch_to(page, login, user):
    page.context.clear_cookies()
    login(page, user)


def invite(page, name):
    page.get_by_role("combobox", name=re.compile(r"^Sakkunnig")).select_option(label=name)
    page.get_by_role("button", name="Bjud in").click()
    expect(page.get_by_role("status")).to_contain_text(f"{name} är inbjuden")


def comment_as(page, login, check_page, user, title, target, text, shot_name=None):
    switch_to(page, login, user)
    invited = page.get_by_role("region", name="Remisser du är inbjuden till som sakkunnig")
    invited.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dina synpunkter")
    page.get_by_label("Synpunkten gäller").select_option(label=target)
    page.get_by_label(re.compile(r"^Synpunkt \(obligatorisk\)$")).fill(text)
    page.get_by_role("button", name="Spara synpunkten").click()
    expect(page.get_by_role("status")).to_contain_text("Synpunkten sparades.")
    expect(page.get_by_role("region", name="Dina synpunkter")).to_contain_text(text)
    if shot_name:
        check_page(page, shot_name)


def open_answer(page, remiss, lpo_name):
    """From the chair's start page, the answering page for this round (cards name the round's
    registry number: a chair may have two rounds on the same knowledge support)."""
    to_answer = page.get_by_role("region", name="Remisser att besvara")
    card = to_answer.get_by_role("listitem").filter(has_text=remiss.registry_number)
    card.get_by_role("link", name=lpo_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Svar från {lpo_name}")


def submit_answer(page, login, check_page, chair, remiss, lpo_name, text, shot_name=None):
    switch_to(page, login, chair)
    open_answer(page, remiss, lpo_name)
    page.get_by_role("textbox", name="LPO:ts svar").fill(text)
    if shot_name:
        check_page(page, shot_name)
    page.get_by_role("button", name="Skicka in LPO:ts svar").click()
    # Submitting cannot be undone: the page asks first, and only then is the answer sent.
    expect(page.get_by_role("heading", level=1)).to_contain_text("svar?")
    page.get_by_role("button", name="Ja, skicka in svaret").click()
    expect(page.get_by_role("status")).to_contain_text("svar skickades in")
    expect(page.get_by_text("kan inte längre ändras")).to_be_visible()


def test_a_round_from_registration_to_a_sent_registered_answer(
    page,
    login,
    check_page,
    region,
    lpo,
    other_lpo,
    sara,
    alice,
    bob,
    experts,
    support,
    other_round,
):
    erik, eva, emil = experts
    title = support.title

    # --- The strategist registers the remiss and sends it to two LPOs --------------------
    login(page, sara)
    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Remisser").click()
    check_page(page, "lista")
    page.get_by_role("link", name="Registrera remiss").click()
    check_page(page, "registrera-tom")
    page.get_by_label("Kunskapsstöd i katalogen").select_option(label=str(support))
    page.get_by_label(re.compile(r"^Avsändare \(obligatorisk\)$")).select_option(
        label="Socialstyrelsen"
    )
    page.get_by_label("Inkom").fill(day(0))
    page.get_by_label("Svar senast (nationellt)").fill(day(-3))  # before the received date
    page.get_by_role("group", name="Remissen gäller").get_by_label(
        "Svar på särskilda frågor"
    ).check()
    page.get_by_role("textbox", name="Frågor").fill(
        "Är rekommendationerna genomförbara?\nSaknas något?"
    )
    page.get_by_label("Ansvarigt LPO").select_option(label="LPO Hjärta")
    page.get_by_role("group", name="Andra berörda LPO").get_by_label("LPO Lunga").check()
    page.get_by_label("Bilagor").set_input_files(
        [{"name": "Remissversion.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Registrera remissen").click()
    assert_error_next_to(
        page.get_by_label("Svar senast (nationellt)"), "Svarsdatumet kan inte ligga före"
    )
    # The error summary names the field and leads to it.
    expect(page.get_by_role("link", name="Svar senast (nationellt): Svarsdatumet")).to_be_visible()
    check_page(page, "registrera-fel")
    assert not Remiss.objects.exclude(pk=other_round.pk).exists()

    page.get_by_label("Svar senast (nationellt)").fill(day(30))
    page.get_by_label("Bilagor").set_input_files(
        [{"name": "Remissversion.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Registrera remissen").click()
    expect(page.get_by_role("status")).to_contain_text("Remissen registrerades")
    remiss = Remiss.objects.exclude(pk=other_round.pk).get()
    expect(page.get_by_role("link", name="Remissversion.pdf")).to_be_visible()
    check_page(page, "remiss-registrerad")

    page.get_by_role("link", name="Skicka ut till LPO").click()
    group = page.get_by_role("group", name="Skicka till ordförande i")
    expect(group.get_by_label("LPO Hjärta")).to_be_checked()
    expect(group.get_by_label("LPO Lunga")).to_be_checked()
    page.get_by_label("Intern svarstid").fill(day(14))
    check_page(page, "skicka-ut")
    page.get_by_role("button", name="Skicka ut remissen").click()
    expect(page.get_by_role("status")).to_contain_text("Remissen skickades ut.")
    matrix = page.get_by_role("region", name="Svar från LPO")
    expect(matrix.get_by_role("row")).to_have_count(3)
    expect(matrix).to_contain_text("0 av 2 har svarat.")

    # --- The chairs invite three experts --------------------------------------------------
    switch_to(page, login, alice)
    to_answer = page.get_by_role("region", name="Remisser att besvara")
    expect(to_answer).to_contain_text(f"Svara senast {day(14)}")
    check_page(page, "ordforande-start")
    to_answer.get_by_role("link", name="LPO Hjärta").click()
    invite(page, "Erik Expert")
    invite(page, "Eva Expert")
    check_page(page, "ordforande-svarssida")

    switch_to(page, login, bob)
    open_answer(page, remiss, "LPO Lunga")
    invite(page, "Emil Expert")

    # --- The experts comment; erik cannot open a round he is not invited to ---------------
    comment_as(
        page,
        login,
        check_page,
        erik,
        title,
        "1. Är rekommendationerna genomförbara?",
        "Genomförbart med fler sjuksköterskor.",
        shot_name="sakkunnig-synpunkter",
    )
    for path in (f"/remisser/{other_round.pk}/", f"/remisser/{other_round.pk}/synpunkter/"):
        response = page.goto(path)
        assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
    check_page(page, "sakkunnig-annan-remiss-404")

    recommendation = support.recommendations.get(number=2)
    comment_as(
        page,
        login,
        check_page,
        eva,
        title,
        f"2. {recommendation.text[:90]}",
        "Rekommendation 2 saknar stöd i primärvården.",
    )
    comment_as(
        page,
        login,
        check_page,
        emil,
        title,
        "Kunskapsstödet i stort",
        "Bra helhet för lungsjukvården.",
    )

    # --- The chairs submit their LPOs' answers ---------------------------------------------
    submit_answer(
        page,
        login,
        check_page,
        alice,
        remiss,
        "LPO Hjärta",
        "LPO Hjärta tillstyrker med två synpunkter.",
        shot_name="ordforande-svar",
    )
    submit_answer(page, login, check_page, bob, remiss, "LPO Lunga", "LPO Lunga tillstyrker.")

    # --- The strategist compiles and sends -------------------------------------------------
    switch_to(page, login, sara)
    page.goto(f"/remisser/{remiss.pk}/")
    expect(page.get_by_role("region", name="Svar från LPO")).to_contain_text("2 av 2 har svarat.")
    expect(page.get_by_role("region", name="Sakkunniga").get_by_role("row")).to_have_count(4)
    check_page(page, "strateg-remiss")
    page.get_by_role("link", name="Sammanställ regionens svar").click()
    dispositions = {1: "Tagen in", 2: "Delvis tagen in", 3: "Inte tagen in"}
    for number, label in dispositions.items():
        page.get_by_role("group", name=f"Hantering av synpunkt {number}").get_by_label(
            label, exact=True
        ).check()
    page.get_by_label("Motivering till synpunkt 2").fill("Tas upp i gap-analysen.")
    page.get_by_label("Regionens svar", exact=True).fill("Region Norr tillstyrker.")
    # The round asks two questions: each gets the region's answer, sent under the question.
    page.get_by_label("Svar på fråga 1").fill("Ja, med en kallelserutin i primärvården.")
    page.get_by_label("Svar på fråga 2").fill("Stöd för logopedbemanningen.")
    check_page(page, "sammanstall")
    page.get_by_role("button", name="Spara sammanställningen").click()
    expect(page.get_by_role("status")).to_contain_text("Sammanställningen sparades.")
    # Synpunkt 3 is "not taken in" without a reason: the send is refused with the reason.
    page.get_by_label("Diarienummer för svaret").fill("RN 2026/0042-3")
    page.get_by_role("button", name="Markera som skickat och registrerat").click()
    expect(page.get_by_role("status")).to_contain_text("saknar motivering")
    page.get_by_label("Motivering till synpunkt 3").fill("Gäller inte regionens svar.")
    page.get_by_role("button", name="Spara sammanställningen").click()
    page.get_by_label("Diarienummer för svaret").fill("RN 2026/0042-3")
    page.get_by_role("button", name="Markera som skickat och registrerat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Markera regionens svar som skickat?")
    check_page(page, "bekrafta-skickat")
    page.get_by_role("button", name="Ja, markera svaret som skickat").click()
    expect(page.get_by_role("status")).to_contain_text("markerat som skickat och registrerat")
    expect(page.locator(".title-row .state")).to_have_text("Besvarad")
    expect(page.get_by_role("link", name="Remissvar (v1, PDF)")).to_be_visible()
    check_page(page, "besvarad")

    remiss.refresh_from_db()
    assert remiss.status == RemissStatus.ANSWERED
    assert remiss.answer_registry_reference == "RN 2026/0042-3"
    assert Case.objects.get(pk=remiss.case_id).state == State.NATIONAL_DECISION
