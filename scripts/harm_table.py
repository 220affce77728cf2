#!/usr/bin/env python3
"""Writes data/sverige/skadevikter.toml, the default harm table, from the statutory
penalty scales in ../shared/data/straffskalor/straffskalor.csv (70 offences, each
checked against the law text; see that folder's SOURCE.txt) and Brå's code list
(data/sverige/brottskoder.csv).

For each offence of the penalty table the output keeps the facts lagesbild needs (the
provision, minimum and maximum in days, whether a fine is in the scale) with their
source, the offence-text patterns it matches in exports without codes, and the Brå
codes whose names the rules below assign to it. A code goes to the first rule that
matches its (lower-case) name. Codes no rule takes are left without weight and are
counted as such in every harm figure. Run from the project root:

    python3 scripts/harm_table.py
"""
import csv
import re

SCALES = "../shared/data/straffskalor/straffskalor.csv"
CODES = "data/sverige/brottskoder.csv"
OUT = "data/sverige/skadevikter.toml"

# (regex on Brå's name, penalty-table offence, reason). Order matters: the first
# match wins, so the graver grades and the narrower names come first.
RULES = [
    (r"smugg|tullbrott", None, "smuggling: not in the penalty table"),
    (r"vållande|framkallande av fara", None, "negligence offences: not in the penalty table"),
    (r"barnadråp", None, "barnadråp has its own scale, not in the penalty table"),
    (r"^grov mordbrand", "Grov mordbrand", ""),
    (r"(?<!ej )mordbrand", "Mordbrand", "Brå's code includes grov mordbrand; the base grade is used"),
    (r"allmänfarlig ödeläggelse", "Allmänfarlig ödeläggelse", ""),
    (r"synnerligen grov misshandel", "Synnerligen grov misshandel", ""),
    (r"grov missh|misshandel, grov|grov misshandel", "Grov misshandel", ""),
    (r"ringa missh|misshandel, ringa", "Ringa misshandel", ""),
    (r"missh", "Misshandel", "codes 'inkl. grov' get the base grade"),
    (r"grov kvinnofridskränkning", "Grov kvinnofridskränkning", ""),
    (r"grov fridskränkning", "Grov fridskränkning", ""),
    (r"barnfridsbrott", "Barnfridsbrott", ""),
    (r"olaga förföljelse", "Olaga förföljelse", ""),
    (r"grovt olaga hot|olaga hot, grovt", "Grovt olaga hot", ""),
    (r"olaga hot", "Olaga hot", ""),
    (r"grovt hemfridsbrott|grovt olaga intrång", "Grovt hemfridsbrott", ""),
    (r"hemfridsbrott", "Hemfridsbrott", ""),
    (r"olaga intrång", "Olaga intrång", ""),
    (r"sexuellt ofredande", "Sexuellt ofredande", ""),
    (r"ofredande", "Ofredande", ""),
    (r"grov våldtäkt", "Grov våldtäkt", ""),
    (r"våldtäkt", "Våldtäkt", "codes 'inkl. grov' get the base grade"),
    (r"mord eller dråp|mord/dråp|mord/ dråp|mord, dråp", "Dråp", "codes for 'mord eller dråp' get the lower scale"),
    (r"\bmord\b", "Mord", ""),
    (r"\bdråp\b", "Dråp", ""),
    (r"^grovt rån|rån, grovt", "Grovt rån", ""),
    (r"\brån\b", "Rån", ""),
    (r"inbrottsstöld.*(villa|radhus|lägenhet|bostad)|inbrott i (lägenhet|villa|bostad)", "Inbrottsstöld", ""),
    (r"grov stöld", "Grov stöld", ""),
    (r"^snatteri|ringa stöld", "Ringa stöld", ""),
    (r"tillgrepp.*fortskaffn|biltillgrepp", "Tillgrepp av fortskaffningsmedel", ""),
    (r"stöld|inbrott", "Stöld", "break-ins into other than a home are stöld (BrB 8:1) unless grave"),
    (r"egenmäktigt förfarande", "Egenmäktigt förfarande", ""),
    (r"^grovt bedrägeri|bedrägeri, grovt", "Grovt bedrägeri", ""),
    (r"ringa bedrägeri", "Ringa bedrägeri", ""),
    (r"bedrägeri|bedräglig", "Bedrägeri", ""),
    (r"grov utpressning", "Grov utpressning", ""),
    (r"utpressning", "Utpressning", ""),
    (r"häleri", "Häleri", ""),
    (r"olovligt brukande", "Olovligt brukande", ""),
    (r"grov skadegörelse", "Grov skadegörelse", ""),
    (r"ringa skadegörelse", "Ringa skadegörelse", ""),
    (r"skadegörelse|klotter", "Skadegörelse", ""),
    (r"våldsamt upplopp", "Våldsamt upplopp (annan deltagare)", "the participant's scale, the lower one"),
    (r"grovt våld.*tjänstem", "Grovt våld eller hot mot tjänsteman", ""),
    (r"våld mot tjänstem|våld eller hot mot tjänstem|hot eller förgripelse mot tjänstem", "Våld eller hot mot tjänsteman", ""),
    (r"grovt penningtvätt|näringspenningtvätt|penningtvättsförseelse", None, "other grades: not in the penalty table"),
    (r"penningtvätt", "Penningtvättsbrott", ""),
    (r"synnerligen grovt narkotikabrott", "Synnerligen grovt narkotikabrott", ""),
    (r"grovt narkotikabrott", "Grovt narkotikabrott", ""),
    (r"ringa narkotikabrott|narkotikastrafflagen, bruk|narkotikastrafflagen.*eget bruk", "Ringa narkotikabrott", "use alone is ringa narkotikabrott"),
    (r"narkotikastrafflagen.*överlåtelse", "Narkotikabrott (försäljning)", ""),
    (r"narkotikastrafflagen|narkotikabrott", "Narkotikabrott", ""),
    (r"grov vårdslöshet i trafik", "Grov vårdslöshet i trafik", ""),
    (r"vårdslöshet i trafik", "Vårdslöshet i trafik", ""),
    (r"grovt rattfylleri", "Grovt rattfylleri", ""),
    (r"rattfylleri", "Rattfylleri", "codes 'inkl. grovt' get the base grade"),
    (r"olovlig körning", "Olovlig körning", "codes with grov olovlig körning get the base grade"),
    (r"smitning", "Smitning från trafikolycksplats", ""),
    (r"^synnerligen grovt vapenbrott", "Synnerligen grovt vapenbrott", ""),
    (r"grovt vapenbrott", "Grovt vapenbrott", ""),
    (r"vapenlag|vapenbrott", "Vapenbrott", ""),
    (r"grovt brott mot knivlag", "Grovt brott mot knivlagen", ""),
    (r"knivlag|om förbud beträffande knivar", "Brott mot knivlagen", ""),
    (r"lbe,|brandfarliga och explosiva", "Brott mot lagen om brandfarliga och explosiva varor (explosiva varor)", ""),
    (r"olovlig försäljning av alkohol", "Olovlig försäljning av alkohol", ""),
    (r"grovt bidragsbrott", "Grovt bidragsbrott", ""),
    (r"ringa bidragsbrott|vårdslöst bidragsbrott", None, "other grades: not in the penalty table"),
    (r"bidragsbrott", "Bidragsbrott", ""),
    (r"grovt skattebrott|skatteförseelse", None, "other grades: not in the penalty table"),
    (r"skattebrott", "Skattebrott", ""),
]

