#!/usr/bin/env bash
# Records the output of a fixed set of CLI invocations (and API requests) into a directory, so a
# restructuring can show that every output is byte-identical before and after (issue 11):
#
#   scripts/golden.sh BIN OUTDIR        # record, e.g. with the binary of the commit before
#   diff -r OUTDIR_BEFORE OUTDIR_AFTER  # nothing but the bugs the change fixes
#
# Timings (`… ms`, `"…_ms": n`) and temporary paths are masked; dates are explicit so "today" does
# not move the outputs. Runs on the embedded data only (no ../shared), in a few minutes (debug).
set -uo pipefail
bin=$(realpath "$1")
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
out=$(realpath "$out")
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${server:-}" ] && kill "$server" 2>/dev/null' EXIT
cd "$root"
export RECIPROCITY_SHARED_DATA=/nonexistent NO_COLOR=1
export RECIPROCITY_DB="$work/default.db"

n=0
mask() { sed -E -e 's/[0-9]+(\.[0-9]+)? ?ms\b/<ms>/g' -e 's/"([a-z_]*_ms)": ?[0-9.e+-]+/"\1": <ms>/g' \
  -e 's/"([a-z_]*seconds)": ?[0-9.e+-]+/"\1": <s>/g' -e 's/\b[0-9]+(\.[0-9]+)? s\b/<s>/g' -e "s#$work#<tmp>#g"; }
run() { # run NAME ARGS...: stdout, stderr and the exit code of one invocation
  n=$((n + 1))
  local name=$1; shift
  { "$bin" "$@" 2>"$out/$name.stderr"; echo "exit $?" >"$out/$name.code"; } | mask >"$out/$name.out"
  mask <"$out/$name.stderr" >"$out/$name.err" && rm "$out/$name.stderr"
}

