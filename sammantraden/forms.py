from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import forms as common_forms
from common.validators import planned
from kunskapsstyrning.models import DecisionPoint


class MeetingForm(common_forms.Form):
    date = forms.DateField(
        label=_("Datum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Ange sammanträdets datum."),
        },
    )
    deciding_body = forms.ModelChoiceField(
        None,
        label=_("Beslutande organ"),
        error_messages={"required": _("Välj vilket organ som sammanträder.")},
    )
    point = forms.ChoiceField(
        label=_("Beslutspunkt"),
        choices=DecisionPoint.choices,
        initial="BP1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vilken beslutspunkt sammanträdet beslutar.")},
    )
    place = forms.CharField(label=_("Plats"), required=False, max_length=200)
    participants = forms.CharField(
        label=_("Närvarande (ledamöter)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Föreslås som närvarande i varje beslut på sammanträdet."),
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deciding_body"].queryset = bodies
        only = list(bodies[:2])
        if len(only) == 1:  # the region's one body is the one that sits
            self.fields["deciding_body"].initial = only[0].pk

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day < timezone.localdate():
            raise forms.ValidationError(
                _("Datumet har passerat; en ny dagordning gäller ett kommande sammanträde.")
            )
        planned(day)
        return day


class CaseChoiceField(forms.TypedMultipleChoiceField):
    """The cases offered are those that may go on; any other posted case is judged by the
    service, which says why it may not (it awaits another point, stands on another agenda)."""

    def valid_value(self, value):
        return True


class AddCasesForm(common_forms.Form):
    cases = CaseChoiceField(
        label=_("Ärenden som väntar på beslut"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst ett ärende.")},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["cases"].choices = [
            (
                case.pk,
                f"{case.registry_number} {case.knowledge_support.title} "
                f"({case.responsible_lpo.name})",
            )
            for case in candidates
        ]
