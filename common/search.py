"""Case-insensitive search of Swedish text that gives the same answer on SQLite and PostgreSQL.

Django's `icontains` is `LIKE` on SQLite, which folds only ASCII: "ångest" does not find
"Ångest" there, while PostgreSQL's `UPPER()` folds every letter. `contains_folded()` lowers both
sides the same way on each database instead: PostgreSQL's `LOWER()` (the database's ctype
folds å, ä, ö, é like Python does), and on SQLite a function `sv_lower` that is Python's
`str.lower` (registered on every new connection, see `register_sqlite_functions`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q


def _sqlite_lower(value):
    return None if value is None else str(value).lower()


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created receiver: SQLite learns `sv_lower` (Python's lower())."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("sv_lower", 1, _sqlite_lower, deterministic=True)


def contains_folded(text: str, *fields: str) -> Q:
    """Q: any of `fields` contains `text`, ignoring case (also å/ä/ö) on every database."""
    needle = text.strip().lower()
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__sv_contains": needle})
    return query


class Lowered(models.Func):
    """LOWER(expression), folding å, ä, ö on SQLite too: for ordering titles regardless of case."""

    function = "LOWER"
    output_field = models.TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="SV_LOWER", **extra_context)


@models.CharField.register_lookup
@models.TextField.register_lookup
class FoldedContains(models.lookups.Contains):
    """`field__sv_contains=text`: LOWER(field) LIKE %text% with text already lowered."""

    lookup_name = "sv_contains"

    def process_lhs(self, compiler, connection, lhs=None):
        lhs_sql, params = super().process_lhs(compiler, connection, lhs)
        function = "SV_LOWER" if connection.vendor == "sqlite" else "LOWER"
        return f"{function}({lhs_sql})", params

    def get_rhs_op(self, connection, rhs):
        return connection.operators["contains"] % rhs


# --- The header's search: each app says what it can find ------------------------------------
# The core's search page knows no feature app: an app registers a finder in its
# AppConfig.ready(), the way apps register their ModelAdmins.


@dataclass(frozen=True)
class Hit:
    """One thing found: what it is called, where it lives, and a line about it."""

    title: str
    url: str
    meta: str = ""


@dataclass(frozen=True)
class Finder:
    """A group of search results: its heading and `find(user, text, limit)` -> list[Hit]."""

    key: str
    heading: str
    find: Callable
    order: int = 0


_FINDERS: dict[str, Finder] = {}

SEARCH_LIMIT = 20


def register_finder(finder: Finder) -> None:
    _FINDERS[finder.key] = finder


def search_everything(user, text: str) -> list[tuple[Finder, list[Hit]]]:
    """Every registered finder's hits for `text` (one query each), in their order."""
    text = (text or "").strip()
    if not text:
        return []
    finders = sorted(_FINDERS.values(), key=lambda f: (f.order, f.key))
    return [(finder, finder.find(user, text, SEARCH_LIMIT)) for finder in finders]
