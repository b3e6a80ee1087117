"""Swedish text that is built from names: genitives and counted nouns."""

import re

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
