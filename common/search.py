"""Case-insensitive search of Swedish text that gives the same answer on SQLite and PostgreSQL.

Django's `icontains` is `LIKE` on SQLite, which folds only ASCII: "ångest" does not find
"Ångest" there, while PostgreSQL's `UPPER()` folds every letter. `contains_folded()` lowers both
sides the same way on each database instead: PostgreSQL's `LOWER()` (the database's ctype
folds å, ä, ö, é like Python does), and on SQLite a function `sv_lower` that is Python's
`str.lower` (registered on every new connection, see `register_sqlite_functions`).
"""

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
