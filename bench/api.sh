#!/usr/bin/env bash
# API benchmark: requests per second and p50/p99 latency of `niveau serve` for the product
# list, a product page, the HTML portfolio and product pages, and self-evaluation saves,
# on SQLite and PostgreSQL, with 200 products; and the server's memory.
#
# Usage:
#   bench/api.sh [sqlite|postgres|both]        default: both
#
# Environment (all optional):
#   DURATION=20s      length of each measured wrk run
#   WARMUP=3s         wrk run before each measured GET run (not recorded)
#   THREADS=2         wrk threads (-t)
#   CONNECTIONS=32    wrk connections (-c), spread over the threads
#   PRODUCTS=200      products seeded (slugs bench-001 … bench-200)
#   SAVE_FORMAT=markdown   or `form`: the body of the saves (see step 6)
#   SEED_JOBS=4       parallel curl jobs while seeding
#   NIVEAU_*__*       passed on to every `niveau` command like any configuration, e.g.
#                     NIVEAU_DATABASE__MAX_CONNECTIONS=4 to try another pool size; the
#                     ones set are listed in the report.
#
# Steps, for each backend:
#   1. Installs wrk if it is missing (`apt-get install -y wrk`, through `sudo -n` when not
#      root; `apt-get update` first only if the package lists do not offer it); jq too.
#      Builds `niveau` with `cargo build --release -p niveau-cli`.
#   2. A fresh database: a SQLite file in a temporary directory, or on PostgreSQL a new
#      database `niveau_bench_<pid>_<random>` created with psql through
#      NIVEAU_TEST_DATABASE_URL (if that is set and answers; otherwise
#      `source scripts/ci-postgres.sh` sets up the local server and exports it). The
#      database is dropped (WITH (FORCE)) at the end, also after a failure or Ctrl-C.
#   3. `niveau migrate`, `niveau user add bench --admin --password-stdin`,
#      `niveau user token bench --scope read --scope write`.
#   4. Starts `niveau serve --listen 127.0.0.1:0` in the temporary directory (so no
#      ./niveau.toml is read) with NIVEAU_WEB__WORKER__ENABLED=false and
#      NIVEAU_LOG__LEVEL=warn, reads the address it prints, and waits for /readyz.
#   5. Seeds through the API with curl: 50 municipalities, 5 regions and 10 suppliers, then
#      PRODUCTS published products (SEED_JOBS at a time), each with a description,
#      website, licence and repository, three participants (two municipalities and a
#      supplier), a steering group with three members, a joining agreement with two
#      parties, and two decisions (stage `produkt`, official level in os2-1.1.0): 10
#      requests a product. Checks that the public list counts PRODUCTS products.
#   6. Runs wrk (-t THREADS -c CONNECTIONS -d DURATION --latency) against:
#        - GET /healthz: the framework's ceiling (no database), for comparison;
#        - GET /api/v1/products: the public list, first page (50 of PRODUCTS);
#        - GET /api/v1/products/bench-100: one product page (public, no token);
#        - GET / and GET /produkter/bench-100: the HTML portfolio (every product) and
#          product page, as a visitor's browser asks for them;
#        - POST /api/v1/products/<slug>/self-evaluations with a bearer token and the OS2
#          report fixtures/os2/reports/selfeval-1.1.0-os2borgerpc-2026.md (text/markdown),
#          or with SAVE_FORMAT=form OS2's form JSON fixtures/os2/forms/
#          selfeval-form-os2-test.json (application/json). The saves go round the
#          products (bench/api/save.lua explains how), so concurrent saves never race for
#          one product's next number. A short run first counts the responses by status
#          (they must all be 201); the measured run reports wrk's "Non-2xx or 3xx
#          responses", and afterwards the number of self-evaluations stored (summed over
#          the products' lists) must equal the number of 201s.
#      Each GET run is preceded by a WARMUP run. The numbers come from bench/api/report.lua
#      (wrk's own counters and latency histogram, unrounded).
#   7. Reads VmRSS after seeding, and VmHWM (peak) and VmRSS after all runs, from
#      /proc/<pid>/status of the server. Stops it with SIGTERM and checks that it exits 0.
#   8. Prints a Markdown table with the machine (`nproc`, CPU model, `uname -m`), the date
#      and the commit, and saves it to bench/results/api-<date>.md (git ignores
#      bench/results/), for docs/performance.md.
#
# wrk runs on the same machine and cores as the server (and PostgreSQL), so the numbers
# are those of the whole machine under a closed-loop load: every connection sends its
# next request when the previous answer arrives. -t2 -c32 keeps both cores busy without
# queueing so many requests that p99 only measures the queue. wrk does not correct for
# coordinated omission; p99 is the latency at saturation, not at a fixed arrival rate.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
root=$(pwd)

