from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import forms as common_forms
from common.validators import happened, planned
from organisation.models import Municipality, Unit, UnitKind, User

from .models import (
    END_STATES,
    Case,
    DecisionPoint,
    DecisionRule,
    KnowledgeSupport,
    Outcome,
    Prioritisation,
)


def not_passed(day):
    """A deadline set now is still ahead: one already passed would read "försenat" at once."""
    if day is not None and day < timezone.localdate():
        raise forms.ValidationError(
            _("Tidsgränsen har redan passerat; ange i dag eller ett senare datum.")
        )
    return day


class CaseRegisterForm(common_forms.Form):
    knowledge_support = forms.ModelChoiceField(
        KnowledgeSupport.objects.all(),
        label=_("Kunskapsstöd"),
        error_messages={"required": _("Välj vilket kunskapsstöd ärendet gäller.")},
        help_text=_(
            "Kunskapsstöd som regionen redan har ett pågående ärende för finns inte i listan: "
            "arbeta vidare i det ärendet."
        ),
    )
    responsible_lpo = forms.ModelChoiceField(
        Unit.objects.none(),
        label=_("Ansvarigt LPO"),
        error_messages={"required": _("Välj det LPO som ansvarar för ärendet.")},
    )
    concerned_lpos = forms.ModelMultipleChoiceField(
        Unit.objects.none(),
        required=False,
        label=_("Andra berörda LPO"),
        widget=forms.CheckboxSelectMultiple,
    )
    joint = forms.BooleanField(required=False, label=_("Gemensamt ärende med kommunerna"))
    municipalities = forms.ModelMultipleChoiceField(
        Municipality.objects.none(),
        required=False,
        label=_("Berörda kommuner"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("För ett gemensamt ärende: kommunerna som driver det med regionen."),
    )
    strategist = forms.ModelChoiceField(User.objects.none(), label=_("Strateg"))
    start_at_remiss = forms.TypedChoiceField(
        label=_("Ärendet börjar med"),
        choices=[
            ("1", _("Remiss (kunskapsstödet är ute på remiss)")),
            ("0", _("Prioritering (kunskapsstödet är redan nationellt beslutat)")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    due_date = forms.DateField(
        required=False,
        label=_("Nästa tidsgräns"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[planned],
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        # The list offers only supports the region may open a case for; the field still accepts
        # any, so a form filled in before another strategist opened the case gets the
        # service's refusal, which names that case, rather than "not one of the choices".
        supports = self.fields["knowledge_support"]
        running = Case.objects.filter(region=region).exclude(state__in=END_STATES)
        supports.choices = [
            ("", supports.empty_label),
            *(
                (support.pk, str(support))
                for support in KnowledgeSupport.objects.exclude(
                    pk__in=running.values("knowledge_support")
                )
            ),
        ]
        lpos = Unit.objects.filter(region=region, kind=UnitKind.LPO, active=True)
        self.fields["responsible_lpo"].queryset = lpos
        self.fields["concerned_lpos"].queryset = lpos
        self.fields["municipalities"].queryset = Municipality.objects.filter(region=region)
        self.fields["strategist"].queryset = User.objects.filter(
            memberships__unit__region=region, memberships__role="strateg"
        ).distinct()

    def clean_due_date(self):
        return not_passed(self.cleaned_data.get("due_date"))

    def clean(self):
        data = super().clean()
        if data.get("municipalities") and not data.get("joint"):
            self.add_error(
                "municipalities",
                _(
                    "Kommuner anges bara för ett gemensamt ärende. Kryssa i "
                    "”Gemensamt ärende med kommunerna” eller ta bort kommunerna."
                ),
            )
        return data


class PrioritisationForm(common_forms.ModelForm):
    class Meta:
        model = Prioritisation
        fields = [
            "possible",
            "possible_motivation",
            "important",
            "important_motivation",
            "expected_benefit",
            "consequence_if_not",
            "resources",
        ]
        widgets = {
            "possible": forms.RadioSelect,
            "important": forms.RadioSelect,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in [
                    "possible_motivation",
                    "important_motivation",
                    "expected_benefit",
                    "consequence_if_not",
                    "resources",
                ]
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["possible"].choices = Prioritisation.Answer.choices
        self.fields["important"].choices = Prioritisation.Answer.choices


def decision_day(day):
    """A decision's date: taken, so not ahead, and not before the product's era."""
    if day > timezone.localdate():
        raise forms.ValidationError(_("Beslutsdatumet kan inte ligga i framtiden."))
    happened(day)
    return day


class DecisionRecordForm(common_forms.Form):
    """What every decision recorded says: when it was taken, why, who was present and where it
    is registered."""

    decided_on = forms.DateField(
        label=_("Beslutsdatum"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Ange beslutsdatum."),
        },
    )
    motivation = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Ett beslut behöver en motivering.")},
    )
    participants = forms.CharField(
        label=_("Närvarande vid beslutet"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    registry_reference = forms.CharField(
        label=_("Diariereferens för beslutet"), required=False, max_length=64
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()

    def clean_decided_on(self):
        return decision_day(self.cleaned_data["decided_on"])


class DecisionForm(DecisionRecordForm):
    outcome = forms.ChoiceField(
        label=_("Beslut"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vad som beslutas.")},
    )
    conditions = forms.CharField(
        label=_("Villkor"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    field_order = [
        "outcome",
        "decided_on",
        "motivation",
        "conditions",
        "participants",
        "registry_reference",
    ]

    def __init__(self, *args, point, **kwargs):
        super().__init__(*args, **kwargs)
        self.point = point


class DecisionCorrectionForm(common_forms.Form):
    reason = forms.CharField(
        label=_("Skäl till rättelsen"),
        max_length=300,
        error_messages={"required": _("Ange varför beslutet rättas.")},
    )
    motivation = forms.CharField(
        label=_("Motivering"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Ett beslut behöver en motivering.")},
    )
    conditions = forms.CharField(
        label=_("Villkor"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    participants = forms.CharField(
        label=_("Närvarande vid beslutet"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    registry_reference = forms.CharField(
        label=_("Diariereferens för beslutet"), required=False, max_length=64
    )


class DecisionPartCorrectionForm(DecisionCorrectionForm):
    """`based_on` is the correction the form was filled from (empty: the part as recorded)."""

    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AccessionForm(DecisionRecordForm):
    """A municipality's own decision to join a joint case it did not approve at first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].label = _("Kommunens beslutsdatum")
        self.fields["motivation"].help_text = _("Vad kommunen beslutade, och på vilket underlag.")
        self.fields["registry_reference"].help_text = _("Kommunens egen diarieföring.")


class KnowledgeSupportForm(common_forms.ModelForm):
    url = forms.URLField(label=_("Länk"), required=False, assume_scheme="https")

    class Meta:
        model = KnowledgeSupport
        fields = [
            "type",
            "title",
            "version",
            "replaces",
            "npo",
            "national_status",
            "url",
            "published",
            "description",
        ]
        widgets = {
            "published": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a version does not replace itself
            field = self.fields["replaces"]
            field.queryset = field.queryset.exclude(pk=self.instance.pk)


class RecommendationImportForm(common_forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller Excel .xlsx)"),
        help_text=_("Kolumner: nummer, rekommendation, vårdnivå. Första raden är rubriker."),
    )


class SupersedeForm(common_forms.Form):
    new_support = forms.ModelChoiceField(
        KnowledgeSupport.objects.all(), label=_("Ny version av kunskapsstödet")
    )


class CaseDeadlineForm(common_forms.Form):
    """The deadline of the station the case is in now; its label says what it is for."""

    due_date = forms.DateField(
        label=_("Tidsgräns"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[planned],
    )

    def __init__(self, *args, purpose, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].label = _("Tidsgräns för %(purpose)s") % {"purpose": purpose}

    def clean_due_date(self):
        return not_passed(self.cleaned_data.get("due_date"))


POINT_LABELS = dict(DecisionPoint.choices)


class DocumentVerifyForm(common_forms.Form):
    """The public verification page: one PDF, read in memory and never stored."""

    file = forms.FileField(
        label=_("PDF-dokument"),
        help_text=_(
            "Välj ett beslutsdokument eller remissvar som du har fått från Kunskapsstyrning."
        ),
    )

    def clean_file(self):
        from .documents import VERIFY_MAX_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                _("Filen är för stor (högst %(mb)s MB).") % {"mb": VERIFY_MAX_BYTES // 2**20}
            )
        return upload


class ProposalForm(common_forms.Form):
    """The preparing body's proposal for a decision."""

    proposed_on = forms.DateField(
        label=_("Datum för förslaget"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[happened],
    )
    text = forms.CharField(label=_("Förslag till beslut"), widget=forms.Textarea(attrs={"rows": 4}))
    document = forms.FileField(label=_("Dokument (t.ex. protokoll)"), required=False)
    registry_reference = forms.CharField(label=_("Diariereferens"), required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_on"].initial = timezone.localdate()

    def clean_proposed_on(self):
        day = self.cleaned_data["proposed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        return day


class NoticeForm(common_forms.Form):
    """That those the order names were informed of a decision."""

    informed_on = forms.DateField(
        label=_("Informerades den"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[happened],
    )
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["informed_on"].initial = timezone.localdate()

    def clean_informed_on(self):
        day = self.cleaned_data["informed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        return day


class DecisionOrderForm(common_forms.ModelForm):
    """One point of a region's decision order, for one kind of case."""

    class Meta:
        model = DecisionRule
        fields = [
            "in_use",
            "preparing_body",
            "deciding_body",
            "region_decider",
            "municipal_body",
            "municipal_decider",
            "lpo_decides",
            "each_decides",
            "informed",
        ]

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = Unit.objects.decision_bodies().of_region(region).order_by("name")
        for name in ("preparing_body", "deciding_body", "municipal_body"):
            self.fields[name].queryset = bodies
        if self.instance.applies_to == DecisionRule.AppliesTo.REGION:
            del self.fields["municipal_body"]
            del self.fields["municipal_decider"]
            del self.fields["each_decides"]
