"""The pages: who reaches them (the permission triad), what they say, and what they cost."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from implementering import services
from implementering.models import (
    Activity,
    ChecklistItem,
    CommunicationItem,
    Measurement,
    Milestone,
    PhaseOut,
)

from .conftest import activity_data, gap_row


def url(name, case, *args):
    return reverse(f"implementering:{name}", args=[case.pk, *args])


@pytest.fixture
def plan(planning_case, alice):
    return services.plan_start(case_id=planning_case.pk, actor=alice)


@pytest.fixture
def indicator(planning_case, alice, plan):
    return services.indicator_save(
        case_id=planning_case.pk,
        actor=alice,
        data={"code": "LOK-1", "name": "Andel uppföljda", "measure": "andel", "period": "manad"},
    )


def fill(case, alice, sara, indicator, n):
    """n activities (each closing gap 2), n rows in each other part, n measurements, 2 cycles."""
    for i in range(n):
        services.activity_save(
            case_id=case.pk,
            actor=alice if i % 2 else sara,
            data=activity_data(title=f"Aktivitet {i}", principal="region" if i % 2 else "gemensam"),
            gap_row_ids=[gap_row(case, 2).pk],
        )
        services.plan_part_save(
            case_id=case.pk,
            actor=alice,
            model=CommunicationItem,
            data={
                "audience": f"Målgrupp {i}",
                "message": "Budskap",
                "channel": "APT",
                "planned_on": date(2025, 3, 1),
                "responsible": "LPO",
            },
        )
        services.plan_part_save(
            case_id=case.pk,
            actor=alice,
            model=Milestone,
            data={"title": f"Milstolpe {i}", "date": date(2025, 4, 1)},
        )
        services.plan_part_save(
            case_id=case.pk,
            actor=alice,
            model=PhaseOut,
            data={
                "what": f"Gammal rutin {i}",
                "principal": "region",
                "from_date": date(2025, 6, 1),
                "responsible": "VC",
            },
        )
    start = date(2020, 1, 1)
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            period_start=date(start.year + (start.month + i - 1) // 12, (i % 12) + 1, 1),
            numerator=40 + i % 7,
            denominator=100,
        )
        for i in range(n)
    )
    for title in ("Påminnelse", "Checklista"):
        services.cycle_save(
            case_id=case.pk,
            actor=alice,
            data={
                "title": title,
                "indicator": indicator,
                "plan": "Pröva",
                "started_on": date(2020, 6, 1),
            },
        )


# --- The permission triad ---------------------------------------------------------------------

PAGES = [
    ("plan_detail", []),
    ("plan_history", []),
    ("checklist", []),
    ("followup", []),
    ("indicator_detail", ["indicator"]),
    ("measurements_template", []),
]


def args_of(names, indicator):
    return [indicator.pk for _name in names]


@pytest.mark.parametrize("name, extra", PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, planning_case, indicator, name, extra):
    response = client.get(url(name, planning_case, *args_of(extra, indicator)))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name, extra", PAGES)
@pytest.mark.parametrize("who", ["olle", "bob", "sven"])
def test_people_outside_the_case_get_404(
    request, client, planning_case, indicator, name, extra, who
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url(name, planning_case, *args_of(extra, indicator)))
    assert response.status_code == 404


@pytest.mark.parametrize("name, extra", PAGES)
def test_the_chair_sees_her_case_and_not_another_lpos(
    client, planning_case, indicator, make_case, other_lpo, bob, name, extra
):
    other = make_case("planering", responsible_lpo=other_lpo)
    services.plan_start(case_id=other.pk, actor=bob)
    other_indicator = services.indicator_save(
        case_id=other.pk,
        actor=bob,
        data={"code": "X", "name": "X", "measure": "andel", "period": "manad"},
    )
    client.force_login(planning_case.responsible_lpo.memberships.get(role="ordforande").user)
    assert client.get(url(name, planning_case, *args_of(extra, indicator))).status_code == 200
    assert client.get(url(name, other, *args_of(extra, other_indicator))).status_code == 404


FORMS = [
    ("activity_create", []),
    ("plan_anchor", []),
    ("indicator_create", []),
    ("measurements_import", []),
    ("measurements_template", []),
    ("cycle_create", []),
]


@pytest.mark.parametrize("name, extra", FORMS)
def test_management_sees_the_plan_but_cannot_change_it(
    client, planning_case, plan, maja, name, extra
):
    client.force_login(maja)
    assert client.get(url("plan_detail", planning_case)).status_code == 200
    assert client.get(url(name, planning_case, *extra)).status_code == 403


def test_a_municipal_representative_cannot_open_a_region_activity(
    client, planning_case, plan, alice, kim
):
    activity = services.activity_save(
        case_id=planning_case.pk, actor=alice, data=activity_data(), gap_row_ids=[]
    )
    client.force_login(kim)
    assert client.get(url("activity_edit", planning_case, activity.pk)).status_code == 403
    response = client.post(url("activity_progress", planning_case, activity.pk), {"status": "klar"})
    assert response.status_code == 403
    assert Activity.objects.get(pk=activity.pk).status == "planerad"


def test_ticking_the_checklist_is_for_the_chair_and_the_strategist(
    client, planning_case, plan, lars
):
    item = ChecklistItem.objects.filter(checklist__case=planning_case).last()
    client.force_login(lars)
    response = client.post(
        url("checklist_tick", planning_case, item.pk), {f"punkt-{item.pk}-ticked_on": "2025-01-01"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert not item.is_ticked


# --- What the pages say and do -----------------------------------------------------------------


def test_the_plan_page_offers_to_start_a_plan(client, planning_case, alice):
    client.force_login(alice)
    response = client.get(url("plan_detail", planning_case))
    assert "Påbörja införandeplanen" in response.content.decode()
    response = client.post(url("plan_start", planning_case))
    assert response.url == url("plan_detail", planning_case)
    assert planning_case.bp3_checklist.items.count() == 7


def test_an_activity_due_before_it_starts_shows_the_error_next_to_the_date(
    client, planning_case, plan, alice
):
    client.force_login(alice)
    response = client.post(
        url("activity_create", planning_case),
        {
            "title": "Utbilda",
            "principal": "region",
            "responsible": "VC",
            "start": "2025-06-01",
            "due": "2025-05-01",
            "status": "planerad",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["due"] == [
        "Aktiviteten kan inte vara klar innan den startar."
    ]
    assert 'id="id_due_error"' in response.content.decode()
    assert not Activity.objects.exists()


def test_the_activity_form_offers_only_the_principals_one_represents(
    client, planning_case, plan, kim
):
    client.force_login(kim)
    response = client.get(url("activity_create", planning_case))
    assert response.context["form"].fields["principal"].choices == [("kommun", "Kommun")]


def test_an_activity_is_added_through_the_form_with_the_gaps_it_closes(
    client, planning_case, plan, alice
):
    client.force_login(alice)
    response = client.post(
        url("activity_create", planning_case),
        {
            "title": "Strukturerad uppföljning",
            "principal": "region",
            "responsible": "VC primärvård",
            "start": "2025-01-01",
            "due": "2025-03-31",
            "status": "planerad",
            "gap_rows": [gap_row(planning_case, 2).pk],
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert [r.recommendation.number for r in activity.gap_rows.all()] == [2]
    page = client.get(url("plan_detail", planning_case)).content.decode()
    assert "Strukturerad uppföljning" in page
    assert 'class="principal principal-region">Region<' in page
    assert "Stänger gap för rekommendation 2" in page


def test_the_timeline_legend_explains_only_what_the_chart_draws(client, planning_case, plan, alice):
    client.force_login(alice)
    # Activities long past: neither milestones nor today's line are drawn, nor explained.
    services.activity_save(case_id=planning_case.pk, actor=alice, data=activity_data())
    page = client.get(url("plan_detail", planning_case)).content.decode()
    assert "En aktivitet som är klar visas som en vit stapel" in page
    assert "Romberna" not in page and "röda linjen" not in page
    # A milestone next year brings both the diamond and today into the chart.
    services.plan_part_save(
        case_id=planning_case.pk,
        actor=alice,
        model=Milestone,
        data={"title": "Utvärdering", "date": timezone.localdate() + timedelta(days=200)},
    )
    page = client.get(url("plan_detail", planning_case)).content.decode()
    assert "Romberna är milstolpar." in page
    assert "Den streckade röda linjen är dagens datum." in page


def test_the_case_panel_counts_a_cancelled_activity_apart(client, planning_case, plan, alice):
    """ "0 av 3 klara" of a plan with a cancelled activity could never become 3 of 3."""
    for title, status, note in [
        ("Utbilda teamen", "klar", "Klart i mars."),
        ("Extra utbildningsdag", "installd", "Ersatt av e-kurs."),
        ("Ny rutin", "planerad", ""),
    ]:
        services.activity_save(
            case_id=planning_case.pk,
            actor=alice,
            data=activity_data(title=title, status=status, progress_note=note),
        )
    client.force_login(alice)
    page = client.get(
        reverse("kunskapsstyrning:case_detail", args=[planning_case.pk])
    ).content.decode()
    assert "3 aktiviteter (1 av 2 klara, 1 inställd)" in " ".join(page.split())


def test_the_checklist_is_ticked_through_the_page(client, planning_case, plan, sara):
    item = ChecklistItem.objects.filter(checklist__case=planning_case).last()
    client.force_login(sara)
    response = client.post(
        url("checklist_tick", planning_case, item.pk),
        {f"punkt-{item.pk}-ticked_on": "2025-01-02", f"punkt-{item.pk}-comment": "Mallar klara"},
    )
    assert response.status_code == 302
    page = client.get(url("checklist", planning_case)).content.decode()
    assert "Avbockad av Sara Strateg 2025-01-02." in page
    assert "1 av 7 punkter avbockade." in page


def test_the_checklist_of_a_region_without_bp3_leads_to_starting_the_implementation(
    client, planning_case, plan, alice
):
    from kunskapsstyrning.models import DecisionRule

    client.force_login(alice)
    assert (
        "Ärendet kan skickas till BP3"
        in client.get(url("checklist", planning_case)).content.decode()
    )
    DecisionRule.objects.filter(region=planning_case.region, point="BP3").update(in_use=False)
    page = client.get(url("checklist", planning_case)).content.decode()
    assert "Regionens beslutsordning använder inte BP3 för ärendet" in page
    assert "Ärendet kan skickas till BP3" not in page


def test_a_tick_refused_for_its_date_comes_back_as_typed_with_the_error_at_the_date(
    client, planning_case, plan, sara
):
    item = ChecklistItem.objects.filter(checklist__case=planning_case, requirement="").first()
    client.force_login(sara)
    client.post(
        url("checklist_tick", planning_case, item.pk),
        {f"punkt-{item.pk}-ticked_on": "2020-01-01", f"punkt-{item.pk}-comment": "Mallar klara"},
    )
    page = client.get(url("checklist", planning_case))
    form = next(i.form for i in page.context["items"] if i.pk == item.pk)
    assert form["comment"].value() == "Mallar klara"
    assert form.errors["ticked_on"] == [
        "Datumet kan inte ligga före ärendets beslut vid BP2 (godkänt 2024-05-01). "
        "Ange ett datum från och med 2024-05-01."
    ]
    assert not ChecklistItem.objects.get(pk=item.pk).is_ticked
    # Shown once: the next visit has the item's empty form again.
    again = client.get(url("checklist", planning_case))
    assert not next(i.form for i in again.context["items"] if i.pk == item.pk).is_bound


def test_a_checklist_item_waiting_for_its_check_says_why(client, planning_case, plan, alice):
    item = ChecklistItem.objects.get(checklist__case=planning_case, requirement="plan_forankrad")
    client.force_login(alice)
    response = client.post(
        url("checklist_tick", planning_case, item.pk), {f"punkt-{item.pk}-ticked_on": "2025-01-02"}
    )
    page = client.get(response.url).content.decode()
    assert "Planen är inte förankrad i LPO ännu." in page
    item.refresh_from_db()
    assert not item.is_ticked
    # Each item waiting for its check leads to where it is done.
    assert f'href="{url("plan_anchor", planning_case)}">Registrera förankringen</a>' in page
    assert f'href="{url("followup", planning_case)}">Välj indikatorer</a>' in page
    # and offers no "Bocka av" that could only be refused
    tick = url("checklist_tick", planning_case, item.pk)
    assert f'action="{tick}"' not in page


def test_a_measurement_with_a_zero_denominator_is_refused_next_to_the_field(
    client, planning_case, indicator, alice
):
    client.force_login(alice)
    response = client.post(
        url("indicator_detail", planning_case, indicator.pk),
        {"period": "2024-01", "numerator": "3", "denominator": "0"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["denominator"] == ["Nämnaren kan inte vara noll."]
    assert not Measurement.objects.exists()


def test_a_numerator_larger_than_the_denominator_is_refused(
    client, planning_case, indicator, alice
):
    client.force_login(alice)
    response = client.post(
        url("indicator_detail", planning_case, indicator.pk),
        {"period": "2024-01", "numerator": "12", "denominator": "10"},
    )
    assert response.context["form"].errors["numerator"] == [
        "Täljaren (12) kan inte vara större än nämnaren (10)."
    ]


def test_a_period_entered_twice_is_refused(client, planning_case, indicator, alice):
    client.force_login(alice)
    data = {"period": "2024-01", "numerator": "3", "denominator": "10"}
    assert (
        client.post(url("indicator_detail", planning_case, indicator.pk), data).status_code == 302
    )
    response = client.post(url("indicator_detail", planning_case, indicator.pk), data)
    assert response.context["form"].errors["period"] == ["Perioden 2024-01 har redan ett mätvärde."]
    assert Measurement.objects.count() == 1


def test_the_import_page_reports_rejected_rows_and_imports_nothing(
    client, planning_case, indicator, alice
):
    client.force_login(alice)
    sheet = SimpleUploadedFile(
        "m.csv",
        "indikator;period;täljare;nämnare\nLOK-1;2024-01;3;10\nLOK-1;2024-02;3;0\n".encode(),
    )
    response = client.post(url("measurements_import", planning_case), {"file": sheet})
    page = response.content.decode()
    assert "1 rad avvisades. Inget importerades." in page
    assert "Rad 3: Nämnaren kan inte vara noll." in page
    assert not Measurement.objects.exists()


def test_the_indicator_page_shows_both_charts_and_the_signal_rules(
    client, planning_case, indicator, alice, sara
):
    fill(planning_case, alice, sara, indicator, 14)
    client.force_login(alice)
    page = client.get(url("indicator_detail", planning_case, indicator.pk)).content.decode()
    assert page.count("<svg") == 2
    assert "En punkt utanför styrgränserna" in page
    assert "minst 8 punkter i rad på samma sida om mittlinjen" in page
    assert "PDSA 1" in page
    assert "style=" not in page  # strict CSP: no inline styles, not even in the SVG


def test_the_follow_up_report_is_requested_from_the_page(
    client, planning_case, indicator, alice, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("followup_report", planning_case))
    assert response.status_code == 302
    document = planning_case.documents.get(kind="uppfoljning")
    assert document.status == "klar", document.failure_reason


# --- Home page and case page --------------------------------------------------------------------


@pytest.fixture
def late(planning_case, plan, alice):
    today = timezone.localdate()
    return services.activity_save(
        case_id=planning_case.pk,
        actor=alice,
        data=activity_data(
            title="Försenad utbildning", start=today - timedelta(60), due=today - timedelta(3)
        ),
        gap_row_ids=[],
    )


@pytest.mark.parametrize("who, sees", [("alice", True), ("sara", True), ("bob", False)])
def test_overdue_activities_surface_on_the_chairs_and_strategists_home(
    request, client, late, who, sees
):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("kunskapsstyrning:home")).content.decode()
    assert ("Försenad utbildning" in page) is sees


def test_the_case_page_links_to_the_plan_checklist_and_follow_up(
    client, planning_case, plan, alice
):
    client.force_login(alice)
    page = client.get(
        reverse("kunskapsstyrning:case_detail", args=[planning_case.pk])
    ).content.decode()
    assert url("plan_detail", planning_case) in page
    assert url("checklist", planning_case) in page
    assert "0 av 7 punkter avbockade" in page


def test_the_bp3_decision_page_shows_the_checklist(client, planning_case, plan, alice, maja):
    ChecklistItem.objects.filter(checklist__case=planning_case).update(
        ticked_by=alice, ticked_on=date(2025, 1, 1), comment="OK"
    )
    from implementering.models import FollowUpIndicator
    from kunskapsstyrning import services as case_services

    # What the exclusion page promises ("Undantaget visas för ledningen vid BP3"), the
    # indicators, and an activity called off, with why: all on the page management decides on.
    services.gap_row_exclude(
        case_id=planning_case.pk,
        actor=alice,
        gap_row_id=gap_row(planning_case, 5).pk,
        reason="Kommunerna inför det i sin egen satsning 2026.",
    )
    FollowUpIndicator.objects.create(
        case=planning_case,
        code="HS-01",
        name="Andel med ekokardiografi",
        target=Decimal("90.00"),
        created_by=alice,
    )
    services.activity_save(
        case_id=planning_case.pk,
        actor=alice,
        data=activity_data(
            title="Extra utbildningsdag", status="installd", progress_note="Ersatt av e-kurs."
        ),
    )
    case_services.case_act(case_id=planning_case.pk, actor=alice, action_name="submit_bp3")
    client.force_login(maja)
    page = client.get(
        reverse("kunskapsstyrning:case_decide", args=[planning_case.pk])
    ).content.decode()
    assert "BP3-checklista" in page
    assert "Journalmallar är uppdaterade" in page
    assert "Alice Ordförande" in page
    assert "Medvetna undantag" in page and "Kommunerna inför det i sin egen satsning 2026." in page
    assert "HS-01" in page and "Andel med ekokardiografi" in page
    assert "<td>90 %</td>" in page  # a proportion's target, not the column's "90,00"
    assert "Inställd: Ersatt av e-kurs." in page


# --- Query counts -------------------------------------------------------------------------------


def count_queries(client, django_assert_num_queries, path, expected):
    client.get(path)  # warm: the session row is written once after login
    with django_assert_num_queries(expected):
        response = client.get(path)
    assert response.status_code == 200
    return response


# Every page starts with: session, user, the user's unit permissions (scope), the case
# (visibility in a subquery). Beyond those:
QUERY_COUNTS = {
    # the user's memberships for plan rights; plan; activities; their gap rows; milestones;
    # communication; phasing out; gap rows with proposals; activity links; exclusions; and,
    # the case being joint, who takes part (decision rounds, their parts, the municipalities)
    "plan_detail": 17,
    # plan; one history query per part (plan, activities, communication, milestones,
    # phasing out, exclusions, checklist items)
    "plan_history": 12,
    # plan rights; checklist items with who ticked; plan and the five automatic checks
    # (BP2 decision, communication, activities, indicators); whether there is a plan; the
    # region's rule for BP3 (whether the checklist leads to a BP3 decision)
    "checklist": 13,
    # plan rights; indicators; their measurements; their cycles; national ones left;
    # reports; the cycles list
    "followup": 11,
    # indicator; its measurements; its cycles; plan rights
    "indicator_detail": 8,
}


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("name", sorted(QUERY_COUNTS))
def test_page_query_counts_are_pinned_and_do_not_grow_with_the_plan(
    client, django_assert_num_queries, planning_case, alice, sara, indicator, name, n
):
    fill(planning_case, alice, sara, indicator, n)
    client.force_login(alice)
    extra = [indicator.pk] if name == "indicator_detail" else []
    count_queries(
        client, django_assert_num_queries, url(name, planning_case, *extra), QUERY_COUNTS[name]
    )


# The home page for a chair who is also followed up on: the base page's queries plus two of
# this app's (overdue activities; cases due for their yearly follow-up).
@pytest.mark.parametrize("n", [2, 20])
def test_the_home_page_costs_two_queries_for_overdue_work_however_much_there_is(
    client,
    django_assert_num_queries,
    planning_case,
    plan,
    alice,
    n,
    django_capture_on_commit_callbacks,
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice)
    client.get(reverse("kunskapsstyrning:home"))
    cache.clear()  # counted as rendered afresh, as after a change (a repeat visit reuses it)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("kunskapsstyrning:home"))
    today = timezone.localdate()
    for i in range(n):
        with django_capture_on_commit_callbacks(execute=True):  # the region counts the change
            services.activity_save(
                case_id=planning_case.pk,
                actor=alice,
                data=activity_data(
                    title=f"Sen {i}", start=today - timedelta(30), due=today - timedelta(1)
                ),
                gap_row_ids=[],
            )
    with CaptureQueriesContext(connection) as after:
        page = client.get(reverse("kunskapsstyrning:home")).content.decode()
    assert len(after) == len(before)  # afresh: the activities' saves counted a change
    # The most overdue ten, and a link to the rest.
    assert page.count("Sen ") == min(n, 10)
    assert (reverse("uppfoljning:overdue_activities") in page) is (n > 10)
    mine = [q["sql"] for q in after if "implementering_activity" in q["sql"]]
    assert len(mine) == 1


def test_a_lag_member_reaches_the_plan_of_the_lpo_the_lag_works_under(
    client, planning_case, plan, lars
):
    client.force_login(lars)
    assert client.get(url("plan_detail", planning_case)).status_code == 200
    response = client.get(url("activity_create", planning_case))
    assert response.context["form"].fields["principal"].choices == [("region", "Region")]


def test_the_yearly_follow_up_is_due_a_year_after_follow_up_began_or_the_last_report(
    client, make_case, alice, maja, django_capture_on_commit_callbacks
):
    from kunskapsstyrning.models import Case

    case = make_case("uppfoljning")
    Case.objects.filter(pk=case.pk).update(state_changed_at=timezone.now() - timedelta(days=350))
    client.force_login(alice)
    page = client.get(reverse("kunskapsstyrning:home")).content.decode()
    assert "Årlig uppföljning" in page
    assert "uppföljningsrapport senast" in page
    with django_capture_on_commit_callbacks(execute=True):
        services.followup_report_request(case_id=case.pk, actor=alice)
    assert "Årlig uppföljning" not in client.get(reverse("kunskapsstyrning:home")).content.decode()


def test_one_follow_up_deadline_is_shown_everywhere_and_a_report_moves_it_a_year_on(
    client, make_case, alice, sara, maja, django_capture_on_commit_callbacks
):
    """The home page said a report "skulle ha gjorts 2025-05-01" while the case said its next
    follow-up was due 2026-12-01, and a report left the case's date overdue."""
    from kunskapsstyrning import services as case_services
    from kunskapsstyrning.models import Case

    case = make_case("uppfoljning")
    Case.objects.filter(pk=case.pk).update(state_changed_at=timezone.now() - timedelta(days=700))
    today = timezone.localdate()
    case_services.case_deadline_set(case_id=case.pk, actor=sara, due_date=today + timedelta(10))
    client.force_login(alice)
    due = (today + timedelta(10)).isoformat()
    page = client.get(reverse("kunskapsstyrning:home")).content.decode()
    assert f"uppföljningsrapport senast {due}" in page
    with django_capture_on_commit_callbacks(execute=True):
        services.followup_report_request(case_id=case.pk, actor=alice)
    case.refresh_from_db()
    assert case.due_date == today + timedelta(days=365)
    assert "Årlig uppföljning" not in client.get(reverse("kunskapsstyrning:home")).content.decode()
    page = client.get(reverse("kunskapsstyrning:case_detail", args=[case.pk])).content.decode()
    assert case.due_date.isoformat() in page and "(försenat)" not in page
    assert case.events.filter(
        message=f"Uppföljningsrapport begärdes (version 1). Nästa uppföljning senast "
        f"{case.due_date.isoformat()}."
    ).exists()


