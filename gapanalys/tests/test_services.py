from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from gapanalys import services
from gapanalys.models import GapAnalysis, GapRow
from gapanalys.selectors import returned_decision
from kunskapsstyrning import services as case_services
from kunskapsstyrning.models import Case, CaseEvent, State
from kunskapsstyrning.services import ActionRefused
from kunskapsstyrning.tests.factories import KnowledgeSupportFactory, RecommendationFactory
from kunskapsstyrning.tests.helpers import walk_to
from organisation.models import Membership, Role, Unit, UnitKind
from organisation.permissions import scope_of
from organisation.tests.factories import UnitFactory, UserFactory

from .conftest import assess_all, give_default_statements

pytestmark = pytest.mark.django_db


def reload(user):
    """The user as a new request sees them (permissions read afresh)."""
    return type(user).objects.get(pk=user.pk)


# --- Forming the LAG ----------------------------------------------------------------------


def test_chair_forms_a_new_lag_under_the_lpo_and_its_members_may_edit(gap_case, alice, lpo):
    leader = UserFactory(username="petra")
    member = UserFactory(username="mats")
    municipal = UserFactory(username="kim")
    analysis = services.lag_form(
        case_id=gap_case.pk,
        actor=alice,
        name="LAG Hjärtsvikt 2024",
        process_leader=leader,
        members=[member],
        municipal_representatives=[municipal],
        due_date=date(2030, 1, 1),
    )
    lag = analysis.lag
    assert lag.kind == UnitKind.LAG and lag.parent == lpo and lag.region == lpo.region
    assert lag.code == "RN_LAG_HJARTSVIKT_2024"
    assert lag.municipalities_participate
    roles = set(Membership.objects.filter(unit=lag).values_list("user__username", "role"))
    assert roles == {
        ("petra", Role.PROCESS_LEADER),
        ("mats", Role.MEMBER),
        ("kim", Role.MEMBER),
        ("kim", Role.MUNICIPAL_REPRESENTATIVE),
    }
    for person in (leader, member, municipal):
        assert scope_of(reload(person)).has("edit_analysis", lag.pk)
    assert Case.objects.get(pk=gap_case.pk).due_date == date(2030, 1, 1)


def test_forming_the_lag_prefills_one_row_per_recommendation(analysis, support):
    numbers = list(
        analysis.rows.order_by("recommendation__number").values_list(
            "recommendation__number", flat=True
        )
    )
    assert numbers == [1, 2, 3, 4, 5]
    assert not analysis.rows.exclude(current_state="").exists()


def test_forming_again_updates_the_timeline_without_duplicating_rows(analysis, alice, lars, lag):
    services.lag_form(
        case_id=analysis.case_id,
        actor=alice,
        lag=lag,
        process_leader=lars,
        presentation_date=date(2024, 10, 1),
        due_date=date(2024, 11, 1),
        start_date=date(2024, 6, 1),
    )
    analysis.refresh_from_db()
    assert analysis.rows.count() == 5
    assert analysis.presentation_date == date(2024, 10, 1)
    assert Membership.objects.filter(unit=lag, user=lars, role=Role.PROCESS_LEADER).count() == 1


def test_chair_reactivates_an_inactive_lag_of_the_lpo(gap_case, alice, lag):
    lag.active = False
    lag.save()
    leader = UserFactory(username="petra")
    services.lag_form(case_id=gap_case.pk, actor=alice, lag=lag, process_leader=leader)
    lag.refresh_from_db()
    assert lag.active
    assert "återaktiverades" in CaseEvent.objects.filter(case=gap_case).last().message


def test_a_new_lag_does_not_take_the_name_of_one_the_lpo_has(gap_case, alice, lag):
    """Two "LAG Hjärtsvikt" under one LPO: the documents and home pages named the wrong one."""
    with pytest.raises(ActionRefused, match="LPO:t har redan en LAG som heter ”LAG Hjärtsvikt”"):
        services.lag_form(
            case_id=gap_case.pk, actor=alice, name=" lag hjärtsvikt ", process_leader=alice
        )
    assert not GapAnalysis.objects.exists()
    assert Unit.objects.filter(kind=UnitKind.LAG).count() == 1


