from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import forms as common_forms
from common.validators import happened, planned
from kunskapsstyrning.models import CareLevel
from organisation.models import Unit, UnitKind, User

from .models import CurrentState, GapAnalysis, GapRow, Principal, Priority
from .services import ROW_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class RowForm(common_forms.ModelForm):
    """One row of the analysis, edited in place in the table."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    current_state = forms.ChoiceField(
        label=_("Nuläge"),
        choices=[("", _("Ej bedömd")), *CurrentState.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    principal = forms.ChoiceField(
        label=_("Ansvarig huvudman"),
        choices=[("", _("Ej angiven")), *Principal.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    priority = forms.TypedChoiceField(
        label=_("Prioritet"),
        choices=[("", _("Ej angiven")), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = GapRow
        fields = ROW_FIELDS
        widgets = {
            name: _text(2)
            for name in ROW_FIELDS
            if name not in ("current_state", "principal", "priority")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        prefix = f"rad{self.instance.pk}"
        self.auto_id = f"{prefix}_%s"
        self.fields["version"].initial = self.instance.version
        self.fields["proposal"].help_text = _("Behövs för raden som är Delvis eller Gör vi inte.")

    # What the editor had written, per field, when someone else saved the row first.
    mine = {}

    def _pairs(self, names):
        return [(self[name], self.mine.get(name)) for name in names]

    @property
    def assessment_fields(self):
        return self._pairs(["current_state", "principal", "priority"])

    @property
    def analysis_fields(self):
        return self._pairs(["today_practice", "cause_analysis", "influence"])

    @property
    def proposal_fields(self):
        return self._pairs(["proposal", "start_doing", "stop_doing", "resource_need"])

    @property
    def consequence_fields(self):
        return self._pairs(GapRow.CONSEQUENCE_FIELDS)

    def data_for_service(self):
        return {name: self.cleaned_data[name] for name in ROW_FIELDS}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} – {obj.title}" if obj.title else str(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} – {obj.title}" if obj.title else str(obj)


SCOPE_CARE_LEVELS = [c for c in CareLevel.choices if c[0] != CareLevel.ALLA]


class LagForm(common_forms.Form):
    """The chair forms or reactivates the LAG and sets its timeline and scope."""

    lag = forms.ModelChoiceField(
        Unit.objects.none(),
        required=False,
        label=_("LAG"),
        empty_label=_("Bilda en ny LAG"),
        help_text=_("Välj en av LPO:ts tidigare arbetsgrupper för att återaktivera den."),
    )
    name = forms.CharField(
        label=_("Namn på ny LAG"), required=False, max_length=200, help_text=_("T.ex. LAG Sepsis.")
    )
    process_leader = PersonChoiceField(
        User.objects.none(),
        label=_("Processledare"),
        error_messages={"required": _("Välj vem som leder arbetet (processledare).")},
    )
    members = PeopleChoiceField(
        User.objects.none(),
        required=False,
        label=_("Ledamöter (utsedda av verksamhetscheferna)"),
        widget=forms.CheckboxSelectMultiple,
    )
    municipal_representatives = PeopleChoiceField(
        User.objects.none(),
        required=False,
        label=_("Kommunernas representanter (nominerade för alla kommuner)"),
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(label=_("Start"), widget=DATE, validators=[planned])
    presentation_date = forms.DateField(
        label=_("Presentation i LPO:t"),
        required=False,
        widget=DATE,
        validators=[planned],
    )
    due_date = forms.DateField(
        label=_("Klart för BP2"), required=False, widget=DATE, validators=[planned]
    )
    scope_region = forms.BooleanField(label=_("Regionen"), required=False, initial=True)
    scope_municipalities = forms.BooleanField(label=_("Kommunerna"), required=False)
    scope_care_levels = forms.MultipleChoiceField(
        label=_("Vårdnivåer som analysen omfattar"),
        choices=SCOPE_CARE_LEVELS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Inget val betyder alla vårdnivåer."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lag"].queryset = Unit.objects.filter(
            kind=UnitKind.LAG, parent_id=case.responsible_lpo_id
        ).order_by("name")
        people = (
            User.objects.filter(memberships__unit__region_id=case.region_id, is_active=True)
            .distinct()
            .order_by("first_name", "last_name")
        )
        for name in ("process_leader", "members", "municipal_representatives"):
            self.fields[name].queryset = people
        if not self.is_bound:
            self.fields["start_date"].initial = timezone.localdate()
            self.fields["scope_municipalities"].initial = case.joint

    def clean(self):
        data = super().clean()
        if not data.get("lag") and not (data.get("name") or "").strip():
            self.add_error("name", _("Ge den nya LAG:en ett namn, eller välj en befintlig LAG."))
        if not data.get("scope_region") and not data.get("scope_municipalities"):
            self.add_error("scope_municipalities", _("Analysen behöver omfatta minst en huvudman."))
        return data


class AnalysisForm(common_forms.ModelForm):
    """Timeline, scope and the report's own text."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    scope_care_levels = forms.MultipleChoiceField(
        label=_("Vårdnivåer som analysen omfattar"),
        choices=SCOPE_CARE_LEVELS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Inget val betyder alla vårdnivåer."),
    )

    class Meta:
        model = GapAnalysis
        fields = [
            "start_date",
            "presentation_date",
            "due_date",
            "scope_region",
            "scope_municipalities",
            "scope_care_levels",
            "summary",
            "roles_and_responsibilities",
        ]
        widgets = {
            "start_date": DATE,
            "presentation_date": DATE,
            "due_date": DATE,
            "summary": _text(5),
            "roles_and_responsibilities": _text(5),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version

    def data_for_service(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class StatementForm(common_forms.Form):
    kind = forms.ChoiceField(
        label=_("Vilket yttrande"),
        choices=[],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vilket slags yttrande det är.")},
    )
    body = forms.CharField(
        label=_("Instans"),
        max_length=200,
        help_text=_("T.ex. LSG patientsäkerhet eller Division Primärvård."),
        error_messages={"required": _("Ange vilken instans som yttrar sig.")},
    )
    author = forms.CharField(
        label=_("Undertecknat av"),
        max_length=200,
        error_messages={"required": _("Ange vem som har undertecknat yttrandet.")},
    )
    given_on = forms.DateField(
        label=_("Datum"),
        widget=DATE,
        error_messages={
            "required": _("Ange yttrandets datum."),
        },
        validators=[happened],
    )
    text = forms.CharField(
        label=_("Yttrandets text"),
        widget=_text(5),
        error_messages={"required": _("Skriv in yttrandet.")},
    )

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Ett yttrande kan inte vara daterat i framtiden."))
        return value

    def __init__(self, *args, kinds, **kwargs):
        """`kinds`: the region's kinds of statement (`models.statement_types_of`)."""
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(t.key, t.name) for t in kinds]


class ImportForm(common_forms.Form):
    file = forms.FileField(
        label=_("Excelfil (.xlsx)"),
        help_text=_("En fil som exporterats från analysen och redigerats i Excel."),
        error_messages={"required": _("Välj en Excelfil att läsa in.")},
    )


class StatementTypeForm(common_forms.Form):
    """One kind of statement the region asks for before BP2."""

    name = forms.CharField(
        label=_("Yttrande"),
        max_length=200,
        help_text=_("T.ex. Operativ arbetsgrupp eller Medskick om undanträngning."),
    )
    key = forms.SlugField(
        label=_("Kod"),
        max_length=30,
        required=False,
        help_text=_("Bildas av namnet om den lämnas tom; ändras inte sedan."),
    )
    required_own = forms.BooleanField(label=_("Krävs för regionens egna ärenden"), required=False)
    required_joint = forms.BooleanField(
        label=_("Krävs för gemensamma ärenden med kommunerna"), required=False
    )

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": instance.name,
                    "key": instance.key,
                    "required_own": instance.required_own,
                    "required_joint": instance.required_joint,
                },
            )
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["key"].disabled = True