def test_an_indicator_measured_for_a_municipality_says_so(client, planning_case, plan, alice):
    from organisation.models import Municipality

    municipality = Municipality.objects.create(
        code="9001", name="Norrby kommun", region=planning_case.region
    )
    planning_case.municipalities.add(municipality)
    indicator = services.indicator_save(
        case_id=planning_case.pk,
        actor=alice,
        data={"code": "K-1", "name": "Andel med SIP", "measure": "andel", "period": "manad"}
        | {"municipality": municipality},
    )
    client.force_login(alice)
    page = client.get(url("followup", planning_case)).content.decode()
    assert f"mäts för {municipality.name}" in page
    page = client.get(url("indicator_detail", planning_case, indicator.pk)).content.decode()
    assert "Mäts för" in page and municipality.name in page


def test_every_form_page_opens_for_the_chair(client, planning_case, indicator, alice, support):
    from kunskapsstyrning.models import Indicator

    Indicator.objects.create(
        knowledge_support=support, code="N-1", name="Nationell", unit="procent"
    )
    activity = services.activity_save(
        case_id=planning_case.pk, actor=alice, data=activity_data(), gap_row_ids=[]
    )
    milestone = services.plan_part_save(
        case_id=planning_case.pk,
        actor=alice,
        model=Milestone,
        data={"title": "M", "date": date(2025, 1, 1)},
    )
    cycle = services.cycle_save(
        case_id=planning_case.pk,
        actor=alice,
        data={"title": "C", "plan": "P", "started_on": date(2025, 1, 1)},
        activity_ids=[activity.pk],
    )
    client.force_login(alice)
    paths = [
        url("plan_goal", planning_case),
        url("activity_edit", planning_case, activity.pk),
        url("part_create", planning_case, "kommunikation"),
        url("part_create", planning_case, "milstolpar"),
        url("part_create", planning_case, "utfasning"),
        url("part_edit", planning_case, "milstolpar", milestone.pk),
        url("gap_exclude", planning_case, gap_row(planning_case, 3).pk),
        url("plan_anchor", planning_case),
        url("indicator_edit", planning_case, indicator.pk),
        url("indicator_national", planning_case),
        url("measurements_import", planning_case),
        url("cycle_edit", planning_case, cycle.pk),
    ]
    for path in paths:
        assert client.get(path).status_code == 200, path
    assert client.get(url("part_create", planning_case, "okand")).status_code == 404
    # Each form's breadcrumb leads back to the page it belongs to.
    followup = f'<a href="{url("followup", planning_case)}">Uppföljning</a>'
    plan = f'<a href="{url("plan_detail", planning_case)}">Införandeplan</a>'
    for path, back in [
        (url("indicator_edit", planning_case, indicator.pk), followup),
        (url("cycle_edit", planning_case, cycle.pk), followup),
        (url("part_create", planning_case, "milstolpar"), plan),
    ]:
        assert back in client.get(path).content.decode(), path
