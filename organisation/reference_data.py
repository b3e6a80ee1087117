"""Reference data for the organisation app: healthcare regions, regions, municipalities,
municipal associations, national programme areas (NPO) and national collaboration groups (NSG).

Sources:
- Healthcare regions, regions and municipalities: SCB's län- och kommunkoder (the 21 counties
  and 290 municipalities; four-digit kommunkod whose first two digits are the länskod) and the
  regions' own official names. Healthcare-region membership follows the regions'
  samverkansavtal (see /work/shared/DOMAIN.md §2).
- Municipal associations: seed 002 (Region Västernorrland's joint process names
  Kommunförbundet Västernorrland, KfVN) and general knowledge, see the comments.
- Programme areas and their host healthcare regions, and the NSGs: seed 001 (webinar 2021,
  slide "Totalt har 26 programområden och 8 samverkansgrupper bildats med värdskap i
  sjukvårdsregioner eller hos SKR").

Pure data, no Django imports: loaded by data migrations / management commands.
Run `python3 organisation/reference_data.py` to check the counts.
"""

# (code, name)
HEALTHCARE_REGIONS = [
    ("NORRA", "Norra sjukvårdsregionen"),
    ("MELLAN", "Sjukvårdsregion Mellansverige"),
    ("STOCKHOLM_GOTLAND", "Sjukvårdsregion Stockholm-Gotland"),
    ("SYDOSTRA", "Sydöstra sjukvårdsregionen"),
    ("VASTRA", "Västra sjukvårdsregionen"),
    ("SODRA", "Södra sjukvårdsregionen"),
]

# (county_code, name, short_code, healthcare_region_code)
# county_code = SCB länskod. short_code is unique and used in registry numbers (diarienummer).
REGIONS = [
    ("01", "Region Stockholm", "RS", "STOCKHOLM_GOTLAND"),
    ("03", "Region Uppsala", "RU", "MELLAN"),
    ("04", "Region Sörmland", "RSL", "MELLAN"),
    ("05", "Region Östergötland", "ROG", "SYDOSTRA"),
    ("06", "Region Jönköpings län", "RJL", "SYDOSTRA"),
    ("07", "Region Kronoberg", "RKR", "SODRA"),
    ("08", "Region Kalmar län", "RKL", "SYDOSTRA"),
    ("09", "Region Gotland", "RG", "STOCKHOLM_GOTLAND"),
    ("10", "Region Blekinge", "RBL", "SODRA"),
    ("12", "Region Skåne", "RSK", "SODRA"),
    # Halland belongs in reality to both Västra and Södra sjukvårdsregionen (northern Halland
    # to Västra, southern to Södra; the region takes part in both). The model allows one
    # healthcare region per region, so it is placed in VASTRA here.
    ("13", "Region Halland", "RH", "VASTRA"),
    ("14", "Västra Götalandsregionen", "VGR", "VASTRA"),
    ("17", "Region Värmland", "RVL", "MELLAN"),
    ("18", "Region Örebro län", "ROL", "MELLAN"),
    ("19", "Region Västmanland", "RVM", "MELLAN"),
    ("20", "Region Dalarna", "RD", "MELLAN"),
    ("21", "Region Gävleborg", "RGB", "MELLAN"),
    ("22", "Region Västernorrland", "RVN", "NORRA"),
    ("23", "Region Jämtland Härjedalen", "RJH", "NORRA"),
    ("24", "Region Västerbotten", "RVB", "NORRA"),
    ("25", "Region Norrbotten", "RNB", "NORRA"),
]

