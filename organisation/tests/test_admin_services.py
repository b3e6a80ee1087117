"""The administrator's services: units, people, roles and nominations, each with its history."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from organisation import services
from organisation.models import (
    ChangeKind,
    Membership,
    OrganisationChange,
    Role,
    Unit,
    UnitKind,
    User,
)
from organisation.permissions import scope_of
from organisation.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date.today()


@pytest.fixture
def open_lag(lpo):
    return UnitFactory(
        kind=UnitKind.LAG,
        name="LAG Hjärtsvikt",
        code="RN_LAG_OPEN",
        region=lpo.region,
        parent=lpo,
        municipalities_participate=True,
    )


def test_a_municipal_representative_must_work_for_a_participating_municipality(
    ada, open_lag, norrby, sydby, alice
):
    kim = UserFactory(username="kim", first_name="Kim", municipality=norrby)
    stina = UserFactory(username="stina", first_name="Stina", municipality=sydby)
    for person in (alice, stina):  # a chair with no municipality; one from another county
        with pytest.raises(ValidationError, match="deltagande kommunerna"):
            services.role_add(
                actor=ada,
                unit=open_lag,
                person=person,
                role=Role.MUNICIPAL_REPRESENTATIVE,
                start_date=TODAY,
            )
    membership = services.role_add(
        actor=ada, unit=open_lag, person=kim, role=Role.MUNICIPAL_REPRESENTATIVE, start_date=TODAY
    )
    assert list(Membership.objects.filter(unit=open_lag)) == [membership]
    change = OrganisationChange.objects.get(kind=ChangeKind.NOMINATED)
    assert change.actor == ada and change.person == kim and change.unit == open_lag
    assert "Kim" in change.summary and "LAG Hjärtsvikt" in change.summary


def test_no_municipal_representative_where_the_municipalities_do_not_take_part(ada, lag, norrby):
    kim = UserFactory(username="kim", municipality=norrby)
    with pytest.raises(ValidationError, match="Kommunerna deltar inte"):
        services.role_add(
            actor=ada, unit=lag, person=kim, role=Role.MUNICIPAL_REPRESENTATIVE, start_date=TODAY
        )
    assert not Membership.objects.filter(user=kim).exists()


def test_the_same_role_twice_in_the_same_period_is_refused(ada, lars, lag):
    with pytest.raises(ValidationError, match="har redan rollen"):
        services.role_add(actor=ada, unit=lag, person=lars, role=Role.MEMBER, start_date=TODAY)
    assert Membership.objects.filter(user=lars).count() == 1


def test_a_strategist_belongs_in_the_office_not_in_an_lpo(ada, lpo, olle):
    with pytest.raises(ValidationError, match="kan inte ges i en LPO"):
        services.role_add(actor=ada, unit=lpo, person=olle, role=Role.STRATEGIST, start_date=TODAY)


def test_a_second_chair_at_the_same_time_is_refused(ada, lpo, alice, olle):
    with pytest.raises(ValidationError, match="redan en ordförande"):
        services.role_add(actor=ada, unit=lpo, person=olle, role=Role.CHAIR, start_date=TODAY)
    assert not OrganisationChange.objects.exists()


def test_an_administrator_cannot_change_another_regions_organisation(sigrid, lpo, olle):
    with pytest.raises(PermissionDenied):
        services.role_add(actor=sigrid, unit=lpo, person=olle, role=Role.MEMBER, start_date=TODAY)
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=sigrid, region=lpo.region, kind="LSG", name="X", code="X")
    assert not Membership.objects.filter(user=olle).exists()
    assert not Unit.objects.filter(code="X").exists()


def test_a_unit_in_the_wrong_place_is_refused_with_a_swedish_message(ada, region):
    with pytest.raises(ValidationError) as refused:
        services.unit_create(actor=ada, region=region, kind=UnitKind.LAG, name="LAG", code="L")
    assert "måste ha en överordnad LPO" in " ".join(refused.value.messages)
    assert not Unit.objects.filter(code="L").exists()
    assert not OrganisationChange.objects.exists()


def test_two_people_cannot_share_an_hsa_id(ada, region):
    services.person_create(
        actor=ada, region=region, first_name="A", last_name="A", hsa_id="se2321000016-aaaa"
    )
    assert User.objects.get(first_name="A").hsa_id == "SE2321000016-AAAA"
    with pytest.raises(ValidationError, match="HSA-id:t används redan"):
        services.person_create(
            actor=ada, region=region, first_name="B", last_name="B", hsa_id="SE2321000016-AAAA "
        )
    assert User.objects.filter(first_name="B").count() == 0


def test_two_people_cannot_share_an_e_mail_address_whatever_its_case(ada, region):
    """Sign-in finds a person by e-mail when the IdP gives no HSA-ID: one address, one person."""
    first = services.person_create(
        actor=ada, region=region, first_name="Åsa", last_name="A", email="asa@example.se"
    )
    with pytest.raises(ValidationError, match="E-postadressen används redan"):
        services.person_create(
            actor=ada, region=region, first_name="Åsa", last_name="B", email=" ASA@example.se"
        )
    assert User.objects.filter(last_name="B").count() == 0
    other = services.person_create(
        actor=ada, region=region, first_name="Bo", last_name="B", email="bo@example.se"
    )
    with pytest.raises(ValidationError, match="E-postadressen används redan"):
        services.person_update(actor=ada, person=other, email="Asa@Example.se")
    assert User.objects.get(pk=other.pk).email == "bo@example.se"
    # Saving a person with their own address, in another case, is no clash.
    services.person_update(actor=ada, person=first, email="Asa@example.se")
    assert User.objects.get(pk=first.pk).email == "Asa@example.se"


def test_a_role_that_has_not_begun_is_withdrawn(ada, lpo, olle):
    membership = services.role_add(
        actor=ada, unit=lpo, person=olle, role=Role.MEMBER, start_date=TODAY
    )
    services.role_end(actor=ada, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not scope_of(User.objects.get(pk=olle.pk)).units


def test_an_ended_role_cannot_be_ended_again(ada, lpo, olle):
    membership = Membership.objects.create(
        user=olle,
        unit=lpo,
        role=Role.MEMBER,
        start_date=date(2024, 1, 1),
        end_date=date(2024, 2, 1),
    )
    with pytest.raises(ValidationError, match="redan avslutat"):
        services.role_end(actor=ada, membership=membership)
