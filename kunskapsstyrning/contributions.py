"""What a feature app may add to the core, registered in the app's `AppConfig.ready()`.

The core (catalogue, case, lifecycle, decisions, documents) names no feature app, not even as a
string or a template path. It says here what an app may contribute, the way Django's admin lets
apps register their `ModelAdmin`s:

- a **condition** a transition needs (BP2 waits for the gap analysis) and why it is not met;
- a **case panel** and a **home section**: a template and the context it reads;
- **decision material**: what management reads before deciding a point, on the decision page
  and in the decision document;
- a **document**: the template and context of a kind of document the app asks the core for;
- the one-to-ones the case page joins for the panels (one query, not one per panel), and the
  counts a panel reads, as annotations of that same query;
- a **step the app takes itself** (a round's answer is sent in the remiss, not by a button);
- **reminders** for the daily digest: `source(today)` -> the reminders due that day, which the
  core gathers into one e-mail per person (`kunskapsstyrning.notifications.digest_send`);
- what to do when **recommendations are added** to a knowledge support in the catalogue (a gap
  analysis under way gets rows for them), in the transaction that adds them.

Core templates render what is registered (`{% include panel.template %}`); the context
functions run in the order given by `order`, then by registration.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from .models import Case, Document

    User = AbstractBaseUser | AnonymousUser

Context = dict[str, Any]


@dataclass(frozen=True)
class Condition:
    """A condition for one of the case's transitions: `holds(case)`, and `reason(case)` in
    Swedish when it does not."""

    transition: str
    holds: Callable[[Case], bool]
    reason: Callable[[Case], str]


@dataclass(frozen=True)
class Panel:
    """A block on a core page: its template and `context(...)` -> what the template reads."""

    template: str
    context: Callable[..., Context]
    order: int = 0
    # A home section read afresh on every visit (the person's own notifications, which
    # they mark read), not kept with the page's other sections (`selectors.home_cache_key`).
    live: bool = False


@dataclass(frozen=True)
class DecisionMaterial:
    """What management reads before deciding `point`: `context(case, point)` is merged into
    the page's and the document's `material`."""

    point: str
    template: str
    pdf_template: str
    context: Callable[[Case, str], Context]
    order: int = 0


@dataclass(frozen=True)
class DocumentSection:
    """A kind of document an app asks the core for: its PDF template and extra context."""

    kind: str
    template: str
    context: Callable[[Document], Context]


@dataclass(frozen=True)
class OwnStep:
    """A transition an app takes itself for a case where `applies(case)`: the case page offers
    no button for it."""

    transition: str
    applies: Callable[[Case], bool]


class Contributions:
    """Everything registered, kept in registration order."""

    def __init__(self) -> None:
        self.conditions: list[Condition] = []
        self.case_panels: list[Panel] = []
        self.home_sections: list[Panel] = []
        self.decision_material: list[DecisionMaterial] = []
        self.documents: dict[str, DocumentSection] = {}
        self.case_page_related: list[str] = []
        self.case_page_annotations: list[Callable[[], dict[str, Any]]] = []
        self.own_steps: list[OwnStep] = []
        self.reminder_sources: list[Callable[..., Iterable[Any]]] = []
        self.recommendations_added: list[Callable[..., None]] = []


registry = Contributions()


def _add(items: list[Any], item: Any) -> None:
    """Add `item` once (Django may call an AppConfig's ready() more than once), in order."""
    if item not in items:
        items.append(item)
        items.sort(key=lambda i: getattr(i, "order", 0))


def register_condition(condition: Condition) -> None:
    _add(registry.conditions, condition)


def register_case_panel(
    panel: Panel,
    related: Iterable[str] = (),
    annotations: Callable[[], dict[str, Any]] | None = None,
) -> None:
    """`panel.context(case, user)`; `related`: one-to-ones of the case the panel reads, which the
    case page joins when it reads the case; `annotations()`: expressions (e.g. counts of the
    panel's rows) the case page annotates that query with, set on the case it shows under
    their names (prefix them with the app's name: they share the case's namespace)."""
    _add(registry.case_panels, panel)
    if annotations is not None and annotations not in registry.case_page_annotations:
        registry.case_page_annotations.append(annotations)
    for name in related:
        if name not in registry.case_page_related:
            registry.case_page_related.append(name)


def register_home_section(panel: Panel) -> None:
    """`panel.context(user)`."""
    _add(registry.home_sections, panel)


def register_decision_material(material: DecisionMaterial) -> None:
    _add(registry.decision_material, material)


def register_document(section: DocumentSection) -> None:
    registry.documents[section.kind] = section


def register_own_step(step: OwnStep) -> None:
    _add(registry.own_steps, step)


def register_reminders(source: Callable[..., Iterable[Any]]) -> None:
    """`source(today)` -> `notifications.Reminder`s due today (at most one e-mail a person a
    day: the core sends them together)."""
    if source not in registry.reminder_sources:
        registry.reminder_sources.append(source)


def register_recommendations_added(handler: Callable[..., None]) -> None:
    """`handler(support, recommendations)`, called in the transaction that added them."""
    if handler not in registry.recommendations_added:
        registry.recommendations_added.append(handler)


# --- What the core reads -------------------------------------------------------------------


def recommendations_added(support: Any, recommendations: list[Any]) -> None:
    for handler in registry.recommendations_added:
        handler(support, recommendations)


def conditions_hold(transition: str, case: Case) -> bool:
    return all(c.holds(case) for c in registry.conditions if c.transition == transition)


def blocked_reason(transition: str, case: Case) -> str | None:
    """Why a registered condition stops `transition` now, or None."""
    for condition in registry.conditions:
        if condition.transition == transition and not condition.holds(case):
            return condition.reason(case)
    return None


def transition_condition(transition: str) -> Callable[[Case], bool]:
    """A django-fsm condition for `transition`: every condition the apps registered holds."""

    def condition(case: Case) -> bool:
        return conditions_hold(transition, case)

    condition.__name__ = f"{transition}_conditions"
    return condition


def taken_by_an_app(transition: str, case: Case) -> bool:
    return any(s.transition == transition and s.applies(case) for s in registry.own_steps)


def case_page_annotations() -> dict[str, Any]:
    """Every registered annotation of the case page's query, by name."""
    found: dict[str, Any] = {}
    for expressions in registry.case_page_annotations:
        found.update(expressions())
    return found


def case_panels(case: Case, user: User) -> tuple[list[str], Context]:
    """The templates of the case page's panels, in order, and the context they read."""
    context: Context = {}
    for panel in registry.case_panels:
        context.update(panel.context(case, user))
    return [p.template for p in registry.case_panels], context


def home_sections(user: User, *, live: bool = False) -> tuple[list[str], Context]:
    """The templates of the home page's sections from the apps, in order, and their context:
    the live ones, or the others."""
    panels = [panel for panel in registry.home_sections if panel.live == live]
    context: Context = {}
    for panel in panels:
        context.update(panel.context(user))
    return [p.template for p in panels], context


def decision_material(case: Case, point: str) -> tuple[list[str], list[str], Context]:
    """The templates (decision page, decision document) for `point` and their material."""
    material: Context = {}
    pages, pdfs = [], []
    for contribution in registry.decision_material:
        if contribution.point == point:
            material.update(contribution.context(case, point))
            pages.append(contribution.template)
            pdfs.append(contribution.pdf_template)
    return pages, pdfs, material


def document_section(kind: str) -> DocumentSection | None:
    return registry.documents.get(kind)
