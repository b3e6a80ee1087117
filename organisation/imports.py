"""Import people and their roles into a region from a spreadsheet (an HSA-style export).

One row is one person, and optionally one role of theirs: a person with three roles is on
three rows with the same HSA-ID. The file is read by common.tabular, every row is checked
against the database and the rows before it, and the preview reports each row. Nothing is
saved unless every row is right (`import_apply`, one transaction); 5,000 rows take seconds
because every lookup is one query for the whole file and every write is a bulk insert.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from common.tabular import read_table
from common.validators import planned

from .models import (
    ChangeKind,
    Membership,
    Municipality,
    OrganisationChange,
    Role,
    Unit,
    UnitUserObjectPermission,
    User,
    normalise_hsa_id,
    permissions_for,
)

MAX_ROWS = 10_000
MAX_BYTES = 5 * 1024 * 1024
COLUMNS = {
    "hsa_id": "HSA-id",
    "first_name": "Förnamn",
    "last_name": "Efternamn",
    "email": "E-post",
    "title": "Titel",
    "organisation_name": "Arbetsplats",
    "municipality": "Kommunkod",
    "unit": "Enhetskod",
    "role": "Roll",
    "start": "Från",
    "end": "Till",
}
REQUIRED = ("hsa_id", "first_name", "last_name")
HSA_ID = re.compile(r"^[A-Z]{2}\d{10}-[A-Z0-9]{1,30}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROLE_BY_NAME = {
    **{value: value for value, _label in Role.choices},
    **{str(label).lower(): value for value, label in Role.choices},
}


class ImportRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class RowReport:
    line: int
    hsa_id: str
    name: str
    outcome: str = ""
    problems: list = field(default_factory=list)


@dataclass
class Preview:
    rows: list
    new_people: int = 0
    roles: int = 0

    @property
    def rejected(self):
        return [r for r in self.rows if r.problems]

    @property
    def ok(self):
        return bool(self.rows) and not self.rejected


def read_rows(upload):
    """The file's rows as dicts keyed by COLUMNS (raw text), with their line numbers."""
    table = read_table(upload, max_bytes=MAX_BYTES, max_rows=MAX_ROWS)
    if table.header is None:
        raise ImportRefused(_("Filen har inga rader. Inget lästes in."))
    wanted = {label.lower(): key for key, label in COLUMNS.items()}
    positions = {}
    for index, title in enumerate(table.header.cells):
        key = wanted.get(title.strip().lower())
        if key:
            positions[key] = index
    missing = [COLUMNS[key] for key in REQUIRED if key not in positions]
    if missing:
        raise ImportRefused(
            _("Kolumnerna %(missing)s saknas. Första raden ska ha rubrikerna %(all)s.")
            % {"missing": ", ".join(missing), "all": ", ".join(COLUMNS.values())}
        )
    rows = []
    for row in table.body:
        values = {key: row.cell(index).strip() for key, index in positions.items()}
        formulas = [COLUMNS[key] for key, index in positions.items() if row.is_formula(index)]
        rows.append({"line": row.line, "values": values, "formulas": formulas})
    if not rows:
        raise ImportRefused(_("Filen har bara rubrikraden. Inget lästes in."))
    return rows


def _date(text, label, problems):
    if not text:
        return None
    try:
        day = date.fromisoformat(text[:10])
    except ValueError:
        problems.append(_("%(col)s är inget datum (ÅÅÅÅ-MM-DD): %(v)s") % {"col": label, "v": text})
        return None
    try:  # a role's dates are planned: from the product's era, within three decades
        planned(day)
    except ValidationError as exc:
        problems.append(f"{label}: {' '.join(exc.messages)}")
        return None
    return day


