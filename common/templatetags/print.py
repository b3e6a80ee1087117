from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value):
    """Text safe inside a double-quoted CSS string (page headers in PDF templates).

    `escapejs` is for JavaScript: its \\u002D escapes mean nothing to CSS, which would print
    them literally.
    """
    text = str(value)
    for char, escaped in (("\\", "\\\\"), ('"', '\\"'), ("\n", " "), ("\r", " "), ("<", "\\3C ")):
        text = text.replace(char, escaped)
    return mark_safe(text)