def test_a_lag_of_another_lpo_cannot_lead_the_analysis(gap_case, alice, other_lpo):
    foreign_lag = UnitFactory(kind=UnitKind.LAG, region=other_lpo.region, parent=other_lpo)
    with pytest.raises(ActionRefused):
        services.lag_form(case_id=gap_case.pk, actor=alice, lag=foreign_lag, process_leader=alice)
    assert not GapAnalysis.objects.exists()


@pytest.mark.parametrize("who", ["lars", "sara", "maja", "bob", "olle"])
def test_only_the_lpo_chair_forms_the_lag(request, gap_case, who, lars, bob, olle):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.lag_form(case_id=gap_case.pk, actor=actor, name="LAG X", process_leader=actor)
    assert not GapAnalysis.objects.exists()


def test_the_lag_is_formed_only_after_bp1(case, alice):
    with pytest.raises(ActionRefused):
        services.lag_form(case_id=case.pk, actor=alice, name="LAG X", process_leader=alice)


def test_forming_the_lag_leaves_a_timeline_event(analysis, lars):
    event = CaseEvent.objects.filter(case=analysis.case).last()
    assert event.kind == CaseEvent.Kind.NOTE
    assert "LAG Hjärtsvikt" in event.message and str(lars) in event.message


# --- Rows ---------------------------------------------------------------------------------


def first_row(analysis):
    return analysis.rows.order_by("recommendation__number").first()


def test_a_lag_member_saves_a_row_and_its_version_goes_up(analysis, lars):
    row = first_row(analysis)
    saved = services.row_save(
        row_id=row.pk,
        actor=lars,
        version=row.version,
        data={"current_state": "delvis", "proposal": "Ny rutin.", "principal": "kommun"},
    )
    row.refresh_from_db()
    assert (row.current_state, row.proposal, row.principal) == ("delvis", "Ny rutin.", "kommun")
    assert row.version == saved.version == 2
    assert row.updated_by == lars


def test_the_chair_may_save_a_row_too(analysis, alice):
    row = first_row(analysis)
    services.row_save(row_id=row.pk, actor=alice, version=1, data={"current_state": "gor_vi"})
    assert GapRow.objects.get(pk=row.pk).current_state == "gor_vi"


def test_the_second_of_two_editors_is_told_and_nothing_is_overwritten(analysis, lars, alice):
    row = first_row(analysis)
    opened_at = row.version  # both open the row at version 1
    services.row_save(
        row_id=row.pk, actor=lars, version=opened_at, data={"today_practice": "Lars text"}
    )
    with pytest.raises(services.RowConflict) as conflict:
        services.row_save(
            row_id=row.pk, actor=alice, version=opened_at, data={"today_practice": "Alice text"}
        )
    assert conflict.value.row.today_practice == "Lars text"
    assert conflict.value.row.version == 2
    assert "Lars" in conflict.value.message
    assert GapRow.objects.get(pk=row.pk).today_practice == "Lars text"


@pytest.mark.parametrize("who", ["sara", "maja", "bob", "olle"])
def test_a_row_saved_by_someone_outside_the_lag_is_refused(request, analysis, who):
    actor = request.getfixturevalue(who)
    row = first_row(analysis)
    with pytest.raises(PermissionDenied):
        services.row_save(row_id=row.pk, actor=actor, version=1, data={"current_state": "gor_vi"})
    assert GapRow.objects.get(pk=row.pk).current_state == ""


def test_a_row_with_an_unknown_state_is_refused_with_a_swedish_message(analysis, lars):
    row = first_row(analysis)
    with pytest.raises(ActionRefused) as refused:
        services.row_save(row_id=row.pk, actor=lars, version=1, data={"current_state": "kanske"})
    assert "Nuläge" in " ".join(refused.value.messages)
    assert GapRow.objects.get(pk=row.pk).version == 1


def test_rows_cannot_change_once_the_analysis_went_to_bp2(analysis, alice, lars):
    assess_all(analysis, lars)
    give_default_statements(analysis, lars)
    services.analysis_submit(case_id=analysis.case_id, actor=alice)
    row = first_row(analysis)
    with pytest.raises(ActionRefused):
        services.row_save(row_id=row.pk, actor=lars, version=row.version, data={"proposal": "Sent"})


