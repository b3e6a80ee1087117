import factory
from factory.django import DjangoModelFactory

from kunskapsstyrning.models import KnowledgeSupport, Recommendation


class KnowledgeSupportFactory(DjangoModelFactory):
    class Meta:
        model = KnowledgeSupport

    type = "vardforlopp"
    title = factory.Sequence(lambda n: f"Vårdförlopp {n}")
    version = "1.0"


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation

    knowledge_support = factory.SubFactory(KnowledgeSupportFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Rekommendation {n}: gör det som är rätt för patienten.")
    care_level = "alla"


def copy_of(support):
    """Another knowledge support with `support`'s title, type and recommendations (a region
    runs one case per support at a time: a test's further cases each get their own)."""
    others = KnowledgeSupport.objects.filter(title=support.title).count()
    copy = KnowledgeSupportFactory(
        title=support.title, type=support.type, version=f"{support.version}.{others}"
    )
    for recommendation in support.recommendations.all():
        RecommendationFactory(
            knowledge_support=copy, number=recommendation.number, text=recommendation.text
        )
    return copy
