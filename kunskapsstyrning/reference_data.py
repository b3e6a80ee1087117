"""Reference data for the kunskapsstyrning app: the national personcentrerade och
sammanhållna vårdförlopp, with sample recommendations and indicators for demo data.

Sources:
- VARDFORLOPP: seed 001 (webinar 2021, slide "28 vårdförlopp i olika faser och 2 generiska
  modeller", dated 210823) for the list and the national phase, and seed 000 (webinar Norra
  sjukvårdsregionen 2024-05-23, "Implementering av vårdförlopp i Region Jämtland
  Härjedalen. Status maj 2024") whose titles win where both name the same vårdförlopp.
- SAMPLE_RECOMMENDATIONS and SAMPLE_INDICATORS: written for demo and test data, modelled on
  the kind of items the national vårdförlopp contain. They are NOT quotations of the
  published documents and must not be presented as the national text.

Programme-area codes refer to organisation.reference_data.PROGRAMME_AREAS.
Pure data, no Django imports.
"""

# National phase codes (KnowledgeSupport.national_phase).
NATIONAL_PHASES = [
    "under_framtagande",
    "pa_remiss",
    "faststallt",
    "under_uppdatering",
    "utfasad",
]

# Care levels for recommendations.
CARE_LEVELS = ["primarvard", "specialiserad", "kommunal", "alla"]

# Seed 001's phase headings (2021-08-23) and how they map to national_phase:
#   "Godkända"                       -> faststallt
#   "Under framtagande"              -> under_framtagande
#   "Under uppdatering efter remiss" -> under_uppdatering
#   "Under uppstart"                 -> under_framtagande (nearest code)
# Every vårdförlopp on Region Jämtland Härjedalen's status board (seed 000, May 2024) is in
# regional implementation or has a decision to start a gap analysis, which presupposes a
# nationally fastställt kunskapsstöd; those entries therefore get "faststallt" even where
# seed 001 had an earlier phase in 2021, and phase_text records both.
_JH_2024 = "Region Jämtland Härjedalen, status maj 2024"

