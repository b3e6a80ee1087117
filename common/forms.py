"""What every form of the product does (issue 18): say which field is wrong, in Swedish, tie
the message to the field for screen readers, and save nothing when nothing was filled in.

Forms inherit `Form` or `ModelForm` from here instead of Django's. Filter bars (GET forms,
where empty means "everything") stay plain Django forms.
"""

import unicodedata

from django import forms
from django.db import models
from django.forms.utils import ErrorDict, ErrorList, pretty_name
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.validators import MAX_TEXT_IN_A_CELL, fits_a_cell

GENERIC_REQUIRED = str(forms.Field.default_error_messages["required"])

# One message for a date that cannot be read, whether it is written another way or is a day the
# calendar does not have (2026-02-31, typed in the very format a message asks for).
INVALID_DATE = gettext_lazy("Ange ett datum som finns, som ÅÅÅÅ-MM-DD (till exempel 2026-02-28).")

NOTHING_FILLED_IN = gettext_lazy("Formuläret är tomt. Fyll i %(label)s.")


def whole_number(value, digits: int = 18) -> int | None:
    """`value` (from an address or a post) as a whole number, or None if it is not one.

    Only the digits 0–9: `str.isdigit` also accepts "²" and other characters `int` refuses,
    and a hand-edited address must not reach the database as a 500.
    """
    if isinstance(value, str) and 0 < len(value) <= digits and value.isascii() and value.isdigit():
        return int(value)
    return None


def required_message(field: forms.Field, label: str) -> str:
    """A required-field message that names the field ("Fyll i Titel.")."""
    if isinstance(field, forms.FileField) or isinstance(field.widget, forms.ClearableFileInput):
        return _("Välj en fil för ”%(label)s”.") % {"label": label}
    if isinstance(field, forms.BooleanField):
        return _("Kryssa i ”%(label)s”.") % {"label": label}
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return _("Välj ”%(label)s”.") % {"label": label}
    if isinstance(field, forms.DateField):
        return _("Ange ett datum för ”%(label)s” (ÅÅÅÅ-MM-DD).") % {"label": label}
    return _("Fyll i ”%(label)s”.") % {"label": label}


# What is not seen at either end of a text: white space, and the characters that only steer
# how text is shown (Unicode's format characters: zero-width spaces and joiners, direction
# marks and overrides, the soft hyphen, the byte-order mark).
def visible(text: str) -> str:
    r"""`text` without what is not seen at its ends ("\u202e\u200b" is empty)."""
    start, end = 0, len(text)
    while start < end and _unseen(text[start]):
        start += 1
    while end > start and _unseen(text[end - 1]):
        end -= 1
    return text[start:end]


def _unseen(character: str) -> bool:
    # Not control characters: a NUL is refused wherever it is (Django's validator), not
    # quietly dropped at an end.
    return character.isspace() or unicodedata.category(character) == "Cf"


def _visible_text(field: forms.CharField) -> None:
    """A text field reads only what can be seen: a required text of zero-width or
    direction characters is empty (it made a decision's motivation and a support's title
    blank), and a text without a limit of its own gets the product's (a 102,000-character
    motivation went into a sealed decision)."""
    if field.max_length is None:
        field.max_length = MAX_TEXT_IN_A_CELL
        field.validators.append(fits_a_cell)
    if not field.strip:
        return
    to_python = field.to_python

    def to_visible(value):
        value = to_python(value)
        if isinstance(value, str):
            value = visible(value)
            return field.empty_value if value == "" else value
        return value

    field.to_python = to_visible  # type: ignore[method-assign]  # this field, not every field


def _only_ids(field: forms.ModelChoiceField) -> None:
    """Let a choice of rows by id refuse what is no id before the database is asked: Django's
    model choice fields pass any string of digits on, and one too large for the column
    ("99999999999999999999") fails in the query (SQLite: OverflowError) as a 500 instead of
    "Välj ett giltigt alternativ"."""
    clean = field.clean

    def clean_ids(value):
        # The queryset is read now: a form may give it after its fields are made.
        pk = field.queryset.model._meta.pk
        by_id = field.to_field_name is None and isinstance(
            pk, models.AutoField | models.BigAutoField | models.IntegerField
        )
        if not by_id:
            return clean(value)
        for one in value if isinstance(value, list | tuple) else [value]:
            if one not in field.empty_values and whole_number(str(one)) is None:
                raise forms.ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(one)[:20]},
                )
        return clean(value)

    field.clean = clean_ids  # type: ignore[method-assign]  # this field, not every field