# Offence texts in exports without codes (police event types and common names),
# matched after the row's own name. `*` is a wildcard; case and accents do not matter.
EXTRA_PATTERNS = {
    "Grov misshandel": ["misshandel, grov*", "misshandel grov*"],
    "Misshandel": ["misshandel*", "misshandel, ej grov*"],
    "Grov kvinnofridskränkning": ["kvinnofridskränkning*"],
    "Grov fridskränkning": ["fridskränkning*"],
    "Olaga hot": ["olaga hot*"],
    "Ofredande": ["ofredande*"],
    "Våldtäkt": ["våldtäkt*"],
    "Rån": ["rån*"],
    "Inbrottsstöld": ["bostadsinbrott*", "inbrott i bostad*", "inbrott i villa*", "inbrott i lägenhet*"],
    "Grov stöld": ["inbrott", "inbrott*"],
    "Ringa stöld": ["snatteri*", "stöld, ringa*"],
    "Stöld": ["stöld*", "cykelstöld*", "bilstöld*", "stöld ur bil*", "stöld från bil*"],
    "Tillgrepp av fortskaffningsmedel": ["biltillgrepp*", "tillgrepp av*fordon*"],
    "Bedrägeri": ["bedrägeri*"],
    "Skadegörelse": ["skadegörelse*", "klotter*", "brand", "anlagd brand*", "bilbrand*", "brand, anlagd*"],
    "Mordbrand": ["mordbrand*"],
    "Allmänfarlig ödeläggelse": ["sprängning*", "explosion*", "detonation*"],
    "Narkotikabrott": ["narkotikabrott*", "narkotika*", "langning*"],
    "Ringa narkotikabrott": ["narkotikabrott, ringa*", "eget bruk*"],
    "Rattfylleri": ["rattfylleri*", "drograttfylleri*", "rattfylla*"],
    "Olovlig körning": ["olovlig körning*"],
    "Vapenbrott": ["vapenlagen*", "vapenbrott*", "olaga vapeninnehav*", "skottlossning*"],
    "Brott mot knivlagen": ["knivlagen*"],
    "Våld eller hot mot tjänsteman": ["våld mot tjänsteman*", "hot mot tjänsteman*", "våld/hot mot tjänsteman*"],
    "Vårdslöshet i trafik": ["vårdslöshet i trafik*"],
    "Smitning från trafikolycksplats": ["smitning*"],
}

