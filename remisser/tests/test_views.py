import pytest
from django.urls import reverse

from kunskapsstyrning import services as case_services
from kunskapsstyrning.models import Case, State
from kunskapsstyrning.tests.factories import KnowledgeSupportFactory
from organisation.models import Role
from organisation.tests.factories import UnitFactory, UserFactory, member
from remisser import services
from remisser.models import (
    Comment,
    Disposition,
    Remiss,
    RemissAccess,
    RemissAttachment,
    RemissStatus,
    Response,
)

from .factories import (
    START,
    days,
    distribute,
    docx_file,
    exe_file,
    pdf_file,
    register,
    response_of,
)


def login_redirect(response):
    return response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.fixture
def two_rounds(remiss, region, lpo, other_lpo, sara, support):
    """`remiss` sent to LPO Hjärta (alice), `second` sent only to LPO Lunga (bob)."""
    distribute(remiss, [lpo])
    second = register(sara, region, other_lpo, support)
    distribute(second, [other_lpo])
    return remiss, second


@pytest.fixture
def invited(two_rounds, alice, erik, lpo):
    """erik invited by alice to comment on LPO Hjärta's answer in the first round."""
    first, _second = two_rounds
    services.expert_invite(response_id=response_of(first, lpo).pk, actor=alice, user=erik)
    return first


# --- The list -----------------------------------------------------------------------------


def test_the_list_asks_anonymous_visitors_to_log_in(client, db):
    assert login_redirect(client.get(reverse("remisser:remiss_list")))


def test_the_list_shows_a_chair_only_the_rounds_sent_to_their_lpo(client, two_rounds, alice):
    first, second = two_rounds
    client.force_login(alice)
    page = client.get(reverse("remisser:remiss_list")).content.decode()
    assert reverse("remisser:remiss_detail", args=[first.pk]) in page
    assert reverse("remisser:remiss_detail", args=[second.pk]) not in page


def test_the_list_shows_an_expert_only_their_round(client, invited, erik):
    client.force_login(erik)
    rounds = client.get(reverse("remisser:remiss_list")).context["page"].object_list
    assert list(rounds) == [invited]


def test_the_list_shows_outsiders_and_other_regions_nothing(client, two_rounds, olle, sven):
    for user in (olle, sven):
        client.force_login(user)
        response = client.get(reverse("remisser:remiss_list"))
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == []


def test_the_list_filters_overdue_rounds_and_flags_them(client, region, lpo, sara, support):
    late = register(sara, region, lpo, support, received_on=days(-30), reply_deadline=days(-2))
    calm = register(sara, region, lpo, support)
    client.force_login(sara)
    response = client.get(reverse("remisser:remiss_list"), {"status": "forsenade"})
    assert list(response.context["page"].object_list) == [late]
    assert "försenad" in response.content.decode()
    response = client.get(reverse("remisser:remiss_list"), {"status": "oppna"})
    assert set(response.context["page"].object_list) == {late, calm}


def test_the_list_costs_the_same_for_two_and_twenty_rounds(
    client, region, lpo, other_lpo, sara, support, django_assert_num_queries
):
    def make(n):
        for _ in range(n):
            remiss = register(sara, region, lpo, support)
            distribute(remiss, [lpo, other_lpo])

    client.force_login(sara)
    make(2)
    client.get(reverse("remisser:remiss_list"))  # the idle timeout's once-a-minute session write
    # session, user, unit permissions (scope), count for the paginator, coordinated region
    # for the register button, the page of rounds (with case, support and answer counts).
    with django_assert_num_queries(6):
        client.get(reverse("remisser:remiss_list"))
    make(18)
    with django_assert_num_queries(6):
        response = client.get(reverse("remisser:remiss_list"))
    assert len(response.context["page"].object_list) == 20


# --- Register -----------------------------------------------------------------------------


def register_data(lpo, sara, **overrides):
    return {
        "new_title": "",
        "sender": "socialstyrelsen",
        "received_on": days(-1).isoformat(),
        "reply_deadline": days(30).isoformat(),
        "asks": "fragor",
        "questions": "Är det genomförbart?\nSaknas något?",
        "responsible_lpo": lpo.pk,
        "strategist": sara.pk,
        **overrides,
    }