backends=${1:-both}
case $backends in
    sqlite | postgres) ;;
    both) backends="sqlite postgres" ;;
    *)
        echo "usage: bench/api.sh [sqlite|postgres|both]" >&2
        exit 2
        ;;
esac
duration=${DURATION:-20s}
warmup=${WARMUP:-3s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
products=${PRODUCTS:-200}
seed_jobs=${SEED_JOBS:-4}
save_format=${SAVE_FORMAT:-markdown}
for n in "$threads" "$connections" "$products" "$seed_jobs"; do
    if ! [[ $n =~ ^[0-9]+$ ]] || ((n == 0)); then
        echo "THREADS, CONNECTIONS, PRODUCTS and SEED_JOBS must be positive numbers" >&2
        exit 2
    fi
done
for d in "$duration" "$warmup"; do
    if ! [[ $d =~ ^[0-9]+[smh]?$ ]]; then
        echo "DURATION and WARMUP are wrk durations such as 20s or 1m (got '$d')" >&2
        exit 2
    fi
done
if ((connections < threads)); then
    echo "CONNECTIONS must be at least THREADS" >&2
    exit 2
fi
if ((products > 999)); then
    echo "PRODUCTS must be at most 999 (slugs bench-001 … bench-999)" >&2
    exit 2
fi
if ((products < threads)); then
    echo "PRODUCTS must be at least THREADS" >&2
    exit 2
fi
case $save_format in
    markdown)
        save_body=$root/fixtures/os2/reports/selfeval-1.1.0-os2borgerpc-2026.md
        save_type=text/markdown
        ;;
    form)
        save_body=$root/fixtures/os2/forms/selfeval-form-os2-test.json
        save_type=application/json
        ;;
    *)
        echo "SAVE_FORMAT is markdown or form (got '$save_format')" >&2
        exit 2
        ;;
esac
page_slug=$(printf 'bench-%03d' $(((products + 1) / 2)))

fail() {
    printf 'bench/api.sh: %s\n' "$*" >&2
    exit 1
}
seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# ----- tools -----------------------------------------------------------------------------

as_root() {
    if [[ $(id -u) == 0 ]]; then
        "$@"
    elif command -v sudo > /dev/null 2>&1 && sudo -n true 2> /dev/null; then
        sudo -n "$@"
    else
        fail "need root or password-less sudo to run: $*"
    fi
}

# install PACKAGE: apt-get install, with apt-get update first only when needed.
install() {
    step "installing $1 (apt-get install -y $1)"
    command -v apt-get > /dev/null 2>&1 || fail "$1 is missing and there is no apt-get; install $1 yourself"
    if ! apt-cache show "$1" > /dev/null 2>&1 || ! as_root apt-get install -y -q "$1" >&2; then
        as_root apt-get update -q >&2
        as_root apt-get install -y -q "$1" >&2
    fi
}

command -v wrk > /dev/null 2>&1 || install wrk
command -v jq > /dev/null 2>&1 || install jq
command -v curl > /dev/null 2>&1 || install curl

step "cargo build --release -p niveau-cli"
cargo build --release -p niveau-cli
niveau=$root/target/release/niveau

tmp=$(mktemp -d "${TMPDIR:-/tmp}/niveau-api-bench.XXXXXX")
server_pid=""
server_status=0
pg_admin=""
pg_db=""

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ----- PostgreSQL ------------------------------------------------------------------------

postgres_admin_url() {
    if [[ -n ${NIVEAU_TEST_DATABASE_URL:-} ]] &&
        PGCONNECT_TIMEOUT=5 psql -X -q -At -d "$NIVEAU_TEST_DATABASE_URL" -c 'SELECT 1' > /dev/null 2>&1; then
        printf '%s' "$NIVEAU_TEST_DATABASE_URL"
        return
    fi
    step "source scripts/ci-postgres.sh"
    # The script never changes the options of the shell that sources it, but it is written
    # for shells without `set -eu`, so it runs in a subshell without them.
    (
        set +euo pipefail
        # shellcheck source=/dev/null
        source scripts/ci-postgres.sh >&2 || exit 1
        printf '%s' "$NIVEAU_TEST_DATABASE_URL"
    )
}

