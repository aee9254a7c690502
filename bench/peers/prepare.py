"""Write the peer-comparison worlds as CSV files that both gegravity and Reciprocity read.

Each file has one row per (exporter, importer) pair including the domestic pair:
    exporter,importer,year,trade,Y,E,lncost,tariff_new
* trade: the flow (the gegravity sample's own values, or a seeded synthetic flow);
* Y, E: row and column sums of `trade` (output and expenditure consistent with the flows, so
  that a structural-gravity baseline reproduces the flows exactly);
* lncost: ln(trade * sum(Y) / (Y * E)), the log trade cost t^(1-sigma) that makes gegravity's
  modelled baseline equal to the observed flows (its multilateral resistances are then all 1);
* tariff_new: the counterfactual ad-valorem tariff (the factual tariff is zero everywhere).

The shock: the largest economy (by expenditure) imposes a 10 % tariff on imports from every
partner (the April 2025 "baseline" rate), no retaliation.

Usage: python prepare.py OUT_DIR [--sample PATH] [--seed SEED]
"""

import argparse
import os

import numpy as np
import pandas as pd

TARIFF = 0.10
YEAR = 2006


def finish(df: pd.DataFrame) -> pd.DataFrame:
    y = df.groupby("exporter")["trade"].sum()
    e = df.groupby("importer")["trade"].sum()
    df["Y"] = df["exporter"].map(y)
    df["E"] = df["importer"].map(e)
    world = float(y.sum())
    df["lncost"] = np.log(df["trade"] * world / (df["Y"] * df["E"]))
    shocker = e.idxmax()
    df["tariff_new"] = np.where((df["importer"] == shocker) & (df["exporter"] != shocker), TARIFF, 0.0)
    df["year"] = YEAR
    return df[["exporter", "importer", "year", "trade", "Y", "E", "lncost", "tariff_new"]], shocker


def sample(path: str):
    raw = pd.read_csv(path)
    df = raw[["exporter", "importer", "trade"]].copy()
    dropped = int((df["trade"] <= 0).sum())
    if dropped:
        raise SystemExit(f"{path}: {dropped} non-positive flows; the comparison needs every pair > 0")
    return finish(df)


def synthetic(n: int, seed: int, balanced: bool = False):
    """A seeded synthetic world (gravity-like, domestic share 50-90 %), named SYNnnn.
    balanced: symmetrise the flows so that every country's output equals its expenditure."""
    rng = np.random.default_rng(seed)
    size = (1.0 - rng.random(n)) ** (-1.0 / 1.2)
    size[0] = 2.0 * size.max()
    pos = rng.random((n, 2))
    dist = 0.05 + np.sqrt(((pos[:, None, :] - pos[None, :, :]) ** 2).sum(-1))
    x = size[:, None] * size[None, :] * (0.2 + rng.random((n, n))) / dist  # [exporter, importer]
    np.fill_diagonal(x, 0.0)
    share = 0.5 + 0.4 * rng.random(n)
    np.fill_diagonal(x, x.sum(0) * share / (1.0 - share))
    if balanced:
        x = 0.5 * (x + x.T)
    codes = [f"SYN{i:03d}" for i in range(n)]
    exp_idx, imp_idx = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    df = pd.DataFrame(
        {
            "exporter": np.array(codes)[exp_idx.ravel()],
            "importer": np.array(codes)[imp_idx.ravel()],
            "trade": x.ravel(),
        }
    )
    return finish(df)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--sample", default=None)
    ap.add_argument("--seed", type=int, default=20250402)
    ap.add_argument("--sizes", default="75,150")
    ap.add_argument("--balanced", default="75", help="sizes of extra balanced-trade (symmetric) worlds")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    worlds = []
    if args.sample:
        worlds.append(("gegravity_sample_30", *sample(args.sample)))
    for n in [int(v) for v in args.sizes.split(",") if v]:
        worlds.append((f"synthetic_{n}_seed{args.seed}", *synthetic(n, args.seed)))
    for n in [int(v) for v in args.balanced.split(",") if v]:
        worlds.append((f"synthetic_{n}_balanced_seed{args.seed}", *synthetic(n, args.seed, balanced=True)))
    for name, df, shocker in worlds:
        path = os.path.join(args.out, name + ".csv")
        df.to_csv(path, index=False, float_format="%.17g")
        n = df["exporter"].nunique()
        print(f"{name}: {n} countries, {len(df)} pairs, shock: {shocker} +{TARIFF:.0%} on all imports -> {path}")


if __name__ == "__main__":
    main()