def test_only_strategists_open_the_register_page(client, sara, alice, olle):
    assert login_redirect(client.get(reverse("remisser:remiss_register")))
    for user in (alice, olle):
        client.force_login(user)
        assert client.get(reverse("remisser:remiss_register")).status_code == 403
    client.force_login(sara)
    assert client.get(reverse("remisser:remiss_register")).status_code == 200


def test_registering_through_the_page_opens_the_case(client, sara, lpo, support):
    client.force_login(sara)
    data = register_data(
        lpo,
        sara,
        knowledge_support=support.pk,
        attachments=[pdf_file("Remiss KOL.pdf"), docx_file()],
    )
    response = client.post(reverse("remisser:remiss_register"), data)
    remiss = Remiss.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("remisser:remiss_detail", args=[remiss.pk])
    assert remiss.case.state == State.REMISS
    assert remiss.questions.count() == 2
    names = sorted(a.original_name for a in remiss.attachments.all())
    assert names == ["Remiss KOL.pdf", "svarsmall.docx"]
    for attachment in remiss.attachments.all():
        # Stored under a generated name, never the uploaded one.
        assert "KOL" not in attachment.file.name and "svarsmall" not in attachment.file.name
        assert attachment.file.name.startswith("remisser/")


def test_a_case_waiting_for_its_remiss_leads_the_strategist_to_register_it_there(
    client, make_case, sara, alice, sven, lpo, support, other_region, foreign_lpo
):
    waiting = make_case("remiss")
    case_page = reverse("kunskapsstyrning:case_detail", args=[waiting.pk])
    register_page = reverse("remisser:remiss_register") + f"?arende={waiting.pk}"
    client.force_login(alice)  # the chair sees the case, but registers no remiss
    assert "Registrera remissen i ärendet" not in client.get(case_page).content.decode()
    client.force_login(sara)
    assert f'href="{register_page}"' in client.get(case_page).content.decode()
    page = client.get(register_page)
    assert page.context["waiting"] == waiting
    assert page.context["form"]["knowledge_support"].value() == support.pk
    assert f"registreras i ärendet {waiting.registry_number}" in page.content.decode()
    # Whatever else is asked for gives the plain page: not a number, another region's case.
    theirs = case_services.case_register(
        actor=sven,
        region=other_region,
        knowledge_support=KnowledgeSupportFactory(),
        responsible_lpo=foreign_lpo,
        strategist=sven,
    )
    for other in ("abc", "9" * 40, "-1", "²", str(theirs.pk)):
        response = client.get(reverse("remisser:remiss_register") + f"?arende={other}")
        assert response.status_code == 200 and response.context["waiting"] is None
    # The case's support is fixed on its page: another one posted (say, "KOL" chosen by
    # mistake) does not open a case of its own beside the one waiting.
    assert page.context["form"]["knowledge_support"].field.disabled
    response = client.post(
        register_page,
        register_data(lpo, sara, knowledge_support=KnowledgeSupportFactory().pk, asks="hela"),
    )
    remiss = Remiss.objects.get()
    assert response.status_code == 302 and remiss.case == waiting
    assert Case.objects.filter(region=waiting.region).count() == 1
    # A second registration of the support is refused on the page, in Swedish.
    response = client.post(
        reverse("remisser:remiss_register"),
        register_data(lpo, sara, knowledge_support=support.pk, asks="hela"),
    )
    assert response.status_code == 200
    assert "Regionen har redan ett pågående ärende" in response.content.decode()
    assert Remiss.objects.count() == 1
    assert Case.objects.filter(region=waiting.region).count() == 1


def test_registering_with_a_deadline_before_the_received_date_says_so(client, sara, lpo, support):
    client.force_login(sara)
    data = register_data(
        lpo,
        sara,
        knowledge_support=support.pk,
        received_on=days(-1).isoformat(),
        reply_deadline=days(-3).isoformat(),
    )
    response = client.post(reverse("remisser:remiss_register"), data)
    assert response.status_code == 200
    assert "Svarsdatumet kan inte ligga före inkomstdatumet" in response.content.decode()
    assert not Remiss.objects.exists() and not Case.objects.exists()


