"""The filter bar's fields, with the <option>s of select fields written in one go."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def with_options(form):
    """(bound field, its options as HTML, or None for a field that is not a select).

    Django's widget templates cost some 50 µs an option, format_html some 10 µs; a national
    administrator's LPO filter has 630 of them. Values and labels are escaped as Django's
    escape() does (it is the same html.escape), once each, into one string.
    """
    fields = []
    for field in form:
        widget = field.field.widget
        if getattr(widget, "input_type", None) != "select" or widget.allow_multiple_selected:
            fields.append((field, None))
            continue
        value = field.value()
        chosen = "" if value is None else str(value)
        options = []
        for option, label in field.field.choices:
            option = str(option)
            selected = " selected" if option == chosen else ""
            options.append(
                f'<option value="{escape(option)}"{selected}>{escape(str(label))}</option>'
            )
        fields.append((field, mark_safe("".join(options))))  # each part escaped above
    return fields