# Each dict: title, type ("vardforlopp" | "vardprogram"), programme_area, national_phase,
# phase_text (the seeds' own wording).
VARDFORLOPP = [
    # --- On Jämtland Härjedalen's status board (seed 000, titles as the seed writes them;
    # only the dashes are normalised to " – ").
    {
        "title": "Stroke och TIA",
        "type": "vardforlopp",
        "programme_area": "NERVSYSTEM",
        "national_phase": "faststallt",
        "phase_text": f"Godkända (2021); implementerat sedan tidigare ({_JH_2024})",
    },
    {
        "title": "Reumatoid artrit (RA)",
        "type": "vardforlopp",
        "programme_area": "REUMATISKA",
        "national_phase": "faststallt",
        "phase_text": f"Godkända (2021); implementerat sedan tidigare ({_JH_2024})",
    },
    {
        # Seed 001: "Hjärtsvikt".
        "title": "Hjärtsvikt – nydebuterad",
        "type": "vardforlopp",
        "programme_area": "HJART_KARL",
        "national_phase": "faststallt",
        "phase_text": f"Godkända (2021); på statustavlan BP1–BP3 ({_JH_2024})",
    },
    {
        # Seed 001: "Schizofreni" (del 1). Seed 000: "Schizofreni (om)startar hösten 2024".
        "title": "Schizofreni – förstagångsinsjuknande",
        "type": "vardforlopp",
        "programme_area": "PSYKISK_HALSA",
        "national_phase": "faststallt",
        "phase_text": f"Godkända (2021); (om)startar hösten 2024 ({_JH_2024})",
    },
    {
        # Seed 001: "Kogn.svikt vid demens". Owned by NPO Nervsystemets sjukdomar (together
        # with Äldres hälsa); uncertain which NPO is formally responsible.
        "title": "Kognitiv svikt vid misstänkt demenssjukdom",
        "type": "vardforlopp",
        "programme_area": "NERVSYSTEM",
        "national_phase": "faststallt",
        "phase_text": f"Godkända (2021); på statustavlan BP1–BP3 ({_JH_2024})",
    },
    {
        "title": "Sepsis",
        "type": "vardforlopp",
        "programme_area": "INFEKTION",
        "national_phase": "faststallt",
        "phase_text": f"Godkända (2021); på statustavlan BP1–BP3 ({_JH_2024})",
    },
    {
        # Seed 000 writes "Reumatoid artrit -etablerad"; seed 001 "Reumatoid artrit 2*".
        "title": "Reumatoid artrit – etablerad",
        "type": "vardforlopp",
        "programme_area": "REUMATISKA",
        "national_phase": "faststallt",
        "phase_text": (
            f"Under uppdatering efter remiss (2021, som Reumatoid artrit 2); "
            f"på statustavlan BP1–BP3 ({_JH_2024})"
        ),
    },
    {
        # Seed 001: "Osteoporos".
        "title": "Osteoporos – sekundärprevention efter fraktur",
        "type": "vardforlopp",
        "programme_area": "RORELSEORGAN",
        "national_phase": "faststallt",
        "phase_text": f"Godkända (2021); på statustavlan BP1–BP3 ({_JH_2024})",
    },
    {
        # Seed 000: "Levnadsvanor (vårdprogram)"; seed 001: "Levnadsvanor (generiskt)".
        "title": "Levnadsvanor",
        "type": "vardprogram",
        "programme_area": "LEVNADSVANOR",
        "national_phase": "faststallt",
        "phase_text": (
            f"Under framtagande (2021, som generisk modell); vårdprogram på statustavlan "
            f"BP1–BP3 ({_JH_2024})"
        ),
    },
    {
        # Seed 001: "Rehabilitering (generiskt)".
        "title": "Rehabilitering och delar av försäkringsmedicin – generisk modell",
        "type": "vardforlopp",
        "programme_area": "REHAB_HAB_FM",
        "national_phase": "faststallt",
        "phase_text": f"Godkända (2021); på statustavlan BP1–BP3 ({_JH_2024})",
    },
    {
        "title": "Grav hörselnedsättning",
        "type": "vardforlopp",
        "programme_area": "ONH",
        "national_phase": "faststallt",
        "phase_text": f"Under framtagande (2021); på statustavlan BP1–BP3 ({_JH_2024})",
    },
    {
        # Seed 001: "Epilepsi".
        "title": "Epilepsi – barn och vuxna",
        "type": "vardforlopp",
        "programme_area": "NERVSYSTEM",
        "national_phase": "faststallt",
        "phase_text": f"Under framtagande (2021); på statustavlan BP1–BP3 ({_JH_2024})",
    },
    {
        # Responsible NPO uncertain (Äldres hälsa assumed).
        "title": "Palliativ vård",
        "type": "vardforlopp",
        "programme_area": "ALDRES_HALSA",
        "national_phase": "faststallt",
        "phase_text": f"Under framtagande (2021); beslut att starta finns ({_JH_2024})",
    },
    {
        # Seed 001: "Långvarig icke-malign smärta". Responsible NPO uncertain (Rehabilitering,
        # habilitering och försäkringsmedicin assumed).
        "title": "Smärta – långvarig, hos vuxna",
        "type": "vardforlopp",
        "programme_area": "REHAB_HAB_FM",
        "national_phase": "faststallt",
        "phase_text": f"Under framtagande (2021); beslut att starta finns ({_JH_2024})",
    },
    {
        "title": "Knäledsartros",
        "type": "vardforlopp",
        "programme_area": "RORELSEORGAN",
        "national_phase": "faststallt",
        "phase_text": f"Under framtagande (2021); beslut att starta finns ({_JH_2024})",
    },
    {
        # Seed 001: "Höftledsartros-prim.vård".
        "title": "Höftledsartros – primärvård",
        "type": "vardforlopp",
        "programme_area": "RORELSEORGAN",
        "national_phase": "faststallt",
        "phase_text": f"Godkända (2021); beslut att starta finns ({_JH_2024})",
    },
    {
        # KOL 1.0 (seed 001: diagnostik och inledande behandling).
        "title": "KOL",
        "type": "vardforlopp",
        "programme_area": "LUNG_ALLERGI",
        "national_phase": "faststallt",
        "phase_text": f"Godkända (2021); beslut att starta finns ({_JH_2024})",
    },
    # --- Only in seed 001 (status 2021-08-23).
    {
        # Seed 000 names it "(före höftledsartros – proteskirurgi)"; seed 001
        # "Höftledsartros-proteskir. 2*".
        "title": "Höftledsartros – proteskirurgi",
        "type": "vardforlopp",
        "programme_area": "RORELSEORGAN",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande",
    },
    {
        "title": "Kritisk benischemi",
        "type": "vardforlopp",
        "programme_area": "HJART_KARL",
        "national_phase": "faststallt",
        "phase_text": "Godkända",
    },
    {
        "title": "Diabetes med hög risk för fotsår",
        "type": "vardforlopp",
        "programme_area": "ENDOKRINA",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande",
    },
    {
        "title": "Inflammatorisk tarmsjukdom",
        "type": "vardforlopp",
        "programme_area": "MAG_TARM",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande",
    },
    {
        "title": "Jättecellsarterit",
        "type": "vardforlopp",
        "programme_area": "REUMATISKA",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande",
    },
    {
        "title": "Matallergi",
        "type": "vardforlopp",
        "programme_area": "LUNG_ALLERGI",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande",
    },
    {
        # Responsible NPO uncertain (Lung- och allergisjukdomar assumed).
        "title": "Obstruktiv sömnapné vuxna",
        "type": "vardforlopp",
        "programme_area": "LUNG_ALLERGI",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande",
    },
    {
        "title": "KOL – del 2",
        "type": "vardforlopp",
        "programme_area": "LUNG_ALLERGI",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande (KOL 2)",
    },
    {
        "title": "Schizofreni – del 2",
        "type": "vardforlopp",
        "programme_area": "PSYKISK_HALSA",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande (Schizofreni 2)",
    },
    {
        "title": "Självskadebeteende",
        "type": "vardforlopp",
        "programme_area": "PSYKISK_HALSA",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande",
    },
    {
        "title": "Stroke och TIA – del 2",
        "type": "vardforlopp",
        "programme_area": "NERVSYSTEM",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande (Stroke och TIA 2)",
    },
    {
        # Responsible NPO uncertain (Hud- och könssjukdomar assumed).
        "title": "Svårläkta sår",
        "type": "vardforlopp",
        "programme_area": "HUD_KON",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande",
    },
    {
        # Listed separately from "Obstruktiv sömnapné vuxna" in seed 001 (presumably the
        # children's pathway). Responsible NPO uncertain (Öron-, näs- och hals assumed).
        "title": "Sömnrelaterad andningsstörning och obstruktiv sömnapné",
        "type": "vardforlopp",
        "programme_area": "ONH",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande",
    },
    {
        # Seed 001 also lists a NAG Traumatisk hjärnskada under NPO Barn och ungdomars hälsa;
        # Nervsystemets sjukdomar assumed as responsible NPO (uncertain).
        "title": "Traumatisk hjärnskada",
        "type": "vardforlopp",
        "programme_area": "NERVSYSTEM",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande",
    },
    {
        # Responsible NPO uncertain (Hjärt- och kärlsjukdomar assumed).
        "title": "Varicer och venösa bensår",
        "type": "vardforlopp",
        "programme_area": "HJART_KARL",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande",
    },
    {
        "title": "Ångest och depression",
        "type": "vardforlopp",
        "programme_area": "PSYKISK_HALSA",
        "national_phase": "under_framtagande",
        "phase_text": "Under framtagande",
    },
    {
        "title": "Ryggsmärta",
        "type": "vardforlopp",
        "programme_area": "RORELSEORGAN",
        "national_phase": "under_framtagande",
        "phase_text": "Under uppstart",
    },
    {
        "title": "Sekundär prevention vid perifer arteriell sjukdom",
        "type": "vardforlopp",
        "programme_area": "HJART_KARL",
        "national_phase": "under_framtagande",
        "phase_text": "Under uppstart",
    },
    {
        "title": "Sepsis – del 2",
        "type": "vardforlopp",
        "programme_area": "INFEKTION",
        "national_phase": "under_framtagande",
        "phase_text": "Under uppstart (Sepsis 2)",
    },
]

