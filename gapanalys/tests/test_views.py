import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gapanalys import services
from gapanalys.models import GapRow, Statement
from kunskapsstyrning.models import Case, State
from organisation.models import Role, UnitKind
from organisation.tests.factories import UnitFactory, UserFactory, member

from .conftest import assess_all, give_default_statements

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, analysis, *args):
    return reverse(f"gapanalys:{name}", args=[analysis.case_id, *args])


def first_row(analysis):
    return analysis.rows.order_by("recommendation__number").first()


# --- Who sees and who edits ---------------------------------------------------------------

PAGES = ["gap_analysis", "gap_report", "gap_statements", "gap_details", "gap_export"]


@pytest.mark.parametrize("page", PAGES + ["gap_import", "gap_lag_form"])
def test_anonymous_visitors_are_sent_to_the_login(client, analysis, page):
    response = client.get(url(page, analysis))
    assert response.status_code == 302 and response.url.startswith("/logga-in/")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["olle", "bob", "sven"])
def test_the_analysis_does_not_exist_for_people_outside_it(client, request, analysis, page, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url(page, analysis)).status_code == 404


@pytest.mark.parametrize("who", ["sara", "maja"])
def test_strategist_and_management_read_but_do_not_edit(client, request, analysis, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url("gap_analysis", analysis))
    assert response.status_code == 200
    assert b"Visa" in response.content and b"/andra/" not in response.content
    row = first_row(analysis)
    assert client.get(url("gap_row_edit", analysis, row.pk)).status_code == 403
    response = client.post(
        url("gap_row_edit", analysis, row.pk), {"version": 1, "current_state": "gor_vi"}
    )
    assert response.status_code == 403
    assert GapRow.objects.get(pk=row.pk).current_state == ""
    assert client.get(url("gap_import", analysis)).status_code == 403
    assert client.post(url("gap_statements", analysis), {"kind": "lpo"}).status_code == 403


@pytest.mark.parametrize("who", ["lars", "alice"])
def test_lag_members_and_the_chair_edit(client, request, analysis, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url("gap_analysis", analysis))
    row = first_row(analysis)
    assert url("gap_row_edit", analysis, row.pk).encode() in response.content


def test_an_analysis_without_rows_leads_to_where_the_recommendations_are_entered(
    client, analysis, lars
):
    analysis.rows.all().delete()
    client.force_login(lars)
    page = client.get(url("gap_analysis", analysis)).content.decode()
    support_page = reverse(
        "kunskapsstyrning:support_detail", args=[analysis.case.knowledge_support_id]
    )
    assert "kunskapsstödet saknar rekommendationer" in page and f'href="{support_page}"' in page


def test_a_lag_member_sees_exactly_the_analysis_of_their_own_lag(
    client, make_case, analysis, lars, bob, other_lpo
):
    other_case = make_case("gapanalys", responsible_lpo=other_lpo)
    other_lag = UnitFactory(kind=UnitKind.LAG, region=other_lpo.region, parent=other_lpo)
    leader = UserFactory(username="pelle")
    other = services.lag_form(
        case_id=other_case.pk, actor=bob, lag=other_lag, process_leader=leader
    )
    client.force_login(lars)
    assert client.get(url("gap_analysis", analysis)).status_code == 200
    assert client.get(url("gap_analysis", other)).status_code == 404
    # A LAG works on its LPO's cases: the member reads the case page, not other LPOs' cases.
    assert (
        client.get(reverse("kunskapsstyrning:case_detail", args=[analysis.case_id])).status_code
        == 200
    )
    assert (
        client.get(reverse("kunskapsstyrning:case_detail", args=[other_case.pk])).status_code == 404
    )