# (kommunkod, name, county_code): all 290 municipalities, SCB codes, names without "kommun".
MUNICIPALITIES = [
    # 01 Stockholms län (26)
    ("0114", "Upplands Väsby", "01"),
    ("0115", "Vallentuna", "01"),
    ("0117", "Österåker", "01"),
    ("0120", "Värmdö", "01"),
    ("0123", "Järfälla", "01"),
    ("0125", "Ekerö", "01"),
    ("0126", "Huddinge", "01"),
    ("0127", "Botkyrka", "01"),
    ("0128", "Salem", "01"),
    ("0136", "Haninge", "01"),
    ("0138", "Tyresö", "01"),
    ("0139", "Upplands-Bro", "01"),
    ("0140", "Nykvarn", "01"),
    ("0160", "Täby", "01"),
    ("0162", "Danderyd", "01"),
    ("0163", "Sollentuna", "01"),
    ("0180", "Stockholm", "01"),
    ("0181", "Södertälje", "01"),
    ("0182", "Nacka", "01"),
    ("0183", "Sundbyberg", "01"),
    ("0184", "Solna", "01"),
    ("0186", "Lidingö", "01"),
    ("0187", "Vaxholm", "01"),
    ("0188", "Norrtälje", "01"),
    ("0191", "Sigtuna", "01"),
    ("0192", "Nynäshamn", "01"),
    # 03 Uppsala län (8)
    ("0305", "Håbo", "03"),
    ("0319", "Älvkarleby", "03"),
    ("0330", "Knivsta", "03"),
    ("0331", "Heby", "03"),
    ("0360", "Tierp", "03"),
    ("0380", "Uppsala", "03"),
    ("0381", "Enköping", "03"),
    ("0382", "Östhammar", "03"),
    # 04 Södermanlands län (9)
    ("0428", "Vingåker", "04"),
    ("0461", "Gnesta", "04"),
    ("0480", "Nyköping", "04"),
    ("0481", "Oxelösund", "04"),
    ("0482", "Flen", "04"),
    ("0483", "Katrineholm", "04"),
    ("0484", "Eskilstuna", "04"),
    ("0486", "Strängnäs", "04"),
    ("0488", "Trosa", "04"),
    # 05 Östergötlands län (13)
    ("0509", "Ödeshög", "05"),
    ("0512", "Ydre", "05"),
    ("0513", "Kinda", "05"),
    ("0560", "Boxholm", "05"),
    ("0561", "Åtvidaberg", "05"),
    ("0562", "Finspång", "05"),
    ("0563", "Valdemarsvik", "05"),
    ("0580", "Linköping", "05"),
    ("0581", "Norrköping", "05"),
    ("0582", "Söderköping", "05"),
    ("0583", "Motala", "05"),
    ("0584", "Vadstena", "05"),
    ("0586", "Mjölby", "05"),
    # 06 Jönköpings län (13)
    ("0604", "Aneby", "06"),
    ("0617", "Gnosjö", "06"),
    ("0642", "Mullsjö", "06"),
    ("0643", "Habo", "06"),
    ("0662", "Gislaved", "06"),
    ("0665", "Vaggeryd", "06"),
    ("0680", "Jönköping", "06"),
    ("0682", "Nässjö", "06"),
    ("0683", "Värnamo", "06"),
    ("0684", "Sävsjö", "06"),
    ("0685", "Vetlanda", "06"),
    ("0686", "Eksjö", "06"),
    ("0687", "Tranås", "06"),
    # 07 Kronobergs län (8)
    ("0760", "Uppvidinge", "07"),
    ("0761", "Lessebo", "07"),
    ("0763", "Tingsryd", "07"),
    ("0764", "Alvesta", "07"),
    ("0765", "Älmhult", "07"),
    ("0767", "Markaryd", "07"),
    ("0780", "Växjö", "07"),
    ("0781", "Ljungby", "07"),
    # 08 Kalmar län (12)
    ("0821", "Högsby", "08"),
    ("0834", "Torsås", "08"),
    ("0840", "Mörbylånga", "08"),
    ("0860", "Hultsfred", "08"),
    ("0861", "Mönsterås", "08"),
    ("0862", "Emmaboda", "08"),
    ("0880", "Kalmar", "08"),
    ("0881", "Nybro", "08"),
    ("0882", "Oskarshamn", "08"),
    ("0883", "Västervik", "08"),
    ("0884", "Vimmerby", "08"),
    ("0885", "Borgholm", "08"),
    # 09 Gotlands län (1)
    ("0980", "Gotland", "09"),
    # 10 Blekinge län (5)
    ("1060", "Olofström", "10"),
    ("1080", "Karlskrona", "10"),
    ("1081", "Ronneby", "10"),
    ("1082", "Karlshamn", "10"),
    ("1083", "Sölvesborg", "10"),
    # 12 Skåne län (33)
    ("1214", "Svalöv", "12"),
    ("1230", "Staffanstorp", "12"),
    ("1231", "Burlöv", "12"),
    ("1233", "Vellinge", "12"),
    ("1256", "Östra Göinge", "12"),
    ("1257", "Örkelljunga", "12"),
    ("1260", "Bjuv", "12"),
    ("1261", "Kävlinge", "12"),
    ("1262", "Lomma", "12"),
    ("1263", "Svedala", "12"),
    ("1264", "Skurup", "12"),
    ("1265", "Sjöbo", "12"),
    ("1266", "Hörby", "12"),
    ("1267", "Höör", "12"),
    ("1270", "Tomelilla", "12"),
    ("1272", "Bromölla", "12"),
    ("1273", "Osby", "12"),
    ("1275", "Perstorp", "12"),
    ("1276", "Klippan", "12"),
    ("1277", "Åstorp", "12"),
    ("1278", "Båstad", "12"),
    ("1280", "Malmö", "12"),
    ("1281", "Lund", "12"),
    ("1282", "Landskrona", "12"),
    ("1283", "Helsingborg", "12"),
    ("1284", "Höganäs", "12"),
    ("1285", "Eslöv", "12"),
    ("1286", "Ystad", "12"),
    ("1287", "Trelleborg", "12"),
    ("1290", "Kristianstad", "12"),
    ("1291", "Simrishamn", "12"),
    ("1292", "Ängelholm", "12"),
    ("1293", "Hässleholm", "12"),
    # 13 Hallands län (6)
    ("1315", "Hylte", "13"),
    ("1380", "Halmstad", "13"),
    ("1381", "Laholm", "13"),
    ("1382", "Falkenberg", "13"),
    ("1383", "Varberg", "13"),
    ("1384", "Kungsbacka", "13"),
    # 14 Västra Götalands län (49)
    ("1401", "Härryda", "14"),
    ("1402", "Partille", "14"),
    ("1407", "Öckerö", "14"),
    ("1415", "Stenungsund", "14"),
    ("1419", "Tjörn", "14"),
    ("1421", "Orust", "14"),
    ("1427", "Sotenäs", "14"),
    ("1430", "Munkedal", "14"),
    ("1435", "Tanum", "14"),
    ("1438", "Dals-Ed", "14"),
    ("1439", "Färgelanda", "14"),
    ("1440", "Ale", "14"),
    ("1441", "Lerum", "14"),
    ("1442", "Vårgårda", "14"),
    ("1443", "Bollebygd", "14"),
    ("1444", "Grästorp", "14"),
    ("1445", "Essunga", "14"),
    ("1446", "Karlsborg", "14"),
    ("1447", "Gullspång", "14"),
    ("1452", "Tranemo", "14"),
    ("1460", "Bengtsfors", "14"),
    ("1461", "Mellerud", "14"),
    ("1462", "Lilla Edet", "14"),
    ("1463", "Mark", "14"),
    ("1465", "Svenljunga", "14"),
    ("1466", "Herrljunga", "14"),
    ("1470", "Vara", "14"),
    ("1471", "Götene", "14"),
    ("1472", "Tibro", "14"),
    ("1473", "Töreboda", "14"),
    ("1480", "Göteborg", "14"),
    ("1481", "Mölndal", "14"),
    ("1482", "Kungälv", "14"),
    ("1484", "Lysekil", "14"),
    ("1485", "Uddevalla", "14"),
    ("1486", "Strömstad", "14"),
    ("1487", "Vänersborg", "14"),
    ("1488", "Trollhättan", "14"),
    ("1489", "Alingsås", "14"),
    ("1490", "Borås", "14"),
    ("1491", "Ulricehamn", "14"),
    ("1492", "Åmål", "14"),
    ("1493", "Mariestad", "14"),
    ("1494", "Lidköping", "14"),
    ("1495", "Skara", "14"),
    ("1496", "Skövde", "14"),
    ("1497", "Hjo", "14"),
    ("1498", "Tidaholm", "14"),
    ("1499", "Falköping", "14"),
    # 17 Värmlands län (16)
    ("1715", "Kil", "17"),
    ("1730", "Eda", "17"),
    ("1737", "Torsby", "17"),
    ("1760", "Storfors", "17"),
    ("1761", "Hammarö", "17"),
    ("1762", "Munkfors", "17"),
    ("1763", "Forshaga", "17"),
    ("1764", "Grums", "17"),
    ("1765", "Årjäng", "17"),
    ("1766", "Sunne", "17"),
    ("1780", "Karlstad", "17"),
    ("1781", "Kristinehamn", "17"),
    ("1782", "Filipstad", "17"),
    ("1783", "Hagfors", "17"),
    ("1784", "Arvika", "17"),
    ("1785", "Säffle", "17"),
    # 18 Örebro län (12)
    ("1814", "Lekeberg", "18"),
    ("1860", "Laxå", "18"),
    ("1861", "Hallsberg", "18"),
    ("1862", "Degerfors", "18"),
    ("1863", "Hällefors", "18"),
    ("1864", "Ljusnarsberg", "18"),
    ("1880", "Örebro", "18"),
    ("1881", "Kumla", "18"),
    ("1882", "Askersund", "18"),
    ("1883", "Karlskoga", "18"),
    ("1884", "Nora", "18"),
    ("1885", "Lindesberg", "18"),
    # 19 Västmanlands län (10)
    ("1904", "Skinnskatteberg", "19"),
    ("1907", "Surahammar", "19"),
    ("1960", "Kungsör", "19"),
    ("1961", "Hallstahammar", "19"),
    ("1962", "Norberg", "19"),
    ("1980", "Västerås", "19"),
    ("1981", "Sala", "19"),
    ("1982", "Fagersta", "19"),
    ("1983", "Köping", "19"),
    ("1984", "Arboga", "19"),
    # 20 Dalarnas län (15)
    ("2021", "Vansbro", "20"),
    ("2023", "Malung-Sälen", "20"),
    ("2026", "Gagnef", "20"),
    ("2029", "Leksand", "20"),
    ("2031", "Rättvik", "20"),
    ("2034", "Orsa", "20"),
    ("2039", "Älvdalen", "20"),
    ("2061", "Smedjebacken", "20"),
    ("2062", "Mora", "20"),
    ("2080", "Falun", "20"),
    ("2081", "Borlänge", "20"),
    ("2082", "Säter", "20"),
    ("2083", "Hedemora", "20"),
    ("2084", "Avesta", "20"),
    ("2085", "Ludvika", "20"),
    # 21 Gävleborgs län (10)
    ("2101", "Ockelbo", "21"),
    ("2104", "Hofors", "21"),
    ("2121", "Ovanåker", "21"),
    ("2132", "Nordanstig", "21"),
    ("2161", "Ljusdal", "21"),
    ("2180", "Gävle", "21"),
    ("2181", "Sandviken", "21"),
    ("2182", "Söderhamn", "21"),
    ("2183", "Bollnäs", "21"),
    ("2184", "Hudiksvall", "21"),
    # 22 Västernorrlands län (7)
    ("2260", "Ånge", "22"),
    ("2262", "Timrå", "22"),
    ("2280", "Härnösand", "22"),
    ("2281", "Sundsvall", "22"),
    ("2282", "Kramfors", "22"),
    ("2283", "Sollefteå", "22"),
    ("2284", "Örnsköldsvik", "22"),
    # 23 Jämtlands län (8)
    ("2303", "Ragunda", "23"),
    ("2305", "Bräcke", "23"),
    ("2309", "Krokom", "23"),
    ("2313", "Strömsund", "23"),
    ("2321", "Åre", "23"),
    ("2326", "Berg", "23"),
    ("2361", "Härjedalen", "23"),
    ("2380", "Östersund", "23"),
    # 24 Västerbottens län (15)
    ("2401", "Nordmaling", "24"),
    ("2403", "Bjurholm", "24"),
    ("2404", "Vindeln", "24"),
    ("2409", "Robertsfors", "24"),
    ("2417", "Norsjö", "24"),
    ("2418", "Malå", "24"),
    ("2421", "Storuman", "24"),
    ("2422", "Sorsele", "24"),
    ("2425", "Dorotea", "24"),
    ("2460", "Vännäs", "24"),
    ("2462", "Vilhelmina", "24"),
    ("2463", "Åsele", "24"),
    ("2480", "Umeå", "24"),
    ("2481", "Lycksele", "24"),
    ("2482", "Skellefteå", "24"),
    # 25 Norrbottens län (14)
    ("2505", "Arvidsjaur", "25"),
    ("2506", "Arjeplog", "25"),
    ("2510", "Jokkmokk", "25"),
    ("2513", "Överkalix", "25"),
    ("2514", "Kalix", "25"),
    ("2518", "Övertorneå", "25"),
    ("2521", "Pajala", "25"),
    ("2523", "Gällivare", "25"),
    ("2560", "Älvsbyn", "25"),
    ("2580", "Luleå", "25"),
    ("2581", "Piteå", "25"),
    ("2582", "Boden", "25"),
    ("2583", "Haparanda", "25"),
    ("2584", "Kiruna", "25"),
]

