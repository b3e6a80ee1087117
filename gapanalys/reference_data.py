"""The statement kinds a region asks for before BP2, as the seeds describe them: reference data
a region's administrator starts from (`models.statement_types_of`) and then keeps in the pages.

Each kind: (key, name, required for the region's own cases, required for joint cases).
"""

# Region Jämtland Härjedalen (seed 000): BP2 needs the programme owner's approval, anchoring in
# division management and statements from the patient-safety group (with the municipalities'
# MAS/MAR); vårdval/Hälsoval "when needed"; the LPO comments after the LAG presents (seed 002).
JAMTLAND = [
    ("lpo", "LPO:s synpunkter", True, True),
    ("patientsakerhet", "LSG patientsäkerhet (inkl. kommunernas MAS/MAR)", True, True),
    ("vardval", "Vårdval/Hälsoval", False, False),
    ("divisionsledning", "Förankring i divisionsledning", True, True),
    ("programagare", "Programägarens godkännande", True, True),
]

# Region Västernorrland and its municipalities (seed 002, step 3): the LPO comments; the LPO
# presents the analysis in the region's operative working group for preparation, where every
# area may add input on crowding out (undanträngning); the municipalities' networks feed back
# on joint cases; länssamordningsgruppen's preparation is the decision order's own step.
VASTERNORRLAND = [
    ("lpo", "LPO:s synpunkter", True, True),
    (
        "operativ_arbetsgrupp",
        "Operativ arbetsgrupp för kunskapsstyrning RVN (beredning)",
        True,
        True,
    ),
    ("undantrangning", "Medskick om undanträngning från verksamhetsområdena", False, False),
    ("kommunala_natverk", "Kommunernas nätverk (återkoppling)", False, True),
    ("patientsakerhet", "LSG patientsäkerhet (inkl. kommunernas MAS/MAR)", False, False),
]

# By county code; a region not named here starts from Jämtland's (the product's first order).
STATEMENT_TYPES = {"23": JAMTLAND, "22": VASTERNORRLAND}
DEFAULT = JAMTLAND
