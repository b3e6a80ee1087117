import pytest
from django.core.exceptions import PermissionDenied

from kunskapsstyrning.models import (
    Case,
    CaseEvent,
    Document,
    DocumentKind,
    KnowledgeSupport,
    NationalStatus,
    State,
)
from remisser import services
from remisser.models import (
    AccessKind,
    Comment,
    Disposition,
    Remiss,
    RemissAccess,
    RemissAttachment,
    RemissStatus,
    Response,
)

from .factories import answered, days, distribute, exe_file, pdf_file, register, response_of

# --- The whole round ----------------------------------------------------------------------


def test_a_round_goes_from_registration_to_a_sent_registered_answer(
    region,
    lpo,
    other_lpo,
    sara,
    alice,
    bob,
    erik,
    eva,
    emil,
    support,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    # Register: the remiss opens a case at the station Remiss.
    with django_capture_on_commit_callbacks(execute=True):
        remiss = register(sara, region, lpo, support, files=[pdf_file()])
    assert remiss.case.state == State.REMISS
    assert remiss.case.due_date == remiss.reply_deadline
    assert remiss.attachments.count() == 1
    assert [q.number for q in remiss.questions.all()] == [1, 2]

    # Distribute to two LPOs: each chair gets an e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        distribute(remiss, [lpo, other_lpo])
    remiss.refresh_from_db()
    assert remiss.status == RemissStatus.DISTRIBUTED
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.se", "bob@example.se"]
    hjarta, lunga = response_of(remiss, lpo), response_of(remiss, other_lpo)
    assert set(remiss.case.concerned_lpos.all()) == {other_lpo}

    # Collect: chairs invite three experts, who comment per question and recommendation.
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_invite(response_id=hjarta.pk, actor=alice, user=erik)
        services.expert_invite(response_id=hjarta.pk, actor=alice, user=eva)
        services.expert_invite(response_id=lunga.pk, actor=bob, user=emil)
    assert {m.to[0] for m in mailoutbox[2:]} == {
        "erik@example.se",
        "eva@example.se",
        "emil@example.se",
    }
    question = remiss.questions.get(number=1)
    recommendation = support.recommendations.get(number=2)
    c1 = services.comment_add(
        response_id=hjarta.pk, actor=erik, text="Genomförbart.", question=question
    )
    c2 = services.comment_add(
        response_id=hjarta.pk,
        actor=eva,
        text="Saknar sjuksköterskor.",
        recommendation=recommendation,
    )
    c3 = services.comment_add(response_id=lunga.pk, actor=emil, text="Bra helhet.")
    services.response_save(
        response_id=hjarta.pk,
        actor=alice,
        text="LPO Hjärta tillstyrker.",
        included_comment_ids=[c1.pk, c2.pk],
        submit=True,
    )
    services.response_save(
        response_id=lunga.pk,
        actor=bob,
        text="LPO Lunga tillstyrker.",
        included_comment_ids=[c3.pk],
        submit=True,
    )

    # Compile: every comment gets a disposition, then the answer is sent and registered.
    services.compilation_save(
        remiss_id=remiss.pk,
        actor=sara,
        answer_text="Regionen tillstyrker med synpunkter.",
        dispositions={
            c1.pk: (Disposition.TAKEN, ""),
            c2.pk: (Disposition.PARTLY, "Bemanning tas upp i gap-analysen."),
            c3.pk: (Disposition.NOT_TAKEN, "Ryms inte i svaret."),
        },
        answers=answered(remiss.pk),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.remiss_send(
            remiss_id=remiss.pk, actor=sara, sent_on=days(0), registry_reference="RN 2025/0042-3"
        )

    remiss.refresh_from_db()
    case = Case.objects.get(pk=remiss.case_id)
    assert remiss.status == RemissStatus.ANSWERED
    assert remiss.answer_registry_reference == "RN 2025/0042-3"
    assert case.state == State.NATIONAL_DECISION
    assert case.due_date is None
    assert Comment.objects.filter(disposed_by=sara).count() == 3
    document = Document.objects.get(case=case, kind=DocumentKind.REMISS_ANSWER)
    assert document.status == Document.Status.READY, document.failure_reason
    assert document.pages >= 1
    messages = list(case.events.values_list("message", flat=True))
    assert any("skickades till LPO Hjärta, LPO Lunga" in m for m in messages)
    assert any("LPO Lunga skickade in" in m for m in messages)
    assert any("RN 2025/0042-3" in m for m in messages)


def test_the_municipalities_answer_the_same_way_as_an_lpo(distributed, sara, kim, lpo):
    services.municipalities_assess(
        remiss_id=distributed.pk, actor=sara, concerned=True, assessment="Berör hemsjukvården."
    )
    distribute(distributed, [], municipal_representative=kim)
    response = Response.objects.get(remiss=distributed, kind="kommun")
    assert response.respondent == kim
    assert services.may_answer(kim, response)
    comment = services.comment_add(response_id=response.pk, actor=kim, text="MAS tillstyrker.")
    services.response_save(
        response_id=response.pk,
        actor=kim,
        text="Kommunerna tillstyrker.",
        included_comment_ids=[comment.pk],
        submit=True,
    )
    assert Response.objects.get(pk=response.pk).is_submitted
    assert Case.objects.get(pk=distributed.case_id).joint is True


def test_a_remiss_for_a_case_waiting_for_it_is_registered_in_that_case(
    make_case, region, lpo, other_lpo, sara, alice, support
):
    waiting = make_case("remiss")  # registered as starting with a remiss, before it came
    remiss = services.remiss_register(
        actor=sara,
        region=region,
        sender="socialstyrelsen",
        received_on=days(-1),
        reply_deadline=days(30),
        responsible_lpo=other_lpo,
        strategist=sara,
        knowledge_support=support,
    )
    assert remiss.case == waiting
    assert Case.objects.count() == 1
    waiting.refresh_from_db()
    assert waiting.due_date == days(30)
    assert waiting.responsible_lpo == lpo  # the case keeps its LPO; the form's is concerned
    assert list(waiting.concerned_lpos.all()) == [other_lpo]
    # A second remiss for the support is refused: the case has its round.
    with pytest.raises(services.ActionRefused, match=waiting.registry_number):
        services.remiss_register(
            actor=sara,
            region=region,
            sender="socialstyrelsen",
            received_on=days(-1),
            reply_deadline=days(20),
            responsible_lpo=lpo,
            strategist=sara,
            knowledge_support=support,
        )
    assert Remiss.objects.count() == 1 and Case.objects.count() == 1


def test_a_new_knowledge_support_is_created_on_remiss(region, lpo, sara):
    remiss = register(
        sara,
        region,
        lpo,
        None,
        new_support={"title": "Långvarig smärta", "version": "2.0", "type": "vardforlopp"},
    )
    support = KnowledgeSupport.objects.get(title="Långvarig smärta", version="2.0")
    assert support.national_status == NationalStatus.PA_REMISS
    assert remiss.case.knowledge_support == support


def test_declining_is_a_recorded_outcome_that_moves_the_case(
    remiss, sara, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.remiss_decline(
            remiss_id=remiss.pk, actor=sara, reason="Berör inte regionens verksamhet."
        )
    remiss.refresh_from_db()
    assert remiss.status == RemissStatus.DECLINED
    assert Case.objects.get(pk=remiss.case_id).state == State.NATIONAL_DECISION
    document = Document.objects.get(case=remiss.case, kind=DocumentKind.REMISS_ANSWER)
    assert document.status == Document.Status.READY, document.failure_reason


def test_sending_works_when_the_case_already_moved_on(distributed, sara):
    from kunskapsstyrning.services import case_act

    case_act(case_id=distributed.case_id, actor=sara, action_name="remiss_answered")
    services.compilation_save(
        remiss_id=distributed.pk,
        actor=sara,
        answer_text="Svar.",
        dispositions={},
        answers=answered(distributed.pk),
    )
    services.remiss_send(
        remiss_id=distributed.pk, actor=sara, sent_on=days(0), registry_reference="RN 1"
    )
    assert Remiss.objects.get(pk=distributed.pk).status == RemissStatus.ANSWERED


# --- Bad input: a clear message, nothing saved half-way ------------------------------------


def test_a_deadline_before_the_received_date_is_refused(region, lpo, sara, support):
    with pytest.raises(services.ActionRefused, match="före inkomstdatumet"):
        register(sara, region, lpo, support, received_on=days(0), reply_deadline=days(-1))
    assert not Case.objects.exists()


def test_a_bad_attachment_stops_the_whole_registration(region, lpo, sara, support):
    with pytest.raises(services.ActionRefused, match="innehållet är inte PDF"):
        register(sara, region, lpo, support, files=[pdf_file(), exe_file()])
    assert not Remiss.objects.exists()
    assert not Case.objects.exists()
    assert not RemissAttachment.objects.exists()


def test_questions_are_needed_when_the_remiss_asks_questions(region, lpo, sara, support):
    with pytest.raises(services.ActionRefused, match="minst en fråga"):
        register(sara, region, lpo, support, questions=["  "])


def test_an_existing_title_and_version_is_not_created_twice(region, lpo, sara, support):
    with pytest.raises(services.ActionRefused, match="finns redan"):
        register(
            sara,
            region,
            lpo,
            None,
            new_support={"title": support.title, "version": support.version, "type": "vardforlopp"},
        )
    assert KnowledgeSupport.objects.count() == 1


def test_only_the_regions_strategist_registers(region, lpo, alice, sven, support):
    for actor in (alice, sven):
        with pytest.raises(PermissionDenied):
            register(actor, region, lpo, support)


def test_the_internal_deadline_must_come_before_the_reply_deadline(remiss, lpo):
    with pytest.raises(services.ActionRefused, match="före remissens svarsdatum"):
        distribute(remiss, [lpo], internal_deadline=remiss.reply_deadline)
    with pytest.raises(services.ActionRefused, match="bakåt i tiden"):
        distribute(remiss, [lpo], internal_deadline=days(-1))
    assert not remiss.responses.exists()


def test_a_round_goes_only_to_the_regions_own_lpos(remiss, foreign_lpo):
    with pytest.raises(services.ActionRefused, match="regionens egna LPO"):
        distribute(remiss, [foreign_lpo])


def test_distributing_again_adds_lpos_without_asking_the_first_ones_twice(
    remiss, lpo, other_lpo, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        distribute(remiss, [lpo])
        distribute(remiss, [lpo, other_lpo], internal_deadline=days(25))
    assert remiss.responses.count() == 2
    assert [m.to[0] for m in mailoutbox] == ["alice@example.se", "bob@example.se"]
    assert Remiss.objects.get(pk=remiss.pk).internal_deadline == days(25)


def test_a_reply_after_the_round_is_closed_is_refused(distributed, sara, alice, lpo):
    response = response_of(distributed, lpo)
    services.remiss_decline(remiss_id=distributed.pk, actor=sara, reason="Avstår.")
    with pytest.raises(services.ActionRefused, match="avslutad"):
        services.response_save(
            response_id=response.pk,
            actor=alice,
            text="Sent svar",
            included_comment_ids=[],
            submit=True,
        )
    with pytest.raises(services.ActionRefused, match="avslutad"):
        services.comment_add(response_id=response.pk, actor=alice, text="Sent")
    assert not Response.objects.get(pk=response.pk).is_submitted


def test_a_submitted_answer_cannot_be_changed_or_commented(distributed, alice, erik, lpo):
    response = response_of(distributed, lpo)
    services.expert_invite(response_id=response.pk, actor=alice, user=erik)
    services.response_save(
        response_id=response.pk, actor=alice, text="Klart.", included_comment_ids=[], submit=True
    )
    with pytest.raises(services.ActionRefused, match="redan skickat in"):
        services.comment_add(response_id=response.pk, actor=erik, text="För sent")
    with pytest.raises(services.ActionRefused, match="redan skickat in"):
        services.response_save(
            response_id=response.pk, actor=alice, text="Ändrat", included_comment_ids=[]
        )


def test_an_empty_answer_is_not_submitted(distributed, alice, lpo):
    response = response_of(distributed, lpo)
    with pytest.raises(services.ActionRefused, match="Skriv LPO:ts svar"):
        services.response_save(
            response_id=response.pk, actor=alice, text=" ", included_comment_ids=[], submit=True
        )
    assert not Response.objects.get(pk=response.pk).is_submitted


def test_the_answer_is_not_sent_until_every_comment_has_a_disposition(
    distributed, sara, alice, lpo
):
    response = response_of(distributed, lpo)
    comment = services.comment_add(response_id=response.pk, actor=alice, text="Synpunkt")
    services.response_save(
        response_id=response.pk,
        actor=alice,
        text="Svar",
        included_comment_ids=[comment.pk],
        submit=True,
    )
    services.compilation_save(
        remiss_id=distributed.pk,
        actor=sara,
        answer_text="Svar",
        dispositions={comment.pk: (Disposition.PARTLY, "")},
        answers=answered(distributed.pk),
    )
    with pytest.raises(services.ActionRefused) as refused:
        services.remiss_send(
            remiss_id=distributed.pk, actor=sara, sent_on=days(0), registry_reference="RN 1"
        )
    assert refused.value.messages == [  # one, named, so the strategist finds it
        f"1 synpunkt som delvis eller inte tas in saknar motivering: synpunkt 1 (Allmänt, {alice})."
    ]
    services.compilation_save(
        remiss_id=distributed.pk,
        actor=sara,
        answer_text="Svar",
        dispositions={comment.pk: ("", "")},
        answers=answered(distributed.pk),
    )
    with pytest.raises(services.ActionRefused, match="saknar hantering"):
        services.remiss_send(
            remiss_id=distributed.pk, actor=sara, sent_on=days(0), registry_reference="RN 1"
        )
    remiss = Remiss.objects.get(pk=distributed.pk)
    assert remiss.status == RemissStatus.DISTRIBUTED
    assert Case.objects.get(pk=remiss.case_id).state == State.REMISS


def test_comments_left_out_by_the_chair_need_no_disposition(distributed, sara, alice, erik, lpo):
    response = response_of(distributed, lpo)
    services.expert_invite(response_id=response.pk, actor=alice, user=erik)
    services.comment_add(response_id=response.pk, actor=erik, text="Utanför ämnet")
    services.response_save(
        response_id=response.pk, actor=alice, text="Svar", included_comment_ids=[], submit=True
    )
    services.compilation_save(
        remiss_id=distributed.pk,
        actor=sara,
        answer_text="Svar",
        dispositions={},
        answers=answered(distributed.pk),
    )
    services.remiss_send(
        remiss_id=distributed.pk, actor=sara, sent_on=days(0), registry_reference="RN 1"
    )


def test_the_sent_date_is_not_in_the_future_and_a_registry_number_is_given(distributed, sara):
    services.compilation_save(
        remiss_id=distributed.pk,
        actor=sara,
        answer_text="Svar",
        dispositions={},
        answers=answered(distributed.pk),
    )
    with pytest.raises(services.ActionRefused, match="framtiden"):
        services.remiss_send(
            remiss_id=distributed.pk, actor=sara, sent_on=days(1), registry_reference="RN 1"
        )
    with pytest.raises(services.ActionRefused, match="diarienumret"):
        services.remiss_send(
            remiss_id=distributed.pk, actor=sara, sent_on=days(0), registry_reference=" "
        )


def test_a_round_not_yet_distributed_cannot_be_marked_sent(remiss, sara):
    services.compilation_save(
        remiss_id=remiss.pk,
        actor=sara,
        answer_text="Svar",
        dispositions={},
        answers=answered(remiss.pk),
    )
    with pytest.raises(services.ActionRefused, match="Skicka ut remissen"):
        services.remiss_send(
            remiss_id=remiss.pk, actor=sara, sent_on=days(0), registry_reference="RN 1"
        )


# --- Who may do what -----------------------------------------------------------------------


def test_a_chair_cannot_answer_or_invite_for_another_lpo(distributed, alice, erik, other_lpo):
    lunga = response_of(distributed, other_lpo)
    with pytest.raises(PermissionDenied):
        services.response_save(response_id=lunga.pk, actor=alice, text="x", included_comment_ids=[])
    with pytest.raises(PermissionDenied):
        services.expert_invite(response_id=lunga.pk, actor=alice, user=erik)


def test_an_expert_comments_only_on_the_answer_they_were_invited_to(
    distributed, alice, erik, lpo, other_lpo
):
    hjarta, lunga = response_of(distributed, lpo), response_of(distributed, other_lpo)
    with pytest.raises(PermissionDenied):
        services.comment_add(response_id=hjarta.pk, actor=erik, text="Ej inbjuden")
    services.expert_invite(response_id=hjarta.pk, actor=alice, user=erik)
    services.comment_add(response_id=hjarta.pk, actor=erik, text="Inbjuden")
    with pytest.raises(PermissionDenied):
        services.comment_add(response_id=lunga.pk, actor=erik, text="Fel LPO")


def test_a_revoked_expert_can_no_longer_comment(distributed, alice, erik, lpo):
    response = response_of(distributed, lpo)
    access = services.expert_invite(response_id=response.pk, actor=alice, user=erik)
    services.expert_revoke(access_id=access.pk, actor=alice)
    assert not Remiss.objects.visible_to(erik).exists()
    with pytest.raises(PermissionDenied):
        services.comment_add(response_id=response.pk, actor=erik, text="x")


def test_an_expert_is_invited_once_per_round(distributed, alice, bob, erik, lpo, other_lpo):
    services.expert_invite(response_id=response_of(distributed, lpo).pk, actor=alice, user=erik)
    with pytest.raises(services.ActionRefused, match="redan tillgång"):
        services.expert_invite(
            response_id=response_of(distributed, other_lpo).pk, actor=bob, user=erik
        )
    assert RemissAccess.objects.filter(kind=AccessKind.EXPERT).count() == 1


def test_only_the_author_removes_a_comment(distributed, alice, erik, lpo):
    response = response_of(distributed, lpo)
    services.expert_invite(response_id=response.pk, actor=alice, user=erik)
    comment = services.comment_add(response_id=response.pk, actor=erik, text="Min")
    with pytest.raises(PermissionDenied):
        services.comment_delete(comment_id=comment.pk, actor=alice)
    services.comment_delete(comment_id=comment.pk, actor=erik)
    assert not Comment.objects.exists()


def test_only_the_strategist_compiles_sends_and_declines(distributed, alice, maja):
    for actor in (alice, maja):
        with pytest.raises(PermissionDenied):
            services.compilation_save(
                remiss_id=distributed.pk,
                actor=actor,
                answer_text="x",
                dispositions={},
                answers=answered(distributed.pk),
            )
        with pytest.raises(PermissionDenied):
            services.remiss_decline(remiss_id=distributed.pk, actor=actor, reason="x")


def test_the_municipal_coordinator_records_the_assessment(region, lpo, sara, kim, alice, support):
    remiss = register(sara, region, lpo, support, municipal_coordinator=kim)
    services.municipalities_assess(
        remiss_id=remiss.pk, actor=kim, concerned=False, assessment="Inga kommunala insatser."
    )
    assert Remiss.objects.get(pk=remiss.pk).municipalities_concerned is False
    with pytest.raises(PermissionDenied):
        services.municipalities_assess(
            remiss_id=remiss.pk, actor=alice, concerned=True, assessment="x"
        )
    assert CaseEvent.objects.filter(case=remiss.case, message__contains="berör inte").exists()


def test_concerned_municipalities_are_named_on_the_case(remiss, sara, region):
    from organisation.models import Municipality

    norrby = Municipality.objects.create(code="9001", name="Norrby kommun", region=region)
    sodra = Municipality.objects.create(code="9002", name="Södra kommun", region=region)
    services.municipalities_assess(
        remiss_id=remiss.pk, actor=sara, concerned=True, assessment="Hemsjukvården berörs."
    )
    assert set(Case.objects.get(pk=remiss.case_id).municipalities.all()) == {norrby, sodra}
    services.municipalities_assess(
        remiss_id=remiss.pk,
        actor=sara,
        concerned=True,
        assessment="Bara Norrby.",
        municipalities=[norrby],
    )
    assert list(Case.objects.get(pk=remiss.case_id).municipalities.all()) == [norrby]
    services.municipalities_assess(
        remiss_id=remiss.pk, actor=sara, concerned=False, assessment="Berör inte."
    )
    case = Case.objects.get(pk=remiss.case_id)
    assert case.joint is False and not case.municipalities.exists()


def test_sending_again_with_no_new_lpo_moves_the_internal_deadline(distributed):
    assert distribute(distributed, [], internal_deadline=days(25)) == []
    assert Remiss.objects.get(pk=distributed.pk).internal_deadline == days(25)


def test_a_first_distribution_needs_someone_to_send_to(remiss):
    with pytest.raises(services.ActionRefused, match="minst ett LPO"):
        distribute(remiss, [])
