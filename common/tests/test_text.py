from decimal import Decimal

import pytest

from common.forms import whole_number
from common.text import quantity


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("90.00"), "procent", "90 %"),  # as a DecimalField(decimal_places=2) holds it
        (Decimal("90.00"), "%", "90 %"),
        (Decimal("12.50"), "dagar", "12,5 dagar"),
        (Decimal("0.00"), "%", "0 %"),  # a target of nothing is still a target
        (Decimal("-2.10"), "", "−2,1"),
        (Decimal("12345.00"), "besök", "12\u00a0345 besök"),
        (Decimal("0.0400"), "", "0,04"),
        (0.5, "", "0,5"),
        (Decimal("3"), "  ", "3"),
    ],
)
def test_a_quantity_reads_as_swedish_readers_write_it(value, unit, text):
    assert quantity(value, unit) == text


@pytest.mark.parametrize(
    ("value", "number"),
    [("42", 42), ("007", 7), ("", None), ("-1", None), ("4.2", None), ("²", None), ("١", None)],
)
def test_a_whole_number_from_an_address_is_ascii_digits_only(value, number):
    assert whole_number(value) == number
    assert whole_number("9" * 19) is None and whole_number(None) is None


def test_names_one_per_line_read_as_one_line_and_a_title_stays_with_its_name():
    from common.templatetags.swedish import listing

    assert listing("Hanna Ek\n Per Berg \n\n") == "Hanna Ek, Per Berg"
    assert (
        listing("Anna Andersson, förvaltningschef Ånge\nBo Berg, MAS")
        == "Anna Andersson, förvaltningschef Ånge; Bo Berg, MAS"
    )


def test_a_date_that_has_not_happened_is_told_so_whatever_how_far_ahead():
    """A statement dated 2030 was told "senast 2027-12-05", and then 2027-06-01 was refused
    as in the future: one message for both."""
    from datetime import date, timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from common.validators import happened, planned

    far = date(timezone.localdate().year + 4, 1, 1)
    with pytest.raises(ValidationError, match="har inte hänt ännu: datumet kan inte ligga"):
        happened(far)
    happened(timezone.localdate() - timedelta(days=1))
    planned(far)  # something planned may lie years ahead
