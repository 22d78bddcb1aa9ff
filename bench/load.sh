#!/usr/bin/env bash
# Load test: `niveau serve` under two bounded, concurrent loads on SQLite and PostgreSQL,
# on 127.0.0.1 only: reading large self-evaluation versions, and many uploads at once.
#
# Usage:
#   bench/load.sh [sqlite|postgres|both]        default: both
#
# Environment (all optional; every loop is bounded by these counts and by DEADLINE):
#   VERSIONS=300        self-evaluation versions seeded on one product (1–2000)
#   VERSION_KB=1024     size of each uploaded version in KiB (the OS2 report fixture, its
#                       first documentation cell grown; 1–4096, under the 5 MB body limit)
#   READS=300           requests in the read scenario, round-robin over vN.md, vN.json
#                       (N spread over all versions) and the /versioner page
#   READ_CONCURRENCY=16 concurrent readers
#   UPLOADS=200         uploads in the upload scenario, all to one product, no based_on
#   UPLOAD_CONCURRENCY=200
#   DEADLINE=600        seconds each scenario (and the seeding) may take at most
#   NIVEAU_BIN=path     a `niveau` binary to use instead of building one
#                       (default: cargo build --release -p niveau-cli)
#   NIVEAU_*__*         passed on to every `niveau` command, like any configuration
#
# Steps, for each backend:
#   1. A fresh database: a SQLite file in a temporary directory, or a new PostgreSQL
#      database niveau_load_<pid>_<random> created with psql through
#      NIVEAU_TEST_DATABASE_URL (default postgres://niveau:niveau@127.0.0.1:5432/postgres),
#      dropped (WITH (FORCE)) at the end, also after a failure or Ctrl-C.
#   2. `niveau migrate`, an admin account and a read/write token, `niveau serve --listen
#      127.0.0.1:0` (worker off, log level warn) in the temporary directory.
#   3. Two products over the API. Seeds VERSIONS versions of VERSION_KB KiB on the first
#      (one upload at a time).
#   4. Scenario (a), reads: READS requests, READ_CONCURRENCY at a time, of
#      /produkter/<slug>/selvevaluering/vN.md and vN.json and …/versioner.
#   5. Scenario (b), uploads: UPLOADS uploads of the plain fixture to the second product
#      without based_on, UPLOAD_CONCURRENCY at a time. Every one should be 201; afterwards
#      the product must hold exactly as many versions as there were 201s.
#   6. Peak memory: VmRSS of the server sampled every 20 ms during each scenario, and VmHWM
#      (the process's peak) after it. Stops the server with SIGTERM.
#   7. Prints a Markdown table (status counts, latency percentiles, peak memory) and saves
#      it to bench/results/load-<date>.md (git ignores bench/results/).
#
# The driver (bench/load/driver.py, standard library only) runs on the same cores as the
# server; it opens one connection per request. Latencies include Python's overhead.
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
        echo "usage: bench/load.sh [sqlite|postgres|both]" >&2
        exit 2
        ;;
esac
versions=${VERSIONS:-300}
version_kb=${VERSION_KB:-1024}
reads=${READS:-300}
read_concurrency=${READ_CONCURRENCY:-16}
uploads=${UPLOADS:-200}
upload_concurrency=${UPLOAD_CONCURRENCY:-200}
deadline=${DEADLINE:-600}
check_range() {
    local name=$1 value=$2 low=$3 high=$4
    if ! [[ $value =~ ^[0-9]+$ ]] || ((value < low || value > high)); then
        echo "bench/load.sh: $name must be a number from $low to $high (got '$value')" >&2
        exit 2
    fi
}
check_range VERSIONS "$versions" 1 2000
check_range VERSION_KB "$version_kb" 1 4096
check_range READS "$reads" 1 100000
check_range READ_CONCURRENCY "$read_concurrency" 1 500
check_range UPLOADS "$uploads" 1 10000
check_range UPLOAD_CONCURRENCY "$upload_concurrency" 1 500
check_range DEADLINE "$deadline" 10 7200
fixture=$root/fixtures/os2/reports/selfeval-1.1.0-os2borgerpc-2026.md
driver=$root/bench/load/driver.py

fail() {
    printf 'bench/load.sh: %s\n' "$*" >&2
    exit 1
}

command -v curl > /dev/null 2>&1 || fail "curl is missing"
command -v python3 > /dev/null 2>&1 || fail "python3 is missing"

