#!/usr/bin/env python3
"""Derives the national reference tables that `lagesbild init` compiles in from the
public sources in ../shared/data (see data/sverige/README.md for what each holds):

  data/sverige/tatorter.csv          SCB tätorter 2020: kommunkod, name, population,
                                     area (ha), SWEREF 99 TM and WGS84 position
  data/sverige/kommungranser.geojson Lantmäteriet's simplified municipal boundaries
                                     (WGS84), with kommunkod and name only
  data/sverige/brottskoder.csv       Brå's crime codes: code, name, year ceased

Run from the project root: python3 scripts/national_tables.py ../shared/data
The test `reference::national_tables_are_derived_from_the_sources` checks that the
committed files equal what this script derives.
"""
import csv
import json
import sys


def main(shared):
    rows = list(csv.DictReader(open(f"{shared}/scb-tatorter-kommuner/tatorter_2020.csv", encoding="utf-8")))
    rows.sort(key=lambda r: (r["kommunkod"], -int(r["population"]), r["name"]))
    with open("data/sverige/tatorter.csv", "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, delimiter=";", lineterminator="\n")
        w.writerow(["kommunkod", "tatort", "scb_kod", "invanare_2020", "area_ha", "x", "y", "lat", "lon"])
        for r in rows:
            w.writerow([r["kommunkod"], r["name"], r["tatortskod"], r["population"], r["area_ha"],
                        r["x_sweref99tm"], r["y_sweref99tm"], r["lat"], r["lon"]])
    geo = json.load(open(f"{shared}/kommun-geo/kommuner_boundaries.geojson", encoding="utf-8"))

    def rounded(c):
        if isinstance(c[0], (int, float)):
            return [round(c[0], 5), round(c[1], 5)]
        return [rounded(x) for x in c]

    features = []
    for f in sorted(geo["features"], key=lambda f: str(f["properties"]["id"])):
        p = f["properties"]
        features.append({
            "type": "Feature",
            "properties": {"kommunkod": str(p["id"]).zfill(4), "namn": p["kom_namn"]},
            "geometry": {"type": f["geometry"]["type"], "coordinates": rounded(f["geometry"]["coordinates"])},
        })
    with open("data/sverige/kommungranser.geojson", "w", encoding="utf-8") as out:
        out.write('{"type":"FeatureCollection","källa":"Lantmäteriet, förenklade kommungränser via dnouri/crimecity3k (data/municipalities/boundaries.geojson); koordinater avrundade till 5 decimaler","features":[\n')
        out.write(",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features))
        out.write("\n]}\n")


def codes(shared):
    rows = list(csv.DictReader(open(f"{shared}/bra-brottskoder/brottskoder.csv", encoding="utf-8"), delimiter=";"))
    with open("data/sverige/brottskoder.csv", "w", encoding="utf-8", newline="") as out:
        w = csv.writer(out, delimiter=";", lineterminator="\n")
        w.writerow(["brottskod", "benamning", "upphord"])
        for r in rows:
            w.writerow([r["brottskod"], r["benamning"], r["upphord"]])


if __name__ == "__main__":
    codes(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
