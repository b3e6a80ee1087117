"""The path converter for ids in addresses (`<id:pk>`)."""


class IdConverter:
    """A database id in an address: 1–18 digits.

    A longer number is no id the database can hold (a bigint has at most 19 digits), so the
    address matches nothing and is a plain 404, instead of reaching a query and failing there
    (Django's `<int:>` takes any number of digits: SQLite raises OverflowError, PostgreSQL
    "out of range", both a 500)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
