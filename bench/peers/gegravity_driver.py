"""Time gegravity 0.3 on a world written by prepare.py and record its welfare results, beside an
exact solution of the same structural-gravity model for reference.

Usage: python gegravity_driver.py WORLD.csv OUT_PREFIX [--reps R] [--sigma S]
Writes OUT_PREFIX.gegravity.csv (country, welfare_pct per method) and OUT_PREFIX.gegravity.json
(timings, solver messages, market-clearing gaps).

How the tariff enters gegravity: gegravity has trade costs, not tariffs. Its cost is
t_ij^(1-sigma) = exp(sum_k b_k x_ij^k); we use two cost variables, lncost (coefficient 1, reproducing
the observed flows) and ln(1 + tariff) (coefficient 1 - sigma = -epsilon), so the shock is
t_ij -> t_ij * (1 + tariff): an iceberg cost. No revenue is collected, and gegravity keeps each
country's expenditure/output ratio E_i/Y_i fixed.

Methods recorded:
* gegravity: the package's OneSectorGE.simulate() ("GDP change (percent)" = change of E/P, since E/Y
  is fixed; equal to 100 * (1/welfare_statistic - 1)).
* iceberg_world: the same iceberg shock solved exactly here by hat algebra, with deficits a fixed
  share of world income. gegravity's own rule (E_i/Y_i fixed) cannot be solved exactly when trade
  is unbalanced: it breaks Walras' law (sum E' != sum Y' unless all prices move alike).
* tariff_world: a tariff with revenue rebated lump sum, same deficit rule: Reciprocity's textbook
  preset, solved independently here.
"""

import argparse
import json
import statistics
import time
import warnings

import numpy as np
import pandas as pd


def load(path):
    df = pd.read_csv(path)
    codes = sorted(df["exporter"].unique())
    n = len(codes)
    pos = {c: i for i, c in enumerate(codes)}
    x = np.zeros((n, n))
    t = np.zeros((n, n))
    j = df["exporter"].map(pos).to_numpy()
    i = df["importer"].map(pos).to_numpy()
    x[j, i] = df["trade"].to_numpy()
    t[j, i] = df["tariff_new"].to_numpy()
    return df, codes, x, t


def run_gegravity(df, sigma, reference):
    import gegravity as ge

    baseline = ge.BaselineData(
        df,
        imp_var_name="importer",
        exp_var_name="exporter",
        year_var_name="year",
        trade_var_name="trade",
        expend_var_name="E",
        output_var_name="Y",
    )
    coeffs = pd.DataFrame(
        [
            {"var": "lncost", "coeff": 1.0, "ste": 0.0},
            {"var": "ln1p_tariff", "coeff": 1.0 - sigma, "ste": 0.0},
        ]
    )
    cost = ge.CostCoeffs(estimates=coeffs, identifier_col="var", coeff_col="coeff", stderr_col="ste")
    model = ge.OneSectorGE(
        baseline,
        year=str(int(df["year"].iloc[0])),
        cost_coeff_values=cost,
        cost_variables=["lncost", "ln1p_tariff"],
        reference_importer=reference,
        sigma=sigma,
        quiet=True,
    )
    model.build_baseline()
    experiment = model.baseline_data.copy()
    experiment["ln1p_tariff"] = np.log1p(experiment["tariff_new"])
    model.define_experiment(experiment)
    model.simulate()
    return model


def prepare_input(df):
    df = df.copy()
    df["ln1p_tariff"] = 0.0
    return df


