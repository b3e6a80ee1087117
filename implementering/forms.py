import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import forms as common_forms
from common.text import quantity
from common.validators import happened, parse_decimal, parse_whole
from gapanalys.models import Principal

from . import services
from .models import (
    Activity,
    ActivityStatus,
    CommunicationItem,
    FollowUpIndicator,
    ImprovementCycle,
    MeasureKind,
    Milestone,
    Period,
    PhaseOut,
    period_label,
    period_start,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class GapRowChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, row):
        proposal = row.proposal if len(row.proposal) <= 90 else row.proposal[:89] + "…"
        return _("Rek. %(number)s (%(state)s): %(proposal)s") % {
            "number": row.recommendation.number,
            "state": row.get_current_state_display().lower(),
            "proposal": proposal,
        }


class ActivityForm(common_forms.ModelForm):
    gap_rows = GapRowChoiceField(
        queryset=None,
        required=False,
        label=_("Vilka gap stänger aktiviteten?"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "principal",
            "municipality",
            "responsible",
            "start",
            "due",
            "status",
            "progress_note",
            "gap_rows",
        ]
        widgets = {
            "description": _text(3),
            "progress_note": _text(2),
            "principal": forms.RadioSelect,
            "start": DATE,
            "due": DATE,
        }
        error_messages = {
            "title": {"required": _("Skriv vad som ska göras.")},
            "responsible": {"required": _("Ange ansvarig person eller enhet.")},
            "principal": {"required": _("Välj ansvarig huvudman.")},
            "start": {"required": _("Ange startdatum.")},
            "due": {"required": _("Ange när aktiviteten ska vara klar.")},
        }

    def __init__(self, *args, gap_rows, principal_choices, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress_note"].help_text = PROGRESS_NOTE_HELP
        self.fields["gap_rows"].queryset = gap_rows
        self.fields["principal"].choices = principal_choices
        # A case of the region alone has no municipality to name, nor does one who may not
        # plan the municipalities' activities (a county group's joint ones only).
        if municipalities is None or Principal.MUNICIPALITY not in dict(principal_choices):
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = municipalities
            self.fields["municipality"].empty_label = _("Alla kommunerna")
        if len(principal_choices) == 1 and not self.instance.pk:
            self.fields["principal"].initial = principal_choices[0][0]

    def clean(self):
        data = super().clean()
        start, due = data.get("start"), data.get("due")
        if start and due and due < start:
            self.add_error("due", _("Aktiviteten kan inte vara klar innan den startar."))
        if data.get("municipality") is not None and data.get("principal") != Principal.MUNICIPALITY:
            self.add_error(
                "municipality",
                _("En kommun anges bara för en kommunal aktivitet; välj huvudman Kommun."),
            )
        _require_cancellation_reason(self, data)
        return data


# Said beside the progress note: a cancelled activity needs its reason there.
PROGRESS_NOTE_HELP = _("För en inställd aktivitet: skälet till att den ställs in.")


def _require_cancellation_reason(form, data):
    if (
        data.get("status") == ActivityStatus.CANCELLED
        and not (data.get("progress_note") or "").strip()
    ):
        form.add_error(
            "progress_note",
            _("Skriv varför aktiviteten ställs in: en inställd aktivitet behöver ett skäl."),
        )


class ProgressForm(common_forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActivityStatus.choices)
    progress_note = forms.CharField(
        label=_("Lägesbeskrivning"), required=False, widget=_text(2), help_text=PROGRESS_NOTE_HELP
    )

    def clean(self):
        data = super().clean()
        _require_cancellation_reason(self, data)
        return data


class CommunicationItemForm(common_forms.ModelForm):
    class Meta:
        model = CommunicationItem
        fields = ["audience", "message", "channel", "planned_on", "responsible", "done"]
        widgets = {"message": _text(3), "planned_on": DATE}
        error_messages = {
            "audience": {"required": _("Ange målgrupp.")},
            "message": {"required": _("Skriv budskapet.")},
            "channel": {"required": _("Ange kanal, t.ex. APT, intranät eller nyhetsbrev.")},
            "planned_on": {"required": _("Ange när.")},
            "responsible": {"required": _("Ange vem som ansvarar.")},
        }


class MilestoneForm(common_forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "date", "reached"]
        widgets = {"date": DATE}
        error_messages = {
            "title": {"required": _("Ge milstolpen ett namn.")},
            "date": {"required": _("Ange datum.")},
        }


class PhaseOutForm(common_forms.ModelForm):
    class Meta:
        model = PhaseOut
        fields = ["what", "principal", "from_date", "responsible", "note"]
        widgets = {
            "what": _text(2),
            "note": _text(2),
            "from_date": DATE,
            "principal": forms.RadioSelect,
        }
        error_messages = {
            "what": {"required": _("Skriv vad som slutar göras.")},
            "principal": {"required": _("Välj huvudman.")},
            "from_date": {"required": _("Ange från vilket datum.")},
            "responsible": {"required": _("Ange vem som ansvarar.")},
        }

    def __init__(self, *args, principal_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principal"].choices = principal_choices


PART_FORMS = {
    "kommunikation": CommunicationItemForm,
    "milstolpar": MilestoneForm,
    "utfasning": PhaseOutForm,
}


class GoalForm(common_forms.Form):
    goal = forms.CharField(
        label=_("Mål med införandet"),
        widget=_text(3),
        error_messages={"required": _("Skriv målet med införandet.")},
    )


class ExclusionForm(common_forms.Form):
    reason = forms.CharField(
        label=_("Varför lämnas gapet utanför planen?"),
        widget=_text(2),
        error_messages={"required": _("Skriv varför gapet lämnas utanför planen.")},
    )


class AnchorForm(common_forms.Form):
    anchored_on = forms.DateField(
        label=_("Datum då LPO ställde sig bakom planen"),
        widget=DATE,
        error_messages={"required": _("Ange datum för förankringen.")},
        validators=[happened],
    )
    note = forms.CharField(
        label=_("Anteckning (t.ex. mötet och vilka som deltog)"), required=False, widget=_text(2)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anchored_on"].initial = timezone.localdate()

    def clean_anchored_on(self):
        day = self.cleaned_data["anchored_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Förankringsdatumet kan inte ligga i framtiden."))
        return day


class TickForm(common_forms.Form):
    ticked_on = forms.DateField(
        label=_("Datum"),
        widget=DATE,
        error_messages={"required": _("Ange datum.")},
        validators=[happened],
    )
    comment = forms.CharField(label=_("Kommentar"), required=False, widget=_text(2))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticked_on"].initial = timezone.localdate()

    def clean_ticked_on(self):
        day = self.cleaned_data["ticked_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        return day


class ReplanForm(common_forms.Form):
    reason = forms.CharField(
        label=_("Vad har uppföljningen visat, och vad behöver ändras i planen?"),
        widget=_text(3),
        error_messages={"required": _("Skriv varför ärendet går tillbaka till planering.")},
    )


# --- Follow-up ---------------------------------------------------------------------------------

QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*[KkQq]\s*([1-4])$")
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
YEAR = re.compile(r"^(\d{4})$")
PERIOD_HELP = {
    Period.MONTH: _("Månad som ÅÅÅÅ-MM, t.ex. 2024-03."),
    Period.QUARTER: _("Kvartal som ÅÅÅÅ K1–K4, t.ex. 2024 K2."),
    Period.YEAR: _("År som ÅÅÅÅ, t.ex. 2024."),
}


def parse_period(kind, text):
    """The first day of the period `text` names, for an indicator measured per `kind`.

    Accepts a date anywhere in the period (as a spreadsheet gives it), and the usual short
    forms: "2024-03" for a month, "2024 K2" or "2024-Q2" for a quarter, "2024" for a year.
    Raises ValueError with a Swedish message.
    """
    text = (text or "").strip()
    problem = ValueError(
        _("”%(text)s” är ingen period. %(help)s") % {"text": text, "help": PERIOD_HELP[kind]}
    )
    try:
        if match := DAY.match(text):
            return period_start(kind, date(*map(int, match.groups())))
        if kind == Period.MONTH and (match := MONTH.match(text)):
            return date(int(match[1]), int(match[2]), 1)
        if kind == Period.QUARTER and (match := QUARTER.match(text)):
            return date(int(match[1]), (int(match[2]) - 1) * 3 + 1, 1)
        if kind == Period.YEAR and (match := YEAR.match(text)):
            return date(int(match[1]), 1, 1)
    except ValueError:
        raise problem from None
    raise problem


def parse_count(text, name):
    return parse_whole(text, label=name)


def parse_value(text):
    return parse_decimal(text, label=_("Värdet"), max_digits=14, decimal_places=3)


class MeasurementForm(common_forms.Form):
    period = forms.CharField(
        label=_("Period"), max_length=20, error_messages={"required": _("Ange period.")}
    )
    numerator = forms.CharField(label=_("Täljare"), required=False, max_length=20)
    denominator = forms.CharField(label=_("Nämnare"), required=False, max_length=20)
    value = forms.CharField(label=_("Värde"), required=False, max_length=30)
    note = forms.CharField(label=_("Kommentar"), required=False, max_length=250)

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["period"].help_text = PERIOD_HELP[indicator.period]
        if indicator.is_proportion:
            del self.fields["value"]
            self.fields["numerator"].help_text = _("Antal som uppfyller indikatorn.")
            self.fields["denominator"].help_text = _("Antal i gruppen (större än noll).")
        else:
            del self.fields["numerator"], self.fields["denominator"]
            if indicator.unit:
                self.fields["value"].label = _("Värde (%(unit)s)") % {"unit": indicator.unit}
        for name in ("numerator", "denominator", "value"):
            if name in self.fields:
                self.fields[name].widget.attrs["inputmode"] = "decimal"

    def clean_period(self):
        try:
            start = parse_period(self.indicator.period, self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if refusal := services.period_refusal(self.indicator, start):
            raise forms.ValidationError(refusal)
        return start

    def clean(self):
        data = super().clean()
        if self.indicator.is_proportion:
            for name, label in (("numerator", _("Täljaren")), ("denominator", _("Nämnaren"))):
                try:
                    data[name] = parse_count(data.get(name), label)
                except ValueError as exc:
                    self.add_error(name, str(exc))
                    continue
                if data[name] is None:
                    self.add_error(name, _("Ange %(name)s.") % {"name": str(label).lower()})
            numerator, denominator = data.get("numerator"), data.get("denominator")
            if denominator == 0 and "denominator" not in self.errors:
                self.add_error("denominator", _("Nämnaren kan inte vara noll."))
            elif (
                isinstance(numerator, int)
                and isinstance(denominator, int)
                and numerator > denominator
                and not self.errors.get("numerator")
            ):
                self.add_error(
                    "numerator",
                    _("Täljaren (%(x)s) kan inte vara större än nämnaren (%(n)s).")
                    % {"x": numerator, "n": denominator},
                )
        else:
            try:
                data["value"] = parse_value(data.get("value"))
            except ValueError as exc:
                self.add_error("value", str(exc))
            else:
                if data["value"] is None:
                    self.add_error("value", _("Ange ett värde."))
        period = data.get("period")
        if period and self.indicator.measurements.filter(period_start=period).exists():
            self.add_error(
                "period",
                _("Perioden %(period)s har redan ett mätvärde.")
                % {"period": period_label(self.indicator.period, period)},
            )
        return data


class IndicatorForm(common_forms.ModelForm):
    class Meta:
        model = FollowUpIndicator
        fields = [
            "code",
            "name",
            "definition",
            "measure",
            "unit",
            "direction",
            "target",
            "period",
            "baseline_periods",
            "municipality",
        ]
        widgets = {
            "definition": _text(3),
            "measure": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "period": forms.RadioSelect,
        }
        error_messages = {
            "code": {"required": _("Ge indikatorn en kort kod, t.ex. LOK-01.")},
            "name": {"required": _("Ge indikatorn ett namn.")},
        }

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_national:
            for name in ["code", "name", "definition", "measure", "unit", "direction"]:
                del self.fields[name]
        # Only a joint case's indicators are measured per principal (the region's when blank).
        if municipalities is None:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = municipalities
            self.fields["municipality"].empty_label = _("Regionen")

    def clean(self):
        data = super().clean()
        if data.get("measure") == MeasureKind.VALUE and not data.get("unit"):
            self.add_error("unit", _("Ange enhet för värdet, t.ex. dagar eller minuter."))
        target = data.get("target")
        measure = data.get("measure", self.instance.measure)
        if target is not None and measure == MeasureKind.PROPORTION and not 0 <= target <= 100:
            self.add_error("target", _("Målet för en andel anges i procent, 0–100."))
        elif (
            target is not None
            and measure == MeasureKind.PROPORTION
            and data.get("direction", self.instance.direction) == "higher"
            and 0 < target < 1
        ):
            # A share written as a fraction (0.8 for 80 %): a target below one per cent for
            # something that should be high is that, not a goal anyone sets.
            self.add_error(
                "target",
                _(
                    "Målet anges i procent: %(value)s betyder %(value)s %%. Menar du "
                    "%(percent)s %%, skriv %(percent)s."
                )
                % {"value": quantity(target), "percent": quantity(target * 100)},
            )
        return data


class NationalIndicatorForm(common_forms.Form):
    national = forms.ModelChoiceField(
        queryset=None,
        label=_("Nationell indikator"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en indikator.")},
    )
    period = forms.ChoiceField(
        label=_("Mäts per"), choices=Period.choices, initial=Period.MONTH, widget=forms.RadioSelect
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national"].queryset = indicators
        self.fields["national"].label_from_instance = lambda i: f"{i.code} {i.name}"


class MeasurementImportForm(common_forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller Excel .xlsx)"),
        help_text=_(
            "Kolumner: indikator (kod), period, täljare, nämnare, värde, kommentar. "
            "Första raden är rubriker."
        ),
        error_messages={"required": _("Välj en fil.")},
    )


class CycleForm(common_forms.ModelForm):
    activities = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Aktiviteter"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ImprovementCycle
        fields = [
            "title",
            "indicator",
            "started_on",
            "finished_on",
            "plan",
            "do",
            "study",
            "act",
            "activities",
        ]
        widgets = {
            "started_on": DATE,
            "finished_on": DATE,
            "plan": _text(3),
            "do": _text(3),
            "study": _text(3),
            "act": _text(3),
        }
        error_messages = {
            "title": {"required": _("Ge cykeln ett namn.")},
            "plan": {"required": _("Beskriv vad ni vill uppnå och vad ni prövar.")},
            "started_on": {"required": _("Ange startdatum.")},
        }

    def __init__(self, *args, indicators, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].empty_label = _("Ingen särskild indikator")
        self.fields["activities"].queryset = activities

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("finished_on")
        if start and end and end < start:
            self.add_error("finished_on", _("Cykeln kan inte avslutas innan den startar."))
        return data


class ReportPeriodForm(common_forms.Form):
    """The period of the region-wide follow-up report (a GET form: empty is the last year)."""

    allow_empty = True

    fran = forms.DateField(
        label=_("Från och med"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    till = forms.DateField(
        label=_("Till och med"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        from .region_report import period_problem

        cleaned = super().clean()
        start, end = cleaned.get("fran"), cleaned.get("till")
        if start and end:
            problem = period_problem(start, end)
            if problem:
                self.add_error("till", problem)
        return cleaned
