#!/usr/bin/env bash
# Benchmark of `niveau publish` (issue 16): the static site of a portfolio of PRODUCTS
# published products, rendered by a release build on SQLite.
#
#   bench/publish.sh
#
# Environment: PRODUCTS=500 (slugs bench-001 …), SEED_JOBS=4 (parallel curl jobs),
# NIVEAU=path/to/niveau to time a binary already built (no release build).
#
# Steps: build the release binary; migrate a fresh SQLite file in a temporary folder, add an
# admin account and an API token (bench/lib.sh); start `niveau serve` (worker off) and seed
# 20 organisations and PRODUCTS published products through the API, each with a
# description, two participants and a level decision; stop the server; then time
# `niveau publish --out` twice: into an empty folder (every file written) and again into
# the same folder (every page rendered, nothing changed on disk). Prints the wall time,
# the number of files and the site's size. Target: under 10 s for 500 products on the
# 2-core machine. Results go to docs/performance.md by hand, with the machine and date.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
source bench/lib.sh

products=${PRODUCTS:-500}
seed_jobs=${SEED_JOBS:-4}
command -v jq > /dev/null || { echo "jq is missing (apt-get install jq)" >&2; exit 1; }
command -v curl > /dev/null || { echo "curl is missing (apt-get install curl)" >&2; exit 1; }

if [[ -n ${NIVEAU:-} ]]; then
    niveau=$NIVEAU
else
    step "cargo build --release -p niveau-cli"
    cargo build --release -q -p niveau-cli
    niveau=${CARGO_TARGET_DIR:-$root/target}/release/niveau
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/niveau-publish-bench.XXXXXX")
server_pid=""
trap '[[ -n $server_pid ]] && kill "$server_pid" 2> /dev/null; rm -rf "$dir"' EXIT
fail() { echo "bench/publish.sh: $*" >&2; exit 1; }

url="sqlite:$dir/bench.db"
step "migrate, admin account, token"
BENCH_TOKEN=$(prepare_database "$dir" "$niveau" "$url" bench)
start_server "$dir" "$niveau" "$url"
export BENCH_TOKEN BENCH_BASE=$server_base

api() {
    local method=$1 path=$2 body=${3:-} out status
    out=$(curl -sS -X "$method" -H "Authorization: Bearer $BENCH_TOKEN" \
        -H 'Content-Type: application/json' ${body:+--data-binary "$body"} \
        -w '\n%{http_code}' "$BENCH_BASE$path") || return 1
    status=${out##*$'\n'}
    out=${out%$'\n'*}
    [[ $status == 2* ]] || { printf '%s %s: HTTP %s: %s\n' "$method" "$path" "$status" "$out" >&2; return 1; }
    printf '%s' "$out"
}
seed_product() {
    local i=$1 slug name id k1 k2 level
    local -a orgs
    read -r -a orgs <<< "$BENCH_ORGS"
    k1=${orgs[$(((i - 1) % ${#orgs[@]}))]}
    k2=${orgs[$(((i + 7) % ${#orgs[@]}))]}
    level=$((i % 3 + 1))
    slug=$(printf 'bench-%03d' "$i")
    name=$(printf 'Produkt %03d' "$i")
    id=$(api POST /api/v1/products "{\"slug\":\"$slug\",\"name\":\"$name\",\"short_description\":\"Et fælles open source-produkt ($name).\",\"long_description\":\"## Om $name\\n\\n$name bruges af kommuner og regioner.\",\"website\":\"https://os2.eu/produkt/$slug\",\"license\":\"MPL-2.0\",\"published\":true,\"repositories\":[\"https://github.com/OS2/$slug\"]}" | jq -er .id) || return 255
    api POST "/api/v1/products/$slug/participants" "{\"organisation_id\":$k1,\"role\":\"initiativtager\",\"since\":\"2021-03-01\"}" > /dev/null || return 255
    api POST "/api/v1/products/$slug/participants" "{\"organisation_id\":$k2,\"role\":\"anvender\",\"since\":\"2022-01-01\"}" > /dev/null || return 255
    api POST /api/v1/decisions "{\"product_id\":$id,\"decided_on\":\"2025-11-20\",\"kind\":\"niveau\",\"model_id\":\"os2-1.1.0\",\"to\":\"$level\",\"basis\":\"Evaluering efterår 2025.\",\"decided_by\":\"bestyrelse\"}" > /dev/null || return 255
}
export -f api seed_product

step "seeding 20 organisations and $products products"
orgs=()
for ((i = 1; i <= 20; i++)); do
    orgs+=("$(api POST /api/v1/organisations "$(printf '{"name":"Kommune %02d","kind":"kommune","member_since":"2016-01-01"}' "$i")" | jq -er .id)")
done
export BENCH_ORGS="${orgs[*]}"
# shellcheck disable=SC2016 # $1 is expanded by the inner bash.
seq 1 "$products" | xargs -P "$seed_jobs" -n 1 bash -c 'seed_product "$1"' _
kill "$server_pid"
wait "$server_pid" 2> /dev/null || true
server_pid=""

for run in empty again; do
    step "niveau publish --out ($run)"
    start=$(date +%s.%N)
    (cd "$dir" && "$niveau" publish --database "$url" --out "$dir/site") > "$dir/publish-$run.out"
    end=$(date +%s.%N)
    cat "$dir/publish-$run.out"
    step "$run: $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }') s wall time"
done
step "$(find "$dir/site" -type f | wc -l) files, $(du -sh "$dir/site" | cut -f1); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