def test_a_municipal_representative_only_in_the_lag_can_work_in_it(client, analysis):
    kim = UserFactory(username="kim")
    member(kim, analysis.lag, Role.MUNICIPAL_REPRESENTATIVE)
    member(kim, analysis.lag, Role.MEMBER)
    client.force_login(kim)
    row = first_row(analysis)
    response = client.post(
        url("gap_row_edit", analysis, row.pk), {"version": 1, "current_state": "gor_vi"}, **HTMX
    )
    assert response.status_code == 200
    assert GapRow.objects.get(pk=row.pk).current_state == "gor_vi"


# --- The table page -----------------------------------------------------------------------


def count_queries(client, django_assert_num_queries, path, expected):
    client.get(path)  # warm: the session row is written once after login
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert response.status_code == 200
    return response


# The table page as the LAG's process leader:
#   session, user, the user's unit permissions (scope),
#   the analysis with case, support, LPO, region, LAG and its progress summary (visibility and
#   the case page's from the scope),
#   the rows with their recommendations (the gaps without proposal among them),
#   the last BP2 decision (returned?),
#   the BP2 blockers: statements given with the region's rules (a union).
TABLE_QUERIES = 7


@pytest.mark.parametrize("n", [10, 300])
def test_the_table_page_costs_the_same_queries_at_10_and_300_rows(
    client, django_assert_num_queries, make_case, big_support, alice, maja, lars, lag, n
):
    case = make_case("gapanalys", knowledge_support=big_support(n))
    analysis = services.lag_form(case_id=case.pk, actor=alice, lag=lag, process_leader=lars)
    for row in analysis.rows.all()[: n // 2]:
        services.row_save(
            row_id=row.pk,
            actor=lars,
            version=1,
            data={"current_state": "delvis", "proposal": "Gör så", "principal": "kommun"},
        )
    client.force_login(lars)
    response = count_queries(
        client, django_assert_num_queries, url("gap_analysis", analysis), TABLE_QUERIES
    )
    assert response.content.count(b'class="gap-row') == n
    assert f"{n // 2} av {n} rader bedömda".encode() in response.content


# Saving one row as a LAG member: session, user, scope, the row with its analysis (view);
# in the service's savepoint (2) the row with its case, locking the analysis, the conditional
# update, as the row's state changed the summary's recount and its update, and the timeline's
# row of the person's work today: read, then written (issue 14); after the view, the counters
# of the regions the person follows (organisation.changes: what is cached about them renews).
ROW_SAVE_QUERIES = 13


@pytest.mark.parametrize("n", [10, 300])
def test_saving_one_row_costs_a_handful_of_queries_at_any_size(
    client, django_assert_num_queries, make_case, big_support, alice, maja, lars, lag, n
):
    case = make_case("gapanalys", knowledge_support=big_support(n))
    analysis = services.lag_form(case_id=case.pk, actor=alice, lag=lag, process_leader=lars)
    row = first_row(analysis)
    client.force_login(lars)
    client.get(url("gap_analysis", analysis))  # warm: the session row is written after login
    with django_assert_num_queries(ROW_SAVE_QUERIES):
        response = client.post(
            url("gap_row_edit", analysis, row.pk),
            {"version": 1, "current_state": "gor_vi", "principal": "region"},
            **HTMX,
        )
    assert response.status_code == 200


# The report as management: session, user, scope, the analysis with its progress summary,
# whether the case page is theirs (from the scope: no query), the rows with recommendations
# and editors, statements, the region's required statements, the LAG's members.
REPORT_QUERIES = 8


@pytest.mark.parametrize("n", [10, 300])
def test_the_report_costs_the_same_queries_at_10_and_300_rows(
    client, django_assert_num_queries, make_case, big_support, alice, maja, lars, lag, n
):
    case = make_case("gapanalys", knowledge_support=big_support(n))
    analysis = services.lag_form(case_id=case.pk, actor=alice, lag=lag, process_leader=lars)
    for row in analysis.rows.all()[: n // 2]:
        services.row_save(
            row_id=row.pk,
            actor=lars,
            version=1,
            data={"current_state": "delvis", "proposal": "Gör så", "consequence_it": "Mall"},
        )
    client.force_login(maja)
    response = count_queries(
        client, django_assert_num_queries, url("gap_report", analysis), REPORT_QUERIES
    )
    assert response.content.count(b'class="gap-report-row"') == n


def test_filters_narrow_the_table(client, analysis, lars):
    rows = list(analysis.rows.order_by("recommendation__number"))
    services.row_save(
        row_id=rows[0].pk,
        actor=lars,
        version=1,
        data={"current_state": "delvis", "principal": "kommun", "priority": 1},
    )
    services.row_save(
        row_id=rows[1].pk, actor=lars, version=1, data={"current_state": "gor_vi", "priority": 3}
    )
    client.force_login(lars)

    def shown(**params):
        response = client.get(url("gap_analysis", analysis), params)
        return response.content.count(b'class="gap-row')

    assert shown() == 5
    assert shown(state="ej_bedomd") == 3
    assert shown(state="delvis") == 1
    assert shown(principal="kommun") == 1
    assert shown(principal="ej_angiven") == 4
    assert shown(priority="3") == 1
    assert shown(state="gor_vi", principal="kommun") == 0
    assert shown(state="nonsens") == 5
    GapRow.objects.filter(pk=rows[4].pk).update(needs_review=True)
    assert shown(review="on") == 1


def test_an_htmx_filter_returns_only_the_table(client, analysis, lars):
    client.force_login(lars)
    response = client.get(
        url("gap_analysis", analysis), {"state": "ej_bedomd"}, HTTP_HX_TARGET="gap-table", **HTMX
    )
    assert b"<html" not in response.content
    assert b"5 rader matchar filtret" in response.content


def table_row_html(content, row):
    """One <tr> of a page or fragment, by the row's id."""
    start = content.index(f'<tr id="rad-{row.pk}"')
    return content[start : content.index("</tr>", start) + len("</tr>")]


def test_a_row_shows_its_assessment_with_labels_and_links(client, analysis, lars):
    rows = list(analysis.rows.order_by("recommendation__number"))
    long_proposal = " ".join(f"ord{i}" for i in range(40))
    services.row_save(
        row_id=rows[0].pk,
        actor=lars,
        version=1,
        data={
            "current_state": "delvis",
            "proposal": long_proposal,
            "principal": "gemensam",
            "priority": 1,
        },
    )
    services.row_save(
        row_id=rows[1].pk, actor=lars, version=1, data={"current_state": "gor_vi_inte"}
    )
    GapRow.objects.filter(pk=rows[2].pk).update(needs_review=True)
    client.force_login(lars)
    content = client.get(url("gap_analysis", analysis)).content.decode()

    first = table_row_html(content, rows[0])
    assert first.startswith(f'<tr id="rad-{rows[0].pk}" class="gap-row">')
    assert '<span class="gap-state gap-state-delvis">Delvis</span>' in first
    assert "ord29 …" in first and "ord30" not in first
    assert '<span class="principal principal-gemensam">Gemensam</span>' in first
    assert '<td class="col-priority">Hög</td>' in first
    edit = url("gap_row_edit", analysis, rows[0].pk)
    assert f'href="{edit}" hx-get="{edit}" hx-target="#rad-{rows[0].pk}"' in first
    assert '<span class="visually-hidden"> rekommendation 1</span>' in first
    assert "Förslag saknas" not in first

    assert "Förslag saknas" in table_row_html(content, rows[1])
    third = table_row_html(content, rows[2])
    assert 'class="gap-row is-unassessed"' in third and "Överförd – granska" in third
    assert '<span class="gap-state gap-state-none">Ej bedömd</span>' in third
    assert '<td class="col-priority"><span class="meta">–</span></td>' in third


def test_a_reader_gets_links_to_show_each_row(client, analysis, sara):
    row = first_row(analysis)
    client.force_login(sara)
    html = table_row_html(client.get(url("gap_analysis", analysis)).content.decode(), row)
    report = url("gap_report", analysis)
    shown = url("gap_row", analysis, row.pk)
    assert f'href="{report}#rek-1" hx-get="{shown}?visa=1"' in html
    assert ">Visa<span" in html and "Ändra" not in html


def test_closing_a_row_swaps_back_the_same_row_as_the_table_shows(client, analysis, lars):
    row = first_row(analysis)
    services.row_save(row_id=row.pk, actor=lars, version=1, data={"current_state": "delvis"})
    client.force_login(lars)
    table = client.get(url("gap_analysis", analysis)).content.decode()
    alone = client.get(url("gap_row", analysis, row.pk), **HTMX).content.decode()
    assert alone.rstrip() == table_row_html(table, row)


def test_the_bp2_panel_names_the_gaps_without_proposal_filtered_or_not(client, analysis, lars):
    rows = list(analysis.rows.order_by("recommendation__number"))
    for row in (rows[1], rows[3]):
        services.row_save(row_id=row.pk, actor=lars, version=1, data={"current_state": "delvis"})
    client.force_login(lars)
    expected = "Förbättringsförslag saknas för rekommendation 2, 4."
    assert expected in client.get(url("gap_analysis", analysis)).content.decode()
    filtered = client.get(url("gap_analysis", analysis), {"state": "ej_bedomd"})
    assert expected in filtered.content.decode()


def test_the_case_panel_reads_the_case_pages_analysis_without_a_query(
    analysis, alice, lars, django_assert_num_queries
):
    from gapanalys.selectors import case_panel
    from organisation.permissions import scope_of

    row = first_row(analysis)
    services.row_save(row_id=row.pk, actor=lars, version=1, data={"current_state": "gor_vi"})
    case = Case.objects.select_related("gap_analysis__lag").get(pk=analysis.case_id)
    scope_of(alice)  # read once per request by the middleware
    with django_assert_num_queries(0):
        panel = case_panel(case, alice)["gap_panel"]
        assert panel["analysis"].lag.name == analysis.lag.name
    assert (panel["analysis"].assessed_count, panel["analysis"].row_count) == (1, 5)
    assert panel["percent"] == 20 and panel["can_edit"]


# --- Editing a row in place ---------------------------------------------------------------


def test_the_edit_form_replaces_the_row(client, analysis, lars):
    client.force_login(lars)
    row = first_row(analysis)
    response = client.get(url("gap_row_edit", analysis, row.pk), **HTMX)
    content = response.content.decode()
    assert content.startswith(f'<tr id="rad-{row.pk}" class="gap-row is-editing">')
    assert 'name="version" value="1"' in content
    assert "<legend>Nuläge" in content and "<legend>Konsekvensanalys</legend>" in content


def test_saving_in_place_returns_the_row_and_the_new_progress(client, analysis, lars):
    client.force_login(lars)
    row = first_row(analysis)
    response = client.post(
        url("gap_row_edit", analysis, row.pk),
        {"version": 1, "current_state": "delvis", "proposal": "Ny rutin", "principal": "region"},
        **HTMX,
    )
    content = response.content.decode()
    assert content.startswith(f'<tr id="rad-{row.pk}" class="gap-row">')
    assert "Ny rutin" in content and "principal-region" in content
    assert 'hx-swap-oob="innerHTML"' in content and "1 av 5 rader bedömda" in content
    assert GapRow.objects.get(pk=row.pk).version == 2
    assert response["HX-Trigger-After-Settle"] == "gapRowSaved"


def test_the_bp2_panel_refreshes_itself_after_a_save(client, analysis, lars):
    client.force_login(lars)
    row = first_row(analysis)
    services.row_save(row_id=row.pk, actor=lars, version=1, data={"current_state": "gor_vi"})
    content = client.get(url("gap_bp2_status", analysis), **HTMX).content.decode()
    assert content.startswith('<section id="gap-submit"')
    assert "4 av 5 rader är inte bedömda." in content


def test_the_second_editor_sees_the_newer_text_and_their_own(client, analysis, lars, alice):
    row = first_row(analysis)
    services.row_save(row_id=row.pk, actor=lars, version=1, data={"proposal": "Lars förslag"})
    client.force_login(alice)
    response = client.post(
        url("gap_row_edit", analysis, row.pk),
        {"version": 1, "proposal": "Alice förslag"},
        **HTMX,
    )
    content = response.content.decode()
    assert "sparade raden" in content and "Lars" in content
    assert "Lars förslag</textarea>" in content
    assert "Din version:</strong> Alice förslag" in content
    assert 'name="version" value="2"' in content
    assert GapRow.objects.get(pk=row.pk).proposal == "Lars förslag"


def test_without_javascript_the_row_is_edited_on_its_own_page(client, analysis, lars):
    client.force_login(lars)
    row = first_row(analysis)
    response = client.get(url("gap_row_edit", analysis, row.pk))
    assert b"<html" in response.content and b"Spara raden" in response.content
    response = client.post(
        url("gap_row_edit", analysis, row.pk), {"version": 1, "current_state": "ej_aktuellt"}
    )
    assert response.status_code == 302
    assert response.url.endswith(f"#rad-{row.pk}")


def test_a_bad_value_is_shown_next_to_the_field_and_nothing_is_saved(client, analysis, lars):
    client.force_login(lars)
    row = first_row(analysis)
    response = client.post(
        url("gap_row_edit", analysis, row.pk), {"version": 1, "current_state": "kanske"}, **HTMX
    )
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert GapRow.objects.get(pk=row.pk).version == 1


def test_a_reader_can_open_a_row_in_place(client, analysis, lars, sara):
    row = first_row(analysis)
    services.row_save(row_id=row.pk, actor=lars, version=1, data={"cause_analysis": "Rutin saknas"})
    client.force_login(sara)
    response = client.get(url("gap_row", analysis, row.pk), {"visa": 1}, **HTMX)
    assert b"is-open" in response.content and b"Orsaksanalys" in response.content


# --- LAG, statements, submission ----------------------------------------------------------


def test_the_case_page_offers_the_chair_to_form_the_lag(client, gap_case, alice, sara):
    client.force_login(alice)
    response = client.get(reverse("kunskapsstyrning:case_detail", args=[gap_case.pk]))
    assert reverse("gapanalys:gap_lag_form", args=[gap_case.pk]).encode() in response.content
    client.force_login(sara)
    response = client.get(reverse("kunskapsstyrning:case_detail", args=[gap_case.pk]))
    assert b"Gap-analysen startar n" in response.content
    assert reverse("gapanalys:gap_lag_form", args=[gap_case.pk]).encode() not in response.content


def test_the_chair_forms_the_lag_through_the_form(client, gap_case, alice, lars):
    client.force_login(alice)
    path = reverse("gapanalys:gap_lag_form", args=[gap_case.pk])
    assert client.get(path).status_code == 200
    response = client.post(
        path,
        {
            "name": "LAG Hjärtsvikt 2024",
            "process_leader": lars.pk,
            "members": [alice.pk],
            "start_date": "2024-06-01",
            "due_date": "2024-12-01",
            "scope_region": "on",
            "scope_care_levels": ["primarvard"],
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=gap_case.pk)
    assert case.gap_analysis.lag.name == "LAG Hjärtsvikt 2024"
    assert case.gap_analysis.scope_care_levels == ["primarvard"]
    assert case.gap_analysis.rows.count() == 5


def test_the_lag_form_explains_what_is_missing(client, gap_case, alice):
    client.force_login(alice)
    response = client.post(
        reverse("gapanalys:gap_lag_form", args=[gap_case.pk]), {"start_date": "2024-06-01"}
    )
    content = response.content.decode()
    assert "Välj vem som leder arbetet" in content
    assert "Ge den nya LAG:en ett namn" in content
    assert "Analysen behöver omfatta minst en huvudman" in content


# lars works in the LAG: he reads the case but forming the LAG is the chair's.
@pytest.mark.parametrize(
    "who, status", [("sara", 403), ("maja", 403), ("lars", 403), ("olle", 404)]
)
def test_only_the_chair_opens_the_lag_form(client, request, gap_case, lars, who, status):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("gapanalys:gap_lag_form", args=[gap_case.pk])).status_code == status


def test_a_lag_member_records_a_statement(client, analysis, lars):
    client.force_login(lars)
    response = client.post(
        url("gap_statements", analysis),
        {
            "kind": "patientsakerhet",
            "body": "LSG patientsäkerhet",
            "author": "Chefläkare",
            "given_on": "2024-09-01",
            "text": "Inga invändningar.",
        },
    )
    assert response.status_code == 302
    statement = Statement.objects.get()
    assert statement.recorded_by == lars and statement.given_on == date(2024, 9, 1)
    response = client.get(url("gap_statements", analysis))
    assert "Inkommet:</span>" not in response.content.decode()
    assert "Inkommet: LSG patientsäkerhet" in response.content.decode()


def test_submitting_too_early_shows_every_reason(client, analysis, alice):
    client.force_login(alice)
    response = client.post(url("gap_submit", analysis), follow=True)
    content = response.content.decode()
    assert "5 av 5 rader är inte bedömda." in content
    assert "Yttranden saknas" in content
    assert Case.objects.get(pk=analysis.case_id).state == State.GAP_ANALYSIS


def test_the_chair_submits_from_the_analysis_page(client, analysis, alice, lars):
    assess_all(analysis, lars)
    give_default_statements(analysis, lars)
    client.force_login(alice)
    page = client.get(url("gap_analysis", analysis))
    assert b"Skicka gap-analysen till beslut BP2" in page.content
    response = client.post(url("gap_submit", analysis))
    assert response.status_code == 302
    assert Case.objects.get(pk=analysis.case_id).state == State.BP2
    page = client.get(url("gap_analysis", analysis))
    assert b"/andra/" not in page.content  # closed for editing while BP2 is decided


def test_a_lag_member_cannot_submit(client, analysis, lars):
    assess_all(analysis, lars)
    give_default_statements(analysis, lars)
    client.force_login(lars)
    assert client.post(url("gap_submit", analysis)).status_code == 403


def test_a_returned_analysis_shows_the_motivation_on_top(client, analysis, alice, lars, maja):
    from kunskapsstyrning import services as case_services

    assess_all(analysis, lars)
    give_default_statements(analysis, lars)
    services.analysis_submit(case_id=analysis.case_id, actor=alice)
    case_services.case_decide(
        case_id=analysis.case_id,
        actor=maja,
        point="BP2",
        outcome="ater",
        decided_on=date(2024, 12, 1),
        motivation="Komplettera med kommunernas konsekvenser.",
    )
    client.force_login(lars)
    content = client.get(url("gap_analysis", analysis)).content.decode()
    assert "BP2 återremitterades 2024-12-01" in content
    assert content.index("Komplettera med kommunernas") < content.index("gap-table")


# --- Report, decision material, home ------------------------------------------------------


def test_the_report_counts_rows_per_state_and_principal(client, analysis, lars, maja):
    assess_all(analysis, lars)
    client.force_login(maja)
    content = client.get(url("gap_report", analysis)).content.decode()
    assert "5 av 5 bedömda" in content
    assert "Förbättringsförslag" in content and "rek-5" in content


def test_the_bp2_decision_page_shows_the_report(client, analysis, alice, lars, maja):
    assess_all(analysis, lars, proposal="Inför sjuksköterskeledd mottagning.")
    give_default_statements(analysis, lars)
    services.analysis_submit(case_id=analysis.case_id, actor=alice)
    client.force_login(maja)
    content = client.get(
        reverse("kunskapsstyrning:case_decide", args=[analysis.case_id])
    ).content.decode()
    assert "Gap-analysens resultat" in content
    assert "Inför sjuksköterskeledd mottagning." in content
    assert "Inkommet: Programägarens godkännande" in content


def test_the_bp2_decision_document_includes_the_report(analysis, alice, lars, maja):
    from django.template.loader import render_to_string

    from kunskapsstyrning import services as case_services
    from kunskapsstyrning.documents import document_context
    from kunskapsstyrning.models import Document

    assess_all(analysis, lars, proposal="Inför sjuksköterskeledd mottagning.")
    give_default_statements(analysis, lars)
    services.analysis_submit(case_id=analysis.case_id, actor=alice)
    decision = case_services.case_decide(
        case_id=analysis.case_id,
        actor=maja,
        point="BP2",
        outcome="bifall",
        decided_on=date(2024, 12, 1),
        motivation="Godkänd.",
    )
    document = Document.objects.get(decision=decision)
    html = render_to_string("kunskapsstyrning/pdf/decision.html", document_context(document))
    assert "Gap- och konsekvensanalys" in html
    assert "Inför sjuksköterskeledd mottagning." in html
    assert "http" not in html.split("<body>")[1].split("Ärendets gång")[0]


def test_home_shows_a_lag_member_their_analysis_with_progress(client, analysis, lars):
    row = first_row(analysis)
    services.row_save(row_id=row.pk, actor=lars, version=1, data={"current_state": "gor_vi"})
    client.force_login(lars)
    content = client.get(reverse("kunskapsstyrning:home")).content.decode()
    assert "Mina gap-analyser" in content and "1 av 5 rader bedömda" in content


def test_home_shows_the_chair_analyses_of_their_lpos(client, analysis, alice, bob):
    client.force_login(alice)
    assert (
        "Gap-analyser i dina LPO:er"
        in client.get(reverse("kunskapsstyrning:home")).content.decode()
    )
    client.force_login(bob)
    assert (
        "Inga gap-analyser pågår" in client.get(reverse("kunskapsstyrning:home")).content.decode()
    )


# --- Spreadsheets through the pages -------------------------------------------------------


def test_readers_export_and_editors_import_with_a_preview(client, analysis, sara, lars):
    client.force_login(sara)
    response = client.get(url("gap_export", analysis))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    workbook["Gap-analys"]["D2"] = "Delvis"
    workbook["Gap-analys"]["H2"] = "Förslag från Excel"
    buffer = io.BytesIO()
    workbook.save(buffer)

    client.force_login(lars)
    upload = SimpleUploadedFile("gap.xlsx", buffer.getvalue())
    response = client.post(url("gap_import", analysis), {"step": "preview", "file": upload})
    content = response.content.decode()
    assert "1 rad ändras" in content and "Förslag från Excel" in content
    assert GapRow.objects.get(pk=first_row(analysis).pk).proposal == ""

    response = client.post(url("gap_import", analysis), {"step": "confirm"})
    assert response.status_code == 302
    row = GapRow.objects.get(pk=first_row(analysis).pk)
    assert (row.current_state, row.proposal) == ("delvis", "Förslag från Excel")


def test_a_malformed_upload_is_explained_in_swedish(client, analysis, lars):
    client.force_login(lars)
    upload = SimpleUploadedFile("gap.xlsx", b"PK\x03\x04 trasig")
    response = client.post(url("gap_import", analysis), {"step": "preview", "file": upload})
    assert "gick inte att läsa som Excel" in response.content.decode()
    assert "confirm" not in response.content.decode()


def test_the_kept_table_shows_a_row_as_it_is_after_each_save(client, analysis, lars):
    """The table's rows are a cached fragment, keyed on each row's version: a save shows."""
    row = first_row(analysis)
    client.force_login(lars)
    before = table_row_html(client.get(url("gap_analysis", analysis)).content.decode(), row)
    assert "Ej bedömd" in before
    services.row_save(
        row_id=row.pk, actor=lars, version=row.version, data={"current_state": "delvis"}
    )
    after = table_row_html(client.get(url("gap_analysis", analysis)).content.decode(), row)
    assert '<span class="gap-state gap-state-delvis">Delvis</span>' in after
