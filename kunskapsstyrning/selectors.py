"""Reads that pages steer by: the board, home sections, decision material."""

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone

from common.search import Lowered
from organisation import changes
from organisation.models import Membership, Region, Role, User
from organisation.permissions import scope_of
from organisation.selectors import administered_region_ids

from . import contributions
from .models import (
    AWAITING_DECISION,
    BOARD_STATIONS,
    Case,
    Decision,
    DecisionPart,
    DecisionPartCorrection,
    DecisionRule,
    Document,
    Principal,
    State,
)

STATE_LABELS = dict(State.choices)


def coordinated_region(user: User) -> Region | None:
    """The region a strategist registers cases in (their first, if they serve several)."""
    scope = scope_of(user)
    region_ids = sorted(scope.coordinated_region_ids)
    if region_ids:
        return Region.objects.filter(pk=region_ids[0]).first()
    return None


# A station shows its cases ten at a time, by title, and pages through the rest within the
# station: a region's 500 cards at once would be neither readable nor fast (the page stays the
# same size at any number of cases), and every card is still reachable on the board.
CARDS_PER_STATION = 10


@dataclass(frozen=True)
class BoardCard:
    """A case as the board shows it: read as plain values, no model instances."""

    pk: int
    state: str
    state_label: str
    awaiting: bool  # waits for a decision (BP1-BP3): the card is marked
    title: str
    lpo_name: str
    url: str
    registry_number: str = ""
    joint: bool = False  # region and municipalities together: the card says so