# (code, name, county_code): kommunförbund through which a county's municipalities act jointly.
MUNICIPAL_ASSOCIATIONS = [
    # Seed 002: "samordnare för kunskapsstyrning i Kommunförbundet Västernorrland (KfVN)";
    # seed 000: "Västernorrland har 7 kommuner, kommunförbund".
    ("KFVN", "Kommunförbundet Västernorrland", "22"),
    # Norrbottens Kommuner: the kommunförbund of Norrbotten's 14 municipalities (not in the
    # seeds; general knowledge, the code "NBK" is our own abbreviation).
    ("NBK", "Norrbottens Kommuner", "25"),
    # Not included, not confident of the current body and name: Västerbotten (the former
    # Västerbottens läns kommunförbund merged into Region Västerbotten in 2019) and Jämtland
    # (the municipalities cooperate with Region Jämtland Härjedalen without a known
    # kommunförbund). Add them here once the regions confirm the names.
]

# (code, name, host_healthcare_region_code): the 26 national programme areas (NPO) and the
# healthcare region hosting each (värdskap), as listed in seed 001 (2021). Seed 001 gives all
# 26, so nothing was added from other sources.
PROGRAMME_AREAS = [
    # Norra sjukvårdsregionen
    ("ENDOKRINA", "Endokrina sjukdomar", "NORRA"),
    ("LEVNADSVANOR", "Levnadsvanor", "NORRA"),
    # Seed 001 lists Cancersjukdomar under Norra as "(vilande, SKR)" and again under SKR as
    # "Cancersjukdomar (vilande)": the NPO is dormant (cancer is run by the Regionala
    # cancercentrum i samverkan). The model requires a host healthcare region, so NORRA.
    ("CANCER", "Cancersjukdomar", "NORRA"),
    ("REUMATISKA", "Reumatiska sjukdomar", "NORRA"),
    ("SALLSYNTA", "Sällsynta sjukdomar", "NORRA"),
    ("OGON", "Ögonsjukdomar", "NORRA"),
    # Sjukvårdsregion Stockholm-Gotland
    ("HUD_KON", "Hud- och könssjukdomar", "STOCKHOLM_GOTLAND"),
    ("INFEKTION", "Infektionssjukdomar", "STOCKHOLM_GOTLAND"),
    ("MED_DIAGNOSTIK", "Medicinsk diagnostik", "STOCKHOLM_GOTLAND"),
    # Sydöstra sjukvårdsregionen
    ("BARN_UNGDOM", "Barn och ungdomars hälsa", "SYDOSTRA"),
    ("KVINNO_FORLOSSNING", "Kvinnosjukdomar och förlossning", "SYDOSTRA"),
    ("PERIOP_IVA_TX", "Perioperativ vård, intensivvård och transplantation", "SYDOSTRA"),
    ("REHAB_HAB_FM", "Rehabilitering, habilitering och försäkringsmedicin", "SYDOSTRA"),
    ("ALDRES_HALSA", "Äldres hälsa", "SYDOSTRA"),
    # Seed 001 spells it "Öron-,näsa-, halssjukdomar"; this is the NPO's official name.
    ("ONH", "Öron-, näs- och halssjukdomar", "SYDOSTRA"),
    # Sjukvårdsregion Mellansverige
    ("AKUT_VARD", "Akut vård", "MELLAN"),
    ("HJART_KARL", "Hjärt- och kärlsjukdomar", "MELLAN"),
    # Västra sjukvårdsregionen
    ("LUNG_ALLERGI", "Lung- och allergisjukdomar", "VASTRA"),
    ("MAG_TARM", "Mag- och tarmsjukdomar", "VASTRA"),
    ("PSYKISK_HALSA", "Psykisk hälsa", "VASTRA"),
    ("RORELSEORGAN", "Rörelseorganens sjukdomar", "VASTRA"),
    ("KIRURGI", "Kirurgi och plastikkirurgi", "VASTRA"),
    # Södra sjukvårdsregionen
    ("NERVSYSTEM", "Nervsystemets sjukdomar", "SODRA"),
    ("NJUR_URINVAG", "Njur- och urinvägssjukdomar", "SODRA"),
    # Nationellt primärvårdsråd counts as one of the 26 programme areas (seed 001, seed 003).
    ("PRIMARVARD", "Nationellt primärvårdsråd", "SODRA"),
    ("TANDVARD", "Tandvård", "SODRA"),
]

