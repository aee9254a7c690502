#!/usr/bin/env python3
"""Generate the compact embedded tables of crates/data/embedded/ from ../shared/data.

Only public-domain U.S. government figures (Census 2024 partner totals, the EO 14257 chart and Annex I,
EO 14326 rates, dated White House events) and country names/codes are written; every row names its source.
No bilateral matrices or product tables are copied.

Usage: python3 scripts/gen_embedded.py [--check] [SHARED_DATA_DIR]
--check: write into a temporary folder and fail if any committed table differs.
(default: $RECIPROCITY_SHARED_DATA, else ../shared/data relative to the repository root).
The output is deterministic: running it twice gives identical files.
"""

import csv
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "crates" / "data" / "embedded"

CENSUS_SRC = (
    "U.S. Census Bureau, FT-900 country.xlsx, calendar 2024 (EYR exports F.A.S., IYR general imports), "
    "as downloaded 2025-04-03; https://www.census.gov/foreign-trade/balance/"
)
CHART_SRC = "White House 'Reciprocal Tariffs' chart, 2025-04-02 (transcription, see shared/data PROVENANCE §2)"
ANNEX_SRC = "EO 14257 Annex I PDF, https://www.whitehouse.gov/wp-content/uploads/2025/04/Annex-I.pdf"
ISO_SRC = "ISO 3166-1 alpha-3"
EU_SRC = "EU member states since 2020-02-01 (Treaty on European Union, Art. 52)"