def check(region, rows):
    """Judge every row against the database and the rows above it; returns a Preview."""
    hsa_ids = {normalise_hsa_id(r["values"].get("hsa_id")) for r in rows} - {""}
    emails = {r["values"].get("email", "").lower() for r in rows} - {""}
    existing_by_hsa = {
        u.hsa_id: u for u in User.objects.filter(hsa_id__in=hsa_ids).select_related("municipality")
    }
    existing_by_email = {}
    for user in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails):
        existing_by_email.setdefault(user.email.lower(), user)
    units = {u.code: u for u in Unit.objects.filter(region=region)}
    municipalities = {m.code: m for m in Municipality.objects.filter(region=region)}
    known_user_ids = {u.pk for u in existing_by_hsa.values()}
    held = {}  # (user_id, unit_id, role) -> [(start, end)]
    chairs = {}  # unit_id -> [(start, end)]
    for m in Membership.objects.filter(unit__region=region).filter(
        user_id__in=known_user_ids
    ) | Membership.objects.filter(unit__region=region, role=Role.CHAIR):
        if m.user_id in known_user_ids:
            held.setdefault((m.user_id, m.unit_id, m.role), []).append((m.start_date, m.end_date))
        if m.role == Role.CHAIR:
            chairs.setdefault(m.unit_id, []).append((m.start_date, m.end_date))

    preview = Preview(rows=[])
    seen_hsa = {}  # hsa_id -> (line, name, email)
    seen_email = {}  # email -> (line, hsa_id)
    today = timezone.localdate()
    for raw in rows:
        v, line = raw["values"], raw["line"]
        problems = [
            _("%(col)s innehåller en formel.") % {"col": col} for col in raw.get("formulas", [])
        ]
        hsa_id = normalise_hsa_id(v.get("hsa_id"))
        first, last = v.get("first_name", ""), v.get("last_name", "")
        email = v.get("email", "")
        name = f"{first} {last}".strip()
        report = RowReport(line=line, hsa_id=hsa_id, name=name, problems=problems)
        preview.rows.append(report)
        if not hsa_id:
            problems.append(_("HSA-id saknas."))
        elif not HSA_ID.match(hsa_id):
            problems.append(
                _("HSA-id:t %(v)s har fel form (t.ex. SE2321000016-AB12).") % {"v": hsa_id}
            )
        if not first or not last:
            problems.append(_("För- och efternamn behövs."))
        if email and not EMAIL.match(email):
            problems.append(
                _("E-postadressen %(v)s ser inte ut som en e-postadress.") % {"v": email}
            )
        municipality = None
        if v.get("municipality"):
            municipality = municipalities.get(v["municipality"])
            if municipality is None:
                problems.append(
                    _("Kommunkoden %(v)s hör inte till %(region)s.")
                    % {"v": v["municipality"], "region": region.name}
                )
        # One HSA-ID is one person: the same on two rows must name the same person.
        if hsa_id:
            earlier = seen_hsa.get(hsa_id)
            if earlier and (earlier[1].lower(), earlier[2].lower()) != (
                name.lower(),
                email.lower(),
            ):
                problems.append(
                    _("HSA-id:t %(hsa)s står redan på rad %(line)s för en annan person (%(name)s).")
                    % {"hsa": hsa_id, "line": earlier[0], "name": earlier[1]}
                )
            seen_hsa.setdefault(hsa_id, (line, name, email))
        if email:
            earlier = seen_email.get(email.lower())
            if earlier and earlier[1] != hsa_id:
                problems.append(
                    _("E-postadressen %(email)s står redan på rad %(line)s med ett annat HSA-id.")
                    % {"email": email, "line": earlier[0]}
                )
            seen_email.setdefault(email.lower(), (line, hsa_id))
        person = existing_by_hsa.get(hsa_id)
        if person is None and email:
            other = existing_by_email.get(email.lower())
            if other is not None:
                problems.append(
                    _(
                        "E-postadressen %(email)s hör redan till %(name)s med %(what)s; "
                        "en person kan inte läggas upp två gånger."
                    )
                    % {
                        "email": email,
                        "name": other.get_full_name(),
                        "what": (
                            _("HSA-id %(hsa)s") % {"hsa": other.hsa_id}
                            if other.hsa_id
                            else _("inget HSA-id")
                        ),
                    }
                )
        if person is None and hsa_id and seen_hsa[hsa_id][0] == line:
            preview.new_people += 1
        outcome = [_("finns redan") if person else _("ny person")]
        if v.get("unit") or v.get("role"):
            unit = units.get(v.get("unit", ""))
            role = ROLE_BY_NAME.get(v.get("role", "").strip().lower())
            start = _date(v.get("start", ""), COLUMNS["start"], problems) or today
            end = _date(v.get("end", ""), COLUMNS["end"], problems)
            if unit is None:
                problems.append(
                    _("Enhetskoden %(v)s finns inte i %(region)s.")
                    % {"v": v.get("unit") or "–", "region": region.name}
                )
            if role is None:
                problems.append(_("Rollen %(v)s finns inte.") % {"v": v.get("role") or "–"})
            if unit is not None and role is not None:
                problems.extend(
                    _role_rules(unit, role, municipality or (person and person.municipality))
                )
                if end and end < start:
                    problems.append(_("Uppdraget kan inte sluta innan det börjar."))
                key = (person.pk if person else hsa_id, unit.pk, role)
                periods = held.setdefault(key, [])
                if any(_overlap(p, (start, end)) for p in periods):
                    problems.append(
                        _("Personen har redan rollen %(role)s i %(unit)s under perioden.")
                        % {"role": Role(role).label, "unit": unit.name}
                    )
                periods.append((start, end))
                if role == Role.CHAIR:
                    unit_chairs = chairs.setdefault(unit.pk, [])
                    if any(_overlap(p, (start, end)) for p in unit_chairs):
                        problems.append(
                            _("%(unit)s har redan en ordförande under perioden.")
                            % {"unit": unit.name}
                        )
                    unit_chairs.append((start, end))
                outcome.append(
                    _("%(role)s i %(unit)s från %(start)s")
                    % {"role": Role(role).label.lower(), "unit": unit.name, "start": start}
                )
                preview.roles += 1
        report.outcome = ", ".join(str(part) for part in outcome)
    return preview


def _overlap(a, b):
    far = date.max
    return a[0] <= (b[1] or far) and b[0] <= (a[1] or far)


