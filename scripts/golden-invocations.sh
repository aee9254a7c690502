#!/usr/bin/env bash
# Golden invocations: run a fixed list of CLI commands and API calls and record every output
# (stdout, stderr, exit code, files written, HTTP status and body) into OUT, with the volatile parts
# (temporary paths, tokens, timestamps, ports) normalised, so that two builds can be compared with
# `diff -r`. Used to check that a restructuring changes no output but the bugs it fixes.
#
#   scripts/golden-invocations.sh BIN OUT      # BIN: a `reciprocity` binary; OUT: a new folder
#   diff -r OUT_BEFORE OUT_AFTER
#
# Run from the repository root. Invocations with `--data ../shared/data/...` are skipped (and say
# so) when ../shared/data is absent. Needs curl for the API part. ONLY=REGEX reruns the CLI
# invocations whose names match (no API calls), e.g. to repeat one that timed out.
set -uo pipefail
BIN=$(realpath "$1")
OUT=$2
cd "$(dirname "$0")/.."
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
WORK=$(mktemp -d)
trap 'kill "${SERVER_PID:-0}" 2>/dev/null; rm -rf "$WORK"' EXIT
SHARED=../shared/data
N=0

normalise() {
  sed -E \
    -e "s#${WORK}#<TMP>#g" \
    -e 's#rcp_[0-9a-f]{64}#rcp_<TOKEN>#g' \
    -e 's#[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2}| UTC)?#<TIMESTAMP>#g' \
    -e 's#127\.0\.0\.1:[0-9]+#127.0.0.1:<PORT>#g' \
    -e 's#in [0-9]+(\.[0-9]+)? ?(ms|s|µs)#in <TIME>#g' \
    -e 's#"([a-z_]+_ms)":[0-9.e+-]+#"\1":<MS>#g' \
    -e 's#"([a-z_]+_seconds)": [0-9.e+-]+#"\1": <SECONDS>#g' \
    -e 's#[0-9]+(\.[0-9]+)? ?(ms|s|µs)([ ,.;)]|$)#<TIME>\3#g'
}

# run NAME ARGS...: one CLI invocation.
run() {
  local name=$1
  shift
  [[ -n "${ONLY:-}" && ! "$name" =~ $ONLY ]] && return
  N=$((N + 1))
  for a in "$@"; do
    if [[ "$a" == *../shared/data* ]] && [ ! -d "$SHARED" ]; then
      echo "skipped: ../shared/data absent" >"$OUT/$name.skipped"
      return
    fi
  done
  timeout 120 "$BIN" "$@" >"$WORK/stdout" 2>"$WORK/stderr"
  local rc=$?
  {
    echo "\$ reciprocity $*"
    echo "--- exit $rc"
    echo "--- stdout"
    cat "$WORK/stdout"
    echo "--- stderr"
    cat "$WORK/stderr"
  } | normalise >"$OUT/$name.txt"
}

# files NAME DIR: the files a command wrote (text as is, binary as a hash).
files() {
  local name=$1 dir=$2
  [[ -n "${ONLY:-}" && ! "$name" =~ $ONLY ]] && return
  (cd "$dir" && find . -type f | sort | while read -r f; do
    case "$f" in
      *.png | *.db | *.db-wal | *.db-shm) echo "== $f sha256 $(sha256sum "$f" | cut -c1-16)" ;;
      *) echo "== $f"; cat "$f" ;;
    esac
  done) | normalise >"$OUT/$name.files.txt"
}

R=examples/scenarios
LD=$R/ilms/liberation-day.toml
AUG=$R/policy/august-2025.toml

# --- formula and chart (Census 2024, embedded)
run formula-default formula
run formula-csv formula --format csv
run formula-json formula --format json
run formula-chart-pass formula --partners chart --pass-through 0.945
run formula-top-none formula --top 10 --rounding none
run formula-floor-csv formula --top 20 --floor 0 --format csv
run formula-bad-discount formula --discount 2
run formula-bad-elasticity formula --trade-elasticity 0
mkdir -p "$WORK/chart"
run chart-svg chart --out "$WORK/chart/gap.svg" --top 30
files chart-svg "$WORK/chart"
run chart-bad-ext chart --out "$WORK/chart/gap.gif"

# --- data
run data-check-ilms data check $SHARED/ilms2025
run data-check-ossa data check $SHARED/ossa2014
run data-check-missing data check "$WORK/nope"

