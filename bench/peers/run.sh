#!/usr/bin/env bash
# Peer comparison: gegravity 0.3 (Python, USITC) beside Reciprocity on the same worlds, the same
# tariff shock and the same machine, in one run. Prints a Markdown report (speed and agreement of
# welfare changes) for BENCHMARKS.md.
#
#   bash bench/peers/run.sh            # everything (about 5 minutes, most of it gegravity)
#   GEG_REPS=1 bash bench/peers/run.sh # one gegravity run per world
#
# Needs python3 (3.8+) with venv, and ../shared/data/gegravity/sample_data_set.csv (or
# RECIPROCITY_SHARED_DATA). The virtual environment lives in bench/peers/.venv (gitignored).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${RECIPROCITY_SHARED_DATA:-$root/../shared/data}"
sample="$shared/gegravity/sample_data_set.csv"
reps="${GEG_REPS:-3}"
seed="${SEED:-20250402}"

if [ ! -f "$sample" ]; then
  echo "error: $sample not found (set RECIPROCITY_SHARED_DATA)" >&2
  exit 2
fi

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# gegravity 0.3 (June 2024) declares only lower bounds (numpy, scipy, pandas, gme >= 1.3); it runs
# on the current releases, which pip resolves. The versions used are printed below.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "gegravity==0.3"

# Reciprocity's side, built once (release profile, as users run it).
(cd "$root" && cargo build --quiet --release -p reciprocity-data --example peer_reciprocity)
reciprocity="$root/target/release/examples/peer_reciprocity"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "## Peer comparison: gegravity 0.3 vs Reciprocity"
echo
echo "Run $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p')); one core used by each."
echo "Python $("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])'); $("$venv/bin/python" -c 'from importlib.metadata import version as v; print(", ".join(f"{p} {v(p)}" for p in ["gegravity", "gme", "pandas", "numpy", "scipy"]))')."
echo "Synthetic worlds: seed $seed. Shock: the largest economy puts a 10 % tariff on all its imports. sigma = 5 (epsilon = 4)."
echo
echo '```'
"$venv/bin/python" "$here/prepare.py" "$work" --sample "$sample" --seed "$seed" --sizes 75,150 --balanced 75
names=(gegravity_sample_30 "synthetic_75_seed$seed" "synthetic_150_seed$seed" "synthetic_75_balanced_seed$seed")
for name in "${names[@]}"; do
  # OpenMP/BLAS threads pinned to one, as Reciprocity runs on one core.
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
    "$venv/bin/python" "$here/gegravity_driver.py" "$work/$name.csv" "$work/$name" --reps "$reps"
  "$reciprocity" "$work/$name.csv" "$work/$name" 4
done
echo '```'
echo
"$venv/bin/python" "$here/compare.py" "$work" "${names[@]}"
