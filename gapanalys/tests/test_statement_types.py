"""The region's kinds of statement before BP2 (issue 13): kept by its organisation
administrator in the product's pages, each required or optional for the region's own cases and
for joint cases; Jämtland's and Västernorrland's reference kinds; the BP2 gate reads them."""

from datetime import date

import pytest
from django.urls import reverse

from gapanalys import services
from gapanalys.models import StatementType, required_statement_kinds, statement_types_of
from kunskapsstyrning.models import Case
from organisation.models import Region, Role
from organisation.tests.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(office):
    user = UserFactory(username="ada", first_name="Ada", last_name="Administratör")
    member(user, office, Role.ADMINISTRATOR, start_date=date(2024, 1, 1))
    return user


def url(region, *rest):
    if not rest:
        return reverse("yttranden:statement_types", args=[region.pk])
    if rest == ("ny",):
        return reverse("yttranden:statement_type_create", args=[region.pk])
    return reverse("yttranden:statement_type_edit", args=[region.pk, rest[0]])


def test_jamtland_and_vasternorrland_start_from_their_reference_kinds(db):
    from organisation.loaders import load_reference_data

    load_reference_data()
    jh, vn = Region.objects.get(code="23"), Region.objects.get(code="22")
    own, joint = Case(region=jh, joint=False), Case(region=vn, joint=True)
    assert required_statement_kinds(own) == [
        "lpo",
        "patientsakerhet",
        "divisionsledning",
        "programagare",
    ]
    assert required_statement_kinds(joint) == ["lpo", "operativ_arbetsgrupp", "kommunala_natverk"]
    assert "undantrangning" in [t.key for t in statement_types_of(vn)]


def test_the_administrator_adds_a_kind_the_region_requires_for_joint_cases(
    client, ada, region, analysis, lars
):
    client.force_login(ada)
    page = client.get(url(region)).content.decode()
    assert "referensuppsättningen" in page and "Programägarens godkännande" in page
    response = client.post(
        url(region, "ny"),
        {"name": "Operativ arbetsgrupp", "key": "", "required_joint": "on"},
    )
    assert response.status_code == 302
    kinds = {t.key: t for t in StatementType.objects.filter(region=region)}
    # The reference kinds became the region's own, and the new one is after them.
    assert list(kinds)[-1] == "operativ_arbetsgrupp" and len(kinds) == 6
    assert kinds["operativ_arbetsgrupp"].required_joint
    assert not kinds["operativ_arbetsgrupp"].required_own
    # The region's own cases do not wait for it; joint ones do.
    assert "operativ_arbetsgrupp" not in analysis.required_statement_kinds()
    Case.objects.filter(pk=analysis.case_id).update(joint=True)
    analysis.refresh_from_db()
    assert "Operativ arbetsgrupp" in " ".join(str(b) for b in analysis.bp2_blockers())
    # The LAG may give a statement of the new kind.
    services.statement_add(
        analysis_id=analysis.pk,
        actor=lars,
        kind="operativ_arbetsgrupp",
        body="Operativ arbetsgrupp RVN",
        author="Ordförande",
        given_on=date(2024, 9, 1),
        text="Beredd.",
    )
    assert "Operativ arbetsgrupp" not in " ".join(str(b) for b in analysis.bp2_blockers())


def test_the_administrator_makes_a_required_kind_optional(client, ada, region, analysis):
    client.force_login(ada)
    assert "programagare" in analysis.required_statement_kinds()
    response = client.post(
        url(region, "programagare"), {"name": "Programägarens godkännande", "required_own": ""}
    )
    assert response.status_code == 302
    assert "programagare" not in analysis.required_statement_kinds()


def test_a_kind_without_a_name_or_a_second_kind_with_the_same_key_is_refused(client, ada, region):
    client.force_login(ada)
    response = client.post(url(region, "ny"), {"name": " ", "key": ""})
    assert response.status_code == 200 and "Fyll i" in response.content.decode()
    response = client.post(url(region, "ny"), {"name": "LPO igen", "key": "lpo"})
    assert response.status_code == 200
    assert "redan ett yttrande med koden lpo" in response.content.decode()
    # Refused: nothing saved, not even the reference kinds the save would have made its own.
    assert not StatementType.objects.filter(region=region).exists()


def test_permission_triad(client, region, alice, sven, ada):
    for target in (url(region), url(region, "ny"), url(region, "lpo")):
        assert client.get(target).status_code == 302  # anonymous: to the login page
    client.force_login(alice)  # not an administrator: 403, nothing saved
    assert client.get(url(region)).status_code == 403
    assert client.post(url(region, "ny"), {"name": "X"}).status_code == 403
    sigrid = UserFactory(username="sigrid")
    other_office = UnitFactory(
        kind="kansli", code="RS_KANSLI_Y", region=sven.memberships.first().unit.region
    )
    member(sigrid, other_office, Role.ADMINISTRATOR, start_date=date(2024, 1, 1))
    client.force_login(sigrid)  # another region's administrator: 404
    assert client.get(url(region)).status_code == 404
    assert client.post(url(region, "ny"), {"name": "X"}).status_code == 404
    client.force_login(ada)
    assert client.get(url(region, "finns_inte")).status_code == 404
    assert not StatementType.objects.exists()


def test_query_counts_are_pinned(client, ada, region, django_assert_num_queries):
    client.force_login(ada)
    client.get(url(region))
    # session, user, the scope's memberships, the region, the region's kinds
    with django_assert_num_queries(5):
        assert client.get(url(region)).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(url(region, "lpo")).status_code == 200
