from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import ProductFormMixin
from common.validators import planned

from . import selectors
from .models import (
    LEVEL_OF_KIND,
    Municipality,
    ProgrammeArea,
    Role,
    Unit,
    UnitKind,
)
from .services import unit_label

LOCAL_KINDS = [(value, label) for value, label in UnitKind.choices if value not in LEVEL_OF_KIND]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LoginForm(ProductFormMixin, AuthenticationForm):
    """The password sign-in. A missing field is named ("Fyll i ”Lösenord”."), like every
    product form, and not left to whichever app's translation of Django's generic message is
    found first (Django REST framework's differs from Django's)."""


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return unit_label(obj)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        details = [d for d in (obj.hsa_id, obj.municipality and obj.municipality.name) if d]
        return f"{name} ({', '.join(details)})" if details else name


class UnitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=LOCAL_KINDS)
    name = forms.CharField(label=_("Namn"), max_length=200)
    code = forms.CharField(
        label=_("Kod"), max_length=64, help_text=_("Unik, t.ex. Y_LPO_DIAB. Syns i importfiler.")
    )
    parent = UnitChoiceField(
        label=_("Överordnad enhet"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("En LAG ligger under sitt LPO, en divisionsledning under HSL."),
    )
    programme_area = forms.ModelChoiceField(
        label=_("Programområde"),
        queryset=ProgrammeArea.objects.order_by("name"),
        required=False,
        help_text=_("För ett LPO: det nationella programområde det speglar."),
    )
    municipalities_participate = forms.BooleanField(
        label=_("Kommunerna deltar (kommunrepresentanter kan nomineras)"), required=False
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            Unit.objects.filter(region=region, kind__in=[UnitKind.LPO, UnitKind.HSL])
            .select_related("region")
            .order_by("kind", "name")
        )


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    hsa_id = forms.CharField(
        label=_("HSA-id"),
        max_length=64,
        required=False,
        help_text=_("T.ex. SE2321000016-AB12. Personen loggar in med det via organisationen."),
    )
    email = forms.EmailField(label=_("E-post"), required=False)
    title = forms.CharField(label=_("Titel"), max_length=150, required=False)
    organisation_name = forms.CharField(label=_("Arbetsplats"), max_length=150, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Kommun"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("Fyll i för den som företräder en kommun (kommunrepresentant, MAS/MAR)."),
    )

    def __init__(self, *args, region=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if region is not None:
            municipalities = Municipality.objects.filter(region=region)
        else:  # editing someone: the municipalities of the administrator's regions
            ids = selectors.administered_region_ids(user)
            municipalities = Municipality.objects.all()
            if ids is not None:
                municipalities = municipalities.filter(region_id__in=ids)
        self.fields["municipality"].queryset = municipalities.order_by("name")

    def clean(self):
        data = super().clean()
        if not data.get("hsa_id") and not data.get("email"):
            raise forms.ValidationError(
                _("Ange HSA-id eller e-post: annars kan personen inte logga in.")
            )
        return data


class RoleFields(forms.Form):
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices)
    start_date = forms.DateField(label=_("Från"), widget=DATE, validators=[planned])
    end_date = forms.DateField(
        label=_("Till och med"),
        widget=DATE,
        required=False,
        validators=[planned],
        help_text=_("Lämna tomt om uppdraget gäller tills vidare."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].initial = timezone.localdate()


class RoleInUnitForm(RoleFields):
    """Give someone a role in this unit (for a LAG: nominate)."""

    person = PersonChoiceField(label=_("Person"), queryset=None)
    field_order = ["person", "role", "start_date", "end_date"]

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = selectors.candidates_for(unit)


class RoleForPersonForm(RoleFields):
    """Give this person a role in a unit; each unit is shown with its region."""

    unit = UnitChoiceField(label=_("Enhet"), queryset=None)
    field_order = ["unit", "role", "start_date", "end_date"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = selectors.units_for_roles(user)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil (.xlsx eller .csv)"),
        help_text=_(
            "Första raden: HSA-id, Förnamn, Efternamn, E-post, Titel, Arbetsplats, Kommunkod, "
            "Enhetskod, Roll, Från, Till. En rad per person och uppdrag."
        ),
    )
