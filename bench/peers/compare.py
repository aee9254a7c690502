"""Join the gegravity and Reciprocity results of run.sh and print a Markdown report.

Usage: python compare.py DIR NAME [NAME ...]   (each NAME has DIR/NAME.{gegravity,reciprocity}.{csv,json})

Welfare is the percent change of real expenditure E/P for every country. Columns compared:
* reciprocity: Reciprocity's textbook preset (tariff, revenue rebated, deficits a fixed share of
  world income);
* tariff_world: the same model solved independently with numpy/scipy (a check of Reciprocity);
* iceberg_world: the same shock as an iceberg trade cost (no revenue), same deficit rule, solved
  exactly: the model gegravity has in mind, without its deficit rule and one-step GE;
* gegravity: gegravity 0.3 (iceberg cost, E/Y fixed per country, one-step full-GE solve).
"""

import json
import sys

import numpy as np
import pandas as pd


def load(d, name):
    g = pd.read_csv(f"{d}/{name}.gegravity.csv").set_index("country")
    r = pd.read_csv(f"{d}/{name}.reciprocity.csv").set_index("country")
    with open(f"{d}/{name}.gegravity.json") as f:
        gm = json.load(f)
    with open(f"{d}/{name}.reciprocity.json") as f:
        rm = json.load(f)
    df = g.join(r, how="inner")
    if len(df) != len(g) or len(df) != len(r):
        raise SystemExit(f"{name}: the two result files list different countries")
    df = df.rename(columns={"welfare_pct": "reciprocity"})
    return df, gm, rm


def main():
    d, names = sys.argv[1], sys.argv[2:]
    print("### Speed (same machine, same run, one core)\n")
    print("| world | countries | gegravity 0.3 median | Reciprocity end to end (CSV read + calibrate + solve + outcomes) | Reciprocity model only | ratio (gegravity / Reciprocity end to end) | ratio (model only) |")
    print("|---|---|---|---|---|---|---|")
    frames = {}
    for name in names:
        df, gm, rm = load(d, name)
        frames[name] = (df, gm, rm)
        g = gm["gegravity_median_seconds"]
        e2e = rm["median_seconds_end_to_end"]
        mod = rm["median_seconds_model"]
        print(
            f"| {name} | {gm['countries']} | {g:.2f} s ({gm['reps']} runs) | {1e3 * e2e:.2f} ms ({rm['reps']} runs) "
            f"| {1e3 * mod:.2f} ms | {g / e2e:,.0f}x | {g / mod:,.0f}x |"
        )
    print("\n### Agreement of welfare changes (percentage points of E/P)\n")
    print("| world | shocker | Reciprocity − independent numpy (max abs) | Reciprocity − gegravity: shocker | others: max abs / median abs | gegravity − exact iceberg: shocker | others: max abs / median abs | gegravity market-clearing gap | Reciprocity − exact iceberg: shocker (revenue share of E) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in names:
        df, gm, rm = frames[name]
        shocker = df["revenue_share"].idxmax()
        others = df.drop(index=shocker)
        check = (df["reciprocity"] - df["tariff_world"]).abs().max()
        if not check < 1e-8:
            raise SystemExit(f"{name}: Reciprocity and the independent solution of its model differ by {check:.2e} pp")
        rg = df["reciprocity"] - df["gegravity"]
        gi = df["gegravity"] - df["iceberg_world"]
        ri = df.loc[shocker, "reciprocity"] - df.loc[shocker, "iceberg_world"]
        print(
            f"| {name} | {shocker} | {check:.1e} | {df.loc[shocker, 'reciprocity']:+.3f} vs {df.loc[shocker, 'gegravity']:+.3f} "
            f"| {rg.drop(index=shocker).abs().max():.3f} / {rg.drop(index=shocker).abs().median():.3f} "
            f"| {df.loc[shocker, 'gegravity']:+.3f} vs {df.loc[shocker, 'iceberg_world']:+.3f} "
            f"| {gi.drop(index=shocker).abs().max():.3f} / {gi.drop(index=shocker).abs().median():.3f} "
            f"| {gm['gegravity_sales_vs_output_max_rel_gap']:.1e} "
            f"| {ri:+.3f} ({100 * df.loc[shocker, 'revenue_share']:.3f} %) |"
        )
        corr = np.corrcoef(others["reciprocity"], others["gegravity"])[0, 1]
        sign = (np.sign(others["reciprocity"]) == np.sign(others["gegravity"])).mean()
        print(
            f"|  | correlation of the others' welfare, Reciprocity vs gegravity: {corr:.3f}; same sign: {100 * sign:.0f} % "
            f"| | | | | | | |"
        )
    print()


if __name__ == "__main__":
    main()