# title -> [(number, text, care_level)]: sample recommendations (insatser) for demo data.
SAMPLE_RECOMMENDATIONS = {
    "Hjärtsvikt – nydebuterad": [
        (
            1,
            "Vid misstanke om hjärtsvikt görs anamnes, status och EKG samt analys av NT-proBNP.",
            "primarvard",
        ),
        (
            2,
            "Patient med förhöjt NT-proBNP remitteras till ekokardiografi; normalt NT-proBNP "
            "gör hjärtsvikt osannolik och annan orsak utreds.",
            "primarvard",
        ),
        (
            3,
            "Ekokardiografi genomförs inom 4 veckor från remiss, vid mycket högt NT-proBNP "
            "eller uttalade symtom inom 2 veckor.",
            "specialiserad",
        ),
        (
            4,
            "Diagnos och typ av hjärtsvikt (nedsatt, lätt nedsatt eller bevarad "
            "ejektionsfraktion) fastställs och dokumenteras i journalen.",
            "alla",
        ),
        (
            5,
            "Vid hjärtsvikt med nedsatt ejektionsfraktion inleds behandling med RAS-hämmare "
            "eller ARNI, betablockerare, MRA och SGLT2-hämmare.",
            "alla",
        ),
        (
            6,
            "Läkemedlen upptitreras till måldos eller högsta tolererade dos med tät "
            "sjuksköterskeledd uppföljning vid hjärtsviktsmottagning.",
            "specialiserad",
        ),
        (
            7,
            "Patient och närstående får strukturerad information om egenvård: daglig "
            "vägning, vätskeintag och tecken på försämring.",
            "alla",
        ),
        (
            8,
            "Patienten erbjuds fysisk träning inom hjärtrehabilitering eller via "
            "fysioterapeut i primärvården.",
            "alla",
        ),
        (
            9,
            "Vid behov av hemsjukvård upprättas SIP och ansvaret för uppföljning av vikt och "
            "symtom överförs till kommunen.",
            "kommunal",
        ),
        (10, "Patienten registreras i kvalitetsregistret RiksSvikt.", "specialiserad"),
    ],
    "Stroke och TIA": [
        (
            1,
            "Vid misstänkt stroke används strukturerad bedömning (AKUT-test) prehospitalt "
            "och strokelarm aktiveras.",
            "alla",
        ),
        (
            2,
            "DT hjärna och DT-angiografi genomförs direkt vid ankomst till sjukhus.",
            "specialiserad",
        ),
        (
            3,
            "Trombolys ges utan dröjsmål, helst inom 30 minuter från ankomst, till patient "
            "som uppfyller kriterierna.",
            "specialiserad",
        ),
        (
            4,
            "Patient med ocklusion av stort intrakraniellt kärl bedöms akut för trombektomi.",
            "specialiserad",
        ),
        (5, "Patienten vårdas på strokeenhet från första vårddygnet.", "specialiserad"),
        (
            6,
            "Sväljförmågan screenas innan patienten får äta, dricka eller ta tabletter.",
            "specialiserad",
        ),
        (
            7,
            "Vid TIA påbörjas utredning med bilddiagnostik, halskärlsundersökning och EKG "
            "inom 24 timmar.",
            "specialiserad",
        ),
        (
            8,
            "Sekundärprevention med antitrombotisk behandling, blodtryckssänkning och statin "
            "inleds och följs upp.",
            "alla",
        ),
        (
            9,
            "Rehabiliteringen fortsätter efter utskrivning i hemmet genom tidig understödd "
            "utskrivning i samverkan mellan region och kommun.",
            "kommunal",
        ),
        (10, "Uppföljningsbesök genomförs cirka 3 månader efter insjuknandet.", "primarvard"),
    ],
    "KOL": [
        (
            1,
            "Person över 40 år med rökanamnes och luftvägssymtom erbjuds spirometri med "
            "reversibilitetstest.",
            "primarvard",
        ),
        (
            2,
            "Diagnosen KOL ställs med spirometri (FEV1/FVC under 0,7 efter bronkdilatation) "
            "och diagnoskod registreras.",
            "primarvard",
        ),
        (
            3,
            "Rökvanor efterfrågas och rökare erbjuds kvalificerat rådgivande samtal om "
            "rökavvänjning.",
            "alla",
        ),
        (
            4,
            "Symtombörda bedöms med CAT och mMRC och antalet exacerbationer dokumenteras.",
            "primarvard",
        ),
        (
            5,
            "Inhalationsbehandling inleds enligt nationella riktlinjer och inhalationstekniken "
            "instrueras och kontrolleras.",
            "alla",
        ),
        (
            6,
            "Patienten erbjuds bedömning av fysioterapeut och fysisk träning, samt "
            "nutritionsbedömning vid undervikt.",
            "alla",
        ),
        (
            7,
            "En skriftlig behandlingsplan med handlingsplan vid försämring upprättas "
            "tillsammans med patienten.",
            "primarvard",
        ),
        (8, "Vaccination mot influensa och pneumokocker erbjuds.", "primarvard"),
        (
            9,
            "Första uppföljningsbesök hos KOL-sjuksköterska eller läkare sker inom 3 månader "
            "efter diagnos.",
            "primarvard",
        ),
        (
            10,
            "Patient med svår KOL eller oklar diagnos remitteras till lungmedicinsk "
            "specialistvård.",
            "specialiserad",
        ),
    ],
    "Sepsis": [
        (
            1,
            "Vid misstänkt infektion mäts vitalparametrar och bedöms med NEWS2, även i "
            "kommunal hälso- och sjukvård.",
            "alla",
        ),
        (
            2,
            "Sjuksköterska i kommunen kontaktar läkare omedelbart vid förhöjd NEWS2-poäng "
            "hos patient med infektionstecken.",
            "kommunal",
        ),
        (
            3,
            "Patient med misstänkt sepsis prioriteras högt och bedöms av läkare direkt vid "
            "ankomst till akutmottagningen.",
            "specialiserad",
        ),
        (4, "Två par blododlingar tas innan antibiotika ges.", "specialiserad"),
        (
            5,
            "Antibiotika ges inom en timme vid misstänkt sepsis med organsvikt eller septisk "
            "chock.",
            "specialiserad",
        ),
        (
            6,
            "Laktat analyseras och vätskebehandling ges vid hypotoni eller tecken på "
            "hypoperfusion.",
            "specialiserad",
        ),
        (
            7,
            "Infektionsfokus identifieras och åtgärdas, till exempel dränage av abscess.",
            "specialiserad",
        ),
        (8, "Patient med kvarstående organsvikt bedöms av intensivvårdsläkare.", "specialiserad"),
        (
            9,
            "Antibiotikabehandlingen omprövas efter 48–72 timmar utifrån odlingssvar och klinik.",
            "specialiserad",
        ),
        (10, "Efter sepsis erbjuds uppföljning av fysisk och kognitiv funktion.", "primarvard"),
    ],
    "Schizofreni – förstagångsinsjuknande": [
        (
            1,
            "Vid misstänkt förstagångsinsjuknande i psykos görs en bedömning inom en vecka.",
            "specialiserad",
        ),
        (
            2,
            "Ett bedömningsteam utreder enligt strukturerad mall för första episod.",
            "specialiserad",
        ),
        (3, "Somatisk status, blodprover och läkemedelsgenomgång görs vid utredningen.", "alla"),
        (
            4,
            "Antipsykotisk behandling inleds i samråd med patienten och följs upp inom 6 veckor.",
            "specialiserad",
        ),
        (5, "Patient och närstående erbjuds psykopedagogisk utbildning.", "specialiserad"),
        (
            6,
            "Samordnad individuell plan (SIP) upprättas när insatser behövs från både region "
            "och kommun.",
            "alla",
        ),
        (7, "Stöd till boende, sysselsättning och studier planeras med kommunen.", "kommunal"),
    ],
    "Reumatoid artrit (RA)": [
        (1, "Vid misstänkt RA remitteras patienten till reumatolog inom två veckor.", "primarvard"),
        (2, "Reumatolog bedömer patienten inom sex veckor från symtomdebut.", "specialiserad"),
        (
            3,
            "Sjukdomsmodifierande behandling inleds direkt när diagnosen ställts.",
            "specialiserad",
        ),
        (
            4,
            "Sjukdomsaktiviteten mäts med DAS28 vid varje besök under första året.",
            "specialiserad",
        ),
        (5, "Fysioterapeut och arbetsterapeut bedömer funktion och aktivitet.", "alla"),
        (6, "Patienten registreras i Svensk Reumatologis Kvalitetsregister.", "specialiserad"),
    ],
    "Kognitiv svikt vid misstänkt demenssjukdom": [
        (
            1,
            "Vid misstänkt kognitiv svikt tas strukturerad anamnes, även med närstående.",
            "primarvard",
        ),
        (2, "Kognitiv testning görs med MMSE-SR och klocktest.", "primarvard"),
        (3, "Blodprover enligt basal demensutredning tas och DT hjärna genomförs.", "primarvard"),
        (
            4,
            "En läkemedelsgenomgång görs för att identifiera läkemedel som kan påverka "
            "kognitionen.",
            "primarvard",
        ),
        (5, "Arbetsterapeut bedömer aktivitetsförmågan i vardagen, vid behov i hemmet.", "alla"),
        (
            6,
            "Den basala demensutredningen slutförs och diagnos meddelas vid ett planerat "
            "återbesök inom 3 månader.",
            "primarvard",
        ),
        (
            7,
            "Patient under 65 år eller med atypisk bild remitteras till specialiserad "
            "minnesmottagning.",
            "specialiserad",
        ),
        (
            8,
            "Patient och närstående får information om diagnos, stöd och kontakt med "
            "kommunens demenssjuksköterska.",
            "kommunal",
        ),
        (
            9,
            "Samordnad individuell plan (SIP) upprättas när insatser behövs från både "
            "region och kommun.",
            "alla",
        ),
        (10, "Patienten följs upp minst en gång per år.", "primarvard"),
    ],
}

