#!/usr/bin/env bash
# Benchmark of the logged-in work pages: the self-evaluation editor and the evaluation
# workbench, the two heaviest pages (every requirement of the model with answers,
# proposals, ratings, counts and charts), rendered by a release build of
# `niveau serve --demo` on SQLite.
#
#   bench/pages.sh
#
# Environment: DURATION=10s, THREADS=2, CONNECTIONS=8 (wrk settings).
#
# Steps: build the release binary; start `niveau serve --demo` on a fresh SQLite file in
# a temporary folder; log in as the demo secretariat with the password the server prints
# (through the login form, as a browser does); upload OS2BorgerPC's published
# self-evaluation to the demo's OS2borgerPC and create an evaluation of it (through the
# pages' forms); then run wrk with the session cookie against
#   - GET /produkter/os2borgerpc/selvevaluering (the editor, 43 requirements),
#   - GET /evalueringer/ID (the workbench, 43 requirements with proposals),
#   - POST /produkter/os2borgerpc/selvevaluering with handling=opdater (what the live
#     script sends when an answer changes: import path, level engine, full render),
# and print requests/s, p50 and p99 for each, and each page's size. Results go to
# docs/performance.md by hand, with the machine and date.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

duration=${DURATION:-10s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-8}

command -v wrk > /dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
step "cargo build --release -p niveau-cli"
cargo build --release -q -p niveau-cli
niveau=$PWD/target/release/niveau
dir=$(mktemp -d)
trap 'kill "$server_pid" 2> /dev/null || true; rm -rf "$dir"' EXIT

step "niveau serve --demo"
(cd "$dir" && exec "$niveau" serve --demo --database demo.db --listen 127.0.0.1:0 > serve.log 2>&1) &
server_pid=$!
for _ in $(seq 100); do
    grep -q "adgangskoden" "$dir/serve.log" 2> /dev/null && break
    sleep 0.1
done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$dir/serve.log" | head -n 1)
password=$(grep -o 'adgangskoden .*' "$dir/serve.log" | awk '{print $2}')
[[ -n $base && -n $password ]] || { cat "$dir/serve.log" >&2; exit 1; }

jar=$dir/jar
curl -sS -o /dev/null -c "$jar" -H "Origin: $base" \
    --data-urlencode username=demo-sekretariat --data-urlencode "password=$password" "$base/log-ind"
cookie=$(awk '$6 == "niveau_session" { print "niveau_session=" $7 }' "$jar")
[[ -n $cookie ]] || { echo "login failed" >&2; exit 1; }
csrf=$(curl -sS -b "$jar" "$base/profil" | grep -o 'name="csrf_token" value="[^"]*' | head -n 1 | sed 's/.*value="//')

step "upload a self-evaluation and create an evaluation"
curl -sS -o /dev/null -b "$jar" -F "csrf_token=$csrf" \
    -F "fil=@fixtures/os2/reports/selfeval-1.1.0-os2borgerpc-2026.md" \
    "$base/produkter/os2borgerpc/selvevaluering/upload"
workbench=$(curl -sS -o /dev/null -w '%{redirect_url}' -b "$jar" --data-urlencode "csrf_token=$csrf" \
    -d produkt=os2borgerpc "$base/evalueringer" | sed 's/?.*//')
[[ $workbench == */evalueringer/* ]] || { echo "no evaluation created" >&2; exit 1; }

field() { sed -n 's/^niveau-bench //p' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
measure() {
    local name=$1 url=$2 out=$dir/wrk-$1.txt
    shift 2
    wrk -t "$threads" -c "$connections" -d 2s -H "Cookie: $cookie" "$@" "$url" > /dev/null 2>&1 || true
    wrk -t "$threads" -c "$connections" -d "$duration" --latency -H "Cookie: $cookie" "$@" "$url" > "$out" 2>&1
    grep -q '^niveau-bench ' "$out" || { cat "$out" >&2; exit 1; }
    printf '%-10s %8.0f req/s  p50 %6s ms  p99 %6s ms  non-2xx %s\n' "$name" "$(field "$out" rps)" \
        "$(ms "$(field "$out" p50_us)")" "$(ms "$(field "$out" p99_us)")" "$(field "$out" non2xx)"
}

editor=$base/produkter/os2borgerpc/selvevaluering
printf 'pages: editor %s bytes, workbench %s bytes\n' \
    "$(curl -sS -b "$jar" -o /dev/null -w '%{size_download}' "$editor")" \
    "$(curl -sS -b "$jar" -o /dev/null -w '%{size_download}' "$workbench")"
printf 'machine: %s, commit %s, %s\n' "$(cpu_model)" "$(commit_label)" "$(date -u +%Y-%m-%d)"
measure editor "$editor" -s bench/api/report.lua
measure workbench "$workbench" -s bench/api/report.lua
NIVEAU_BENCH_BODY="csrf_token=$csrf&model=os2-1.1.0&handling=opdater&svar-R1=Nej" \
    measure recompute "$editor" -s bench/api/form.lua
