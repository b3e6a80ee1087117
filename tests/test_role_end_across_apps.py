"""An organisation change seen from the other apps' pages: a role ended today closes the
case and the remiss round at once; a LAG member reads the cases of the LAG's LPO.

Here, not in organisation/tests: `organisation` is below the apps whose pages these walk."""

from datetime import date, timedelta

import pytest

from conftest import START
from kunskapsstyrning.models import Case
from organisation import services
from organisation.models import ChangeKind, Membership, OrganisationChange, Role, User
from organisation.permissions import scope_of
from organisation.tests.factories import UserFactory, member
from remisser.tests.factories import distribute, register, response_of
from tests.test_url_permissions import fill, product_patterns

pytestmark = pytest.mark.django_db
TODAY = date.today()


@pytest.fixture
def ada(office):
    """The organisation administrator of Region Norr (as in organisation/tests)."""
    user = UserFactory(username="ada", first_name="Ada", last_name="Administratör")
    member(user, office, Role.ADMINISTRATOR, start_date=START)
    return user


def test_a_role_ended_today_takes_the_access_with_it_on_every_page(client, ada, alice, case):
    """Every page under the case that the chair could open is closed to her at once."""
    client.force_login(alice)
    routes = [r for _n, r, _p in product_patterns() if r.startswith("arenden/<id:pk>/")]
    open_before = [
        fill(r, case.pk) for r in routes if client.get(fill(r, case.pk)).status_code == 200
    ]
    assert len(open_before) >= 2, open_before  # the case page and more
    assert client.get("/arenden/").content.decode().count(f"/arenden/{case.pk}/") >= 1

    services.role_end(actor=ada, membership=Membership.objects.get(user=alice, role=Role.CHAIR))

    membership = Membership.objects.get(user=alice, role=Role.CHAIR)
    assert membership.end_date == TODAY - timedelta(days=1)
    assert not scope_of(User.objects.get(pk=alice.pk)).units
    still_open = [path for path in open_before if client.get(path).status_code not in (403, 404)]
    assert still_open == []
    assert f"/arenden/{case.pk}/" not in client.get("/arenden/").content.decode()
    assert OrganisationChange.objects.filter(kind=ChangeKind.ROLE_ENDED, person=alice).exists()


def test_a_role_ended_today_closes_the_lpos_remiss_round_and_lists_at_once(
    client, ada, alice, bob, lpo, other_lpo, region, sara, support, case
):
    remiss = register(sara, region, lpo, support, concerned_lpos=[other_lpo])
    distribute(remiss, [lpo, other_lpo])
    answer = response_of(remiss, lpo)
    pages = [
        f"/remisser/{remiss.pk}/",
        f"/remisser/{remiss.pk}/svar/{answer.pk}/",
        f"/remisser/{remiss.pk}/synpunkter/",
    ]
    client.force_login(alice)
    open_before = [path for path in pages if client.get(path).status_code == 200]
    assert open_before, "the chair reaches her LPO's remiss round"
    lists = ["/", "/remisser/", "/tavla/", "/arenden/"]
    shown_before = {
        path: client.get(path).content.decode().count(f"/{remiss.pk}/")
        + client.get(path).content.decode().count(f"/arenden/{case.pk}/")
        for path in lists
    }
    assert any(shown_before.values()), shown_before

    services.role_end(actor=ada, membership=Membership.objects.get(user=alice, role=Role.CHAIR))

    assert [p for p in open_before if client.get(p).status_code not in (403, 404)] == []
    for path in lists:
        html = client.get(path).content.decode()
        assert f"/remisser/{remiss.pk}/" not in html and f"/arenden/{case.pk}/" not in html, path


def test_a_lag_member_reads_the_cases_of_the_lags_lpo(lars, make_case, alice, other_lpo, bob):
    mine = make_case("prioritering")
    theirs = make_case("prioritering", responsible_lpo=other_lpo)
    lars = type(lars).objects.get(pk=lars.pk)
    visible = set(Case.objects.visible_to(lars))
    assert mine in visible and theirs not in visible
