"""What every product form says about a date it cannot read."""

import pytest
from django import forms

from common import forms as common_forms


class Meeting(common_forms.Form):
    day = forms.DateField(label="Datum", error_messages={"invalid": "Fel format."})


@pytest.mark.parametrize("typed", ["2026-02-31", "31/12/2026", "igår"])
def test_a_date_that_cannot_be_read_is_asked_for_as_a_real_day(typed):
    form = Meeting({"day": typed})
    assert not form.is_valid()
    # 2026-02-31 is written as asked: the message does not say the format is wrong.
    assert form.errors["day"] == [
        "Ange ett datum som finns, som ÅÅÅÅ-MM-DD (till exempel 2026-02-28)."
    ]
    assert form.fields["day"].widget.attrs["aria-invalid"] == "true"