# (code, name): national collaboration groups (NSG). The eight in seed 001 (all hosted by
# SKR, seed 003: "För NSG:er har SKL värdskap"). Seed 003 (2019) announces the new NSG
# "för utveckling", which is NSG Stöd för utveckling below.
NATIONAL_COLLABORATION_GROUPS = [
    ("NSG_FORSKNING_LIFE_SCIENCE", "NSG Forskning och life science"),
    ("NSG_LAKEMEDEL_MEDICINTEKNIK", "NSG Läkemedel och medicinteknik"),
    ("NSG_METODER_KUNSKAPSSTOD", "NSG Metoder för kunskapsstöd"),
    ("NSG_KVALITETSREGISTER", "NSG Nationella kvalitetsregister"),
    ("NSG_PATIENTSAKERHET", "NSG Patientsäkerhet"),
    ("NSG_STRUKTURERAD_VARDINFORMATION", "NSG Strukturerad vårdinformation"),
    ("NSG_STOD_FOR_UTVECKLING", "NSG Stöd för utveckling"),
    ("NSG_UPPFOLJNING_ANALYS", "NSG Uppföljning och analys"),
    # Not included: NSK-S (Nationell samverkansgrupp för kunskapsstyrning inom socialtjänst,
    # seed 003) belongs to the social-services system, not to the health-care NSGs. Groups
    # such as "NSG Kompetensförsörjning" or "NSG Digitalisering" are not in the seeds and
    # their existence is uncertain; add them when confirmed.
]


