#!/usr/bin/env bash
# Scan benchmark: wall time and peak memory of `niveau check` on a large synthetic git
# repository, next to a git baseline that reads the same history.
#
# Usage:
#   bench/scan.sh [COMMITS [FILES]]      defaults: 20000 commits, 2000 files
#   RUNS=5 bench/scan.sh                 runs per command (default 3; the median is shown)
#
# Steps:
#   1. Builds the repository in a temporary directory (deleted on exit) with
#      `cargo run --release -p niveau-testkit --example make_repo -- DIR COMMITS FILES`,
#      i.e. niveau_testkit::repo::synthetic_history with seed 1: the same repository on
#      every machine.
#   2. Builds `niveau` with `cargo build --release -p niveau-cli`. If the build fails or
#      `niveau check --help` fails (the command does not exist yet), says so and measures
#      only the baseline.
#   3. Runs each command RUNS times under /usr/bin/time -v (peak RSS) and bash's `time`
#      (wall time), and prints the medians:
#        niveau:   target/release/niveau check DIR --format json > /dev/null
#        baseline: git -C DIR log --all --format='%H %an %at %s' > /dev/null &&
#                  git -C DIR ls-tree -r HEAD > /dev/null      (one `bash -c`)
#      The baseline runs git without system or global configuration. Its peak RSS is
#      that of the largest of the processes. Without /usr/bin/time (GNU time) the peak
#      memory is reported as unavailable.
#   4. Prints a Markdown table with the date, `uname -m`, the CPU model and the commit,
#      and saves it to bench/results/scan-<date>.md (git ignores bench/results/), for
#      docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh

commits=${1:-20000}
files=${2:-2000}
runs=${RUNS:-3}
for n in "$commits" "$files" "$runs"; do
    if ! [[ $n =~ ^[0-9]+$ ]] || ((n == 0)); then
        echo "usage: bench/scan.sh [COMMITS [FILES]] (positive numbers; RUNS=N in the environment)" >&2
        exit 2
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/niveau-scan-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
repo=$tmp/repo

seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.2f", (b - a) / 1000 }'; }

# ----- the repository ------------------------------------------------------------------

step "cargo build --release -p niveau-testkit --example make_repo"
cargo build --release -p niveau-testkit --example make_repo
step "building a repository of $commits commits and $files files in $repo"
started=$(now_ms)
cargo run --quiet --release -p niveau-testkit --example make_repo -- "$repo" "$commits" "$files" >&2
build_s=$(seconds_since "$started")
git_size=$(du -sk "$repo/.git" | awk '{ printf "%.0f", $1 / 1024 }')

# ----- niveau ---------------------------------------------------------------------------

niveau=target/release/niveau
niveau_missing=""
step "cargo build --release -p niveau-cli"
if ! cargo build --release -p niveau-cli; then
    niveau_missing="\`cargo build --release -p niveau-cli\` failed, so \`niveau check\` was not measured."
elif ! "$niveau" check --help > /dev/null 2>&1; then
    niveau_missing="\`niveau check\` is not available in this build (\`niveau check --help\` failed), so only the git baseline was measured."
fi
if [[ -n $niveau_missing ]]; then
    printf '\nNOTE: %s\n\n' "$niveau_missing" >&2
fi

# ----- measuring -----------------------------------------------------------------------

gnu_time=""
if command -v /usr/bin/time > /dev/null 2>&1 && /usr/bin/time -v true > /dev/null 2>&1; then
    gnu_time=/usr/bin/time
else
    echo "NOTE: /usr/bin/time (GNU time) is missing: wall time only, peak memory is unavailable." >&2
fi

median() { sort -g | sed -n "$(((runs + 1) / 2))p"; }

