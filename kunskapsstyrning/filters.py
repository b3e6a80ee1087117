"""The filters of the status board, the case list and the catalogue."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter

from common.filters import FilterSet, search

from .models import BOARD_STATIONS, Decision, NationalStatus, State, SupportType


class CaseFilter(FilterSet):
    q = CharFilter(label=_("Sök"), method=search)
    state = ChoiceFilter(label=_("Status"), choices=State.choices, empty_label=_("Alla statusar"))
    type = ChoiceFilter(
        field_name="knowledge_support__type",
        label=_("Typ"),
        choices=SupportType.choices,
        empty_label=_("Alla typer"),
    )
    lpo = ChoiceFilter(field_name="responsible_lpo", label=_("LPO"), empty_label=_("Alla LPO"))
    station = ChoiceFilter(
        label=_("Station på tavlan"),
        choices=[(key, label) for key, label, _s in BOARD_STATIONS],
        empty_label=_("Alla stationer"),
        method="at_station",
    )
    joint = ChoiceFilter(
        label=_("Huvudmän"),
        choices=[
            ("gemensamma", _("Gemensamma med kommunerna")),
            ("regionens", _("Bara regionens")),
        ],
        empty_label=_("Alla ärenden"),
        method="by_principals",
    )

    decided_in = ChoiceFilter(
        label=_("Beslut under år"), empty_label=_("Alla år"), method="decided_in_year"
    )

    def __init__(self, data=None, queryset=None, *, lpos, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # The LPOs in the user's scope, read in one plain query.
        self.filters["lpo"].extra["choices"] = list(lpos.order_by("name").values_list("pk", "name"))
        # This year and the four before it, counted from today (not from the server's start).
        this_year = timezone.localdate().year
        self.filters["decided_in"].extra["choices"] = [
            (str(year), str(year)) for year in range(this_year, this_year - 5, -1)
        ]

    def at_station(self, cases, name, value):
        return cases.filter(state__in=dict((k, s) for k, _l, s in BOARD_STATIONS)[value])

    def by_principals(self, cases, name, value):
        return cases.filter(joint=value == "gemensamma")

    def decided_in_year(self, cases, name, value):
        """Cases with a decision at BP1-BP3 dated in the year."""
        return cases.filter(
            pk__in=Decision.objects.filter(decided_on__year=value).values("case_id")
        )


class SupportFilter(FilterSet):
    q = CharFilter(label=_("Sök"), method=search)
    type = ChoiceFilter(label=_("Typ"), choices=SupportType.choices, empty_label=_("Alla typer"))
    national_status = ChoiceFilter(
        label=_("Nationell status"), choices=NationalStatus.choices, empty_label=_("Alla")
    )
