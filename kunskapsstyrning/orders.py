"""A region's decision order as one case meets it: who prepares a point, which parts decide
it, whether each principal decides for itself, and who is informed.

The order is kept per region by its administrator (`DecisionRule`). When a case is sent for a
decision the order is copied into the round (`DecisionRound.order`), so the case is decided by
the order in force when it was sent; `Order` reads either the live rule or that copy.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from organisation.models import Municipality
from organisation.permissions import is_chair, scope_of

from .models import Case, DecisionPart, DecisionRule, Outcome, Principal


@dataclass(frozen=True)
class PartSpec:
    """One part a point needs: a principal, and who decides for it."""

    key: str
    principal: str
    label: str
    body_id: int | None = None
    body: str = ""
    municipality_id: int | None = None
    decider: str = ""

    @property
    def who(self) -> str:
        """Who decides for the principal, in words ("hälso- och sjukvårdsdirektören i …")."""
        if self.principal == Principal.LPO:
            return _("LPO:ts ordförande (%(lpo)s)") % {"lpo": self.body}
        if self.decider and self.body:
            return _("%(decider)s (%(body)s)") % {"decider": self.decider, "body": self.body}
        return self.decider or self.body


@dataclass(frozen=True)
class Order:
    """A point's order for one case."""

    point: str
    in_use: bool = True
    each_decides: bool = False
    parts: list[PartSpec] = field(default_factory=list)
    preparing_body_id: int | None = None
    preparing_body: str = ""
    informed: str = ""
    forum_id: int | None = None
    forum: str = ""
    rule_id: int | None = None
    version: int = 0

    def part(self, key: str) -> PartSpec | None:
        return next((p for p in self.parts if p.key == key), None)

    @property
    def is_joint_decision(self) -> bool:
        return len(self.parts) > 1

    def snapshot(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> Order:
        values = dict(data)
        values["parts"] = [PartSpec(**p) for p in values.get("parts", [])]
        return cls(**values)


# A municipality's part of a decision, by its code.
MUNICIPALITY_KEY = "kommun-%s"


def municipality_key(municipality: Municipality) -> str:
    return MUNICIPALITY_KEY % municipality.code


def order_of(
    rule: DecisionRule | None, case: Case, municipalities: Iterable[Municipality] | None = None
) -> Order | None:
    """The order `rule` gives `case` (None without a rule). `municipalities`: the case's
    participating municipalities, if the caller has them (read from the case otherwise, and
    only when the rule has municipalities decide)."""
    if rule is None:
        return None
    parts: list[PartSpec] = []
    if rule.deciding_body_id:
        parts.append(
            PartSpec(
                key=str(Principal.REGION),
                principal=str(Principal.REGION),
                label=case.region.name,
                body_id=rule.deciding_body_id,
                body=rule.deciding_body.name,
                decider=rule.region_decider,
            )
        )
    if rule.municipal_body_id and case.joint:
        if municipalities is None:
            municipalities = case.municipalities.all()
        for municipality in sorted(municipalities, key=lambda m: m.name):
            parts.append(
                PartSpec(
                    key=municipality_key(municipality),
                    principal=str(Principal.MUNICIPALITY),
                    label=municipality.name,
                    body_id=rule.municipal_body_id,
                    body=rule.municipal_body.name,
                    municipality_id=municipality.pk,
                    decider=rule.municipal_decider,
                )
            )
    if rule.lpo_decides:
        parts.append(
            PartSpec(
                key=str(Principal.LPO),
                principal=str(Principal.LPO),
                label=case.responsible_lpo.name,
                body_id=case.responsible_lpo_id,
                body=case.responsible_lpo.name,
            )
        )
    forum = rule.forum
    return Order(
        point=rule.point,
        in_use=rule.in_use,
        each_decides=rule.each_decides,
        parts=parts,
        preparing_body_id=rule.preparing_body_id,
        preparing_body=rule.preparing_body.name if rule.preparing_body_id else "",
        informed=rule.informed,
        forum_id=forum.pk if forum else None,
        forum=forum.name if forum else "",
        rule_id=rule.pk,
        version=rule.version,
    )


def may_record(user: Any, case: Case, part: PartSpec) -> bool:
    """Whether `user` holds the role to record `part` of a decision on `case`.

    A person who represents a municipality never decides for the region, and decides only for
    their own municipality, whichever body they sit in."""
    if part.principal == Principal.LPO:
        return is_chair(user, case)
    scope = scope_of(user)
    if not scope.has("decide_for_unit", part.body_id):
        return False
    if scope.is_admin:
        return True
    if part.principal == Principal.REGION:
        return user.municipality_id is None
    return user.municipality_id == part.municipality_id


def point_outcome(order: Order, parts: Mapping[str, DecisionPart]) -> str | None:
    """The point's outcome once the parts in `parts` (by key) are in, or None while it waits.

    Every part must approve: the first part that does not decides the point at once.
    Each principal decides for itself: the point waits for every part, and goes on (approved)
    if any principal approved — those who did not take no part. If nobody approved, the
    region's part (else the first recorded) says what happens to the case.
    """
    recorded = [parts[p.key] for p in order.parts if p.key in parts]
    if not order.each_decides:
        refusal = next((p for p in recorded if p.outcome != Outcome.APPROVED), None)
        if refusal is not None:
            return refusal.outcome
        return Outcome.APPROVED if len(recorded) == len(order.parts) else None
    if len(recorded) < len(order.parts):
        return None
    if any(p.outcome == Outcome.APPROVED for p in recorded):
        return Outcome.APPROVED
    region = parts.get(str(Principal.REGION))
    first = region or min(recorded, key=lambda p: (p.recorded_at, p.pk))
    return first.outcome