def test_registering_with_a_wrong_file_names_the_file_and_saves_nothing(client, sara, lpo, support):
    client.force_login(sara)
    data = register_data(
        lpo, sara, knowledge_support=support.pk, attachments=[pdf_file(), exe_file("program.pdf")]
    )
    response = client.post(reverse("remisser:remiss_register"), data)
    assert response.status_code == 200
    assert "program.pdf går inte att ladda upp" in response.content.decode()
    assert not Remiss.objects.exists() and not RemissAttachment.objects.exists()


def test_registering_a_new_support_needs_its_type(client, sara, lpo):
    client.force_login(sara)
    response = client.post(
        reverse("remisser:remiss_register"), register_data(lpo, sara, new_title="Ny remiss")
    )
    assert "Välj vilken typ av kunskapsstöd" in response.content.decode()
    response = client.post(
        reverse("remisser:remiss_register"),
        register_data(lpo, sara, new_title="Ny remiss", new_type="vardforlopp"),
    )
    assert response.status_code == 302
    assert Remiss.objects.get().case.knowledge_support.title == "Ny remiss"


# --- The round's page ---------------------------------------------------------------------


def test_the_round_page_triad(client, two_rounds, alice, olle, sven):
    first, second = two_rounds
    url = reverse("remisser:remiss_detail", args=[first.pk])
    assert login_redirect(client.get(url))
    for user in (olle, sven):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(alice)
    assert client.get(url).status_code == 200
    assert client.get(reverse("remisser:remiss_detail", args=[second.pk])).status_code == 404


def test_an_expert_sees_their_round_and_gets_404_on_every_other(client, invited, two_rounds, erik):
    _first, second = two_rounds
    client.force_login(erik)
    page = client.get(reverse("remisser:remiss_detail", args=[invited.pk]))
    assert page.status_code == 200
    assert reverse("remisser:remiss_comments", args=[invited.pk]) in page.content.decode()
    assert "Svar från LPO" not in page.content.decode()  # no response matrix for experts
    assert (
        reverse("kunskapsstyrning:case_detail", args=[invited.case_id]) not in page.content.decode()
    )
    for name in ("remiss_detail", "remiss_comments"):
        assert client.get(reverse(f"remisser:{name}", args=[second.pk])).status_code == 404


def test_the_round_page_shows_the_matrix_to_the_strategist(client, invited, sara, erik, lpo):
    services.comment_add(response_id=response_of(invited, lpo).pk, actor=erik, text="Bra")
    client.force_login(sara)
    response = client.get(reverse("remisser:remiss_detail", args=[invited.pk]))
    page = response.content.decode()
    assert "LPO Hjärta" in page and "Erik Expert" in page and "1 synpunkt" in page
    assert response.context["responses_submitted"] == 0


def test_the_round_page_costs_the_same_for_two_and_twenty_answers(
    client, remiss, region, sara, django_assert_num_queries
):
    def add_lpos(n, start):
        lpos = []
        for i in range(start, start + n):
            lpo = UnitFactory(kind="LPO", name=f"LPO {i:02d}", code=f"RN_LPO_{i}", region=region)
            chair = UserFactory(username=f"chair{i}")
            member(chair, lpo, Role.CHAIR, start_date=START)
            expert = UserFactory(username=f"expert{i}")
            lpos.append((lpo, chair, expert))
        distribute(remiss, [lpo for lpo, _c, _e in lpos])
        for lpo, chair, expert in lpos:
            response = response_of(remiss, lpo)
            services.expert_invite(response_id=response.pk, actor=chair, user=expert)
            services.comment_add(response_id=response.pk, actor=expert, text="Synpunkt")

    client.force_login(sara)
    url = reverse("remisser:remiss_detail", args=[remiss.pk])
    add_lpos(2, 0)
    client.get(url)  # the idle timeout's once-a-minute session write
    # session, user, scope, the round (with case, support, strategist and whether it has
    # questions and attachments), the answers (with their comment counts), the invitations
    # (the viewer's own and the experts', with theirs), chairs of the LPOs, questions. No
    # attachments query (it has none), no answer documents (it is open).
    with django_assert_num_queries(8):
        client.get(url)
    add_lpos(18, 2)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["responses"]) == 20
    assert len(response.context["experts"]) == 20


