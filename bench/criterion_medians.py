"""Print the median (and its 95 % interval) of every criterion benchmark from the last run.

Usage: python3 bench/criterion_medians.py [TARGET_DIR]   (default: target)
criterion's console line shows the mean in the middle; BENCHMARKS.md reports medians, read here
from target/criterion/<group>/<bench>/new/estimates.json.
"""

import glob
import json
import os
import sys

root = os.path.join(sys.argv[1] if len(sys.argv) > 1 else "target", "criterion")
files = sorted(glob.glob(os.path.join(root, "**", "new", "estimates.json"), recursive=True))
if not files:
    sys.exit(f"no criterion results under {root}; run cargo bench first")
for path in files:
    with open(path) as f:
        median = json.load(f)["median"]
    name = os.path.relpath(os.path.dirname(os.path.dirname(path)), root)
    low = median["confidence_interval"]["lower_bound"] / 1e6
    high = median["confidence_interval"]["upper_bound"] / 1e6
    print(f"{name:58s} median {median['point_estimate'] / 1e6:10.3f} ms  (95 % CI {low:.3f}-{high:.3f})")
