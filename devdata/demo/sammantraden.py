"""A planned BP1 sitting of Jämtland Härjedalen's health-care management (seed 000: "Underlag
till BP1 i HSL … fokus på de viktiga"): the three cases that await BP1 on its agenda, two weeks
from the day the demo is loaded."""

from datetime import timedelta

from django.utils import timezone

from kunskapsstyrning import services as core
from kunskapsstyrning.models import Case, KnowledgeSupport
from organisation.models import Region, Unit, User
from sammantraden import selectors, services
from sammantraden.models import Meeting

# Besides the board's "Grav hörselnedsättning" (BP1 since May 2024): two supports the LPOs
# prioritised this autumn, with their chairs, how many days ago they were sent to BP1 and the
# LPO's answers (management compares them side by side).
AWAITING_BP1 = [
    (
        "Kritisk benischemi",
        "HJART_KARL",
        "ordforande",
        40,
        {
            "possible": "delvis",
            "possible_motivation": "Kärlkirurgin finns i Sundsvall; remissvägen måste byggas.",
            "important": "ja",
            "important_motivation": "Amputationer som hade kunnat undvikas.",
            "expected_benefit": "Tidig upptäckt i primärvården och färre amputationer.",
            "consequence_if_not": "Fortsatt sena remisser och ojämlik tillgång till kärlkirurgi.",
            "resources": "Processledare 10 %, fotterapeut och kärlsjuksköterska i LAG.",
        },
    ),
    (
        "Obstruktiv sömnapné vuxna",
        "LUNG_ALLERGI",
        "ordforande2",
        19,
        {
            "possible": "ja",
            "possible_motivation": "Sömnregistreringar kan göras i primärvården.",
            "important": "delvis",
            "important_motivation": "Väntetiden till utredning är lång men vården säker.",
            "expected_benefit": "Kortare väntan på utredning och behandling.",
            "consequence_if_not": "Väntetiden växer; trafiksäkerheten påverkas.",
            "resources": "Utrustning för tio hemregistreringar, LAG om fyra personer.",
        },
    ),
]


def load_demo() -> None:
    from . import _date_events  # the demo's dates, as the story goes

    region = Region.objects.get(code="23")
    if Meeting.objects.filter(region=region).exists():
        return
    strategist = User.objects.get(username="strateg")
    today = timezone.localdate()
    for title, area, chair_name, days_ago, answers in AWAITING_BP1:
        if Case.objects.filter(region=region, knowledge_support__title=title).exists():
            continue
        case = core.case_register(
            actor=strategist,
            region=region,
            knowledge_support=KnowledgeSupport.objects.get(title=title, version="1.0"),
            responsible_lpo=Unit.objects.get(code=f"RJH_LPO_{area}"),
            strategist=strategist,
            start_at_remiss=False,
        )
        chair = User.objects.get(username=chair_name)
        core.prioritisation_save(case_id=case.pk, actor=chair, data=answers)
        core.case_act(case_id=case.pk, actor=chair, action_name="submit_bp1")
        _date_events(case, 0, today - timedelta(days=days_ago))
    meeting = services.meeting_create(
        actor=strategist,
        region=region,
        deciding_body=Unit.objects.get(code="RJH_HSL"),
        point="BP1",
        date=today + timedelta(days=14),
        place="Sammanträdesrum Storsjön, Östersund",
        participants="Hanna Hälso- och sjukvårdsdirektör (ordförande), divisionscheferna, "
        "chefläkaren",
    )
    services.meeting_add_cases(
        meeting_id=meeting.pk,
        actor=strategist,
        case_ids=[case.pk for case in selectors.candidates(meeting)],
    )
