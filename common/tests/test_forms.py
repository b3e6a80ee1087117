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


def choosing():
    """A product form choosing one group and several, by id."""
    from django.contrib.auth.models import Group

    class Choosing(common_forms.Form):
        unit = forms.ModelChoiceField(Group.objects.all(), required=False)
        units = forms.ModelMultipleChoiceField(Group.objects.all(), required=False)

    return Choosing


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["99999999999999999999", "-1", "1.5", "²", "abc"])
def test_a_choice_by_id_that_is_no_id_is_refused_not_a_500(typed):
    from django.contrib.auth.models import Group

    unit = Group.objects.create(name="Strateger")
    form = choosing()({"unit": typed, "units": [str(unit.pk), typed]})
    assert not form.is_valid()
    assert set(form.errors) == {"unit", "units"}
    assert "giltigt alternativ" in form.errors["unit"][0]
    assert choosing()({"unit": str(unit.pk), "units": [str(unit.pk)]}).is_valid()


class Titled(common_forms.Form):
    title = forms.CharField(label="Titel")
    note = forms.CharField(label="Anteckning", required=False, widget=forms.Textarea)


@pytest.mark.parametrize("typed", ["\u202e\u200b", "\u200b\u200b", "\ufeff \u2060", " \u00ad "])
def test_a_text_of_nothing_visible_is_empty(typed):
    form = Titled({"title": typed, "note": "x"})
    assert not form.is_valid()
    assert form.errors["title"] == ["Fyll i ”Titel”."]


def test_a_text_keeps_what_is_seen_and_loses_what_is_not_at_its_ends():
    form = Titled({"title": "\u200b Hjärtsvikt\u200b ", "note": "a\u200bb"})
    assert form.is_valid()
    assert form.cleaned_data == {"title": "Hjärtsvikt", "note": "a\u200bb"}
    assert not Titled({"title": "Hjärt\x00svikt"}).is_valid()  # a NUL anywhere is refused


def test_a_text_without_a_limit_of_its_own_has_the_products():
    assert Titled({"title": "T", "note": "x" * 10_000}).is_valid()
    form = Titled({"title": "T", "note": "x" * 102_000})
    assert not form.is_valid()
    assert form.errors["note"] == ["Texten får ha högst 10000 tecken (den har 102000)."]