# --- Statements and submission ------------------------------------------------------------


def test_a_region_without_configuration_requires_the_default_statements(analysis):
    assert analysis.required_statement_kinds() == [
        "lpo",
        "patientsakerhet",
        "divisionsledning",
        "programagare",
    ]


def test_a_region_configures_which_statements_it_requires(analysis, region):
    from gapanalys.models import StatementType

    StatementType.objects.bulk_create(
        [
            StatementType(
                region=region,
                key="patientsakerhet",
                name="LSG patientsäkerhet (inkl. kommunernas MAS/MAR)",
                required_own=True,
                required_joint=True,
                order=1,
            ),
            StatementType(
                region=region, key="vardval", name="Vårdval/Hälsoval", required_joint=True, order=2
            ),
        ]
    )
    assert analysis.required_statement_kinds() == ["patientsakerhet"]
    Case.objects.filter(pk=analysis.case_id).update(joint=True)
    analysis = GapAnalysis.objects.get(pk=analysis.pk)
    assert analysis.required_statement_kinds() == ["patientsakerhet", "vardval"]
    services.statement_add(
        analysis_id=analysis.pk,
        actor=analysis.lag.memberships.first().user,
        kind="vardval",
        body="Vårdval",
        author="Någon",
        given_on=date(2024, 9, 1),
        text="Tillstyrks.",
    )
    # The BP2 panel reads the statements and the rules together: only one is still missing.
    blockers = [str(b) for b in analysis.bp2_blockers()]
    assert blockers[-1] == "Yttranden saknas: LSG patientsäkerhet (inkl. kommunernas MAS/MAR)."


def test_a_statement_on_the_timeline_names_its_body_once(analysis, lars):
    for body in ("LPO Hjärta", "LPO:s synpunkter"):
        services.statement_add(
            analysis_id=analysis.pk,
            actor=lars,
            kind="lpo",
            body=body,
            author="Lars",
            given_on=date(2024, 9, 1),
            text="Tillstyrks.",
        )
    notes = analysis.case.events.filter(message__startswith="Yttrande registrerat")
    assert list(notes.order_by("pk").values_list("message", flat=True)) == [
        "Yttrande registrerat: LPO:s synpunkter (LPO Hjärta, 2024-09-01).",
        "Yttrande registrerat: LPO:s synpunkter (2024-09-01).",
    ]


def test_a_statement_is_not_dated_before_the_bp1_decision_its_analysis_follows(analysis, lars):
    from gapanalys.models import Statement

    with pytest.raises(ActionRefused, match="Yttrandets datum kan inte ligga före ärendets beslut"):
        services.statement_add(
            analysis_id=analysis.pk,
            actor=lars,
            kind="lpo",
            body="LPO Hjärta",
            author="Lars",
            given_on=date(2020, 1, 1),  # BP1 was decided 2024-05-01
            text="Tillstyrks.",
        )
    assert not Statement.objects.exists()


def test_a_statement_without_text_or_from_the_future_is_refused(analysis, lars):
    with pytest.raises(ActionRefused) as refused:
        services.statement_add(
            analysis_id=analysis.pk,
            actor=lars,
            kind="lpo",
            body="LPO Hjärta",
            author="",
            given_on=date(2999, 1, 1),
            text=" ",
        )
    messages = refused.value.messages
    assert len(messages) == 3
    assert not analysis.statements.exists()


def test_submitting_lists_every_reason_and_changes_nothing(analysis, alice, lars):
    row = first_row(analysis)
    services.row_save(row_id=row.pk, actor=lars, version=1, data={"current_state": "gor_vi_inte"})
    with pytest.raises(ActionRefused) as refused:
        services.analysis_submit(case_id=analysis.case_id, actor=alice)
    text = " ".join(refused.value.messages)
    assert "4 av 5 rader är inte bedömda" in text
    assert "Förbättringsförslag saknas för rekommendation 1" in text
    assert "Yttranden saknas" in text and "Programägarens godkännande" in text
    assert Case.objects.get(pk=analysis.case_id).state == State.GAP_ANALYSIS


