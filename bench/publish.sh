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
# published evaluations of every EVAL_EVERY-th product (default 10; 0 for none); time the
# live server answering the product and portfolio pages (the baseline, same run); then time
# `niveau publish --out` twice: into an empty folder (every file written) and again into
# the same folder (every page rendered, nothing changed on disk), each also as a ratio to
# the baseline. Prints the wall time,
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

# Published evaluations (their pages and downloads, the PDF among them): every
# EVAL_EVERY-th product (default 10, i.e. 50 of 500, about OS2's share), all 43
# requirements rated, finalised and published through the API.
eval_every=${EVAL_EVERY:-10}
publish_evaluation() {
    local slug id version ratings
    slug=$(printf 'bench-%03d' "$1")
    out=$(api POST "/api/v1/products/$slug/evaluations" '{"model_id":"os2-1.1.0"}') || return 255
    id=$(jq -er .id <<< "$out")
    version=$(jq -er .version <<< "$out")
    ratings=$(jq -c '[.current.ratings[] | {requirement, rating: (if (.requirement | test("^G")) then "yellow" else "green" end), basis: "Set af sekretariatet: **dokumenteret** i repositoriet."}]' <<< "$out")
    api PUT "/api/v1/evaluations/$id" "{\"ratings\":$ratings,\"version\":$version,\"summary\":\"Produktet er **velfungerende**.\\n\\n- Styregruppe\\n- Roadmap\"}" > /dev/null || return 255
    api POST "/api/v1/evaluations/$id/status" "{\"status\":\"i dialog\",\"version\":$((version + 1))}" > /dev/null || return 255
    api POST "/api/v1/evaluations/$id/finalise" "{\"version\":$((version + 2)),\"level\":\"1\",\"basis\":\"Evaluering efterår 2025.\",\"decided_on\":\"2025-11-20\",\"justification\":\"Bench\"}" > /dev/null || return 255
    api POST "/api/v1/evaluations/$id/publish" "{\"version\":$((version + 3))}" > /dev/null || return 255
}
export -f publish_evaluation
if ((eval_every > 0)); then
    step "publishing an evaluation of every ${eval_every}th product"
    # shellcheck disable=SC2016 # $1 is expanded by the inner bash.
    seq "$eval_every" "$eval_every" "$products" | xargs -P "$seed_jobs" -n 1 bash -c 'publish_evaluation "$1"' _
fi

# The baseline, in the same run: the live server answering the same product pages
# (Danish and English) and the portfolio, 8 requests at a time, as a crawler mirroring
# the site would ask for them.
step "baseline: the live server answers the $((products * 2 + 2)) product and portfolio pages"
# One curl process (--parallel, its own config file of url/output pairs), so that
# starting processes does not count.
{
    printf 'url = "%s/"\noutput = "/dev/null"\n' "$BENCH_BASE"
    printf 'url = "%s/?lang=en"\noutput = "/dev/null"\n' "$BENCH_BASE"
    for ((i = 1; i <= products; i++)); do
        printf 'url = "%s/produkter/bench-%03d"\noutput = "/dev/null"\n' "$BENCH_BASE" "$i"
        printf 'url = "%s/produkter/bench-%03d?lang=en"\noutput = "/dev/null"\n' "$BENCH_BASE" "$i"
    done
} > "$dir/urls"
start=$(date +%s.%N)
curl -sS -f --no-progress-meter --parallel --parallel-max 8 -K "$dir/urls"
end=$(date +%s.%N)
baseline=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
step "baseline: ${baseline} s wall time"
kill "$server_pid"
wait "$server_pid" 2> /dev/null || true
server_pid=""

for run in empty again; do
    step "niveau publish --out ($run)"
    start=$(date +%s.%N)
    (cd "$dir" && "$niveau" publish --database "$url" --out "$dir/site") > "$dir/publish-$run.out"
    end=$(date +%s.%N)
    cat "$dir/publish-$run.out"
    took=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }')
    step "$run: $took s wall time, $(awk -v t="$took" -v b="$baseline" 'BEGIN { printf "%.2f", t / b }')× the baseline"
done
step "$(find "$dir/site" -type f | wc -l) files, $(du -sh "$dir/site" | cut -f1); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
