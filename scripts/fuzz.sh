#!/usr/bin/env bash
# Fuzz the parsers at the edges with cargo-fuzz (libFuzzer), one target at a time (issue 15).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     # default: 600 s each, every target
#
# Targets (fuzz/fuzz_targets/): scenario_toml, dataset_loaders, import_json, api_bodies,
# registry_toml. Needs a nightly toolchain and `cargo install cargo-fuzz --locked`.
#
# Each target starts from the committed seeds (fuzz/seeds/TARGET/) plus the repository's own
# examples (scenario files, the policy registry, a small `negotiate export` when a `reciprocity`
# binary is at hand, heads of the ../shared/data files when present), in fuzz/corpus/TARGET/
# (not committed). A crash is written to fuzz/artifacts/TARGET/, minimised with `cargo fuzz tmin`
# next to it, and the script exits 1; each one becomes a regression test in the owning crate.
# The last libFuzzer line of every run (executions, cov, ft) is summarised at the end and the
# full logs are in fuzz/logs/.
#
# Environment: CARGO_TARGET_DIR (default fuzz/target), FUZZ_NICE (default 15),
# FUZZ_SANITIZER (default none: the code is safe Rust apart from the bundled SQLite, and ASan
# halves the speed; `address` works too), RECIPROCITY_BIN (a built `reciprocity` for the export
# seed), FUZZ_ARGS (extra libFuzzer flags).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
ALL=(scenario_toml dataset_loaders import_json api_bodies registry_toml)

SECS="${1:-600}"
if [[ $# -gt 0 ]]; then shift; fi
if ! [[ "$SECS" =~ ^[0-9]+$ ]]; then
    echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]  (targets: ${ALL[*]})" >&2
    exit 2
fi
TARGETS=("$@")
if [[ ${#TARGETS[@]} -eq 0 ]]; then TARGETS=("${ALL[@]}"); fi

TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/fuzz/target}"
NICE="${FUZZ_NICE:-15}"
SANITIZER="${FUZZ_SANITIZER:-none}"
FLAGS=(--sanitizer "$SANITIZER" --debug-assertions --target-dir "$TARGET_DIR")
BIN_DIR="$TARGET_DIR/x86_64-unknown-linux-gnu/release"

# The fuzz crate is outside the workspace; start its lock file from the workspace's versions.
[[ -f fuzz/Cargo.lock ]] || cp Cargo.lock fuzz/Cargo.lock
nice -n "$NICE" cargo +nightly fuzz build "${FLAGS[@]}"

# Copy FILES into DIR under names that keep their origin readable.
seed_files() {
    local dir="$1"
    shift
    local f
    for f in "$@"; do
        [[ -f "$f" ]] && cp "$f" "$dir/$(echo "$f" | tr '/' '_')"
    done
    return 0
}

# A dataset_loaders input: the layout byte, then the heads of FILES separated by NUL bytes.
dataset_seed() {
    local out="$1" pick="$2"
    shift 2
    local first=1 f
    {
        printf "\\x$(printf '%02x' "$pick")"
        for f in "$@"; do
            [[ $first -eq 1 ]] || printf '\0'
            first=0
            [[ -f "$f" ]] && head -n 40 "$f"
        done
    } >"$out"
}

seed() {
    local t="$1" dir="fuzz/corpus/$1"
    mkdir -p "$dir"
    cp fuzz/seeds/"$t"/* "$dir"/ 2>/dev/null || true
    case "$t" in
    scenario_toml)
        seed_files "$dir" $(find examples/scenarios -name '*.toml' | sort)
        ;;
    registry_toml)
        seed_files "$dir" crates/policy/registry/*.toml
        ;;
    dataset_loaders)
        dataset_seed "$dir/ilms4-sectors.csv" 0 examples/sectors/ilms4.csv
        local shared="${RECIPROCITY_SHARED_DATA:-$ROOT/../shared/data}"
        if [[ -d "$shared" ]]; then
            local d="$shared/ilms2025" o="$shared/ossa2014" g="$shared/gegravity"
            dataset_seed "$dir/shared-ilms2025" 2 "$d/trade_cepii.csv" "$d/country_labels.csv" \
                "$d/gdp.csv" "$d/tariffs.csv" "$d/eu_countries.csv"
            dataset_seed "$dir/shared-ossa2014" 3 "$o/bilateral.csv" "$o/regions.csv" "$o/sectors.csv"
            dataset_seed "$dir/shared-gegravity" 4 "$g/sample_data_set.csv"
        fi
        ;;
    import_json)
        local bin="${RECIPROCITY_BIN:-$(command -v reciprocity || true)}"
        if [[ -n "$bin" && -x "$bin" ]]; then
            local tmp
            tmp="$(mktemp -d)"
            local db=(--db "$tmp/t.db")
            if "$bin" negotiate open JPN --date 2025-04-09 "${db[@]}" >/dev/null &&
                "$bin" negotiate propose JPN --side us --tariff by=USA,sector=all,rate=15 \
                    --purchase usd=550bn --term "investment fund" --date 2025-05-01 --no-score "${db[@]}" >/dev/null &&
                "$bin" negotiate export --format json "${db[@]}" >"$tmp/export.json"; then
                cp "$tmp/export.json" "$dir/generated-export.json"
            fi
            rm -rf "$tmp"
        fi
        ;;
    esac
}

mkdir -p fuzz/logs
SUMMARY=()
FAILED=0
for t in "${TARGETS[@]}"; do
    seed "$t"
    mkdir -p "fuzz/artifacts/$t" "fuzz/logs/$t"
    before="$(ls "fuzz/artifacts/$t" | sort)"
    log="$ROOT/fuzz/logs/$t.log"
    echo "== $t: ${SECS}s" >&2
    start=$(date +%s)
    # -jobs=1 runs the fuzzer in one child process whose output goes to fuzz-0.log in the cwd.
    (cd "fuzz/logs/$t" && rm -f fuzz-0.log &&
        nice -n "$NICE" "$BIN_DIR/$t" "$ROOT/fuzz/corpus/$t" \
            -max_total_time="$SECS" -jobs=1 -workers=1 -timeout=30 -rss_limit_mb=2048 \
            -max_len=65536 -print_final_stats=1 \
            -artifact_prefix="$ROOT/fuzz/artifacts/$t/" ${FUZZ_ARGS:-} >/dev/null 2>&1 || true)
    cp "fuzz/logs/$t/fuzz-0.log" "$log"
    took=$(($(date +%s) - start))
    last="$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)"
    execs="$(grep -E 'stat::number_of_executed_units' "$log" | awk '{print $2}' | tail -n 1 || true)"
    new="$(comm -13 <(echo "$before") <(ls "fuzz/artifacts/$t" | grep -v '^minimized-' | sort) || true)"
    for a in $new; do
        echo "!! $t: $a" >&2
        FAILED=1
        nice -n "$NICE" cargo +nightly fuzz tmin "$t" "fuzz/artifacts/$t/$a" "${FLAGS[@]}" \
            -- -runs=2000 -exact_artifact_path="$ROOT/fuzz/artifacts/$t/minimized-$a" \
            >"fuzz/logs/$t.tmin.log" 2>&1 || true
    done
    SUMMARY+=("$t | ${took}s | execs ${execs:-?} | ${last:-no stats} | crashes: $(echo $new | wc -w)")
done

echo
echo "target | time | executions | last libFuzzer line | crashes"
printf '%s\n' "${SUMMARY[@]}"
exit "$FAILED"