if __name__ == "__main__":
    from collections import Counter

    hr_codes = {code for code, _ in HEALTHCARE_REGIONS}
    county_codes = {code for code, *_ in REGIONS}
    assert len(HEALTHCARE_REGIONS) == 6 and len(hr_codes) == 6
    assert len(REGIONS) == 21 and len(county_codes) == 21
    assert len({short for _, _, short, _ in REGIONS}) == 21, "short codes must be unique"
    assert all(hr in hr_codes for *_, hr in REGIONS)
    assert len({name for _, name, _, _ in REGIONS}) == 21

    assert len(MUNICIPALITIES) == 290, len(MUNICIPALITIES)
    assert len({code for code, _, _ in MUNICIPALITIES}) == 290, "duplicate kommunkod"
    for code, name, county in MUNICIPALITIES:
        assert len(code) == 4 and code.isdigit(), code
        assert code[:2] == county, (code, county)
        assert county in county_codes, (code, county)
        assert name and "kommun" not in name.lower(), name
    per_county = Counter(county for _, _, county in MUNICIPALITIES)
    assert set(per_county) == county_codes, "every county needs municipalities"
    expected_norra = {"23": 8, "22": 7, "24": 15, "25": 14}
    for county, n in expected_norra.items():
        assert per_county[county] == n, (county, per_county[county])
    hr_of_county = {code: hr for code, _, _, hr in REGIONS}
    per_hr = Counter(hr_of_county[county] for _, _, county in MUNICIPALITIES)
    assert per_hr["NORRA"] == 44, per_hr["NORRA"]

    assert all(c in county_codes for _, _, c in MUNICIPAL_ASSOCIATIONS)
    assert len({c for c, _, _ in MUNICIPAL_ASSOCIATIONS}) == len(MUNICIPAL_ASSOCIATIONS)

    assert len(PROGRAMME_AREAS) == 26, len(PROGRAMME_AREAS)
    assert len({c for c, _, _ in PROGRAMME_AREAS}) == 26
    assert all(host in hr_codes for _, _, host in PROGRAMME_AREAS)
    assert len({c for c, _ in NATIONAL_COLLABORATION_GROUPS}) == len(NATIONAL_COLLABORATION_GROUPS)

    print(f"healthcare regions: {len(HEALTHCARE_REGIONS)}")
    print(f"regions: {len(REGIONS)}")
    print(f"municipalities: {len(MUNICIPALITIES)}")
    region_name = {code: name for code, name, _, _ in REGIONS}
    for county in sorted(per_county):
        print(f"  {county} {region_name[county]}: {per_county[county]}")
    for hr, name in HEALTHCARE_REGIONS:
        print(f"  {name}: {per_hr[hr]}")
    print(f"municipal associations: {len(MUNICIPAL_ASSOCIATIONS)}")
    print(f"programme areas: {len(PROGRAMME_AREAS)}")
    print(f"national collaboration groups: {len(NATIONAL_COLLABORATION_GROUPS)}")