# --- tariffs, timeline, pause (the embedded registry)
run tariffs-chn tariffs --date 2025-04-10 --partner CHN
run tariffs-eu-mfn tariffs --date 2025-08-07 --partner EU --mfn 4
run tariffs-can-steel tariffs --date 2025-08-01 --partner CAN --sector steel
run tariffs-all-csv tariffs --date 2026-11-28 --format csv
run tariffs-all-json tariffs --date 2025-04-10 --format json
run tariffs-bad-date tariffs --date 2025-13-01
run tariffs-bad-partner tariffs --date 2025-04-10 --partner XXX
run timeline-table timeline --from 2025-01-01 --to 2026-11-28
run timeline-csv timeline --from 2025-01-01 --to 2026-11-28 --format csv
run timeline-json timeline --from 2025-01-01 --to 2025-12-31 --format json
run timeline-peer-csv timeline --compare-peer --format csv
run timeline-peer timeline --compare-peer
mkdir -p "$WORK/tl"
run timeline-chart timeline --from 2025-01-01 --to 2025-12-31 --chart "$WORK/tl/t.svg"
files timeline-chart "$WORK/tl"
run timeline-bad-range timeline --from 2025-05-01 --to 2025-01-01
run pause-june pause --date 2025-06-01
run pause-aug-json pause --date 2025-08-15 --format json
run pause-june-csv pause --date 2025-06-01 --format csv

# --- simulate
run sim-ld simulate --scenario $LD
run sim-ld-json simulate --scenario $LD --format json
run sim-ld-csv simulate --scenario $LD --format csv
run sim-aug simulate --scenario $AUG
run sim-recip simulate --scenario $R/ilms/reciprocal-retaliation.toml
run sim-opt-ret simulate --scenario $R/ilms/optimal-retaliation.toml
run sim-regional simulate --scenario $R/ilms/regional-china.toml --format csv
run sim-flows simulate --scenario $AUG --flows
run sim-missing simulate --scenario "$WORK/nope.toml"
printf '[scenario]\nname = "bad"\nbogus = 1\n' >"$WORK/bad.toml"
run sim-bad-key simulate --scenario "$WORK/bad.toml"
run sim-ilms-ld simulate --data $SHARED/ilms2025 --scenario $LD
mkdir -p "$WORK/ilms"
run sim-ilms-dir simulate --data $SHARED/ilms2025 --scenario $R/ilms --out "$WORK/ilms" --format csv
files sim-ilms-dir "$WORK/ilms"
run sim-ossa-aug simulate --data $SHARED/ossa2014 --scenario $AUG --flows

# --- strategy
run opt-usa strategy optimal --country USA
run opt-usa-max strategy optimal --country USA --max-rate 0.5
run opt-usa-json strategy optimal --country USA --format json
run opt-chn strategy optimal --country CHN
run opt-aug strategy optimal --scenario $AUG --country USA
run opt-bad-country strategy optimal --country XXX
run opt-ilms strategy optimal --data $SHARED/ilms2025 --country USA
run ret-ld strategy retaliate --country USA --tariff liberation-day --by CHN,EU27,CAN
run ret-ld-json strategy retaliate --country USA --tariff liberation-day --format json
run ret-rate strategy retaliate --country USA --tariff optimal --by CHN --rate 20
run ret-bad-tariff strategy retaliate --country USA --tariff nonsense
run ret-ilms strategy retaliate --data $SHARED/ilms2025 --country USA --tariff liberation-day --by CHN,EU27,CAN
run nash-6 strategy nash --players USA,CHN,EU27,JPN,CAN,MEX
run nash-2-csv strategy nash --players USA,CHN --format csv
run bargain-chn strategy bargain --partner CHN
run bargain-jpn-json strategy bargain --partner JPN --format json
run bargain-bad-weight strategy bargain --partner CHN --weight 2

# --- negotiate (a fresh SQLite file)
DB="$WORK/talks.db"
run neg-open negotiate --db "$DB" open JPN --date 2025-04-10
run neg-open-dup negotiate --db "$DB" open JPN --date 2025-04-10
run neg-propose negotiate --db "$DB" propose JPN --side partner --date 2025-04-20 --tariff by=USA,sector=all,rate=10 --tariff by=JPN,sector=all,rate=0 --purchase usd=60bn
run neg-counter negotiate --db "$DB" counter JPN --to 1 --date 2025-05-01 --tariff by=USA,sector=all,rate=15 --quota by=USA,hs=87,volume=100000,unit_value=40000,in=2.5,out=25 --term "rice access"
run neg-bad-tariff negotiate --db "$DB" propose JPN --side partner --date 2025-05-02 --tariff by=USA,sector=all
run neg-accept negotiate --db "$DB" accept JPN --proposal 2 --date 2025-05-08
run neg-open-vnm negotiate --db "$DB" open VNM --date 2025-04-10
run neg-propose-vnm negotiate --db "$DB" propose VNM --side us --date 2025-04-21 --tariff by=USA,sector=all,rate=20
run neg-reject-vnm negotiate --db "$DB" reject VNM --proposal 1 --date 2025-04-25 --reason "too high"
run neg-extend-vnm negotiate --db "$DB" extend VNM --to 2025-08-01 --date 2025-07-07
run neg-status negotiate --db "$DB" status --date 2025-05-09
run neg-status-jpn negotiate --db "$DB" status JPN --date 2025-05-09
run neg-status-json negotiate --db "$DB" status --date 2025-05-09 --format json
run neg-log negotiate --db "$DB" log JPN --format csv
run neg-log-table negotiate --db "$DB" log VNM
run neg-export negotiate --db "$DB" export --out "$WORK/talks.json"
[ -f "$WORK/talks.json" ] && normalise <"$WORK/talks.json" >"$OUT/neg-export.json"
run neg-import negotiate --db "$WORK/copy.db" import "$WORK/talks.json"
run neg-status-copy negotiate --db "$WORK/copy.db" status --date 2025-05-09
mkdir -p "$WORK/round"
run neg-sim negotiate simulate --partners 8 --days 30 --seed 1 --out "$WORK/round"
files neg-sim "$WORK/round"
run neg-sim-bad negotiate simulate --partners 0

