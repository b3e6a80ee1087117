import factory
from factory.django import DjangoModelFactory

from organisation.models import (
    HealthcareRegion,
    Membership,
    ProgrammeArea,
    Region,
    Unit,
    UnitKind,
    User,
)


class HealthcareRegionFactory(DjangoModelFactory):
    class Meta:
        model = HealthcareRegion
        django_get_or_create = ["code"]

    code = "NORRA"
    name = "Norra sjukvårdsregionen"


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{n + 30:02d}")
    short_code = factory.Sequence(lambda n: f"R{n:03d}")
    name = factory.Sequence(lambda n: f"Region {n}")
    healthcare_region = factory.SubFactory(HealthcareRegionFactory)


class ProgrammeAreaFactory(DjangoModelFactory):
    class Meta:
        model = ProgrammeArea
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"PA{n}")
    name = factory.Sequence(lambda n: f"Programområde {n}")
    host = factory.SubFactory(HealthcareRegionFactory)


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    kind = UnitKind.LPO
    code = factory.Sequence(lambda n: f"UNIT{n}")
    name = factory.Sequence(lambda n: f"LPO {n}")
    region = factory.SubFactory(RegionFactory)
    programme_area = factory.Maybe(
        factory.LazyAttribute(lambda o: o.kind in ("LPO", "NPO", "RPO")),
        yes_declaration=factory.SubFactory(ProgrammeAreaFactory),
        no_declaration=None,
    )


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Testsson"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.se")
    password = factory.django.Password("losenord-123")


def member(user, unit, role, **dates):
    """Give `user` a role in `unit` through the service, so permissions follow."""
    from organisation.services import membership_save

    return membership_save(membership=Membership(user=user, unit=unit, role=role, **dates))
