from django import template

from common.text import genitive as _genitive

register = template.Library()


@register.filter
def genitive(name):
    """{{ response.name|genitive }} svar → "LPO Psykisk hälsas svar"."""
    return _genitive(name)


@register.filter
def listing(text):
    """Names written one per line ("Närvarande") read as one line: "Hanna Ek, Per Berg".

    A line that holds a comma itself ("Anna Andersson, förvaltningschef") is kept whole with
    semicolons between the lines, so a title is not read as another person.
    """
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    return ("; " if any("," in line for line in lines) else ", ").join(lines)