# --- users
run users-add users --db "$WORK/users.db" add alice --role analyst
run users-list users --db "$WORK/users.db" list
run users-bad-role users --db "$WORK/users.db" add bob --role boss


echo "CLI invocations: $N"

# --- the API: `reciprocity serve` on a free port with a fresh database
[ -n "${ONLY:-}" ] && exit 0
command -v curl >/dev/null || { echo "no curl: API part skipped"; exit 0; }
"$BIN" serve --db "$WORK/api.db" --bind 127.0.0.1:0 --clock 2025-05-01 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER_PID=$!
# The first admin's token: on stderr since issue 15 (stdout before; either binary may be compared).
for _ in $(seq 1 600); do
  cat "$WORK/serve.out" "$WORK/serve.err" 2>/dev/null | grep -q '^rcp_' && break
  sleep 0.2
done
BASE=$(grep -Eo 'http://127\.0\.0\.1:[0-9]+' "$WORK/serve.out" | head -1)
TOKEN=$(cat "$WORK/serve.out" "$WORK/serve.err" | grep -E '^rcp_' | head -1)
A=0
# api NAME METHOD PATH [JSON]
api() {
  local name=$1 method=$2 path=$3 body=${4:-}
  A=$((A + 1))
  local args=(-s -o "$WORK/body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $TOKEN")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data "$body")
  local status
  status=$(curl "${args[@]}" "$BASE$path")
  {
    echo "$method $path $body"
    echo "--- status $status"
    cat "$WORK/body"
    echo
  } | normalise >"$OUT/api-$name.txt"
}
api health GET /api/v1/health
api me GET /api/v1/me
api countries GET /api/v1/countries
api formula GET /api/v1/formula
api formula-none GET '/api/v1/formula?rounding=none&pass_through=0.945&floor=0'
api formula-bad GET '/api/v1/formula?rounding=sideways'
api tariffs GET '/api/v1/tariffs?date=2025-04-10&partner=CHN'
api tariffs-all GET '/api/v1/tariffs?date=2025-08-07'
api tariffs-bad GET '/api/v1/tariffs?date=2025-13-01'
api average GET '/api/v1/tariffs/average?from=2025-01-01&to=2025-12-31'
api scenario-ld POST /api/v1/scenarios '{"scenario":{"name":"ld"},"tariffs":[{"importers":["USA"],"official":"liberation-day"}]}'
api scenario-aug POST /api/v1/scenarios '{"scenario":{"name":"aug"},"tariffs":[{"importers":["USA"],"tariffs_at":"2025-08-07"}]}'
api scenario-bad POST /api/v1/scenarios '{"scenario":{"name":"bad"},"bogus":1}'
api optimal POST /api/v1/strategy/optimal '{"country":"USA","by":"uniform"}'
api optimal-max POST /api/v1/strategy/optimal '{"country":"USA","max_rate":0.5}'
api optimal-bad-by POST /api/v1/strategy/optimal '{"country":"USA","by":"sideways"}'
api optimal-bad-country POST /api/v1/strategy/optimal '{"country":"XXX","by":"uniform"}'
api retaliate POST /api/v1/strategy/retaliate '{"country":"USA","tariff":"liberation-day","by":["CHN","EU27","CAN"]}'
api retaliate-bad POST /api/v1/strategy/retaliate '{"country":"USA","tariff":"nonsense"}'
api bargain POST /api/v1/strategy/bargain '{"partner":"CHN"}'
api bargain-bad POST /api/v1/strategy/bargain '{"partner":"CHN","points":1}'
api open POST /api/v1/negotiations '{"partner":"JPN","date":"2025-04-10"}'
api propose POST /api/v1/negotiations/JPN/proposals '{"side":"partner","date":"2025-04-20","terms":{"tariff_lines":[{"by":"USA","scope":"all","rate_pct":10},{"by":"JPN","scope":"all","rate_pct":0}]}}'
api propose-bad POST /api/v1/negotiations/JPN/proposals '{"side":"partner","date":"2025-04-21","terms":{"tariff_lines":[{"by":"USA","scope":"hs999","rate_pct":10}]}}'
api accept POST /api/v1/negotiations/JPN/proposals/1/accept '{"date":"2025-04-25"}'
api board GET /api/v1/negotiations
api talk GET /api/v1/negotiations/JPN
api log GET /api/v1/negotiations/JPN/log
api extend POST /api/v1/negotiations/JPN/extend '{"new_end":"2025-09-01"}'
api missing GET /api/v1/negotiations/FRA
echo "API calls: $A"