# title -> [indicator dict]: sample indicators for demo data.
# unit: "procent" | "antal" | "dagar"; direction: "higher" | "lower"; target: number or None.
SAMPLE_INDICATORS = {
    "Hjärtsvikt – nydebuterad": [
        {
            "code": "HSV-01",
            "name": "Ekokardiografi inom 4 veckor",
            "definition": "Andel patienter med förhöjt NT-proBNP och misstänkt hjärtsvikt som "
            "genomgått ekokardiografi inom 4 veckor från remiss.",
            "unit": "procent",
            "direction": "higher",
            "target": 80,
        },
        {
            "code": "HSV-02",
            "name": "Fyra läkemedelsgrupper vid HFrEF",
            "definition": "Andel patienter med hjärtsvikt med nedsatt ejektionsfraktion som "
            "behandlas med RAS-hämmare/ARNI, betablockerare, MRA och "
            "SGLT2-hämmare 6 månader efter diagnos.",
            "unit": "procent",
            "direction": "higher",
            "target": None,
        },
        {
            "code": "HSV-03",
            "name": "Tid från misstanke till diagnos",
            "definition": "Median antal dagar från första NT-proBNP till fastställd "
            "hjärtsviktsdiagnos.",
            "unit": "dagar",
            "direction": "lower",
            "target": 42,
        },
    ],
    "Stroke och TIA": [
        {
            "code": "STR-01",
            "name": "Dörr-till-nål-tid högst 30 minuter",
            "definition": "Andel trombolysbehandlade patienter med högst 30 minuter från "
            "ankomst till sjukhus till start av trombolys.",
            "unit": "procent",
            "direction": "higher",
            "target": 50,
        },
        {
            "code": "STR-02",
            "name": "Vård på strokeenhet",
            "definition": "Andel patienter med akut stroke som vårdats på strokeenhet "
            "första vårddygnet.",
            "unit": "procent",
            "direction": "higher",
            "target": 90,
        },
        {
            "code": "STR-03",
            "name": "Uppföljning efter 3 månader",
            "definition": "Andel patienter med stroke som följts upp med besök 3 månader "
            "efter insjuknandet.",
            "unit": "procent",
            "direction": "higher",
            "target": None,
        },
    ],
    "KOL": [
        {
            "code": "KOL-01",
            "name": "Spirometriverifierad diagnos",
            "definition": "Andel patienter med diagnosen KOL där diagnosen verifierats med "
            "spirometri efter bronkdilatation.",
            "unit": "procent",
            "direction": "higher",
            "target": 90,
        },
        {
            "code": "KOL-02",
            "name": "Dokumenterad rökstatus",
            "definition": "Andel patienter med KOL med dokumenterad rökstatus det senaste året.",
            "unit": "procent",
            "direction": "higher",
            "target": 95,
        },
        {
            "code": "KOL-03",
            "name": "Skriftlig behandlingsplan",
            "definition": "Andel nydiagnostiserade patienter med KOL som fått en skriftlig "
            "behandlingsplan inom 3 månader.",
            "unit": "procent",
            "direction": "higher",
            "target": None,
        },
    ],
    "Sepsis": [
        {
            "code": "SEP-01",
            "name": "Antibiotika inom en timme",
            "definition": "Andel patienter med sepsis och organsvikt som fått antibiotika "
            "inom 60 minuter från ankomst.",
            "unit": "procent",
            "direction": "higher",
            "target": 90,
        },
        {
            "code": "SEP-02",
            "name": "Blododling före antibiotika",
            "definition": "Andel patienter med misstänkt sepsis där blododling tagits innan "
            "första antibiotikados.",
            "unit": "procent",
            "direction": "higher",
            "target": 95,
        },
        {
            "code": "SEP-03",
            "name": "Patienter med sepsis vårdade på IVA",
            "definition": "Antal patienter med sepsis som vårdats på intensivvårdsavdelning "
            "under perioden.",
            "unit": "antal",
            "direction": "lower",
            "target": None,
        },
    ],
    "Schizofreni – förstagångsinsjuknande": [
        {
            "code": "SCH-01",
            "name": "Bedömning inom en vecka",
            "definition": "Andel patienter med misstänkt förstagångspsykos som bedömts inom "
            "sju dagar från remiss eller kontakt.",
            "unit": "procent",
            "direction": "higher",
            "target": 90,
        },
        {
            "code": "SCH-02",
            "name": "SIP upprättad",
            "definition": "Andel patienter med insatser från både region och kommun som har "
            "en samordnad individuell plan.",
            "unit": "procent",
            "direction": "higher",
            "target": None,
        },
    ],
    "Reumatoid artrit (RA)": [
        {
            "code": "RA-01",
            "name": "Bedömd av reumatolog inom sex veckor",
            "definition": "Andel patienter med nydebuterad RA som bedömts av reumatolog "
            "inom sex veckor från symtomdebut.",
            "unit": "procent",
            "direction": "higher",
            "target": 70,
        },
        {
            "code": "RA-02",
            "name": "Tid till behandlingsstart",
            "definition": "Median antal dagar från diagnos till start av "
            "sjukdomsmodifierande behandling.",
            "unit": "dagar",
            "direction": "lower",
            "target": 7,
        },
    ],
    "Kognitiv svikt vid misstänkt demenssjukdom": [
        {
            "code": "KOG-01",
            "name": "Genomförd basal demensutredning",
            "definition": "Andel patienter med nyställd demensdiagnos där samtliga delar i "
            "den basala utredningen är dokumenterade.",
            "unit": "procent",
            "direction": "higher",
            "target": 80,
        },
        {
            "code": "KOG-02",
            "name": "Tid från första besök till diagnos",
            "definition": "Median antal dagar från första besök för kognitiv svikt till "
            "meddelad diagnos.",
            "unit": "dagar",
            "direction": "lower",
            "target": 90,
        },
        {
            "code": "KOG-03",
            "name": "Årlig uppföljning",
            "definition": "Andel patienter med demenssjukdom som följts upp minst en gång "
            "det senaste året.",
            "unit": "procent",
            "direction": "higher",
            "target": None,
        },
    ],
}


