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