def test_a_row_marked_we_do_it_needs_no_proposal(analysis, alice, lars):
    for row in analysis.rows.all():
        services.row_save(row_id=row.pk, actor=lars, version=1, data={"current_state": "gor_vi"})
    give_default_statements(analysis, lars)
    analysis.refresh_from_db()  # the summary the saves kept
    assert analysis.is_ready_for_bp2
    case = services.analysis_submit(case_id=analysis.case_id, actor=alice)
    assert case.state == State.BP2


def test_the_chair_submits_a_finished_analysis_for_bp2(analysis, alice, lars):
    assess_all(analysis, lars)
    give_default_statements(analysis, lars)
    services.analysis_submit(case_id=analysis.case_id, actor=alice)
    case = Case.objects.get(pk=analysis.case_id)
    assert case.state == State.BP2
    assert case.events.last().message == "Gap-analysen skickades till beslut BP2."


def test_a_lag_member_cannot_submit_for_bp2(analysis, lars):
    assess_all(analysis, lars)
    give_default_statements(analysis, lars)
    with pytest.raises(PermissionDenied):
        services.analysis_submit(case_id=analysis.case_id, actor=lars)


def test_the_case_page_action_respects_the_same_condition(analysis, alice):
    with pytest.raises(ActionRefused):
        case_services.case_act(case_id=analysis.case_id, actor=alice, action_name="submit_bp2")


def test_bp2_returned_reopens_the_analysis_with_the_motivation(analysis, alice, lars, maja):
    assess_all(analysis, lars)
    give_default_statements(analysis, lars)
    services.analysis_submit(case_id=analysis.case_id, actor=alice)
    case_services.case_decide(
        case_id=analysis.case_id,
        actor=maja,
        point="BP2",
        outcome="ater",
        decided_on=date(2024, 12, 1),
        motivation="Konsekvenserna för kommunerna saknas.",
    )
    case = Case.objects.get(pk=analysis.case_id)
    assert case.state == State.GAP_ANALYSIS
    assert returned_decision(case).motivation == "Konsekvenserna för kommunerna saknas."
    row = first_row(analysis)
    services.row_save(
        row_id=row.pk, actor=lars, version=row.version, data={"consequence_close_care": "Ja"}
    )


# --- A new version of the knowledge support -----------------------------------------------


def supersede_with_version_2(analysis, support, alice, lars, sara, changed_number=None):
    """Version 2.0 of the support (recommendation `changed_number` reworded, a new number 6)
    supersedes the analysis's case; the successor is walked to its gap analysis, whose LAG
    alice forms again. Returns the successor case and its new analysis."""
    new_support = KnowledgeSupportFactory(title=support.title, version="2.0", replaces=support)
    for rec in support.recommendations.all():
        text = rec.text + " Med nytt tillägg." if rec.number == changed_number else rec.text
        RecommendationFactory(knowledge_support=new_support, number=rec.number, text=text)
    RecommendationFactory(knowledge_support=new_support, number=6, text="Helt ny.")
    successor = case_services.case_supersede(
        case_id=analysis.case_id, actor=sara, new_support=new_support
    )
    successor = walk_to(successor, State.GAP_ANALYSIS)
    new = services.lag_form(
        case_id=successor.pk, actor=alice, lag=analysis.lag, process_leader=lars
    )
    return successor, new


def test_a_new_version_carries_unchanged_recommendations_over_for_review(
    analysis, alice, lars, sara, support
):
    assess_all(analysis, lars)
    old_rows = {r.recommendation.number: r for r in analysis.rows.select_related("recommendation")}
    successor, new = supersede_with_version_2(
        analysis, support, alice, lars, sara, changed_number=2
    )

    assert new.previous == analysis
    rows = {r.recommendation.number: r for r in new.rows.select_related("recommendation")}
    assert sorted(rows) == [1, 2, 3, 4, 5, 6]
    for number in (1, 3, 4, 5):
        assert rows[number].current_state == old_rows[number].current_state
        assert rows[number].proposal == old_rows[number].proposal
        assert rows[number].needs_review and rows[number].carried_from == old_rows[number]
    for number in (2, 6):
        assert rows[number].current_state == "" and not rows[number].needs_review
    assert "4 av 6 rader fördes över" in successor.events.last().message or any(
        "4 av 6 rader fördes över" in e.message for e in successor.events.all()
    )