def test_a_closed_rounds_page_reads_its_attachments_and_answer_documents(
    client, region, lpo, sara, support, django_assert_num_queries
):
    remiss = register(sara, region, lpo, support, files=[pdf_file("Remissversion.pdf")])
    distribute(remiss, [lpo])
    services.remiss_decline(remiss_id=remiss.pk, actor=sara, reason="Avstår.")
    client.force_login(sara)
    url = reverse("remisser:remiss_detail", args=[remiss.pk])
    client.get(url)  # the idle timeout's once-a-minute session write
    # session, user, scope, the round, the answers, the invitations, chairs, questions,
    # attachments and answer documents: everything a round can have.
    with django_assert_num_queries(10):
        response = client.get(url)
    assert "Remissversion.pdf" in response.content.decode()
    assert "Avstår." in response.content.decode()


def test_the_round_page_lists_experts_by_the_answer_they_help_then_by_name(
    client, distributed, sara, alice, bob, erik, eva, emil, kim, lpo, other_lpo
):
    distribute(distributed, [], municipal_representative=kim)
    municipal = Response.objects.get(remiss=distributed, kind="kommun")
    olof = UserFactory(username="olof", first_name="Olof", last_name="Kommunexpert")
    services.expert_invite(response_id=municipal.pk, actor=kim, user=olof)
    for actor, user, answer in (
        (bob, emil, response_of(distributed, other_lpo)),
        (alice, eva, response_of(distributed, lpo)),
        (alice, erik, response_of(distributed, lpo)),
    ):
        services.expert_invite(response_id=answer.pk, actor=actor, user=user)
    services.comment_add(response_id=response_of(distributed, lpo).pk, actor=eva, text="Ja")
    client.force_login(sara)
    experts = client.get(reverse("remisser:remiss_detail", args=[distributed.pk])).context[
        "experts"
    ]
    # LPO Hjärta (Erik, Eva), LPO Lunga (Emil), the municipalities' answer last.
    assert [a.user for a in experts] == [erik, eva, emil, olof]
    assert [a.comment_count for a in experts] == [0, 1, 0, 0]


def test_an_expert_on_the_round_page_sees_neither_answers_nor_other_experts(
    client, invited, erik, eva, alice, lpo
):
    services.expert_invite(response_id=response_of(invited, lpo).pk, actor=alice, user=eva)
    client.force_login(erik)
    response = client.get(reverse("remisser:remiss_detail", args=[invited.pk]))
    assert response.context["viewer"].access.user == erik
    assert response.context["experts"] == []
    assert "Eva Expert" not in response.content.decode()


# --- Assess and distribute ----------------------------------------------------------------


def test_the_assessment_page_triad(client, distributed, sara, alice, olle):
    url = reverse("remisser:remiss_assess", args=[distributed.pk])
    assert login_redirect(client.get(url))
    client.force_login(olle)
    assert client.get(url).status_code == 404
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(sara)
    response = client.post(url, {"concerned": "ja", "assessment": "Berör hemsjukvården."})
    assert response.status_code == 302
    assert Remiss.objects.get(pk=distributed.pk).municipalities_concerned is True
    assert Case.objects.get(pk=distributed.case_id).joint is True


def test_the_distribute_page_triad_and_sending(
    client, remiss, sara, alice, olle, lpo, other_lpo, kim
):
    url = reverse("remisser:remiss_distribute", args=[remiss.pk])
    assert login_redirect(client.get(url))
    client.force_login(olle)
    assert client.get(url).status_code == 404
    client.force_login(sara)
    assert client.get(url).status_code == 200
    sent = {
        "lpos": [lpo.pk, other_lpo.pk],
        "internal_deadline": days(10).isoformat(),
        "municipal_representative": kim.pk,
    }
    response = client.post(url, sent)
    assert response.status_code == 302
    assert Response.objects.filter(remiss=remiss).count() == 3
    # Posted again (a double click): told it went, not asked for LPOs no longer offered.
    response = client.post(url, sent, follow=True)
    assert "Remissen är redan utskickad till de LPO:er du valde." in response.content.decode()
    assert Response.objects.filter(remiss=remiss).count() == 3
    client.force_login(alice)
    assert client.get(url).status_code == 403


