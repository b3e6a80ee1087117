"""Swedish text that is built from names: genitives and counted nouns."""

import re
from decimal import Decimal

# An abbreviation or a name ending in a digit takes a colon before the s ("LPO:s", "NPO 2:s").
_NEEDS_COLON = re.compile(r"(\b[A-ZÅÄÖ]{2,}|\d)$")


def genitive(name: str) -> str:
    """The Swedish genitive of a name: "LPO Psykisk hälsa" → "LPO Psykisk hälsas",
    "Kommunerna" → "Kommunernas", "LPO" → "LPO:s", "Region Västernorrlands" stays."""
    name = str(name).rstrip()
    if not name:
        return name
    if _NEEDS_COLON.search(name):
        return f"{name}:s"
    if name[-1].lower() in "sxz":
        return name
    return f"{name}s"


def quantity(value, unit: str = "") -> str:
    """A measured amount as Swedish readers write it: "90 %", "12,5 dagar", "3".

    Whole numbers lose their decimals and decimals take a comma, whatever the field's scale
    (a target stored as 90.00 reads "90 %"); "procent" and "%" are written as the sign.
    """
    from django.utils.formats import number_format

    if value % 1:  # 12.50 → "12,5": the decimals it has, not the column's scale
        number = number_format(value.normalize() if isinstance(value, Decimal) else value)
    else:
        number = number_format(value, decimal_pos=0)
    unit = unit.strip()
    if unit.lower() in {"procent", "%"}:
        return f"{number} %"
    return f"{number} {unit}" if unit else number