def test_saving_a_carried_row_marks_it_reviewed(analysis, lars):
    GapRow.objects.filter(analysis=analysis).update(needs_review=True)
    row = first_row(analysis)
    services.row_save(row_id=row.pk, actor=lars, version=1, data={"current_state": "gor_vi"})
    assert not GapRow.objects.get(pk=row.pk).needs_review


# --- Import -------------------------------------------------------------------------------


def test_an_import_applies_nothing_if_one_row_changed_since_the_preview(analysis, lars):
    rows = list(analysis.rows.order_by("recommendation__number"))
    changes = [
        {"row": rows[0].pk, "version": 1, "data": {"proposal": "Från filen 1"}},
        {"row": rows[1].pk, "version": 1, "data": {"proposal": "Från filen 2"}},
    ]
    services.row_save(row_id=rows[1].pk, actor=lars, version=1, data={"proposal": "I tjänsten"})
    with pytest.raises(ActionRefused) as refused:
        services.import_apply(analysis_id=analysis.pk, actor=lars, changes=changes)
    assert "rekommendation 2" in refused.value.messages[0]
    assert GapRow.objects.get(pk=rows[0].pk).proposal == ""
    assert GapRow.objects.get(pk=rows[1].pk).proposal == "I tjänsten"


# --- The rows' summary --------------------------------------------------------------------


def counted(analysis):
    """The summary as stored, beside the same numbers counted among the rows."""
    stored = GapAnalysis.objects.values_list(
        "row_count", "assessed_count", "gaps_without_proposal"
    ).get(pk=analysis.pk)
    rows = list(analysis.rows.all())
    actual = (
        len(rows),
        sum(1 for r in rows if r.is_assessed),
        sum(1 for r in rows if r.lacks_proposal),
    )
    return stored, actual


def test_forming_the_lag_counts_the_new_rows_in_the_summary(analysis):
    assert counted(analysis) == ((5, 0, 0), (5, 0, 0))
    assert analysis.row_count == 5


def test_each_row_save_keeps_the_summary_right(analysis, lars):
    rows = list(analysis.rows.order_by("recommendation__number"))
    steps = [
        (rows[0], {"current_state": "gor_vi"}, (5, 1, 0)),
        (rows[1], {"current_state": "delvis"}, (5, 2, 1)),
        (rows[1], {"proposal": "Gemensam rutin"}, (5, 2, 0)),
        (rows[1], {"today_practice": "Ingenting som räknas ändras"}, (5, 2, 0)),
        (rows[2], {"current_state": "gor_vi_inte", "proposal": "  "}, (5, 3, 1)),
        (rows[0], {"current_state": ""}, (5, 2, 1)),
    ]
    for row, data, expected in steps:
        version = GapRow.objects.get(pk=row.pk).version
        saved = services.row_save(row_id=row.pk, actor=lars, version=version, data=data)
        assert counted(analysis) == (expected, expected), data
        # The view shows the new progress from the service's analysis, without a query.
        summary = saved.analysis
        assert (summary.row_count, summary.assessed_count, summary.gaps_without_proposal) == (
            expected
        )


def test_a_conflicting_save_leaves_the_summary_alone(analysis, lars, alice):
    row = first_row(analysis)
    services.row_save(row_id=row.pk, actor=lars, version=1, data={"current_state": "delvis"})
    with pytest.raises(services.RowConflict):
        services.row_save(row_id=row.pk, actor=alice, version=1, data={"current_state": ""})
    assert counted(analysis) == ((5, 1, 1), (5, 1, 1))


def test_an_import_keeps_the_summary_right(analysis, lars):
    rows = list(analysis.rows.order_by("recommendation__number"))
    changes = [
        {"row": rows[0].pk, "version": 1, "data": {"current_state": "delvis"}},
        {"row": rows[1].pk, "version": 1, "data": {"current_state": "gor_vi"}},
    ]
    services.import_apply(analysis_id=analysis.pk, actor=lars, changes=changes)
    assert counted(analysis) == ((5, 2, 1), (5, 2, 1))