def test_distributing_with_a_late_internal_deadline_says_so(client, remiss, sara, lpo):
    client.force_login(sara)
    response = client.post(
        reverse("remisser:remiss_distribute", args=[remiss.pk]),
        {"lpos": [lpo.pk], "internal_deadline": remiss.reply_deadline.isoformat()},
    )
    assert "måste ligga före remissens svarsdatum" in response.content.decode()
    assert not Response.objects.exists()


# --- The chair's answering page -----------------------------------------------------------


def test_the_answer_page_triad(client, distributed, alice, bob, erik, olle, lpo):
    url = reverse("remisser:remiss_answer", args=[distributed.pk, response_of(distributed, lpo).pk])
    assert login_redirect(client.get(url))
    for user in (olle, bob, erik):  # another LPO's answer is as if it did not exist
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(alice)
    assert client.get(url).status_code == 200


def test_the_strategist_reads_an_answer_but_cannot_write_it(client, distributed, sara, lpo):
    url = reverse("remisser:remiss_answer", args=[distributed.pk, response_of(distributed, lpo).pk])
    client.force_login(sara)
    response = client.get(url)
    assert response.status_code == 200 and not response.context["editable"]
    assert client.post(url, {"text": "x", "step": "submit"}).status_code == 403


def test_the_chair_invites_an_expert_comments_and_submits(
    client, distributed, alice, erik, lpo, django_capture_on_commit_callbacks, mailoutbox
):
    response_obj = response_of(distributed, lpo)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("remisser:remiss_expert_invite", args=[distributed.pk, response_obj.pk]),
            {"user": erik.pk},
        )
    assert RemissAccess.objects.get(user=erik).response == response_obj
    assert mailoutbox[-1].to == ["erik@example.se"]
    question = distributed.questions.first()
    client.post(
        reverse("remisser:remiss_chair_comment", args=[distributed.pk, response_obj.pk]),
        {"synpunkt-target": f"fraga-{question.pk}", "synpunkt-text": "Ordförandens synpunkt"},
    )
    comment = Comment.objects.get()
    assert comment.question == question and comment.author == alice
    url = reverse("remisser:remiss_answer", args=[distributed.pk, response_obj.pk])
    answer = {"text": "LPO:ts svar", "included": [comment.pk], "step": "submit"}
    asked = client.post(url, answer)  # submitting cannot be undone: the page asks first
    assert "Skicka in LPO Hjärtas svar?" in asked.content.decode()
    assert not Response.objects.get(pk=response_obj.pk).is_submitted
    result = client.post(url, {**answer, "bekraftat": "1"})
    assert result.status_code == 302
    assert Response.objects.get(pk=response_obj.pk).is_submitted
    assert "kan inte längre ändras" in client.get(url).content.decode()
    # A second tab sends other words: told they were not saved, and handed them back.
    page = client.post(url, {**answer, "text": "Andra fliken", "bekraftat": "1"}, follow=True)
    text = page.content.decode()
    assert "Det du skickade sparades inte" in text and "Andra fliken" in text
    assert Response.objects.get(pk=response_obj.pk).text == "LPO:ts svar"


def test_inviting_needs_a_post(client, distributed, alice, lpo):
    client.force_login(alice)
    url = reverse(
        "remisser:remiss_expert_invite", args=[distributed.pk, response_of(distributed, lpo).pk]
    )
    assert client.get(url).status_code == 405


def test_a_chair_cannot_invite_to_another_lpos_answer(client, distributed, bob, erik, lpo):
    client.force_login(bob)
    url = reverse(
        "remisser:remiss_expert_invite", args=[distributed.pk, response_of(distributed, lpo).pk]
    )
    assert client.post(url, {"user": erik.pk}).status_code == 404
    assert not RemissAccess.objects.exists()


# --- The expert's commenting page ---------------------------------------------------------


def test_the_comment_page_triad(client, invited, alice, erik, olle):
    url = reverse("remisser:remiss_comments", args=[invited.pk])
    assert login_redirect(client.get(url))
    for user in (olle, alice):  # only the invited expert has a commenting page
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(erik)
    assert client.get(url).status_code == 200