# --- Decision orders of the two seed regions (issue 13) -----------------------------------
# The decision bodies they name: (code, kind, name, county code).
DECISION_BODIES = [
    ("RJH_HSL", "HSL", "Hälso- och sjukvårdsledningen RJH", "23"),
    ("RVN_HSL", "HSL", "Hälso- och sjukvårdsledningen RVN", "22"),
    ("RVN_LSAM", "LSAM", "Länssamordningsgruppen Västernorrland", "22"),
    ("RVN_LANS", "LANS", "Länsledningen Västernorrland", "22"),
]
HSD = "hälso- och sjukvårdsdirektören"
# One row per region, point and kind of case; bodies by code. Fields not named keep the
# model's defaults (in use, every part must approve, nobody prepares or is informed).
DECISION_ORDERS = [
    # Jämtland Härjedalen (seed 000): BP1, BP2 and BP3 each decided by the hälso- och
    # sjukvårdsledning, on material the LPO prepares.
    *(
        {"region": "23", "point": point, "applies_to": "alla", "deciding_body": "RJH_HSL"}
        for point in ("BP1", "BP2", "BP3")
    ),
    # Västernorrland, the region's own cases: the HSD decides for the region.
    *(
        {
            "region": "22",
            "point": point,
            "applies_to": "regionens",
            "deciding_body": "RVN_HSL",
            "region_decider": HSD,
        }
        for point in ("BP1", "BP2", "BP3")
    ),
    # Västernorrland with its seven municipalities (seed 002, länsledningen 2024-05-17):
    # step 7, the LPO decides whether to go on after the national decision;
    {"region": "22", "point": "BP1", "applies_to": "gemensamma", "lpo_decides": True},
    # steps 9–12, länssamordningsgruppen prepares and proposes; in länsledningen the HSD
    # always decides for the region and each municipality decides for itself; HälSam
    # politisk samverkan is informed;
    {
        "region": "22",
        "point": "BP2",
        "applies_to": "gemensamma",
        "preparing_body": "RVN_LSAM",
        "deciding_body": "RVN_HSL",
        "region_decider": HSD,
        "municipal_body": "RVN_LANS",
        "municipal_decider": "förvaltningschef för socialtjänst och skola",
        "each_decides": True,
        "informed": "HälSam politisk samverkan",
    },
    # the joint implementation starts from that decision: no third decision point.
    {"region": "22", "point": "BP3", "applies_to": "gemensamma", "in_use": False},
]