def exact(x, t, eps, tariff, deficit, tol=1e-12):
    """Hat algebra of the one-sector Armington model with factual tariffs 0 and new ones t.

    tariff=True: t is a tariff, revenue rebated lump sum; False: t is an iceberg cost (no revenue).
    deficit="own": D_i moves with own income (E/Y fixed, gegravity); "world": D_i moves with world
    income (Reciprocity). Solved with scipy's hybr on ln w (world income fixed as numeraire).
    Returns (welfare_pct, largest market-clearing gap, function evaluations).
    """
    from scipy.optimize import root

    y = x.sum(1)
    e = x.sum(0)
    d = e - y
    lam = x / e[None, :]
    tau = 1.0 + t
    world = y.sum()

    def evaluate(w):
        a = lam * (w[:, None] * tau) ** (-eps)
        den = a.sum(0)
        share = a / den[None, :]
        income = w * y
        dn = d * (w if deficit == "own" else income.sum() / world)
        if tariff:
            rho = (share * t / tau).sum(0)
            spend = (income + dn) / (1.0 - rho)
            sales = (share / tau * spend[None, :]).sum(1)
        else:
            spend = income + dn
            sales = (share * spend[None, :]).sum(1)
        return den, spend, sales, income

    def f(lw):
        w = np.exp(lw)
        _, _, sales, income = evaluate(w)
        out = np.log(sales / income)
        # One market-clearing equation is redundant (Walras); replace it by the numeraire.
        out[-1] = np.log((w * y).sum() / world)
        return out

    sol = root(f, np.zeros(len(y)), method="hybr", tol=tol)
    w = np.exp(sol.x)
    den, spend, sales, income = evaluate(w)
    gap = float(np.abs(sales / income - 1.0).max())
    p_hat = den ** (-1.0 / eps)
    welfare = (spend / e) / p_hat
    return 100.0 * (welfare - 1.0), gap, int(sol.nfev)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("world")
    ap.add_argument("out")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--sigma", type=float, default=5.0)
    args = ap.parse_args()
    eps = args.sigma - 1.0
    df, codes, x, t = load(args.world)
    n = len(codes)
    # gegravity's reference importer (its IMR is normalised to 1): the first country, as any works.
    reference = codes[0]
    gdf = prepare_input(df)
    times = []
    model = None
    for _ in range(args.reps):
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = run_gegravity(gdf, args.sigma, reference)
        times.append(time.perf_counter() - start)
    diag = model.solver_diagnostics
    cr = model.country_results
    geg = cr["GDP change (percent)"].reindex(codes).to_numpy()
    # Check gegravity's own result against its own market-clearing conditions.
    b = model.bilateral_trade_results
    base_fit = float((b["baseline modeled trade"] / df.set_index(["exporter", "importer"])["trade"] - 1).abs().max())
    p = model.factory_gate_prices.iloc[:, 0].reindex(codes).to_numpy()
    y = x.sum(1)
    e = x.sum(0)
    sales = b.groupby(level=0)["experiment trade"].sum().reindex(codes).to_numpy()
    spend = b.groupby(level=1)["experiment trade"].sum().reindex(codes).to_numpy()
    clearing_gap = float(np.abs(sales / (p * y) - 1).max())
    spend_gap = float(np.abs(spend / (p * e) - 1).max())

    results = {"country": codes, "gegravity": geg}
    gaps = {}
    exact_times = {}
    for name, tariff, deficit in [("iceberg_world", False, "world"), ("tariff_world", True, "world")]:
        start = time.perf_counter()
        welfare, gap, evaluations = exact(x, t, eps, tariff, deficit)
        exact_times[name] = time.perf_counter() - start
        results[name] = welfare
        gaps[name] = {"max_gap": gap, "function_evaluations": evaluations}
    pd.DataFrame(results).to_csv(args.out + ".gegravity.csv", index=False, float_format="%.12g")
    meta = {
        "world": args.world,
        "countries": n,
        "sigma": args.sigma,
        "reps": args.reps,
        "gegravity_seconds": times,
        "gegravity_median_seconds": statistics.median(times),
        "gegravity_messages": {k: v.message for k, v in diag.items()},
        "gegravity_baseline_fit_max_rel": base_fit,
        "gegravity_sales_vs_output_max_rel_gap": clearing_gap,
        "gegravity_spending_vs_expenditure_max_rel_gap": spend_gap,
        "exact_numpy_seconds": exact_times,
        "exact": gaps,
    }
    with open(args.out + ".gegravity.json", "w") as f:
        json.dump(meta, f, indent=1)
    print(
        f"gegravity {n} countries: median {statistics.median(times):.3f} s over {args.reps} "
        f"({', '.join(f'{v:.3f}' for v in times)}); market-clearing gap of its solution {clearing_gap:.2e}"
    )


if __name__ == "__main__":
    main()
