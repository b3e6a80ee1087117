"""Swedish text that is built from names: genitives and counted nouns."""

import re
from decimal import Decimal

from common.charts import format_number

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
    """A measured amount as Swedish readers write it: "90 %", "12,5 dagar", "12 345".

    The decimals it has, not its field's scale (a target stored as 90.00 reads "90 %"), in the
    charts' number format (`common.charts.format_number`); "procent" and "%" are written as the
    sign."""
    exponent = Decimal(str(value)).normalize().as_tuple().exponent
    decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    number = format_number(float(value), decimals)
    unit = unit.strip()
    if unit.lower() in {"procent", "%"}:
        return f"{number} %"
    return f"{number} {unit}" if unit else number