def test_an_expert_comments_on_a_recommendation_and_takes_it_back(client, invited, erik, support):
    recommendation = support.recommendations.get(number=3)
    client.force_login(erik)
    url = reverse("remisser:remiss_comments", args=[invited.pk])
    client.post(
        url, {"synpunkt-target": f"rek-{recommendation.pk}", "synpunkt-text": "Saknar evidens."}
    )
    comment = Comment.objects.get()
    assert comment.recommendation == recommendation
    assert "Saknar evidens." in client.get(url).content.decode()
    delete = reverse("remisser:remiss_comment_delete", args=[invited.pk, comment.pk])
    assert "Ta bort synpunkten" in client.post(delete).content.decode()
    assert Comment.objects.exists()  # asked, not yet removed
    client.post(delete, {"bekraftat": "1"})
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused_with_a_message(client, invited, erik):
    client.force_login(erik)
    url = reverse("remisser:remiss_comments", args=[invited.pk])
    response = client.post(url, {"synpunkt-target": "allmant", "synpunkt-text": ""}, follow=True)
    assert "Skriv din synpunkt." in response.content.decode()
    assert not Comment.objects.exists()


def test_someone_elses_comment_is_as_absent_as_one_that_does_not_exist(
    client, invited, alice, erik, lpo
):
    comment = services.comment_add(
        response_id=response_of(invited, lpo).pk, actor=alice, text="Ordförandens"
    )
    client.force_login(erik)
    url = reverse("remisser:remiss_comment_delete", args=[invited.pk, comment.pk])
    missing = reverse("remisser:remiss_comment_delete", args=[invited.pk, comment.pk + 1000])
    # No existence oracle: not yours and not there answer alike.
    assert client.post(url).status_code == client.post(missing).status_code == 404
    assert client.post(url, {"bekraftat": "1"}).status_code == 404
    assert Comment.objects.exists()


# --- The strategist's compile page --------------------------------------------------------


def test_the_compile_page_triad(client, distributed, sara, alice, olle):
    url = reverse("remisser:remiss_compile", args=[distributed.pk])
    assert login_redirect(client.get(url))
    client.force_login(olle)
    assert client.get(url).status_code == 404
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(sara)
    assert client.get(url).status_code == 200


def test_the_strategist_compiles_and_sends_through_the_pages(
    client, distributed, sara, alice, lpo, other_lpo, django_capture_on_commit_callbacks
):
    hjarta = response_of(distributed, lpo)
    comment = services.comment_add(response_id=hjarta.pk, actor=alice, text="Synpunkt")
    services.response_save(
        response_id=hjarta.pk,
        actor=alice,
        text="Svar",
        included_comment_ids=[comment.pk],
        submit=True,
    )
    client.force_login(sara)
    url = reverse("remisser:remiss_compile", args=[distributed.pk])
    page = client.get(url)
    assert [r.name for r in page.context["missing"]] == ["LPO Lunga"]
    first, second = distributed.questions.order_by("number")
    page = client.post(
        url,
        {
            "answer_text": "Regionens svar",
            f"disposition_{comment.pk}": Disposition.PARTLY,
            f"reason_{comment.pk}": "Delvis.",
            f"answer_{first.pk}": "Ja, med en nationell kallelserutin.",
        },
        follow=True,
    )
    assert Comment.objects.get().disposition == Disposition.PARTLY
    # The round asks two questions: the one left unanswered stops the answer from going out.
    assert "Fråga 2 saknar svar." in page.content.decode()
    client.post(
        url,
        {
            "answer_text": "Regionens svar",
            f"disposition_{comment.pk}": Disposition.PARTLY,
            f"reason_{comment.pk}": "Delvis.",
            f"answer_{first.pk}": "Ja, med en nationell kallelserutin.",
            f"answer_{second.pk}": "Logopeder i primärvården.",
        },
    )
    assert [q.answer for q in distributed.questions.order_by("number")] == [
        "Ja, med en nationell kallelserutin.",
        "Logopeder i primärvården.",
    ]
    sent = {"sent_on": days(0).isoformat(), "registry_reference": "RN 9"}
    asked = client.post(reverse("remisser:remiss_send", args=[distributed.pk]), sent)
    assert "Markera regionens svar som skickat?" in asked.content.decode()
    assert Remiss.objects.get(pk=distributed.pk).status == RemissStatus.DISTRIBUTED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("remisser:remiss_send", args=[distributed.pk]), {**sent, "bekraftat": "1"}
        )
    assert response.url == reverse("remisser:remiss_detail", args=[distributed.pk])
    assert Remiss.objects.get(pk=distributed.pk).status == RemissStatus.ANSWERED
    detail = client.get(response.url).content.decode()
    assert "Remissvar (v1, PDF)" in detail
    assert "Fråga 2: Saknas något?" in detail and "Logopeder i primärvården." in detail