def test_rows_carried_over_from_the_previous_version_are_counted(
    analysis, alice, lars, sara, support
):
    assess_all(analysis, lars)
    _successor, new = supersede_with_version_2(analysis, support, alice, lars, sara)
    assert counted(new) == ((6, 5, 0), (6, 5, 0))


def test_a_row_changed_in_the_admin_is_recounted(admin_client, analysis):
    row = first_row(analysis)
    data = {
        "analysis": analysis.pk,
        "recommendation": row.recommendation_id,
        "current_state": "gor_vi_inte",
        "priority": "",
        "principal": "",
        "updated_by": "",
        "carried_from": "",
    }
    response = admin_client.post(f"/admin/gapanalys/gaprow/{row.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert counted(analysis) == ((5, 1, 1), (5, 1, 1))
    admin_client.post(f"/admin/gapanalys/gaprow/{row.pk}/delete/", {"post": "yes"})
    assert counted(analysis) == ((4, 0, 0), (4, 0, 0))


def test_rows_written_in_bulk_are_counted_in_one_statement(
    analysis, lars, django_assert_num_queries
):
    assess_all(analysis, lars)
    GapRow.objects.filter(analysis=analysis).update(current_state="delvis", proposal="")
    GapAnalysis.objects.filter(pk=analysis.pk).update(row_count=0, assessed_count=0)
    with django_assert_num_queries(1):
        services.summaries_refresh(GapAnalysis.objects.filter(pk=analysis.pk))
    assert counted(analysis) == ((5, 5, 5), (5, 5, 5))


def test_the_migration_counts_the_analyses_that_already_have_rows(analysis, lars):
    from importlib import import_module

    from django.apps import apps

    assess_all(analysis, lars, proposal="")
    GapAnalysis.objects.update(row_count=0, assessed_count=0, gaps_without_proposal=0)
    import_module("gapanalys.migrations.0002_analysis_row_summary").fill_summaries(apps, None)
    assert counted(analysis) == ((5, 5, 2), (5, 5, 2))


def test_the_summary_answers_bp2_readiness_without_a_query(
    analysis, lars, django_assert_num_queries
):
    row = first_row(analysis)
    services.row_save(row_id=row.pk, actor=lars, version=1, data={"current_state": "delvis"})
    analysis.refresh_from_db()
    with django_assert_num_queries(0):
        assert not analysis.is_ready_for_bp2
    # The reasons name the gap without proposal, read when the caller does not hold the rows.
    blockers = [str(b) for b in analysis.bp2_blockers()]
    assert "4 av 5 rader är inte bedömda." in blockers
    assert "Förbättringsförslag saknas för rekommendation 1." in blockers


def test_recommendations_imported_into_the_catalogue_get_rows_in_the_analysis_under_way(
    make_case, alice, maja, lars, lag
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kunskapsstyrning.imports import import_recommendations
    from kunskapsstyrning.tests.factories import KnowledgeSupportFactory

    support = KnowledgeSupportFactory(title="Ny rekommendationslös")  # none when the LAG formed
    case = make_case("gapanalys", knowledge_support=support)
    analysis = services.lag_form(case_id=case.pk, actor=alice, lag=lag, process_leader=lars)
    assert analysis.rows.count() == 0
    csv = "nummer;rekommendation;vårdnivå\n1;Gör A;Primärvård\n2;Gör B;\n".encode()
    report = import_recommendations(support=support, upload=SimpleUploadedFile("r.csv", csv))

    assert report.imported == 2
    analysis.refresh_from_db()
    assert sorted(analysis.rows.values_list("recommendation__number", flat=True)) == [1, 2]
    assert (analysis.row_count, analysis.assessed_count) == (2, 0)  # the summary counts them
    assert case.events.filter(
        message="Rekommendationerna 1, 2 lades till i katalogen och fick var sin rad i "
        "gap-analysen."
    ).exists()
    # What BP2 will want: the new rows assessed.
    assert "2 av 2 rader är inte bedömda" in " ".join(str(b) for b in analysis.bp2_blockers())