# Why a text pattern is there when it is not the law's own name.
PATTERN_NOTES = {
    "Grov stöld": "\"Inbrott\" utan angiven plats väger som grov stöld: mellan stöld (inbrott i annat än bostad, BrB 8:1) och inbrottsstöld i bostad (BrB 8:4 a).",
    "Skadegörelse": "\"Brand\" som händelsetyp väger som skadegörelse genom brand (Brå:s koder 1210–1211); mordbrand (BrB 13:1) kräver fara för annans liv eller omfattande förstörelse och har egna koder.",
    "Vapenbrott": "\"Skottlossning\" som händelsetyp väger som vapenbrott; försök till mord eller dråp med skjutvapen har egna koder.",
    "Allmänfarlig ödeläggelse": "\"Sprängning\" och \"explosion\" som händelsetyper väger som allmänfarlig ödeläggelse genom sprängning (Brå:s kod 1308).",
}

# Events that are not offences: counted, never weighted as harm.
NOT_OFFENCES = ["trafikolycka*", "fylleri*", "lob*", "omhändertagande*", "ofog*", "brand, ej anlagd*", "olycka*", "räddningsinsats*", "försvunnen person*", "djur*"]


def fold(s):
    return s.lower()


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def reverse_order(name):
    """Brå-style names with the grade after the offence: "Stöld, grov", "Rån, grovt",
    "Misshandel, ringa", "Misshandel, synnerligen grov"."""
    low = fold(name)
    for grade in ("synnerligen grovt ", "synnerligen grov ", "grovt ", "grov ", "ringa "):
        if low.startswith(grade):
            base = low[len(grade):]
            return [f"{base}, {grade.strip()}*", f"{base} {grade.strip()}*"]
    return []


def order_key(row):
    name = row["brott"]
    for i, prefix in enumerate(("Synnerligen", "Grov", "Ringa")):
        if name.startswith(prefix):
            return i
    return 3


