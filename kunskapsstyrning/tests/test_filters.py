"""The lists' filters (django-filter): the names bookmarks use, escaped options, kept selects."""

import pytest
from django.template.loader import render_to_string

from kunskapsstyrning.filters import CaseFilter
from kunskapsstyrning.models import Case
from organisation.models import Unit, UnitKind
from organisation.tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


def rendered(filters):
    return render_to_string("kunskapsstyrning/_filters.html", {"form": filters.form})


def test_options_escape_names_and_mark_the_chosen_one(region):
    tricky = UnitFactory(kind=UnitKind.LPO, name='LPO <b>"Hjärta" & kärl</b>', region=region)
    lpos = Unit.objects.filter(kind=UnitKind.LPO)
    html = rendered(CaseFilter({"lpo": str(tricky.pk)}, Case.objects.all(), lpos=lpos))
    assert (
        f'<option value="{tricky.pk}" selected>LPO &lt;b&gt;&quot;Hjärta&quot; &amp; '
        "kärl&lt;/b&gt;</option>"
    ) in html
    assert '<option value="">Alla LPO</option>' in html
    assert '<label for="id_lpo">LPO</label>' in html


def test_the_query_string_names_stay(region):
    html = rendered(CaseFilter({"q": "KOL"}, Case.objects.all(), lpos=Unit.objects.none()))
    for name in ["q", "state", "type", "lpo", "station", "joint"]:
        assert f'name="{name}"' in html
    assert 'value="KOL"' in html
    assert '<option value="" selected>Alla statusar</option>' in html


def test_a_query_string_that_does_not_validate_leaves_the_list_unfiltered(region):
    filters = CaseFilter({"state": "finns-inte"}, Case.objects.all(), lpos=Unit.objects.none())
    assert not filters.filtered
    assert str(filters.qs.query) == str(Case.objects.all().query)


def test_a_kept_select_follows_its_options_and_choice(region):
    units = [UnitFactory(kind=UnitKind.LPO, name=f"LPO {n:03}", region=region) for n in range(3)]
    lpos = Unit.objects.filter(kind=UnitKind.LPO)
    first = rendered(CaseFilter({"lpo": str(units[0].pk)}, Case.objects.all(), lpos=lpos))
    assert f'<option value="{units[0].pk}" selected>' in first
    second = rendered(CaseFilter({"lpo": str(units[1].pk)}, Case.objects.all(), lpos=lpos))
    assert f'<option value="{units[1].pk}" selected>' in second
    assert f'<option value="{units[0].pk}" selected>' not in second
    Unit.objects.filter(pk=units[2].pk).update(name="LPO omdöpt")
    renamed = rendered(CaseFilter({"lpo": str(units[1].pk)}, Case.objects.all(), lpos=lpos))
    assert "LPO omdöpt" in renamed
