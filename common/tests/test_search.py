"""Swedish search ignores case for every letter, å, ä and ö too, on SQLite as on PostgreSQL.

The same assertions run on both databases (`make test` on SQLite, `.ci/run` on PostgreSQL), so
"the same results on both" is what these tests pin.
"""

import pytest
from django.urls import reverse

from kunskapsstyrning.models import Case, KnowledgeSupport
from kunskapsstyrning.tests.factories import KnowledgeSupportFactory

pytestmark = pytest.mark.django_db

TITLES = [
    "Ångest hos vuxna",
    "Ätstörningar",
    "Övervikt och fetma",
    "KOL",
    "Knäledsartros",
    "Schizofreni – förstagångsinsjuknande",
    "Hjärtsvikt – kronisk",
    "Demens i ÄLDREVÅRDEN",
    "Café-kunskap: é och É",
    "100% följsamhet_och_mer",
]

# (what the user types, the titles it must find) — every spelling of a word finds it.
SEARCHES = [
    ("ångest", {"Ångest hos vuxna"}),
    ("ÅNGEST", {"Ångest hos vuxna"}),
    ("Ångest", {"Ångest hos vuxna"}),
    ("ätstörning", {"Ätstörningar"}),
    ("ÄTSTÖRNINGAR", {"Ätstörningar"}),
    ("överVIKT", {"Övervikt och fetma"}),
    ("förstagångsINSJUKNANDE", {"Schizofreni – förstagångsinsjuknande"}),
    ("hjärt", {"Hjärtsvikt – kronisk"}),
    ("äldrevården", {"Demens i ÄLDREVÅRDEN"}),
    ("kol", {"KOL"}),
    ("kn", {"Knäledsartros", "Schizofreni – förstagångsinsjuknande"}),
    ("CAFÉ", {"Café-kunskap: é och É"}),
    ("é och é", {"Café-kunskap: é och É"}),
    # LIKE's wildcards are plain characters to the user.
    ("100%", {"100% följsamhet_och_mer"}),
    ("_och_", {"100% följsamhet_och_mer"}),
    ("%", {"100% följsamhet_och_mer"}),
    ("  ångest  ", {"Ångest hos vuxna"}),
    ("ångestt", set()),
    ("a", {t for t in TITLES if "a" in t.lower()}),
]


@pytest.fixture
def catalogue(db):
    return [KnowledgeSupportFactory(title=title) for title in TITLES]


@pytest.mark.parametrize(("typed", "expected"), SEARCHES)
def test_the_catalogue_finds_a_word_in_any_case(catalogue, typed, expected):
    found = set(KnowledgeSupport.objects.search(typed).values_list("title", flat=True))
    assert found == expected


@pytest.mark.parametrize(("typed", "expected"), SEARCHES)
def test_cases_are_found_by_their_support_in_any_case(catalogue, make_case, alice, typed, expected):
    for support in catalogue:
        make_case("prioritering", knowledge_support=support)
    found = set(Case.objects.search(typed).values_list("knowledge_support__title", flat=True))
    assert found == expected


def test_remisser_are_found_in_any_case(catalogue, region, lpo, sara, alice):
    from remisser.models import Remiss
    from remisser.tests.factories import register

    for support in catalogue[:3]:
        register(sara, region, lpo, support)
    found = Remiss.objects.search("ÅNGEST").values_list("case__knowledge_support__title", flat=True)
    assert set(found) == {"Ångest hos vuxna"}
    assert set(
        Remiss.objects.search("övervikt").values_list("case__knowledge_support__title", flat=True)
    ) == {"Övervikt och fetma"}


def test_the_catalogue_page_finds_angest_typed_in_lower_case(client, catalogue, olle):
    client.force_login(olle)
    page = client.get(reverse("kunskapsstyrning:support_list"), {"q": "ångest"}).content.decode()
    assert "Ångest hos vuxna" in page
    assert "Ätstörningar" not in page


def test_the_case_list_finds_a_case_typed_in_another_case(
    client, catalogue, make_case, alice, sara
):
    make_case("prioritering", knowledge_support=catalogue[0])
    make_case("prioritering", knowledge_support=catalogue[1])
    client.force_login(sara)
    page = client.get(reverse("kunskapsstyrning:case_list"), {"q": "ÅNGEST"}).content.decode()
    assert "Ångest hos vuxna" in page
    assert "Ätstörningar" not in page


def test_the_board_sorts_titles_regardless_of_case_and_shows_number_and_joint_mark(
    catalogue, make_case, alice, client, sara
):
    from kunskapsstyrning.selectors import board

    by_title = {support.title: support for support in catalogue}
    for title in ("KOL", "Knäledsartros", "Hjärtsvikt – kronisk"):
        make_case("bp1", knowledge_support=by_title[title], joint=title == "KOL")
    station = next(s for s in board(Case.objects.all())["stations"] if s["cases"])
    titles = [card.title for card in station["cases"]]
    assert titles == ["Hjärtsvikt – kronisk", "Knäledsartros", "KOL"]  # not "KOL" before "Kn…"
    client.force_login(sara)
    page = client.get(reverse("kunskapsstyrning:board")).content.decode()
    kol = Case.objects.get(knowledge_support__title="KOL")
    assert kol.registry_number in page
    assert 'class="tag tag-joint"' in page