def board(cases: QuerySet[Case], pages: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Cases placed on the road BP1 → BP2 → BP3 → implemented, with counts per station.

    One query: every visible case's id, state, title and LPO in title order (a region's few
    hundred rows); the counts and each station's page of CARDS_PER_STATION cards come from it.
    `pages` maps a station's key to the page of it to show (the first when not given; the
    last when past it).
    """
    pages = pages or {}
    station_of: dict[str, str] = {
        state: key for key, _label, states in BOARD_STATIONS for state in states
    }
    counts: Counter[str] = Counter()
    in_station: dict[str, list[Any]] = {key: [] for key, _label, _states in BOARD_STATIONS}
    # Swedish order regardless of case ("Knäledsartros" before "KOL"), the same on both databases.
    rows = cases.order_by(Lowered("knowledge_support__title"), "pk").values_list(
        "pk",
        "state",
        "knowledge_support__title",
        "responsible_lpo__name",
        "registry_number",
        "joint",
    )
    for row in rows:
        state = row[1]
        counts[state] += 1
        key = station_of.get(state)
        if key is not None:
            in_station[key].append(row)
    labels = {state: str(label) for state, label in STATE_LABELS.items()}  # translated once
    stations = []
    for key, label, _states in BOARD_STATIONS:
        count = len(in_station[key])
        page_count = max(-(-count // CARDS_PER_STATION), 1)
        page = min(max(pages.get(key, 1), 1), page_count)
        start = (page - 1) * CARDS_PER_STATION
        cards = [
            BoardCard(
                pk,
                state,
                labels.get(state, state),
                state in AWAITING_DECISION,
                title,
                lpo_name,
                reverse("kunskapsstyrning:case_detail", args=[pk]),
                registry_number,
                joint,
            )
            for pk, state, title, lpo_name, registry_number, joint in in_station[key][
                start : start + CARDS_PER_STATION
            ]
        ]
        stations.append(
            {
                "key": key,
                "label": label,
                "count": count,
                "cases": cards,
                "page": page,
                "pages": page_count,
                "first": start + 1,
                "last": start + len(cards),
            }
        )
    ended = {
        s: counts.get(s, 0)
        for s in [State.POSTPONED, State.NOT_ADOPTED, State.CLOSED, State.SUPERSEDED]
    }
    return {"stations": stations, "ended": ended, "total": sum(counts.values())}


def decision_bodies_of(user: User) -> set[int]:
    return scope_of(user).unit_ids("decide_for_unit")


def awaiting_decision_of(user: User) -> list[Case]:
    """Cases waiting for a decision by a body the user sits in, per the region's rules.

    Two queries: every rule of the regions the user decides in (the general and the specific
    rules together say which applies to a case), and the cases those rules cover.
    """
    from .services import decision_rule_for

    scope = scope_of(user)
    body_ids = decision_bodies_of(user)
    if not body_ids and not scope.is_admin:
        return []
    rules = DecisionRule.objects.select_related("deciding_body", "municipal_body")
    if not scope.is_admin:
        rules = rules.filter(region_id__in=scope.region_ids("decide_for_unit"))
    by_region: dict[int, list[DecisionRule]] = {}
    for rule in rules:
        by_region.setdefault(rule.region_id, []).append(rule)
    mine = [
        rule
        for region_rules in by_region.values()
        for rule in region_rules
        if scope.is_admin or {rule.deciding_body_id, rule.municipal_body_id} & body_ids
    ]
    if not mine:
        return []
    condition = Q()
    for rule in mine:
        state = {"BP1": State.BP1, "BP2": State.BP2, "BP3": State.BP3}[rule.point]
        match = Q(region_id=rule.region_id, state=state)
        if rule.applies_to != DecisionRule.AppliesTo.ALL:
            match &= Q(joint=rule.applies_to == DecisionRule.AppliesTo.JOINT)
        if not scope.is_admin and rule.deciding_body_id not in body_ids:
            # Only a municipality's part is theirs: the joint cases their municipality is in.
            match &= Q(joint=True, municipalities=getattr(user, "municipality_id", None))
        condition |= match
    cases = Case.objects.filter(condition)
    if not scope.is_admin:
        # Not a joint case whose open round already has this person's part (the region's, or
        # their municipality's): it waits for the others, not for them.
        recorded = DecisionPart.objects.filter(
            round__case=OuterRef("pk"), round__decision__isnull=True
        )
        municipality_id = getattr(user, "municipality_id", None)
        if municipality_id is None:
            recorded = recorded.filter(principal=Principal.REGION)
        else:
            recorded = recorded.filter(municipality_id=municipality_id)
        cases = cases.exclude(Exists(recorded))
    cases = list(
        cases.select_related("knowledge_support", "responsible_lpo").order_by("state_changed_at")
    )
    # A general rule does not apply to a case a joint-specific rule covers.
    my_rules = {rule.pk for rule in mine}
    return [
        case
        for case in cases
        if getattr(
            decision_rule_for(case, case.awaiting_point, by_region[case.region_id]), "pk", None
        )
        in my_rules
    ]


# Management's home lists the cases that have waited longest for their decision.
HOME_AWAITING = 10


def home_cache_key(user: User) -> str:
    """The key of a person's home sections (`changes.kept_key`): the counters of every region
    they follow. One query."""
    return changes.followed_key("home", user)


def home_live(user: User) -> dict[str, Any]:
    """The home sections read on every visit (`contributions.Panel.live`), and an
    administrator's way in: their regions' organisation and decision orders, and the
    documents not ready (read each visit: a document is made after the page was kept)."""
    templates, context = contributions.home_sections(user, live=True)
    live = {**context, "live_sections": templates}
    ids = administered_region_ids(user)  # None: every region (a superuser)
    if ids is None or ids:
        documents = Document.objects.exclude(status=Document.Status.READY)
        if ids is not None:
            documents = documents.filter(case__region_id__in=ids)
        # The regions the person administers by a role; one who keeps every region (a
        # superuser) is led to the list of all of them instead of 21 rows of links.
        own = scope_of(user).region_ids("administer_organisation")
        live["administration"] = {
            "regions": list(Region.objects.filter(pk__in=own).order_by("name")),
            "every_region": ids is None,
            "documents_not_ready": documents.count(),
        }
    return live


def home_sections(user: User) -> dict[str, Any]:
    """What waits for this person, per role they hold."""
    scope = scope_of(user)
    today = timezone.localdate()
    sections: dict[str, Any] = {"today": today}
    visible = Case.objects.visible_to(user).select_related("knowledge_support", "responsible_lpo")
    chair_lpos = scope.unit_ids("act_for_unit")
    if chair_lpos:
        sections["chair_cases"] = list(
            visible.filter(
                responsible_lpo_id__in=chair_lpos,
                state__in=[
                    State.REMISS,
                    State.PRIORITISATION,
                    State.GAP_ANALYSIS,
                    State.PLANNING,
                    State.IMPLEMENTATION,
                    State.FOLLOW_UP,
                    State.LEARNING,
                    State.POSTPONED,
                ],
            ).order_by("due_date", "pk")[:50]
        )
    if scope.coordinated_region_ids:
        region_cases = visible.filter(region_id__in=scope.coordinated_region_ids).active()
        sections["strategist_deadlines"] = list(
            region_cases.filter(due_date__isnull=False).order_by("due_date", "pk")[:20]
        )
        stuck_before = timezone.now() - timedelta(days=90)
        sections["strategist_stuck"] = list(
            region_cases.filter(state_changed_at__lt=stuck_before).order_by("state_changed_at")[:20]
        )
    if scope.unit_ids("decide_for_unit"):
        awaiting = awaiting_decision_of(user)
        # The oldest first; the decision page lists every one.
        sections["awaiting"] = awaiting[:HOME_AWAITING]
        sections["awaiting_total"] = len(awaiting)
        sections["portfolio"] = portfolio_of(user, today)
    if scope.unit_ids("view_unit_cases") and not chair_lpos:
        sections["member_cases"] = list(visible.active().order_by("-state_changed_at")[:20])
    sections["roles"] = list(
        Membership.objects.active_on(today).filter(user=user).select_related("unit")
    )
    sections["has_any_role"] = bool(scope.units) or scope.is_admin
    # The apps' sections (registered in their AppConfig.ready()), after the core's.
    templates, context = contributions.home_sections(user)
    sections.update(context)
    sections["app_sections"] = templates
    return sections


def portfolio_of(user: User, today: date) -> dict[str, Any]:
    """The regions a decision-maker decides for, at a glance: cases per station of the board
    and decisions of their bodies this year. Two grouped queries, whatever the number of cases.
    """
    scope = scope_of(user)
    region_ids = scope.region_ids("decide_for_unit")
    per_state = dict(
        Case.objects.filter(region_id__in=region_ids)
        .values_list("state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    stations = [
        {"key": key, "label": label, "count": sum(per_state.get(state, 0) for state in states)}
        for key, label, states in BOARD_STATIONS
    ]
    # The link lists cases: the count says in how many the decisions were (a case returned
    # and then approved at a point has two).
    decided = Decision.objects.filter(
        case__region_id__in=region_ids,
        deciding_body_id__in=decision_bodies_of(user),
        decided_on__year=today.year,
    ).aggregate(decisions=Count("pk"), cases=Count("case", distinct=True))
    return {
        "stations": stations,
        "decided_this_year": decided["decisions"],
        "decided_cases": decided["cases"],
        "year": today.year,
    }


def case_page_one_to_ones() -> list[str]:
    """The one-to-ones the case page, its panels and the transitions' conditions read: the
    prioritisation, and those the apps registered with their panels."""
    return ["prioritisation", *contributions.registry.case_page_related]


def case_for_page(user: User, pk: int) -> Case:
    """The case the case page shows (404 outside the user's scope), with its one-to-ones."""
    case = case_seen_by(user, pk)
    case_page_load(case)
    return case


def case_seen_by(user: User, pk: int) -> Case:
    """The case (404 outside the user's scope) with its region, support, LPO and strategist,
    and its region's change counter (`region_serial`, organisation.changes), the key of what
    is kept of its page.

    Found by primary key and then checked against the cached scope (`case_visible`), so the
    scope's subquery is not planned at all for most people."""
    related = ("region", "knowledge_support", "responsible_lpo", "strategist")
    try:
        # get(), not first(): no ORDER BY for PostgreSQL to plan (0.7 ms).
        case = (
            Case.objects.select_related(*related)
            .annotate(region_serial=F("region__change__serial"))
            .get(pk=pk)
        )
    except Case.DoesNotExist as exc:
        raise Http404 from exc
    if not case_visible(user, case):
        raise Http404
    return case


def case_page_load(case: Case) -> None:
    """Give the case (from `case_seen_by`) its one-to-ones and the panels' counts.

    A second query rather than one of eight joins: PostgreSQL spent 2-4 ms planning the
    eight joins (with the scope's subquery beside them, more), 0.3-0.5 ms planning each half;
    measured again for issue 15, select_related of all eight in one query: 9.3 ms a call
    against 7.4 ms for this."""
    one_to_ones = case_page_one_to_ones()
    annotations = contributions.case_page_annotations()
    joined = Case.objects.select_related(*one_to_ones).annotate(**annotations).get(pk=case.pk)
    # The panels' counts came with it (the plan panel's: 11 -> 10 statements for the page).
    for name in annotations:
        setattr(case, name, getattr(joined, name))
    # Each registered path's first step comes from the joined case with what it carries (the
    # support with its national decision): the panels read them without a query.
    for name in dict.fromkeys(path.split("__", 1)[0] for path in one_to_ones):
        relation = Case._meta.get_field(name)
        related = relation.get_cached_value(joined, default=None)
        relation.set_cached_value(case, related)  # None: known not to exist, no query
        if related is not None and relation.auto_created:  # a reverse one-to-one
            relation.field.set_cached_value(related, case)


def case_page_key(request: HttpRequest, case: Case) -> str:
    """The key of what a person's case page shows (`changes.kept_key`), for a case from
    `case_seen_by`: the counter of its region, the address and the person's CSRF secret (the
    page's forms carry a token of it). No query."""
    return changes.kept_key(
        "case-page",
        request.user,
        case.region_serial,  # type: ignore[attr-defined]  # from case_seen_by
        case.pk,
        request.get_full_path(),
        request.META.get("CSRF_COOKIE"),
    )


def case_visible(user: User, case: Case) -> bool:
    """Whether `Case.objects.visible_to(user)` holds this case. Answered from the scope the
    request has already read for administrators, strategists, management and the responsible
    LPO's people (and its LAGs); one query for anyone else (a concerned LPO's people)."""
    scope = scope_of(user)
    if (
        scope.is_admin
        or case.region_id in scope.overseen_region_ids
        or case.responsible_lpo_id in scope.case_lpo_ids
    ):
        return True
    return Case.objects.visible_to(user).filter(pk=case.pk).exists()


def case_panels(case: Case, user: User) -> dict[str, Any]:
    """Context from each app for its panel on the case page, and the panels' templates
    (`panel_templates`) in order."""
    templates, context = contributions.case_panels(case, user)
    context["panel_templates"] = templates
    return context


@dataclass(frozen=True)
class Person:
    """Someone of the responsible LPO, as the case page names them."""

    name: str
    role: str


def involved_in(case: Case) -> dict[str, Any]:
    """Who and what the case involves: the responsible LPO's people (not its experts, who are
    invited per remiss), the other LPOs concerned and, for a joint case, its municipalities.

    One query, a union of the three, each row (kind, name or first name, last name or a
    municipality's code, username, role). Measured for issue 15: three plain queries cost
    6.4 ms a call against 4.6 ms for the union, and would take the case page of a joint case
    over its goal of 10 statements; the municipalities' codes serve `services.taking_part`.
    """
    people = (
        Membership.objects.active_on()
        .filter(unit_id=case.responsible_lpo_id)
        .exclude(role=Role.EXPERT)
        .order_by()
        .annotate(kind=Value("person"))
        .values_list("kind", "user__first_name", "user__last_name", "user__username", "role")
    )
    blank = Value("")
    lpos = (
        Case.concerned_lpos.through.objects.filter(case=case)
        .annotate(kind=Value("lpo"), name=F("unit__name"), last=blank, username=blank, role=blank)
        .values_list("kind", "name", "last", "username", "role")
    )
    parts = [lpos]
    if case.joint:
        parts.append(
            Case.municipalities.through.objects.filter(case=case)
            .annotate(
                kind=Value("kommun"),
                name=F("municipality__name"),
                last=F("municipality__code"),
                username=blank,
                role=blank,
            )
            .values_list("kind", "name", "last", "username", "role")
        )
    found: dict[str, list[tuple[str, str, str, str]]] = {"person": [], "lpo": [], "kommun": []}
    for kind, first, last, username, role in people.union(*parts, all=True):
        found[kind].append((first, last, username, role))
    role_labels = dict(Role.choices)
    return {
        # In role order (the codes'), then by first name, as the LPO's page lists them.
        "people": [
            Person(f"{first} {last}".strip() or username, str(role_labels.get(role, role)))
            for first, last, username, role in sorted(found["person"], key=lambda p: (p[3], p[0]))
        ],
        "concerned_lpos": sorted(name for name, *_rest in found["lpo"]),
        "municipalities": sorted(name for name, *_rest in found["kommun"]),
        # (code, name): the principals of the joint case (`services.taking_part`), by name as
        # the decision's parts are listed beside them.
        "municipality_principals": sorted(
            ((code, name) for name, code, *_rest in found["kommun"]), key=lambda p: p[1]
        ),
    }


def attach_part_corrections(parts: list[DecisionPart]) -> list[DecisionPart]:
    """Give each part its latest correction (`DecisionPart.record`), one query for them all
    and none when there are no parts."""
    if not parts:
        return parts
    latest: dict[int, DecisionPartCorrection] = {}
    for correction in DecisionPartCorrection.objects.filter(
        part__in=[part.pk for part in parts]
    ).select_related("corrected_by"):
        latest[correction.part_id] = correction  # ordered oldest first: the last one wins
    for part in parts:
        part.latest_correction = latest.get(part.pk)
    return parts


def decision_successors(case_id: int) -> Callable[[int], set[int]]:
    """For the case `case_id`: a function giving a decision and every decision that corrects
    it, one after the other (a correction may itself be corrected). One query."""
    corrected_by = dict(
        Decision.objects.filter(case_id=case_id, corrects__isnull=False).values_list(
            "corrects_id", "pk"
        )
    )

    def successors(decision_id: int) -> set[int]:
        chain = {decision_id}
        while decision_id in corrected_by:
            decision_id = corrected_by[decision_id]
            chain.add(decision_id)
        return chain

    return successors


def case_documents(case: Case) -> list[Document]:
    """The case's documents for its page, each with its decision (one query, joined), marked
    where a correction replaced them."""
    return mark_superseded(case, list(case.documents.select_related("decision")))


def mark_superseded(case: Case, documents: list[Document]) -> list[Document]:
    """Set `superseded` on each ready decision document a later ready one replaces: a later
    version for the same decision (a part was corrected) or the document of a decision that
    corrects it. One query (the case's corrections), none unless two ready documents share a
    kind; `documents` are the case's."""
    ready = [d for d in documents if d.status == Document.Status.READY]
    kinds = Counter(d.kind for d in ready if d.decision_id is not None)
    if not any(n > 1 for n in kinds.values()):
        for document in documents:
            document.superseded = False  # type: ignore[attr-defined]  # for the page only
        return documents
    successors = decision_successors(case.pk)
    for document in documents:
        decision_id = document.decision_id
        # An attribute for the page only, not a field: hence the ignore.
        document.superseded = decision_id is not None and any(  # type: ignore[attr-defined]
            later.kind == document.kind
            and later.decision_id in successors(decision_id)
            and (later.requested_at, later.pk) > (document.requested_at, document.pk)
            for later in ready
        )
    return documents


def decision_material(case: Case, point: str) -> dict[str, Any]:
    """What management reads before deciding: the prioritisation at BP1, etc."""
    material: dict[str, Any] = {"point": point}
    if point == "BP1":
        material["prioritisation"] = getattr(case, "prioritisation", None)
    material["previous_decisions"] = list(case.decisions.select_related("deciding_body"))
    # What the apps registered for this point, and where the page and the document show it.
    templates, pdf_templates, contributed = contributions.decision_material(case, point)
    material.update(contributed)
    material["templates"] = templates
    material["pdf_templates"] = pdf_templates
    return material


def documents_stale(now: datetime | None = None) -> QuerySet[Document]:
    """Documents nobody is working on although they should be: queued again by beat.

    Requested but not taken within `Document.STALE_AFTER` (the broker was down when it was
    queued, or the message was lost), or taken by a render whose claim ran out (the worker
    died mid-render).
    """
    from .models import Document

    now = now or timezone.now()
    return Document.objects.filter(
        Q(status=Document.Status.REQUESTED, requested_at__lt=now - Document.STALE_AFTER)
        | Q(status=Document.Status.RENDERING, claimed_until__lt=now)
    )


def documents_not_ready() -> QuerySet[Document]:
    """Every document that is not ready, oldest first, with what the list shows of its case."""
    from .models import Document

    return (
        Document.objects.exclude(status=Document.Status.READY)
        .select_related("case", "case__region", "decision")
        .order_by("requested_at", "pk")
    )


def unused_points_of(user: User) -> list[DecisionRule]:
    """The decision points the orders of the regions whose cases `user` sees do not use (the
    board says so instead of showing a gate the cases do not pass)."""
    regions = Case.objects.visible_to(user).order_by().values("region_id")
    return list(
        DecisionRule.objects.filter(in_use=False, region_id__in=regions).select_related("region")
    )