if [[ -n ${NIVEAU_BIN:-} ]]; then
    niveau=$NIVEAU_BIN
else
    step "cargo build --release -p niveau-cli"
    cargo build --release -p niveau-cli
    niveau=${CARGO_TARGET_DIR:-$root/target}/release/niveau
fi
[[ -x $niveau ]] || fail "no niveau binary at $niveau"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/niveau-load.XXXXXX")
server_pid=""
server_status=0
pg_admin=""
pg_db=""

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# api METHOD PATH [JSON]: an authenticated request; prints the answer, fails on non-2xx.
api() {
    local method=$1 path=$2 body=${3:-} out status
    out=$(curl -sS --max-time 60 -X "$method" -H "Authorization: Bearer $token" \
        -H 'Content-Type: application/json' ${body:+--data-binary "$body"} \
        -w '\n%{http_code}' "$base$path") || return 1
    status=${out##*$'\n'}
    out=${out%$'\n'*}
    if [[ $status != 2* ]]; then
        printf '%s %s: HTTP %s: %s\n' "$method" "$path" "$status" "$out" >&2
        return 1
    fi
    printf '%s' "$out"
}

# json FILE KEY[.KEY…]: a value from the driver's JSON line (python3, as jq may be missing).
json() {
    python3 -c 'import functools, json, sys
v = functools.reduce(lambda v, k: v[k], sys.argv[2].split("."), json.load(open(sys.argv[1])))
print(" ".join(f"{k}={n}" for k, n in v.items()) if isinstance(v, dict) else v)' "$1" "$2"
}

run_backend() {
    local backend=$1 url dir line i db_version
    dir=$tmp/$backend
    mkdir -p "$dir"
    case $backend in
        sqlite)
            url=$dir/load.db
            db_version="SQLite (bundled with sqlx), WAL, synchronous=FULL"
            ;;
        postgres)
            command -v psql > /dev/null 2>&1 || fail "psql is missing (apt-get install postgresql-client)"
            pg_admin=${NIVEAU_TEST_DATABASE_URL:-postgres://niveau:niveau@127.0.0.1:5432/postgres}
            case $pg_admin in
                postgres://*@127.0.0.1[:/]* | postgres://*@localhost[:/]* | postgresql://*@127.0.0.1[:/]* | postgresql://*@localhost[:/]*) ;;
                *) fail "NIVEAU_TEST_DATABASE_URL must name a server on 127.0.0.1 or localhost" ;;
            esac
            pg_db=niveau_load_$$_$RANDOM$RANDOM
            psql_admin "CREATE DATABASE \"$pg_db\"" > /dev/null || fail "cannot create a database through $pg_admin"
            local pg_base=${pg_admin%%\?*}
            url=${pg_base%/*}/$pg_db${pg_admin#"$pg_base"}
            db_version="PostgreSQL $(psql_admin 'SHOW server_version' | awk '{ print $1 }') on the same machine"
            ;;
    esac
    step "$backend: migrate, admin account, token"
    token=$(prepare_database "$dir" "$niveau" "$url" load)

    step "$backend: niveau serve"
    start_server "$dir" "$niveau" "$url"
    base=$server_base

    api POST /api/v1/products '{"slug":"load-read","name":"Læsning","published":true}' > /dev/null
    api POST /api/v1/products '{"slug":"load-upload","name":"Upload","published":true}' > /dev/null

    step "$backend: seeding $versions versions of $version_kb KiB"
    local started seed_s
    started=$(now_ms)
    python3 "$driver" seed "$base" "$token" load-read "$versions" "$version_kb" "$fixture" \
        --deadline "$deadline" > "$dir/seed.json"
    seed_s=$(awk -v a="$started" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
    local rss_seeded
    rss_seeded=$(awk '$1 == "VmRSS:" { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status")
    step "$backend: seeded in $seed_s s; server VmRSS $rss_seeded MB"

    # Scenario (a): reads spread over the versions.
    local -a paths=()
    local n step_size=$(((versions + 9) / 10))
    for ((n = 1; n <= versions; n += step_size)); do
        paths+=("/produkter/load-read/selvevaluering/v$n.md" "/produkter/load-read/selvevaluering/v$n.json")
    done
    paths+=("/produkter/load-read/selvevaluering/versioner")
    step "$backend: scenario (a): $reads reads, $read_concurrency at a time"
    python3 "$driver" run "$base" "$token" "${paths[@]}" --name reads --requests "$reads" \
        --concurrency "$read_concurrency" --deadline "$deadline" --pid "$server_pid" > "$dir/reads.json"
    # The versions page alone (the heaviest), a few times, for its own latency.
    python3 "$driver" run "$base" "$token" /produkter/load-read/selvevaluering/versioner --name history \
        --requests "$((read_concurrency * 2))" --concurrency "$read_concurrency" --deadline "$deadline" \
        --pid "$server_pid" > "$dir/history.json"

    # Scenario (b): uploads without based_on to one product.
    step "$backend: scenario (b): $uploads uploads to one product, $upload_concurrency at a time"
    python3 "$driver" run "$base" "$token" /api/v1/products/load-upload/self-evaluations --name uploads \
        --method POST --body "$fixture" --type text/markdown --requests "$uploads" \
        --concurrency "$upload_concurrency" --deadline "$deadline" --pid "$server_pid" > "$dir/uploads.json"
    local stored created
    stored=$(api GET "/api/v1/products/load-upload/self-evaluations?limit=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])')
    created=$(json "$dir/uploads.json" counts.2xx)
    if [[ $stored != "$created" ]]; then
        echo "warning: $backend: $created uploads answered 2xx but $stored versions are stored" >&2
    fi

    local hwm_end
    hwm_end=$(awk '$1 == "VmHWM:" { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status")
    step "$backend: stopping the server (SIGTERM)"
    stop_server
    [[ $server_status == 0 ]] || echo "warning: niveau serve exited with status $server_status" >&2
    if [[ -s $dir/serve.err ]]; then
        echo "niveau serve wrote to standard error (log level warn), first lines:" >&2
        head -n 5 "$dir/serve.err" | cut -c1-300 >&2
    fi
    if [[ $backend == postgres ]]; then
        psql_admin "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" > /dev/null
        pg_db=""
    fi

    local name label f
    for name in reads history uploads; do
        f=$dir/$name.json
        case $name in
            reads) label="GET vN.md, vN.json (N over $versions versions) and /versioner" ;;
            history) label="GET …/selvevaluering/versioner alone" ;;
            uploads) label="POST …/self-evaluations, one product, no based_on ($stored stored)" ;;
        esac
        rows+="| $backend | $label | $(json "$f" requests)/$(json "$f" planned) | $(json "$f" concurrency) | $(json "$f" counts.2xx) | $(json "$f" counts.3xx) | $(json "$f" counts.4xx) | $(json "$f" counts.409) | $(json "$f" counts.5xx) | $(json "$f" errors) | $(json "$f" p50) | $(json "$f" p90) | $(json "$f" p99) | $(json "$f" max) | $(json "$f" rss_peak_sampled_mb) | $(json "$f" vmhwm_mb) |"$'\n'
    done
    notes+="- $backend, answers by status: reads $(json "$dir/reads.json" statuses), versions page $(json "$dir/history.json" statuses), uploads $(json "$dir/uploads.json" statuses)"$'\n'
    notes+="- $backend: $db_version; $versions versions of $(json "$dir/seed.json" bytes_each) B seeded in $seed_s s (server VmRSS $rss_seeded MB after); VmHWM at the end $hwm_end MB; server exit status $server_status; stderr lines: $(wc -l < "$dir/serve.err")"$'\n'
}

rows=""
notes=""
token=""
base=""
for backend in $backends; do
    run_backend "$backend"
done

cpu=$(cpu_model)
commit=$(commit_label)
mkdir -p bench/results
result=bench/results/load-$(date -u +%Y%m%dT%H%M%SZ).md
{
    echo "### $(date -u +%Y-%m-%d) — load test (\`bench/load.sh\`)"
    echo
    echo "- machine: $(uname -m), ${cpu:-unknown CPU} ($(nproc 2> /dev/null || echo "?") CPUs), $(awk '/^MemTotal:/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo)"
    echo "- commit: $commit; binary: $niveau"
    echo "- VERSIONS=$versions VERSION_KB=$version_kb READS=$reads READ_CONCURRENCY=$read_concurrency UPLOADS=$uploads UPLOAD_CONCURRENCY=$upload_concurrency DEADLINE=$deadline"
    echo
    echo "| backend | scenario | requests done/planned | concurrency | 2xx | 3xx | 4xx (not 409) | 409 | 5xx | socket errors | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | peak VmRSS sampled (MB) | VmHWM after (MB) |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s' "$rows"
    echo
    printf '%s' "$notes"
} | tee "$result"
echo >&2
step "saved to $result"