def main():
    scales = list(csv.DictReader(open(SCALES, encoding="utf-8"), delimiter=";"))
    by_name = {r["brott"]: r for r in scales}
    for _, target, _ in RULES:
        assert target is None or target in by_name, target
    for name in EXTRA_PATTERNS:
        assert name in by_name, name
    codes = list(csv.DictReader(open(CODES, encoding="utf-8"), delimiter=";"))
    assigned = {r["brott"]: [] for r in scales}
    left = 0
    for c in codes:
        name = fold(c["benamning"])
        for regex, target, _ in RULES:
            if re.search(regex, name):
                if target:
                    assigned[target].append(c)
                else:
                    left += 1
                break
        else:
            left += 1
    rows = sorted(scales, key=order_key)
    out = [
        "# Skadeindex: vikter i dagars fängelse per brott, byggda på de lagstadgade straffskalorna.",
        "#",
        "# GENERERAD av scripts/harm_table.py – ändra skriptet och kör om det i stället för att",
        "# redigera här. Ett projekt kan ha en egen tabell i samma format: [reference] harm i",
        "# lagesbild.toml (se docs/harm.md).",
        "#",
        "# Källa: straffskalorna (min, max, böter i skalan) är lästa i lagtexten: brottsbalken",
        "# (SFS 1962:700) konsoliderad t.o.m. SFS 2025:1414 (text från februari 2026) och",
        "# specialstraffrätten konsoliderad t.o.m. de SFS-nummer som anges per rad (riksdagen.se,",
        "# via de källor som anges i lagesbild-projektets shared/data/straffskalor/SOURCE.txt). 1",
        "# månad = 30 dagar, 1 år = 365 dagar; livstid räknas som 18 år (6570 dagar). Ett fängelse",
        "# utan eget minimum har det allmänna minimumet i 26 kap. 1 § BrB, en månad (30 dagar;",
        "# fjorton dagar före SFS 2025:1414). Brå:s brottskoder (statistikdatabasen SOL) är",
        "# knutna till raderna efter sina benämningar med reglerna i skriptet.",
        "#",
        "# Vikten: scale = \"minimum\" tar straffskalans minimum (domstolar dömer oftast nära",
        "# botten av skalan; det svenska skadeindexet, Kärrholm m.fl. 2020, använde utdömda",
        "# medelstraff, som inte är offentliga här). scale = \"midpoint\" tar medelvärdet av",
        "# minimum och maximum. Ett brott med böter i skalan har minimum 0 och får i stället",
        "# fine_floor_days; ett brott med enbart böter får fine_only_days (Sarnecki: skada av",
        "# brott som inte leder till fängelse ska också räknas). weight_days på en rad ersätter",
        "# den beräknade vikten (t.ex. med egna uppgifter om utdömda straff).",
        "",
        'scale = "minimum"',
        "# Det tidigare allmänna fängelseminimumet (26 kap. 1 § BrB, lydelse Lag 2023:257), halva",
        "# det nuvarande: ett brott med böter i skalan väger alltid mindre än ett utan.",
        "fine_floor_days = 14",
        "# En vecka: lagen ger inget fängelse alls, men brottet ska inte väga noll.",
        "fine_only_days = 7",
        "",
        "# Händelser som inte är brott (olyckor, omhändertaganden, ofog): räknas men väger inget.",
        "not_offences = [" + ", ".join(toml_str(p) for p in NOT_OFFENCES) + "]",
        "",
    ]
    for r in rows:
        name = r["brott"]
        patterns = [fold(name)] + EXTRA_PATTERNS.get(name, []) + reverse_order(name)
        patterns = list(dict.fromkeys(patterns))
        out.append("[[offence]]")
        out.append(f"name = {toml_str(name)}")
        out.append(f"law = {toml_str(r['lagrum'])}")
        out.append(f"min_days = {int(r['straff_min'])}")
        out.append(f"max_days = {int(r['straff_max'])}")
        out.append(f"fines = {'true' if r['boter_mojligt'] == 'ja' else 'false'}")
        note = r["anmarkning"].strip()
        if note:
            out.append(f"# {note}")
        if name in PATTERN_NOTES:
            out.append(f"# {PATTERN_NOTES[name]}")
        out.append("patterns = [" + ", ".join(toml_str(p) for p in patterns) + "]")
        chosen = assigned[name]
        if chosen:
            out.append("codes = [")
            for c in chosen:
                out.append(f"  {toml_str(c['brottskod'])},  # {c['benamning'].strip()}")
            out.append("]")
        out.append("")
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    taken = sum(len(v) for v in assigned.values())
    print(f"{len(rows)} offences, {taken} codes weighted, {left} codes left without weight")


if __name__ == "__main__":
    main()