# Common English names that appear in no source file but that users type. Source: ISO 3166-1 / common usage.
EXTRA_ALIASES = {
    "USA": ["United States", "United States of America", "US", "U.S.", "America"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain"],
    "KOR": ["Korea", "Republic of Korea", "Korea, Republic of"],
    "PRK": ["North Korea", "Democratic People's Republic of Korea"],
    "RUS": ["Russia", "Russian Federation"],
    "TWN": ["Taiwan", "Chinese Taipei"],
    "CZE": ["Czechia", "Czech Republic"],
    "TUR": ["Turkey", "Türkiye", "Turkiye"],
    "CIV": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"],
    "MMR": ["Myanmar", "Burma"],
    "NLD": ["Netherlands", "Holland"],
    "VNM": ["Vietnam", "Viet Nam"],
    "LAO": ["Laos", "Lao PDR"],
    "COD": ["DR Congo", "Democratic Republic of the Congo", "Congo, Dem. Rep."],
    "COG": ["Republic of the Congo", "Congo, Rep."],
    "IRN": ["Iran"],
    "SYR": ["Syria"],
    "VEN": ["Venezuela"],
    "BOL": ["Bolivia"],
    "TZA": ["Tanzania"],
    "MDA": ["Moldova"],
    "MKD": ["North Macedonia", "Macedonia"],
    "SWZ": ["Eswatini", "Swaziland"],
    "CPV": ["Cabo Verde", "Cape Verde"],
    "HKG": ["Hong Kong"],
    "MAC": ["Macau", "Macao"],
    "PSE": ["Palestine", "West Bank and Gaza"],
    "XKX": ["Kosovo"],
    "EUU": ["EU", "European Union", "EU27"],
}
# Countries missing from the Census country rows and from ILMS/CEPII, with their ISO 3166-1 names.
EXTRA_COUNTRIES = {
    "USA": "United States",
    "PRI": "Puerto Rico",
    "VIR": "U.S. Virgin Islands",
    "ATA": "Antarctica",
    "BVT": "Bouvet Island",
    "ESH": "Western Sahara",
    "SGS": "South Georgia and the South Sandwich Islands",
}
# CEPII codes that are not current ISO 3166-1 countries (regions, dissolved states).
CEPII_SKIP = {"ANT", "CSK", "DDR", "PUS", "R20", "S19", "SCG", "SUN", "ZA1"}


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write(name, header, rows):
    global OUT
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(r)
    tmp.replace(path)
    print(f"{name}: {len(rows)} rows")


def num(s):
    s = (s or "").strip()
    return "" if s == "" else s


def main():
    global OUT
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    committed = OUT
    if check:
        import tempfile

        OUT = Path(tempfile.mkdtemp())
    if args:
        shared = Path(args[0])
    elif os.environ.get("RECIPROCITY_SHARED_DATA"):
        shared = Path(os.environ["RECIPROCITY_SHARED_DATA"])
    else:
        shared = REPO.parent / "shared" / "data"
    if not shared.is_dir():
        sys.exit(f"error: shared data folder not found: {shared}")

    census = read(shared / "us_trade_2024_by_country.csv")
    chart = read(shared / "official_reciprocal_rates_2025-04-02.csv")
    eo = read(shared / "reciprocal_rates_2025-08-07_eo14326.csv")
    events = read(shared / "negotiations_deals_2025-2026.csv")
    ilms = read(shared / "ilms2025" / "country_labels.csv")
    cepii = read(shared / "ilms2025" / "cepii_country_codes_V202501.csv")
    eu = read(shared / "ilms2025" / "eu_countries.csv")

    # --- Census 2024 partner totals (countries/territories; PSE's two rows summed) ---
    by_iso = {}
    order = []
    aggregates = {}
    for r in census:
        if r["entity_type"] != "country_or_territory":
            aggregates[r["census_cty_code"]] = r
            continue
        iso = r["iso3"]
        if iso not in by_iso:
            by_iso[iso] = {"names": [], "codes": [], "x": 0, "m": 0}
            order.append(iso)
        e = by_iso[iso]
        e["names"].append(r["country_name"])
        e["codes"].append(r["census_cty_code"])
        e["x"] += int(r["exports_usd"])
        e["m"] += int(r["imports_usd"])
    census_rows = []
    for iso in sorted(order):
        e = by_iso[iso]
        note = "" if len(e["names"]) == 1 else "sum of Census rows " + " + ".join(e["names"])
        census_rows.append(
            [iso, " + ".join(e["names"]), "+".join(e["codes"]), e["x"], e["m"], note, CENSUS_SRC]
        )
    write(
        "census_2024.csv",
        ["iso3", "census_name", "census_code", "exports_usd", "imports_usd", "note", "source"],
        census_rows,
    )
    # Guard: the EU members sum to the Census EU aggregate (PROVENANCE §1).
    eu27 = sorted(r["iso3"] for r in eu)
    assert len(eu27) == 27, eu27
    eu_x = sum(by_iso[i]["x"] for i in eu27)
    eu_m = sum(by_iso[i]["m"] for i in eu27)
    agg = aggregates["0003"]
    assert (eu_x, eu_m) == (int(agg["exports_usd"]), int(agg["imports_usd"])), (eu_x, eu_m, agg)

    # --- EO 14257 chart and Annex I ---
    chart_rows = []
    for r in chart:
        src = CHART_SRC + ("; " + ANNEX_SRC if r["in_annex_i"] == "True" else "")
        chart_rows.append(
            [
                r["iso3"],
                r["country_name"],
                r["tariffs_charged_to_usa_pct"],
                r["reciprocal_tariff_pct"],
                num(r["annex_i_pdf_rate_pct"]),
                "true" if r["in_annex_i"] == "True" else "false",
                r["annex_i_rate_as_implemented_pct"],
                r["notes"],
                src,
            ]
        )
    write(
        "official_rates_2025-04-02.csv",
        [
            "iso3",
            "chart_name",
            "charged_pct",
            "reciprocal_pct",
            "annex_i_pdf_pct",
            "in_annex_i",
            "as_implemented_pct",
            "note",
            "source",
        ],
        chart_rows,
    )

    # --- EO 14326 ---
    eo_rows = [
        [
            r["iso3"],
            r["country_name"],
            num(r["rate_pct"]),
            r["rate_text"],
            r["effective_date"],
            r["legal_instrument"],
            r["source_url"],
        ]
        for r in eo
    ]
    write(
        "eo14326_rates.csv",
        ["iso3", "name", "rate_pct", "rate_text", "effective_date", "legal_instrument", "source_url"],
        eo_rows,
    )

    # --- dated events ---
    ev_rows = [
        [
            r["iso3"],
            r["partner"],
            r["event_date"],
            r["event_type"],
            num(r["us_reciprocal_rate_after_pct"]),
            r["rate_note"],
            r["summary"],
            r["source_title"],
            r["source_url"],
        ]
        for r in events
    ]
    write(
        "events.csv",
        [
            "iso3",
            "partner",
            "date",
            "event_type",
            "rate_after_pct",
            "rate_note",
            "summary",
            "source_title",
            "source_url",
        ],
        ev_rows,
    )

    # --- country registry: ISO3, display name, ISO2, Census code, aliases ---
    names = {}  # iso3 -> ordered list of (name, source)

    def add(iso, name, source):
        name = (name or "").strip()
        # "Ã" marks a UTF-8 name decoded as Latin-1 in a source file (CEPII codes): repair it.
        if "Ã" in name:
            name = name.encode("latin-1").decode("utf-8")
        if not iso or not name:
            return
        lst = names.setdefault(iso, [])
        if all(n.lower() != name.lower() for n, _ in lst):
            lst.append((name, source))

    chart_name = {r["iso3"]: r["country_name"] for r in chart}
    ilms_name = {r["iso3"]: r["CountryName"] for r in ilms}
    iso2 = {}
    cepii_name = {}
    for r in cepii:
        iso = r["country_iso3"]
        if iso in CEPII_SKIP:
            continue
        cepii_name.setdefault(iso, r["country_name"])
        if r["country_iso2"]:
            iso2.setdefault(iso, r["country_iso2"])
    all_iso = set(by_iso) | set(ilms_name) | set(cepii_name) | set(EXTRA_COUNTRIES) | {"EUU"}
    for iso in all_iso:
        # The display name: the chart's spelling (what users saw), else ILMS, else CEPII, else Census.
        for n in (chart_name.get(iso), EXTRA_COUNTRIES.get(iso), ilms_name.get(iso), cepii_name.get(iso)):
            add(iso, n, "")
        for n in by_iso.get(iso, {"names": []})["names"]:
            add(iso, n, "census")
        for n in EXTRA_ALIASES.get(iso, []):
            add(iso, n, "")
    add("EUU", aggregates["0003"]["country_name"], "census")
    for r in eo:
        add(r["iso3"], r["country_name"].split(":")[0], "")
    for r in events:
        add(r["iso3"], r["partner"], "")
    reg_rows = []
    for iso in sorted(all_iso):
        lst = names[iso]
        display = lst[0][0]
        aliases = [n for n, _ in lst[1:]]
        srcs = [ISO_SRC] if iso != "EUU" else ["Census aggregate 0003; code EUU as used by the World Bank"]
        if iso in by_iso:
            srcs.append("Census Schedule C (names, codes)")
        if iso in ilms_name:
            srcs.append("ILMS 2025 country_labels.csv")
        if iso in cepii_name:
            srcs.append("CEPII BACI country codes V202501")
        code = "+".join(by_iso[iso]["codes"]) if iso in by_iso else ("0003" if iso == "EUU" else "")
        kind = "group" if iso == "EUU" else "country"
        reg_rows.append([iso, iso2.get(iso, ""), display, code, kind, "|".join(aliases), "; ".join(srcs)])
    write("countries.csv", ["iso3", "iso2", "name", "census_code", "kind", "aliases", "source"], reg_rows)

    write("groups.csv", ["group", "iso3", "source"], [["EU27", i, EU_SRC] for i in eu27])

    # --- two headline partner-tariff figures per economy (team rules: "a few headline figures per
    # country"); WITS/UNCTAD TRAINS (attribution) and World Bank WDI (CC BY 4.0) ---
    pt = shared / "partner_tariffs"
    simple = {
        r["iso3"]: r
        for r in read(pt / "wits_bilateral_tariffs_us_2022.csv")
        if r["indicator"] == "PARTNER_AHS_ON_US_SIMPLE_AVG_ALL_HS6"
    }
    weighted = {
        r["iso3"]: r
        for r in read(pt / "wdi_applied_mfn_tariff_latest.csv")
        if r["indicator"] == "TM.TAX.MRCH.WM.AR.ZS"
    }
    pt_rows = []
    for iso in sorted(set(simple) | set(weighted)):
        s_row, w_row = simple.get(iso), weighted.get(iso)
        srcs = []
        if s_row:
            srcs.append("WITS TRAINS " + s_row["year"] + " (World Bank/UNCTAD), simple avg of HS6 applied on US goods: " + s_row["source"])
        if w_row:
            srcs.append("World Bank WDI TM.TAX.MRCH.WM.AR.ZS (CC BY 4.0): " + w_row["source"])
        pt_rows.append(
            [
                iso,
                s_row["value_pct"] if s_row else "",
                s_row["year"] if s_row else "",
                w_row["value_pct"] if w_row else "",
                w_row["year"] if w_row else "",
                "; ".join(srcs),
            ]
        )
    write(
        "partner_tariffs_headline.csv",
        ["iso3", "simple_on_us_pct", "simple_year", "weighted_all_pct", "weighted_year", "source"],
        pt_rows,
    )

    if check:
        stale = [
            p.name
            for p in sorted(OUT.glob("*.csv"))
            if not (committed / p.name).is_file() or (committed / p.name).read_bytes() != p.read_bytes()
        ]
        if stale:
            sys.exit("error: embedded tables out of date (run scripts/gen_embedded.py): " + ", ".join(stale))
        print("embedded tables up to date")


if __name__ == "__main__":
    main()
