"""The filters of the remiss list."""

from django.utils.translation import gettext_lazy as _
from django_filters import CharFilter, ChoiceFilter

from common.filters import FilterSet, search


class RemissFilter(FilterSet):
    q = CharFilter(label=_("Sök"), method=search)
    status = ChoiceFilter(
        label=_("Visa"),
        choices=[
            ("oppna", _("Öppna")),
            ("snart", _("Svar snart")),
            ("forsenade", _("Försenade")),
            ("besvarade", _("Besvarade eller avstådda")),
        ],
        empty_label=_("Alla"),
        method="by_status",
    )

    def __init__(self, data=None, queryset=None, *, today, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.today = today

    def by_status(self, rounds, name, value):
        if value == "oppna":
            return rounds.open()
        if value == "snart":
            return rounds.due_soon(self.today)
        if value == "forsenade":
            return rounds.overdue(self.today)
        return rounds.closed()