s=examples/scenarios
# Formula and chart data
run formula-table formula
run formula-csv formula --format csv
run formula-json formula --format json
run formula-top formula --top 5 --rounding unrounded
run formula-eps formula --trade-elasticity 8 --pass-through 1 --format csv
run formula-bad formula --rounding sideways
# Policy timeline
run tariffs-day tariffs --date 2025-04-10
run tariffs-day-json tariffs --date 2025-08-07 --format json
run tariffs-partner tariffs --date 2025-06-05 --partner CAN
run tariffs-hts tariffs --hts 8703.23.01 --partner JPN --date 2025-08-07
run tariffs-hts-json tariffs --hts 7208.10.15 --partner MEX --date 2025-06-05 --format json
run tariffs-search tariffs --search watches --limit 5
run tariffs-bad tariffs --date 2025-13-01
run etr-day etr --date 2025-09-03
run etr-json etr --date 2025-05-14 --format json
run etr-series etr --from 2025-04-01 --to 2025-04-12
run etr-csv etr --from 2025-04-01 --to 2025-04-05 --format csv
run costs-day costs --date 2025-09-04
run costs-json costs --date 2025-04-09 --format json
run costs-assume costs --date 2025-08-07 --import-content 12 --pass-through 80
run timeline-table timeline --from 2025-01-01 --to 2025-12-31 --no-shared
run timeline-csv timeline --from 2025-03-01 --to 2025-05-01 --daily --format csv --no-shared
run pause-may pause --date 2025-05-01
run pause-json pause --date 2025-07-01 --format json
# General equilibrium
for f in $s/ilms/*.toml; do
  b=$(basename "$f" .toml)
  run "simulate-$b" simulate --scenario "$f" --format json
done
run simulate-table simulate --scenario $s/ilms/liberation-day.toml
run simulate-csv simulate --scenario $s/ilms/liberation-day.toml --format csv
run simulate-policy simulate --scenario $s/policy/august-2025.toml
run simulate-missing simulate --scenario $s/ilms/none.toml
# Strategy
run optimal-usa strategy optimal --country USA
run optimal-json strategy optimal --country CHN --format json
run optimal-policy strategy optimal --scenario $s/policy/august-2025.toml --country USA
run retaliate strategy retaliate --country USA --tariff liberation-day --by CHN,EU27,CAN
run retaliate-json strategy retaliate --country USA --tariff liberation-day --by CHN --format json
run nash-small strategy nash --players USA,CHN,EU27
run nash-json strategy nash --players USA,CHN --format json
run bargain strategy bargain --partner CHN --points 9
run bargain-json strategy bargain --partner JPN --threat war --points 5 --format json
run bargain-bad strategy bargain --partner XXX
# Negotiations (a store of their own)
db=(--db "$work/talks.db")
run neg-open negotiate "${db[@]}" open JPN --date 2025-04-10
run neg-open-json negotiate "${db[@]}" open GBR --date 2025-04-11 --format json
run neg-propose negotiate "${db[@]}" propose JPN --side partner --date 2025-04-20 --tariff by=USA,sector=all,rate=10 --tariff by=JPN,sector=all,rate=0 --purchase usd=60bn
run neg-counter negotiate "${db[@]}" counter JPN --to 1 --date 2025-05-01 --tariff by=USA,sector=all,rate=15 --quota by=USA,hs=87,volume=100000,unit_value=40000,in=2.5,out=25 --term "rice access"
run neg-propose-json negotiate "${db[@]}" propose GBR --side us --date 2025-04-25 --tariff by=USA,sector=all,rate=10 --format json
run neg-propose-bad negotiate "${db[@]}" propose GBR --side us --date 2025-04-26 --tariff by=USA,rate=ten
run neg-accept negotiate "${db[@]}" accept JPN --proposal 2 --date 2025-05-08
run neg-status negotiate "${db[@]}" status --date 2025-05-09
run neg-status-csv negotiate "${db[@]}" status --date 2025-05-09 --format csv
run neg-talk negotiate "${db[@]}" status JPN --date 2025-05-09
run neg-log negotiate "${db[@]}" log JPN --format csv
run neg-export negotiate "${db[@]}" export
run neg-extend negotiate "${db[@]}" extend GBR --to 2025-08-01 --date 2025-06-01
run neg-reject negotiate "${db[@]}" reject GBR --proposal 1 --date 2025-06-02
run neg-sim negotiate simulate --partners 8 --days 30 --seed 1 --format json
run neg-sim-table negotiate simulate --partners 6 --days 20 --seed 2
# Data
run data-check-bad data check "$work/none"
run help --help

# The API on the same binary: public and private routes, with a token.
port=$((20000 + RANDOM % 20000))
"$bin" users --db "$work/api.db" add golden --role admin >"$work/token" 2>/dev/null
token=$(grep -oE '[A-Za-z0-9_-]{20,}' "$work/token" | tail -1)
RECIPROCITY_DB="$work/api.db" "$bin" serve --bind "127.0.0.1:$port" --clock 2025-05-01 >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.2; done
api() { # api NAME PATH [curl args]: body and status of one request
  n=$((n + 1))
  local name=$1 path=$2; shift 2
  local auth=(-H "Authorization: Bearer $token")
  [ "$name" = api-unauth ] && auth=(-H "Authorization: Bearer wrong")
  curl -s -o "$out/$name.body" -w '%{http_code}\n' "${auth[@]}" "$@" \
    "http://127.0.0.1:$port$path" >"$out/$name.code"
  mask <"$out/$name.body" >"$out/$name.out" && rm "$out/$name.body"
}
api api-formula "/api/v1/formula"
api api-formula-bad "/api/v1/formula?rounding=sideways"
api api-tariffs "/api/v1/tariffs?hts=8703.23.01&partner=JPN&date=2025-08-07"
api api-product "/api/v1/tariffs/product?hts=8703.23.01&partner=JPN&date=2025-08-07"
api api-average "/api/v1/tariffs/average?date=2025-08-07"
api api-rates "/api/v1/tariffs?date=2025-08-07&partner=CHN"
api api-etr "/api/v1/etr?date=2025-09-03"
api api-costs "/api/v1/costs?date=2025-09-04"
api api-countries "/api/v1/countries"
api api-scenario "/api/v1/scenarios" -X POST -H 'content-type: application/json' \
  --data '{"name": "Liberation Day", "model": {"preset": "ilms"}, "tariffs": [{"importers": ["USA"], "exporters": ["all"], "official": "2025-04-02-annex"}]}'
api api-optimal "/api/v1/strategy/optimal" -X POST -H 'content-type: application/json' --data '{"country": "USA"}'
api api-unauth "/api/v1/negotiations"
echo "$n invocations recorded in $out"
