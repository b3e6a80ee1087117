"""The filter bar writes its select options itself: escaped, with the chosen one selected."""

import pytest

from kunskapsstyrning.forms import CaseFilterForm
from kunskapsstyrning.templatetags.filter_form import with_options
from organisation.models import Unit, UnitKind
from organisation.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def options_of(form, name):
    return dict((field.name, options) for field, options in with_options(form))[name]


def test_options_escape_names_and_mark_the_chosen_one(region):
    tricky = UnitFactory(kind=UnitKind.LPO, name='LPO <b>"Hjärta" & kärl</b>', region=region)
    form = CaseFilterForm({"lpo": str(tricky.pk)}, lpos=Unit.objects.filter(kind=UnitKind.LPO))
    html = options_of(form, "lpo")
    assert (
        f'<option value="{tricky.pk}" selected>LPO &lt;b&gt;&quot;Hjärta&quot; &amp; kärl&lt;/b&gt;'
        "</option>"
    ) in html
    assert html.startswith('<option value="">Alla LPO</option>')
    assert html.count(" selected") == 1


def test_a_text_field_keeps_its_widget(region):
    form = CaseFilterForm({"q": "KOL"}, lpos=Unit.objects.none())
    assert options_of(form, "q") is None
    assert options_of(form, "state").startswith('<option value="" selected>Alla statusar</option>')
