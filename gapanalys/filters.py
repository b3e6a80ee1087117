"""The gap table's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import ChoiceFilter, Filter

from common.filters import FilterSet

from .models import CurrentState, Principal, Priority
from .selectors import NOT_ASSESSED, NOT_SET


class CheckboxFilter(Filter):
    """A checkbox: ticked narrows the list, unticked leaves it."""

    field_class = forms.BooleanField


class RowFilter(FilterSet):
    state = ChoiceFilter(
        label=_("Nuläge"),
        choices=[(NOT_ASSESSED, _("Ej bedömd")), *CurrentState.choices],
        empty_label=_("Alla"),
        method="by_state",
    )
    principal = ChoiceFilter(
        label=_("Huvudman"),
        choices=[*Principal.choices, (NOT_SET, _("Ej angiven"))],
        empty_label=_("Alla"),
        method="by_principal",
    )
    priority = ChoiceFilter(
        label=_("Prioritet"),
        choices=[*[(str(v), label) for v, label in Priority.choices], (NOT_SET, _("Ej angiven"))],
        empty_label=_("Alla"),
        method="by_priority",
    )
    review = CheckboxFilter(label=_("Bara rader att granska"), method="to_review")

    def by_state(self, rows, name, value):
        return rows.filter(current_state="" if value == NOT_ASSESSED else value)

    def by_principal(self, rows, name, value):
        return rows.filter(principal="" if value == NOT_SET else value)

    def by_priority(self, rows, name, value):
        if value == NOT_SET:
            return rows.filter(priority__isnull=True)
        return rows.filter(priority=int(value))

    def to_review(self, rows, name, value):
        return rows.filter(needs_review=True) if value else rows