def test_sending_with_comments_undecided_explains_why(client, distributed, sara, alice, lpo):
    hjarta = response_of(distributed, lpo)
    comment = services.comment_add(response_id=hjarta.pk, actor=alice, text="Synpunkt")
    services.response_save(
        response_id=hjarta.pk,
        actor=alice,
        text="Svar",
        included_comment_ids=[comment.pk],
        submit=True,
    )
    client.force_login(sara)
    response = client.post(
        reverse("remisser:remiss_send", args=[distributed.pk]),
        {"sent_on": days(0).isoformat(), "registry_reference": "RN 9"},
        follow=True,
    )
    assert "saknar hantering" in response.content.decode()
    assert Remiss.objects.get(pk=distributed.pk).status == RemissStatus.DISTRIBUTED


def test_declining_through_the_page_needs_a_reason(client, distributed, sara, alice):
    url = reverse("remisser:remiss_decline", args=[distributed.pk])
    client.force_login(alice)
    assert client.post(url, {"reason": "x"}).status_code == 403
    client.force_login(sara)
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Ange varför regionen avstår" in response.content.decode()
    asked = client.post(url, {"reason": "Inte relevant för regionen."})
    assert "Ska regionen avstå från att svara?" in asked.content.decode()
    assert Remiss.objects.get(pk=distributed.pk).status == RemissStatus.DISTRIBUTED
    client.post(url, {"reason": "Inte relevant för regionen.", "bekraftat": "1"})
    assert Remiss.objects.get(pk=distributed.pk).status == RemissStatus.DECLINED


# --- Attachments --------------------------------------------------------------------------


def test_attachments_download_only_within_scope(
    client, region, lpo, sara, erik, alice, bob, support
):
    remiss = register(sara, region, lpo, support, files=[pdf_file("Remissversion.pdf")])
    distribute(remiss, [lpo])
    attachment = remiss.attachments.get()
    url = reverse("remisser:remiss_attachment", args=[remiss.pk, attachment.pk])
    assert login_redirect(client.get(url))
    client.force_login(bob)  # his LPO was not asked
    assert client.get(url).status_code == 404
    client.force_login(alice)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="Remissversion.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_strategist_adds_attachments_later(client, remiss, sara, alice):
    url = reverse("remisser:remiss_attachments_add", args=[remiss.pk])
    client.force_login(sara)
    client.post(url, {"attachments": [docx_file()]})
    assert remiss.attachments.count() == 1
    response = client.post(url, {"attachments": [exe_file("virus.docx")]}, follow=True)
    assert "virus.docx går inte att ladda upp" in response.content.decode()
    assert remiss.attachments.count() == 1
    distribute(remiss, [remiss.case.responsible_lpo])
    client.force_login(alice)
    assert client.post(url, {"attachments": [docx_file()]}).status_code == 403


# --- Every action (POST) ------------------------------------------------------------------


def action_urls(remiss, response, access, comment):
    return {
        "remiss_attachments_add": [remiss.pk],
        "remiss_expert_invite": [remiss.pk, response.pk],
        "remiss_expert_revoke": [remiss.pk, response.pk, access.pk],
        "remiss_chair_comment": [remiss.pk, response.pk],
        "remiss_comment_delete": [remiss.pk, comment.pk],
        "remiss_send": [remiss.pk],
        "remiss_decline": [remiss.pk],
    }