def _role_rules(unit, role, municipality):
    from .services import MUNICIPAL_ROLES, ROLE_UNIT_KINDS

    problems = []
    kinds = ROLE_UNIT_KINDS.get(role)
    if kinds is not None and unit.kind not in kinds:
        problems.append(
            _("Rollen %(role)s kan inte ges i en %(kind)s.")
            % {"role": Role(role).label, "kind": unit.kind}
        )
    if role in MUNICIPAL_ROLES:
        if not unit.municipalities_participate:
            problems.append(_("Kommunerna deltar inte i %(unit)s.") % {"unit": unit.name})
        elif municipality is None or municipality.region_id != unit.region_id:
            problems.append(
                _("En %(role)s måste arbeta för en deltagande kommun (ange Kommunkod).")
                % {"role": Role(role).label.lower()}
            )
    return problems


@transaction.atomic
def import_apply(*, actor, region, rows) -> dict:
    """Check the rows again and save them all, or nothing (raises ImportRefused)."""
    from .selectors import administered_region_ids

    ids = administered_region_ids(actor)
    if ids is not None and region.pk not in ids:
        raise PermissionDenied
    # Hold the region's units while the rows are checked and written: a chair appointed in
    # the pages meanwhile cannot slip past the one-chair check.
    list(Unit.objects.select_for_update().filter(region=region).values_list("pk", flat=True))
    preview = check(region, rows)
    if not preview.ok:
        raise ImportRefused(
            ngettext(
                "%(n)s rad har fel; inget har lästs in.",
                "%(n)s rader har fel; inget har lästs in.",
                len(preview.rejected),
            )
            % {"n": len(preview.rejected)}
        )
    units = {u.code: u for u in Unit.objects.filter(region=region)}
    municipalities = {m.code: m for m in Municipality.objects.filter(region=region)}
    hsa_ids = {normalise_hsa_id(r["values"]["hsa_id"]) for r in rows}
    people = {u.hsa_id: u for u in User.objects.filter(hsa_id__in=hsa_ids)}
    taken = set(
        User.objects.filter(username__in=[h.lower() for h in hsa_ids]).values_list(
            "username", flat=True
        )
    )
    new_people = []
    for raw in rows:
        v = raw["values"]
        hsa_id = normalise_hsa_id(v["hsa_id"])
        if hsa_id in people:
            continue
        username = hsa_id.lower() if hsa_id.lower() not in taken else f"{hsa_id.lower()}-imp"
        person = User(
            username=username,
            first_name=v["first_name"],
            last_name=v["last_name"],
            email=v.get("email", ""),
            hsa_id=hsa_id,
            title=v.get("title", ""),
            organisation_name=v.get("organisation_name", ""),
            municipality=municipalities.get(v.get("municipality", "")),
        )
        person.set_unusable_password()
        people[hsa_id] = person
        new_people.append(person)
    User.objects.bulk_create(new_people, batch_size=1000)
    if new_people and new_people[0].pk is None:  # SQLite before 3.35 / no RETURNING
        people.update({u.hsa_id: u for u in User.objects.filter(hsa_id__in=hsa_ids)})

    today = timezone.localdate()
    memberships = []
    for raw in rows:
        v = raw["values"]
        if not v.get("unit"):
            continue
        memberships.append(
            Membership(
                user=people[normalise_hsa_id(v["hsa_id"])],
                unit=units[v["unit"]],
                role=ROLE_BY_NAME[v["role"].strip().lower()],
                start_date=date.fromisoformat(v["start"][:10]) if v.get("start") else today,
                end_date=date.fromisoformat(v["end"][:10]) if v.get("end") else None,
            )
        )
    bulk_create_with_history(memberships, Membership, batch_size=1000, default_user=actor)
    _grant(memberships, today)
    summary = _("Importerade %(rows)s rader: %(people)s nya personer, %(roles)s uppdrag.") % {
        "rows": len(rows),
        "people": len(new_people),
        "roles": len(memberships),
    }
    OrganisationChange.objects.create(
        region=region, actor=actor, kind=ChangeKind.IMPORTED, summary=summary
    )
    return {"rows": len(rows), "people": len(new_people), "roles": len(memberships)}


def _grant(memberships, today):
    """The unit permissions the new active memberships imply, in one bulk insert."""
    wanted = set()
    for m in memberships:
        if m.is_active(today):
            for codename in permissions_for(m.role, m.unit.kind):
                wanted.add((m.user.pk, m.unit.pk, codename))
    if not wanted:
        return
    permission_ids = dict(
        Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Unit),
            codename__in={codename for _u, _unit, codename in wanted},
        ).values_list("codename", "pk")
    )
    held = set(
        UnitUserObjectPermission.objects.filter(
            user_id__in={user_id for user_id, _unit, _c in wanted}
        ).values_list("user_id", "content_object_id", "permission__codename")
    )
    UnitUserObjectPermission.objects.bulk_create(
        [
            UnitUserObjectPermission(
                user_id=user_id, content_object_id=unit_id, permission_id=permission_ids[codename]
            )
            for user_id, unit_id, codename in sorted(wanted - held)
        ],
        batch_size=1000,
    )
