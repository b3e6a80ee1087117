from django import template

from common.text import genitive as _genitive

register = template.Library()


@register.filter
def genitive(name):
    """{{ response.name|genitive }} svar → "LPO Psykisk hälsas svar"."""
    return _genitive(name)