@pytest.mark.parametrize(
    "name",
    [
        "remiss_attachments_add",
        "remiss_expert_invite",
        "remiss_expert_revoke",
        "remiss_chair_comment",
        "remiss_comment_delete",
        "remiss_send",
        "remiss_decline",
    ],
)
def test_every_action_needs_a_login_and_is_a_404_outside_the_round(
    client, invited, alice, erik, olle, sven, lpo, name
):
    response = response_of(invited, lpo)
    access = RemissAccess.objects.get(user=erik)
    comment = services.comment_add(response_id=response.pk, actor=erik, text="Synpunkt")
    url = reverse(f"remisser:{name}", args=action_urls(invited, response, access, comment)[name])
    assert login_redirect(client.post(url))
    for user in (olle, sven):
        client.force_login(user)
        assert client.post(url).status_code == 404
    assert Remiss.objects.get(pk=invited.pk).status == RemissStatus.DISTRIBUTED
    assert RemissAccess.objects.get(pk=access.pk).is_active
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_the_chair_revokes_an_invitation_and_the_expert_loses_the_round(
    client, invited, alice, bob, erik, lpo
):
    response = response_of(invited, lpo)
    access = RemissAccess.objects.get(user=erik)
    url = reverse("remisser:remiss_expert_revoke", args=[invited.pk, response.pk, access.pk])
    client.force_login(bob)  # another LPO's answer: not found
    assert client.post(url).status_code == 404
    client.force_login(alice)
    client.post(url)  # the confirmation step
    assert RemissAccess.objects.get(pk=access.pk).is_active
    client.post(url, {"bekraftat": "1"})
    assert not RemissAccess.objects.get(pk=access.pk).is_active
    client.force_login(erik)
    assert client.get(reverse("remisser:remiss_detail", args=[invited.pk])).status_code == 404
    assert client.get(reverse("remisser:remiss_comments", args=[invited.pk])).status_code == 404


def test_an_expert_cannot_write_the_lpos_answer_or_invite(client, invited, erik, eva, lpo):
    response = response_of(invited, lpo)
    client.force_login(erik)
    for name, data in [
        ("remiss_answer", {"text": "x", "step": "submit"}),
        ("remiss_expert_invite", {"user": eva.pk}),
        ("remiss_chair_comment", {"synpunkt-target": "allmant", "synpunkt-text": "x"}),
    ]:
        assert (
            client.post(
                reverse(f"remisser:{name}", args=[invited.pk, response.pk]), data
            ).status_code
            == 404
        )
    assert not Response.objects.get(pk=response.pk).is_submitted


def test_the_strategist_moves_the_internal_deadline_without_new_lpos(client, distributed, sara):
    client.force_login(sara)
    url = reverse("remisser:remiss_distribute", args=[distributed.pk])
    assert "Redan utskickad till" in client.get(url).content.decode()
    response = client.post(url, {"internal_deadline": days(25).isoformat()})
    assert response.status_code == 302
    assert Remiss.objects.get(pk=distributed.pk).internal_deadline == days(25)
    assert Response.objects.filter(remiss=distributed).count() == 2


def test_the_chairs_home_says_an_answer_with_expert_comments_is_started_like_the_round_page(
    client, invited, alice, erik, lpo
):
    services.comment_add(response_id=response_of(invited, lpo).pk, actor=erik, text="Synpunkt")
    client.force_login(alice)
    home = client.get(reverse("kunskapsstyrning:home")).content.decode()
    assert "Påbörjat" in home and "Ej påbörjat" not in home
    round_page = client.get(reverse("remisser:remiss_detail", args=[invited.pk])).content.decode()
    assert "Påbörjat" in round_page


def test_an_invited_expert_from_outside_the_region_follows_the_rounds_region_on_their_home(
    distributed, alice, other_region
):
    """Their home page shows the round, so a change there renews it (organisation.changes),
    and what they write renews the round's region for its LPO's chair."""
    from kunskapsstyrning.selectors import home_cache_key
    from organisation import changes
    from organisation.models import UnitKind

    outsider = UserFactory(username="utomstaende")
    member(outsider, UnitFactory(kind=UnitKind.LPO, region=other_region), Role.MEMBER)
    response = distributed.responses.get(lpo__name="LPO Hjärta")
    services.expert_invite(response_id=response.pk, actor=alice, user=outsider)
    theirs = home_cache_key(outsider)
    changes.bump([distributed.case.region_id])
    assert home_cache_key(outsider) != theirs
    chairs = home_cache_key(alice)
    changes.bump_for(outsider)
    assert home_cache_key(alice) != chairs