# ----- seeding ---------------------------------------------------------------------------

# api METHOD PATH [JSON]: an authenticated request; prints the answer, fails on non-2xx.
api() {
    local method=$1 path=$2 body=${3:-} out status
    out=$(curl -sS -X "$method" -H "Authorization: Bearer $BENCH_TOKEN" \
        -H 'Content-Type: application/json' ${body:+--data-binary "$body"} \
        -w '\n%{http_code}' "$BENCH_BASE$path") || return 1
    status=${out##*$'\n'}
    out=${out%$'\n'*}
    if [[ $status != 2* ]]; then
        printf '%s %s: HTTP %s: %s\n' "$method" "$path" "$status" "$out" >&2
        return 1
    fi
    printf '%s' "$out"
}

# seed_product I: product bench-I with its participants, group, agreement and decisions.
# Organisation ids come from BENCH_KOMMUNER and BENCH_LEVERANDOERER (space-separated).
seed_product() {
    local i=$1 slug name id group k1 k2 lev level
    local -a kommuner leverandoerer
    read -r -a kommuner <<< "$BENCH_KOMMUNER"
    read -r -a leverandoerer <<< "$BENCH_LEVERANDOERER"
    k1=${kommuner[$(((i - 1) % ${#kommuner[@]}))]}
    k2=${kommuner[$(((i + 16) % ${#kommuner[@]}))]}
    lev=${leverandoerer[$(((i - 1) % ${#leverandoerer[@]}))]}
    level=$((i % 3 + 1))
    slug=$(printf 'bench-%03d' "$i")
    name=$(printf 'Produkt %03d' "$i")
    id=$(api POST /api/v1/products "{\"slug\":\"$slug\",\"name\":\"$name\",\"short_description\":\"Et fælles open source-produkt i OS2-fællesskabet ($name).\",\"long_description\":\"## Om $name\\n\\n$name bruges af kommuner og regioner. Produktet udvikles af en leverandør og styres af en styregruppe med repræsentanter for de deltagende kommuner.\",\"website\":\"https://os2.eu/produkt/$slug\",\"license\":\"MPL-2.0\",\"published\":true,\"repositories\":[\"https://github.com/OS2/$slug\"]}" | jq -er .id) || return 255
    api POST "/api/v1/products/$slug/participants" "{\"organisation_id\":$k1,\"role\":\"initiativtager\",\"since\":\"2021-03-01\"}" > /dev/null || return 255
    api POST "/api/v1/products/$slug/participants" "{\"organisation_id\":$k2,\"role\":\"anvender\",\"since\":\"2022-01-01\"}" > /dev/null || return 255
    api POST "/api/v1/products/$slug/participants" "{\"organisation_id\":$lev,\"role\":\"udviklingsleverandør\"}" > /dev/null || return 255
    group=$(api POST /api/v1/groups "{\"product_id\":$id,\"kind\":\"styregruppe\",\"name\":\"Styregruppen for $name\"}" | jq -er .id) || return 255
    api POST "/api/v1/groups/$group/members" "{\"organisation_id\":$k1,\"role\":\"formand\"}" > /dev/null || return 255
    api POST "/api/v1/groups/$group/members" "{\"organisation_id\":$k2,\"role\":\"medlem\"}" > /dev/null || return 255
    api POST "/api/v1/groups/$group/members" "{\"organisation_id\":$lev,\"role\":\"sekretær\"}" > /dev/null || return 255
    api POST /api/v1/agreements "{\"product_id\":$id,\"kind\":\"tilslutningsaftale\",\"title\":\"Tilslutningsaftale om $name\",\"starts_on\":\"2021-03-01\",\"economy\":\"Fordelt efter indbyggertal\",\"document_url\":\"https://os2.eu/aftaler/$slug.pdf\",\"parties\":[{\"organisation_id\":$k1},{\"organisation_id\":$k2}]}" > /dev/null || return 255
    api POST /api/v1/decisions "{\"product_id\":$id,\"decided_on\":\"2024-06-01\",\"kind\":\"stadie\",\"to\":\"produkt\",\"basis\":\"Bestyrelsen godkendte overgangen til produkt.\",\"decided_by\":\"bestyrelse\",\"reference\":\"Referat af bestyrelsesmødet 2024-06-01, punkt 4\"}" > /dev/null || return 255
    api POST /api/v1/decisions "{\"product_id\":$id,\"decided_on\":\"2025-11-20\",\"kind\":\"niveau\",\"model_id\":\"os2-1.1.0\",\"to\":\"$level\",\"basis\":\"Evaluering efterår 2025.\",\"decided_by\":\"bestyrelse\"}" > /dev/null || return 255
}
export -f api seed_product

seed() {
    local i id kommuner=() leverandoerer=()
    for ((i = 1; i <= 50; i++)); do
        id=$(api POST /api/v1/organisations "$(printf '{"name":"Kommune %02d","kind":"kommune","member_since":"2016-01-01"}' "$i")" | jq -er .id)
        kommuner+=("$id")
    done
    for ((i = 1; i <= 5; i++)); do
        api POST /api/v1/organisations "$(printf '{"name":"Region %d","kind":"region","member_since":"2018-01-01"}' "$i")" > /dev/null
    done
    for ((i = 1; i <= 10; i++)); do
        id=$(api POST /api/v1/organisations "$(printf '{"name":"Leverandør %02d ApS","kind":"leverandør","supplier_partner_since":"2020-05-01"}' "$i")" | jq -er .id)
        leverandoerer+=("$id")
    done
    export BENCH_KOMMUNER="${kommuner[*]}" BENCH_LEVERANDOERER="${leverandoerer[*]}"
    # shellcheck disable=SC2016 # $1 is expanded by the inner bash.
    seq 1 "$products" | xargs -P "$seed_jobs" -n 1 bash -c 'seed_product "$1"' _
}

# ----- wrk -------------------------------------------------------------------------------

# field FILE KEY: a value from the "niveau-bench" line of a wrk output.
field() { sed -n 's/^niveau-bench //p' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

# measure NAME URL [wrk options…] [-- script arguments…]: one wrk run; the output goes to
# $dir/wrk-NAME.txt.
measure() {
    local name=$1 url=$2 out options=()
    shift 2
    while (($# > 0)) && [[ $1 != -- ]]; do
        options+=("$1")
        shift
    done
    out=$dir/wrk-$name.txt
    wrk -t "$threads" -c "$connections" -d "$duration" --latency "${options[@]}" "$url" "$@" > "$out" 2>&1 ||
        { cat "$out" >&2; fail "wrk failed for $name"; }
    grep -q '^niveau-bench ' "$out" || { cat "$out" >&2; fail "wrk printed no summary for $name"; }
    printf -v "rss_after_$name" '%s' "$(rss VmRSS)"
    step "$name: $(field "$out" rps) requests/s, p50 $(ms "$(field "$out" p50_us)") ms, p99 $(ms "$(field "$out" p99_us)") ms, non-2xx $(field "$out" non2xx)"
    sleep 1
}

warm() {
    wrk -t "$threads" -c "$connections" -d "$warmup" -s bench/api/report.lua "$1" > /dev/null 2>&1 || true
    sleep 1
}

# rss KEY: VmRSS or VmHWM of the server, in MB.
rss() { awk -v k="$1:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status"; }

# stored_self_evaluations: the number stored, summed over the products' lists.
stored_self_evaluations() {
    local i sum=0 n
    for ((i = 1; i <= products; i++)); do
        n=$(api GET "/api/v1/products/$(printf 'bench-%03d' "$i")/self-evaluations?limit=1" | jq -er .total)
        sum=$((sum + n))
    done
    echo "$sum"
}

# ----- one backend -----------------------------------------------------------------------

run_backend() {
    local backend=$1 url started line i
    dir=$tmp/$backend
    mkdir -p "$dir"
    case $backend in
        sqlite)
            url=$dir/bench.db
            db_version="SQLite (bundled with sqlx), file on $(df --output=source "$dir" | tail -n 1), WAL, synchronous=FULL"
            ;;
        postgres)
            command -v psql > /dev/null 2>&1 || install postgresql-client
            pg_admin=$(postgres_admin_url) || fail "no PostgreSQL server (scripts/ci-postgres.sh failed)"
            pg_db=niveau_bench_$$_$RANDOM$RANDOM
            psql_admin "CREATE DATABASE \"$pg_db\"" > /dev/null
            local base=${pg_admin%%\?*}
            url=${base%/*}/$pg_db${pg_admin#"$base"}
            db_version="PostgreSQL $(psql_admin 'SHOW server_version' | awk '{ print $1 }') on the same machine"
            ;;
    esac
    step "$backend: migrate, admin account, token"
    BENCH_TOKEN=$(prepare_database "$dir" "$niveau" "$url" bench)
    NIVEAU_BENCH_TOKEN=$BENCH_TOKEN
    export BENCH_TOKEN NIVEAU_BENCH_TOKEN

    step "$backend: niveau serve"
    start_server "$dir" "$niveau" "$url"
    BENCH_BASE=$server_base
    export BENCH_BASE

    step "$backend: seeding $products products at $BENCH_BASE"
    started=$(now_ms)
    seed || fail "seeding failed"
    seed_s=$(seconds_since "$started")
    local total
    total=$(curl -sS "$BENCH_BASE/api/v1/products?limit=1" | jq -er .total)
    [[ $total == "$products" ]] || fail "the public list counts $total products, not $products"
    step "$backend: seeded in $seed_s s"
    rss_seeded=$(rss VmRSS)
    size_list=$(curl -sS -o /dev/null -w '%{size_download}' "$BENCH_BASE/api/v1/products")
    size_page=$(curl -sS -o /dev/null -w '%{size_download}' "$BENCH_BASE/api/v1/products/$page_slug")
    size_html_list=$(curl -sS -o /dev/null -w '%{size_download}' "$BENCH_BASE/")
    size_html_page=$(curl -sS -o /dev/null -w '%{size_download}' "$BENCH_BASE/produkter/$page_slug")

    warm "$BENCH_BASE/healthz"
    measure healthz "$BENCH_BASE/healthz" -s bench/api/report.lua
    warm "$BENCH_BASE/api/v1/products"
    measure list "$BENCH_BASE/api/v1/products" -s bench/api/report.lua
    warm "$BENCH_BASE/api/v1/products/$page_slug"
    measure page "$BENCH_BASE/api/v1/products/$page_slug" -s bench/api/report.lua
    # The HTML pages a visitor opens first: the portfolio (all products) and a product.
    warm "$BENCH_BASE/"
    measure htmllist "$BENCH_BASE/" -s bench/api/report.lua
    warm "$BENCH_BASE/produkter/$page_slug"
    measure htmlpage "$BENCH_BASE/produkter/$page_slug" -s bench/api/report.lua

    # Saves: a short counted run (warm-up and check), then the measured run.
    local before after check
    before=$(stored_self_evaluations)
    check=$dir/wrk-save-check.txt
    NIVEAU_BENCH_COUNT=1 wrk -t "$threads" -c "$connections" -d "$warmup" -s bench/api/save.lua "$BENCH_BASE" \
        -- "$save_body" "$save_type" "$products" "$threads" > "$check" 2>&1 ||
        { cat "$check" >&2; fail "wrk failed for the save check"; }
    save_check=$(sed -n 's/^niveau-bench-status //p' "$check")
    step "$backend: save check run, responses by status: ${save_check:-none}"
    if ! [[ $save_check =~ ^201=[0-9]+$ ]]; then
        cat "$check" >&2
        fail "the save check run got other answers than 201: $save_check"
    fi
    sleep 1
    size_save=$(curl -sS -o /dev/null -w '%{size_download}' -X POST \
        -H "Authorization: Bearer $BENCH_TOKEN" -H "Content-Type: $save_type" \
        --data-binary "@$save_body" "$BENCH_BASE/api/v1/products/$page_slug/self-evaluations")
    local middle
    middle=$(stored_self_evaluations)
    measure save "$BENCH_BASE" -s bench/api/save.lua \
        -- "$save_body" "$save_type" "$products" "$threads"
    after=$(stored_self_evaluations)
    local requests non2xx
    requests=$(field "$dir/wrk-save.txt" requests)
    non2xx=$(field "$dir/wrk-save.txt" non2xx)
    save_stored=$((after - middle))
    save_expected=$((requests - non2xx))
    save_total=$after
    # wrk counts only the answers it received before the time was up; a request in
    # flight at the end may still be stored, so up to CONNECTIONS more is fine.
    if ((save_stored < save_expected || save_stored > save_expected + connections)); then
        fail "$backend: wrk counted $save_expected successful saves, but $save_stored self-evaluations were stored"
    fi
    step "$backend: saves stored: $save_stored (wrk: $requests requests, $non2xx non-2xx); $before before the check run"

    hwm_end=$(rss VmHWM)
    rss_end=$(rss VmRSS)
    if [[ $backend == sqlite ]]; then
        db_size=$(du -sk "$dir" | awk '{ printf "%.0f MB", $1 / 1024 }')
    else
        db_size=$(psql_admin "SELECT pg_size_pretty(pg_database_size('$pg_db'))")
    fi
    step "$backend: stopping the server (SIGTERM)"
    stop_server
    [[ $server_status == 0 ]] || echo "warning: niveau serve exited with status $server_status" >&2
    if [[ -s $dir/serve.err ]]; then
        echo "niveau serve wrote to standard error (log level warn):" >&2
        head -n 20 "$dir/serve.err" >&2
    fi
    serve_err_lines=$(wc -l < "$dir/serve.err")
    if [[ $backend == postgres ]]; then
        psql_admin "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" > /dev/null
        pg_db=""
    fi

    # The report's rows for this backend.
    local name label target
    for name in healthz list page htmllist htmlpage save; do
        case $name in
            healthz) label="GET /healthz (no database; the ceiling)" ;;
            list) label="GET /api/v1/products (first page: $((products < 50 ? products : 50)) of $products, ${size_list} B)" ;;
            page) label="GET /api/v1/products/$page_slug (${size_page} B)" ;;
            htmllist) label="GET / (the portfolio page, all $products products, ${size_html_list} B)" ;;
            htmlpage) label="GET /produkter/$page_slug (product page, ${size_html_page} B)" ;;
            save) label="POST …/self-evaluations ($save_format, $(wc -c < "$save_body") B in, ${size_save} B out)" ;;
        esac
        target=""
        if [[ $name == list ]]; then
            target=$(awk -v r="$(field "$dir/wrk-list.txt" rps)" -v p="$(field "$dir/wrk-list.txt" p99_us)" \
                'BEGIN { print (r >= 3000 && p < 20000) ? "met (≥ 3 000/s, p99 < 20 ms)" : "**not met** (≥ 3 000/s, p99 < 20 ms)" }')
        fi
        local f=$dir/wrk-$name.txt errors
        errors=$(($(field "$f" connect) + $(field "$f" read) + $(field "$f" write) + $(field "$f" timeout)))
        rows+="| $backend | $label | $(printf '%.0f' "$(field "$f" rps)") | $(ms "$(field "$f" p50_us)") | $(ms "$(field "$f" p99_us)") | $(field "$f" non2xx) | $errors | $target |"$'\n'
    done
    # shellcheck disable=SC2154 # rss_after_* are set by measure.
    memory_rows+="| $backend | $rss_seeded | $rss_after_list | $rss_after_page | $rss_end | $hwm_end | $(awk -v m="$hwm_end" 'BEGIN { print (m < 100) ? "met (< 100 MB)" : "**not met** (< 100 MB)" }') |"$'\n'
    notes+="- $backend: $db_version; seeded in $seed_s s ($((products * 10 + 65)) requests); $save_stored saves stored in the measured run, $save_total self-evaluations in all; database ${db_size} at the end; save check run: $save_check; server stderr: $serve_err_lines lines; exit status $server_status"$'\n'
}

rows=""
memory_rows=""
notes=""
for backend in $backends; do
    run_backend "$backend"
done

# ----- the report ------------------------------------------------------------------------

cpu=$(cpu_model)
commit=$(commit_label)
config_env=$(env | sed -n 's/^\(NIVEAU_[A-Z0-9_]*__[A-Z0-9_]*\)=.*/\1/p' | sort | tr '\n' ' ')

mkdir -p bench/results
result=bench/results/api-$(date -u +%Y%m%dT%H%M%SZ).md
{
    echo "### $(date -u +%Y-%m-%d) — API benchmark (\`bench/api.sh\`)"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- machine: $(uname -m), ${cpu:-unknown CPU} ($(nproc 2> /dev/null || echo "?") CPUs), $(awk '/^MemTotal:/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
    echo "- commit: $commit"
    echo "- load: wrk $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }') -t$threads -c$connections -d$duration, on the same cores as the server (and PostgreSQL); GET runs after a $warmup warm-up"
    echo "- server: \`niveau serve\`, worker off, log level warn${config_env:+, also }${config_env% }; $products published products with 3 participants, a steering group of 3, an agreement with 2 parties and 2 decisions each"
    echo
    echo "| backend | request | requests/s | p50 (ms) | p99 (ms) | non-2xx | socket errors | target |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '%s' "$rows"
    echo
    echo "| backend | server VmRSS (MB) after seeding | after the list run | after the page run | after the saves | VmHWM, peak (MB) | target (peak) |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s' "$memory_rows"
    echo
    printf '%s' "$notes"
} | tee "$result"
echo >&2
step "saved to $result"