# measure NAME COMMAND...: runs the command $runs times with stdout discarded, and sets
# wall_<NAME> (seconds), rss_<NAME> (MB or "n/a") and status_<NAME> (last non-zero exit
# status, or 0).
measure() {
    local name=$1 i s status=0 rss walls=() rsss=() TIMEFORMAT=%3R
    shift
    for ((i = 1; i <= runs; i++)); do
        s=0
        rss=n/a
        if [[ -n $gnu_time ]]; then
            { time "$gnu_time" -v -o "$tmp/gnu-time" "$@" > /dev/null 2> "$tmp/stderr-$name"; } 2> "$tmp/wall" || s=$?
            rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$tmp/gnu-time")
        else
            { time "$@" > /dev/null 2> "$tmp/stderr-$name"; } 2> "$tmp/wall" || s=$?
        fi
        walls+=("$(tail -n 1 "$tmp/wall")")
        rsss+=("$rss")
        if ((s != 0)); then
            status=$s
        fi
        if [[ $rss == n/a ]]; then
            step "$name run $i/$runs: ${walls[-1]} s, exit status $s"
        else
            step "$name run $i/$runs: ${walls[-1]} s, peak RSS $rss MB, exit status $s"
        fi
    done
    printf -v "wall_$name" '%s' "$(printf '%s\n' "${walls[@]}" | median)"
    printf -v "rss_$name" '%s' "$(printf '%s\n' "${rsss[@]}" | median)"
    printf -v "status_$name" '%s' "$status"
}

if [[ -z $niveau_missing ]]; then
    step "measuring: niveau check $repo --format json"
    measure niveau "$niveau" check "$repo" --format json
fi
step "measuring: git log --all + git ls-tree -r HEAD"
# shellcheck disable=SC2016 # $1 is expanded by the inner bash.
measure git env GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null bash -c \
    'git -C "$1" log --all --format="%H %an %at %s" > /dev/null && git -C "$1" ls-tree -r HEAD > /dev/null' \
    _ "$repo"
if [[ $status_git != 0 ]]; then
    echo "the git baseline failed (exit status $status_git):" >&2
    cat "$tmp/stderr-git" >&2
    exit 1
fi

# ----- the report ----------------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.1f", a / b; else print "n/a" }'; }

cpu=$(cpu_model)
commit=$(commit_label)

mkdir -p bench/results
result=bench/results/scan-$(date -u +%Y%m%dT%H%M%SZ).md
{
    echo "### $(date -u +%Y-%m-%d) — scan benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- machine: $(uname -m), ${cpu:-unknown CPU} ($(nproc 2> /dev/null || echo "?") CPUs)"
    echo "- commit: $commit"
    echo "- repository: $commits commits, $files files (synthetic_history seed 1), .git ${git_size} MB, built in ${build_s} s"
    if [[ -n $gnu_time ]]; then
        echo "- median of $runs runs; peak RSS from /usr/bin/time -v"
    else
        echo "- median of $runs runs; peak memory unavailable (no /usr/bin/time)"
    fi
    echo
    echo "| command | wall time (s) | peak RSS (MB) |"
    echo "|---|---|---|"
    if [[ -z $niveau_missing ]]; then
        echo "| \`niveau check DIR --format json\` | $wall_niveau | $rss_niveau |"
    fi
    echo "| git baseline: \`git log --all\` + \`git ls-tree -r HEAD\` | $wall_git | $rss_git |"
    if [[ -z $niveau_missing ]]; then
        echo "| ratio niveau/git | $(ratio "$wall_niveau" "$wall_git") | $(ratio "$rss_niveau" "$rss_git") |"
    fi
    if [[ -n $niveau_missing ]]; then
        echo
        echo "$niveau_missing"
    elif [[ $status_niveau != 0 ]]; then
        echo
        echo "Note: \`niveau check\` exited with status $status_niveau; its stderr began with:"
        echo
        head -n 5 "$tmp/stderr-niveau" | sed 's/^/    /'
    fi
} | tee "$result"
echo >&2
step "saved to $result"
