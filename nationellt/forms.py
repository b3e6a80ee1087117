from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from common import forms as common_forms

from .models import RegionSharing
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
