#!/usr/bin/env bash
# Rescan benchmark (issue #15, "Incremental"): wall time of `niveau check` on many small
# unchanged repositories, first cold (every repository scanned, its result stored in the
# check cache), then warm (every result reused: HEAD, branches and scanner unchanged).
# Target: warm < 5 s for 500 repositories.
#
# Usage:
#   bench/rescan.sh [NIVEAU]          NIVEAU: the binary (default target/release/niveau;
#                                     build it with `cargo build --release -p niveau-cli`)
#   N=500 JOBS=2 bench/rescan.sh      repositories (default 500); --jobs (default: cores)
#
# Steps:
#   1. Creates N repositories with the git CLI in a temporary directory (deleted on exit):
#      README, licence, operations doc, one commit each, no global git configuration.
#   2. Runs `niveau check --cache-dir TMP/cache --format json REPO… > file` twice.
#   3. Prints both wall times, how many warm results were reused, and a Markdown line
#      with date, `uname -m`, CPU model and commit for docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh

niveau=${1:-target/release/niveau}
n=${N:-500}
if [[ ! -x $niveau ]]; then
    echo "no niveau binary at $niveau (cargo build --release -p niveau-cli)" >&2
    exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.org

step "creating $n repositories in $work"
repos=()
for i in $(seq 1 "$n"); do
    r="$work/repos/r$i"
    mkdir -p "$r/docs"
    printf '# Produkt %s\n\nProdukt %s hjælper kommunerne.\n' "$i" "$i" > "$r/README.md"
    printf 'MIT License\n\nCopyright (c) %s\n' "$i" > "$r/LICENSE"
    printf '# Drift\n## Backup\n' > "$r/docs/operations.md"
    git -C "$r" init -q -b main
    git -C "$r" add -A
    git -C "$r" commit -q -m "Fix #$i: første version"
    repos+=("$r")
done

jobs=()
if [[ -n ${JOBS:-} ]]; then jobs=(--jobs "$JOBS"); fi

# run NAME: checks every repository, output to $work/NAME.json; prints milliseconds.
run() {
    local start end
    start=$(now_ms)
    "$niveau" check --cache-dir "$work/cache" --format json "${jobs[@]}" "${repos[@]}" > "$work/$1.json"
    end=$(now_ms)
    echo $((end - start))
}

step "cold run"
cold=$(run cold)
step "warm run"
warm=$(run warm)
cold_cached=$(grep -c '"cached": true' "$work/cold.json" || true)
warm_cached=$(grep -c '"cached": true' "$work/warm.json" || true)
seconds() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }
echo "repositories:           $n"
echo "cold (scan and store):  $(seconds "$cold") s  ($cold_cached reused)"
echo "warm (all unchanged):   $(seconds "$warm") s  ($warm_cached reused)"
echo
echo "| $(date -u +%F) | $(uname -m), $(cpu_model), $(nproc) cores | $(commit_label) | $n | $(seconds "$cold") s | $(seconds "$warm") s | $warm_cached/$n |"
if [[ $warm_cached -ne $n ]]; then
    echo "warning: not every warm result was reused" >&2
    exit 1
fi