class ProductFormMixin:
    # A form where an empty submission means something (a filter, an optional comment) says so.
    allow_empty = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if str(field.error_messages.get("required", "")) == GENERIC_REQUIRED:
                label = str(field.label or pretty_name(name))
                field.error_messages["required"] = required_message(field, label)
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = INVALID_DATE
            if isinstance(field, forms.ModelChoiceField):
                _only_ids(field)
            if isinstance(field, forms.CharField):
                _visible_text(field)

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self.empty_permitted or self.allow_empty:
            return
        visible = [bf for bf in self.visible_fields() if not bf.field.disabled]
        if visible and not self._errors and all(self._left_empty(bf) for bf in visible):
            first = visible[0]
            self.add_error(first.name, NOTHING_FILLED_IN % {"label": f"”{first.label}”"})
        self._describe_errors()

    def _left_empty(self, bound_field) -> bool:
        field = bound_field.field
        value = field.widget.value_from_datadict(self.data, self.files, bound_field.html_name)
        if isinstance(value, str):
            value = value.strip()
        return value in (None, "", [], (), {}, False)

    def _describe_errors(self):
        # The message is tied to its control (WCAG 3.3.1, 4.1.2): aria-invalid and
        # aria-describedby pointing at the message includes/field.html renders.
        for name in self._errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            error_id = f"{self[name].auto_id}_error"
            described = attrs.get("aria-describedby", "").split()
            if self.fields[name].help_text and not described:
                described.append(f"{self[name].auto_id}_helptext")
            if error_id not in described:
                attrs["aria-describedby"] = " ".join([*described, error_id])


class Form(ProductFormMixin, forms.Form):
    """A product form: messages name the field; nothing filled in is an error."""


class ModelForm(ProductFormMixin, forms.ModelForm):
    """A product model form: messages name the field; nothing filled in is an error."""


# --- A small form on a page that posts elsewhere ---------------------------------------------
# Such a form's view redirects back to the page (post/redirect/get). When the input is wrong,
# `remember_invalid` keeps it in the session and the page's view, asking `recall` for the
# form, gets it back bound: the page shows the error summary, the message beside the field and
# what the user typed. Files are not kept; a file field asks again.

_INVALID_FORMS = "invalid_forms"


def remember_invalid(request, key: str, form) -> None:
    """Keep the posted input and the errors of the invalid `form` for the page the user goes
    back to, under `key`."""
    data = {name: request.POST.getlist(name) for name in request.POST}
    data.pop("csrfmiddlewaretoken", None)
    errors = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
    request.session.setdefault(_INVALID_FORMS, {})[key] = {"data": data, "errors": errors}
    request.session.modified = True


def recall(request, key: str, make):
    """The form `key` for a page, `make(data)`: bound to the kept input (once) if it was
    invalid, else unbound (`make(None)`)."""
    kept = request.session.get(_INVALID_FORMS, {})
    if key not in kept:
        return make(None)
    stored = kept.pop(key)
    request.session.modified = True
    data = QueryDict(mutable=True)
    for name, values in stored["data"].items():
        data.setlist(name, values)
    form = make(data)
    # The errors found when it was sent (a file's content is not kept to be checked again).
    form._errors = ErrorDict(
        {name: ErrorList(messages) for name, messages in stored["errors"].items()}
    )
    if hasattr(form, "_describe_errors"):
        form._describe_errors()
    return form


def recalled_key(request, prefix: str) -> str | None:
    """The kept invalid form whose key starts with `prefix` (one of many alike on a page)."""
    return next((k for k in request.session.get(_INVALID_FORMS, {}) if k.startswith(prefix)), None)