if __name__ == "__main__":
    titles = [v["title"] for v in VARDFORLOPP]
    assert len(titles) == len(set(titles)), "duplicate titles"
    for v in VARDFORLOPP:
        assert set(v) == {"title", "type", "programme_area", "national_phase", "phase_text"}, v
        assert v["national_phase"] in NATIONAL_PHASES, v
        assert v["type"] in ("vardforlopp", "vardprogram"), v
    for title, recs in SAMPLE_RECOMMENDATIONS.items():
        assert title in titles, title
        assert 6 <= len(recs) <= 10, title
        assert len({n for n, _, _ in recs}) == len(recs), title
        for _, text, level in recs:
            assert len(text) < 200 and level in CARE_LEVELS, text
    for title, inds in SAMPLE_INDICATORS.items():
        assert title in titles and 2 <= len(inds) <= 3, title
        for ind in inds:
            assert ind["unit"] in ("procent", "antal", "dagar")
            assert ind["direction"] in ("higher", "lower")
    assert set(SAMPLE_RECOMMENDATIONS) == set(SAMPLE_INDICATORS)
    print(f"vårdförlopp: {len(VARDFORLOPP)}")
    print(f"recommendations: {sum(len(r) for r in SAMPLE_RECOMMENDATIONS.values())}")
    print(f"indicators: {sum(len(i) for i in SAMPLE_INDICATORS.values())}")
