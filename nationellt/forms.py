from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common import forms as common_forms

from .models import NationalBody, NationalOutcome, RegionSharing
from .services import CHOICES

YES_NO = [("1", _("Ja")), ("0", _("Nej"))]


def _yes_or_no(name: str) -> forms.TypedChoiceField:
    """The model field's choice as a yes or a no to answer."""
    model_field = RegionSharing._meta.get_field(name)
    return forms.TypedChoiceField(
        label=capfirst(model_field.verbose_name),
        help_text=model_field.help_text,
        choices=YES_NO,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class SharingForm(common_forms.Form):
    """Each choice is a yes or a no the region answers: an empty form is a mistake, not
    "share nothing"."""

    share_analysis = _yes_or_no("share_analysis")
    share_plan = _yes_or_no("share_plan")
    share_indicators = _yes_or_no("share_indicators")
    public = _yes_or_no("public")

    @staticmethod
    def initial_from(sharing: RegionSharing) -> dict[str, str]:
        return {name: "1" if getattr(sharing, name) else "0" for name in CHOICES}


class NationalDecisionForm(common_forms.Form):
    """The national decision as it arrives through the diarium (seed 002, step 1)."""

    decided_on = forms.DateField(
        label=_("Beslutsdatum"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    body = forms.ChoiceField(
        label=_("Beslutande organ"),
        choices=NationalBody.choices,
        initial=NationalBody.SKS,
        widget=forms.RadioSelect,
    )
    body_name = forms.CharField(
        label=_("Annat organ"),
        required=False,
        max_length=200,
        help_text=_("Namnet på organet, när det inte är SKS."),
    )
    reference = forms.CharField(
        label=_("Referens"),
        max_length=100,
        help_text=_("Beslutets diarienummer eller protokollsparagraf."),
    )
    outcome = forms.ChoiceField(
        label=_("Beslut"), choices=NationalOutcome.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def clean(self):
        from .services import national_decision_problems

        data = super().clean()
        if self.errors:
            return data
        problems = national_decision_problems(
            self.case,
            decided_on=data.get("decided_on"),
            body=data.get("body", ""),
            body_name=data.get("body_name", ""),
            reference=data.get("reference", ""),
            outcome=data.get("outcome", ""),
        )
        for name, messages in problems.items():
            for message in messages:
                self.add_error(name, message)
        return data
