import pytest
from django.core.management import call_command

from kunskapsstyrning.models import Case, Decision, State
from organisation.models import Membership

pytestmark = pytest.mark.django_db


def test_the_demo_loads_and_loading_it_again_changes_nothing(capsys):
    call_command("load_reference_data")
    call_command("load_demo_data")
    counts = (Case.objects.count(), Decision.objects.count(), Membership.objects.count())
    call_command("load_demo_data")
    assert counts == (Case.objects.count(), Decision.objects.count(), Membership.objects.count())
    out = capsys.readouterr().out
    for login in ("admin", "strateg", "ordforande", "lag", "ledning"):
        assert f"  {login} " in out


def test_the_demo_has_jamtlands_board_and_a_joint_case_in_vasternorrland():
    call_command("load_reference_data")
    call_command("load_demo_data")
    jh = Case.objects.filter(region__code="23")
    assert jh.count() >= 17  # the 12 of the May 2024 board and the 5 with a decision to start
    assert jh.filter(state=State.FOLLOW_UP).count() >= 2  # implemented since before
    joint = Case.objects.get(region__code="22", joint=True)
    assert joint.municipalities.count() == 7


def test_the_demo_s_cases_are_numbered_in_the_year_of_their_story():
    from kunskapsstyrning.models import RegistryCounter

    call_command("load_reference_data")
    call_command("load_demo_data")
    joint = Case.objects.get(region__code="22", joint=True)
    assert joint.opened_at.year == 2024 and joint.registry_number == "RVN 2024/0001"
    registered = joint.events.get(kind="registrerat")
    assert registered.message == "Ärendet registrerades som RVN 2024/0001."
    for case in Case.objects.all():
        assert case.registry_year == case.opened_at.year, case.registry_number
    # Every year's series is without gaps: its counter's last is the number of its cases.
    for counter in RegistryCounter.objects.all():
        numbered = Case.objects.filter(region=counter.region, registry_year=counter.year)
        assert counter.last == numbered.count(), (counter.region, counter.year)
