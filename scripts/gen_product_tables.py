#!/usr/bin/env python3
"""Generate crates/policy/embedded/product/*.gz: the US-government product tables the product
tariff engine needs, compressed, so that `reciprocity tariffs --hts` works without ../shared/data.

Embedded (US-government public figures and official product lists):
- HTS column-1 (MFN) rates 2025, by HTS-8 (USITC Harmonized Tariff Schedule), as tabulated by the
  Budget Lab at Yale (tariff-rate-tracker, MIT): crosswalks/yale_mfn_rates_2025.csv
- official product lists of the 2025-2026 measures (proclamation and executive-order annexes, HTS
  chapter 99 U.S. notes), transcribed by the Budget Lab at Yale (MIT): us_product_lists/*
- Census 2024 HTS-10 descriptions and 2024 imports and calculated duties by HTS-8 x partner
  (U.S. Census Bureau, USA Trade Online): tariffs_hs2/

- shares computed by the Budget Lab at Yale (MIT) from US-government statistics: USMCA-claim shares
  by HTS-10 x partner (USITC DataWeb, special program indicator S/S+, 2024 and 2025), steel/aluminium/copper
  content by HTS-10 (BEA detail input-output table), and the shares of imports entering free under
  preference programmes by HS-2 x partner (US trade statistics). Without them a fresh machine taxed
  Canadian and Mexican goods on their full value and derivatives on their full value: the effective
  rate on 2025-09-04 came out at 28.2 % instead of 16.5 % (stop 19).

Not embedded: the semiconductor qualifying shares, an uncalibrated judgement of the tracker
(documented fallback: 0).

Usage: python3 scripts/gen_product_tables.py [--check] [SHARED_DATA_DIR]
--check: regenerate in memory and fail if a committed file differs (or is missing).
Deterministic: gzip with mtime 0 and fixed compression level.
"""

import gzip
import io
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "crates" / "policy" / "embedded" / "product"

YALE = "Budget Lab at Yale, tariff-rate-tracker (MIT licence), snapshot 8315fff"
TWT = "trade-war-redux-2025 (tradewartracker, MIT licence), tariff-lists/, commit 726c5958e1e4"
TABLES = [
    ("crosswalks/yale_mfn_rates_2025.csv", "USITC HTS 2025 column 1 general rates, tabulated by " + YALE),
    ("us_product_lists/s301_product_lists.csv", "USTR Section 301 lists 1-4B and 2024 review (HTS ch. 99 U.S. notes 20, 31), transcribed by " + YALE),
    ("us_product_lists/s232_annex_products.csv", "Proclamation of 2026-04-02, Annexes I-A, I-B, II, III, transcribed by " + YALE),
    ("us_product_lists/s232_derivative_products.csv", "HTS ch. 99 U.S. notes 16 and 19 derivative lists (incl. FR 2025-15819 inclusions), transcribed by " + YALE),
    ("us_product_lists/s232_copper_products.csv", "HTS ch. 99 U.S. note 36(b), Proclamation 10962, transcribed by " + YALE),
    ("us_product_lists/s232_auto_parts.txt", "Proclamation 10908 Annex I (parts) and inclusions, transcribed by " + YALE),
    ("us_product_lists/s232_mhd_parts.txt", "Proclamation 10984 annex (medium/heavy-duty parts), transcribed by " + YALE),
    ("us_product_lists/s232_semi_products.csv", "HTS ch. 99 U.S. note 39 (9903.79.01), transcribed by " + YALE),
    ("us_product_lists/ieepa_exempt_products.csv", "EO 14257 Annex II and later exemptions (U.S. note 2(v)(iii)), transcribed by " + YALE),
    ("us_product_lists/country_eo_exempt_products.csv", "EO 14323 annexes and the EO of 2025-11-20, transcribed by " + YALE),
    ("us_product_lists/fentanyl_carveout_products.csv", "HTS 9903.01.05/.13/.15 energy and potash, transcribed by " + YALE),
    ("us_product_lists/floor_exempt_products.csv", "HTS 9903.02.74-.86 exemptions from the all-in rates, transcribed by " + YALE),
    ("us_product_lists/s122_exempt_products.csv", "Section 122 proclamation of 2026-02-20, annexes, transcribed by " + YALE),
    ("us_product_lists/s201_solar_products.csv", "Proclamation 10339 (9903.45.21-.25), transcribed by " + YALE),
    ("us_product_lists/usmca_product_shares_2024.csv", "USMCA-claim shares by HTS-10 x partner, 2024 (USITC DataWeb, special program indicator S/S+), computed by " + YALE + "; assumption usmca-shares 2024"),
    ("us_product_lists/usmca_product_shares_2025.csv", "USMCA-claim shares by HTS-10 x partner, 2025 (USITC DataWeb, special program indicator S/S+), computed by " + YALE),
    ("us_product_lists/metal_content_shares_bea_hs10.csv", "steel, aluminium and copper content by HTS-10 (BEA detail input-output table), computed by " + YALE),
    ("us_product_lists/mfn_exemption_shares.csv", "shares of imports entering free under preference programmes by HS-2 x partner (US trade statistics), computed by " + YALE),
    ("tariffs_hs2/hs10_descriptions_census_2024.csv", "U.S. Census Bureau, 2024 import schedule HTS-10 descriptions"),
    ("tariffs_hs2/us_imports_2024_hs8_by_partner_51.csv", "U.S. Census Bureau, USA Trade Online, 2024 imports for consumption and calculated duty by HTS-8 x partner (51 partners)"),
    ("tariffs_hs2/tariff-lists/annex-II-exemptions.csv", "EO 14257 Annex II (April 2025), transcribed by " + TWT),
    ("tariffs_hs2/tariff-lists/consumer_electronics_EO14257_apr11.csv", "Memorandum of 2025-04-11, Clarification of exceptions under EO 14257 (electronics), transcribed by " + TWT),
    ("tariffs_hs2/tariff-lists/annex-II-exemptions-nov14.csv", "EO 14257 Annex II as modified by EO 14346 and the order of 2025-11-14 (agricultural products), transcribed by " + TWT),
]


def packed(path: Path) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(path.read_bytes())
    return buf.getvalue()


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--check"]
    check = "--check" in sys.argv[1:]
    shared = Path(args[0]) if args else Path(os.environ.get("RECIPROCITY_SHARED_DATA", REPO.parent / "shared" / "data"))
    outputs = {}
    sources = ["# Embedded product tables (generated by scripts/gen_product_tables.py; do not edit)", "",
               "| file | source |", "|---|---|"]
    for rel, src in TABLES:
        name = Path(rel).name + ".gz"
        outputs[name] = packed(shared / rel)
        sources.append(f"| {name} | {src} |")
    outputs["SOURCES.md"] = ("\n".join(sources) + "\n").encode()
    bad = []
    for name, data in outputs.items():
        target = OUT / name
        if check:
            if not target.exists() or target.read_bytes() != data:
                bad.append(name)
        else:
            OUT.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    total = sum(len(d) for d in outputs.values())
    if check:
        if bad:
            print("differs from the committed copy: " + ", ".join(bad), file=sys.stderr)
            return 1
        print(f"ok: {len(outputs)} files, {total} bytes")
    else:
        print(f"wrote {len(outputs)} files, {total} bytes into {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
