#!/usr/bin/env python3
"""Fills the `brottskoder` lists of data/vastervik/priority_areas.toml from Brå's code
list (data/sverige/brottskoder.csv) by the criteria below, one code per line with its
name as a comment. The criteria are the documented reasons; change them here and run
`python3 scripts/rule_codes.py` from the project root. Ceased codes are kept, so older
exports are classified too.
"""
import csv
import re

CRITERIA = {
    "organiserad-brottslighet": (
        "Våld med skjutvapen, sprängningar och allmänfarlig ödeläggelse, vapenbrott, utpressning och penningtvätt: de brott som polisens lägesbilder om gängkriminalitet räknar. Stöld av vapen räknas som stöld; smuggling av 'övriga varor, ej … vapen' ingår inte.",
        r"(?<!utan )skjutvapen|m skjutv|vapenlag|vapenbrott|spräng|explosiv|allmänfarlig ödeläggelse|penningtvätt|utpressning",
        r"stöld|snatteri|övriga varor",
    ),
    "vald-i-nara-relation": (
        "Koder som enligt Brå:s benämning gäller brott i nära relation: offret är eller har varit närstående (parrelation, släktskap/familj), kvinnofridskränkning, fridskränkning (som per definition gäller närstående) och barnfridsbrott.",
        r"nära relation|närstående|kvinnofridskränkning|fridskränkning|barnfridsbrott",
        None,
    ),
    "valfardsbrottslighet": (
        "Bedrägerier (BrB 9 kap.), bidragsbrott, skatte- och bokföringsbrott, urkundsförfalskning och penningtvätt: brott mot välfärdssystemen och annan kriminell ekonomi, som reglernas brottstyper.",
        r"bedrägeri|bedrägl|bidragsbrott|skattebrott|bokföringsbrott|urkundsförfalskning|penningtvätt|ocker",
        None,
    ),
    "narkotika-alkohol": (
        "Narkotikastrafflagen och narkotikasmuggling, dopning, alkohollagen, rattfylleri (3005 alkohol, 3070 narkotika) och sjöfylleri. Koder som uttryckligen gäller annat än narkotika ('icke narkotikaklassade', 'ej narkotika') ingår inte.",
        r"narkotika|dopning|alkohollag|rattfylleri|sjöfylleri",
        r"icke narkotika|ej narkotika|ej .*narkotika|ej alkohol",
    ),
    "trafikbrott": (
        "Brott mot trafikbrottslagen och andra vägtrafikbrott: koderna 30xx–31xx (grov vårdslöshet, olovlig körning, rattfylleri, smitning, övriga trafikbrott). Rattfylleri hör också till narkotika och alkohol.",
        None,
        None,
    ),
}


def wanted(slug, code, name):
    reason, include, exclude = CRITERIA[slug]
    low = name.lower()
    if slug == "trafikbrott":
        return code[:2] in ("30", "31")
    if not re.search(include, low):
        return False
    return not (exclude and re.search(exclude, low))


def main():
    rows = list(csv.DictReader(open("data/sverige/brottskoder.csv", encoding="utf-8"), delimiter=";"))
    path = "data/vastervik/priority_areas.toml"
    text = open(path, encoding="utf-8").read()
    blocks = text.split("[[area]]")
    out = [blocks[0]]
    for block in blocks[1:]:
        slug = re.search(r'slug = "([^"]+)"', block).group(1)
        # Drop an earlier generated list.
        block = re.sub(r"# Brottskoder: .*?\nbrottskoder = \[.*?\n\]\n", "brottskoder = []\n", block, flags=re.S)
        if slug in CRITERIA:
            reason = CRITERIA[slug][0]
            chosen = [r for r in rows if wanted(slug, r["brottskod"], r["benamning"])]
            lines = [f"# Brottskoder: {reason}", f"# {len(chosen)} koder ur Brå:s kodlista (scripts/rule_codes.py).", "brottskoder = ["]
            for r in chosen:
                ceased = f" (upphörd {r['upphord']})" if r["upphord"] and "upphörde" not in r["benamning"] else ""
                lines.append(f'  "{r["brottskod"]}",  # {r["benamning"].strip()}{ceased}')
            lines.append("]")
            block = block.replace("brottskoder = []\n", "\n".join(lines) + "\n", 1)
        out.append(block)
    open(path, "w", encoding="utf-8").write("[[area]]".join(out))


if __name__ == "__main__":
    main()
