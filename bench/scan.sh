#!/usr/bin/env bash
# Scan benchmark: wall time and peak memory of `niveau check` on a git repository shaped
# like a real product's, next to a git baseline that reads the same history and
# repolinter 0.12 on a work tree of the same repository.
#
# Usage:
#   bench/scan.sh [COMMITS [FILES [BRANCHES]]]   a generated repository; defaults: 20000
#                                                commits, 2000 files, 250 branches
#   bench/scan.sh --repo PATH                    an existing repository (bare or not),
#                                                e.g. /work/.mirror/OS2mo+os2mo/repo
#   RUNS=5 bench/scan.sh …                       runs per command (default 3; the median)
#   SYNTHETIC=1 bench/scan.sh …                  also the old linear synthetic repository
#                                                (synthetic_history) as a second row
#   REPOLINTER=0 bench/scan.sh …                 without repolinter (no npm needed)
#   NIVEAU_BIN=… MAKE_REPO_BIN=… bench/scan.sh …  use these release binaries instead of
#                                                building them (`cargo build --release`
#                                                honours CARGO_TARGET_DIR otherwise)
#
# Steps:
#   1. Without --repo, builds the repository in a temporary directory (deleted on exit)
#      with `cargo run --release -p niveau-testkit --example make_repo -- --shaped DIR
#      COMMITS FILES BRANCHES`, i.e. niveau_testkit::repo::shaped_history with seed 1
#      (merges, branches off different points, nested and long-lived unmerged branches,
#      tags): the same repository on every machine; then `git repack -adf --depth=50
#      --window=250`, so that the pack has delta chains like a real repository's.
#      With --repo, a clone of PATH in the temporary directory gives repolinter its work
#      tree; niveau and git read PATH itself.
#   2. A variant with an unusual licence: a clone whose LICENSE is the zlib licence (not
#      one of the common licences niveau recognises without the SPDX texts), for the
#      memory of the licence detector's full-text scan. niveau check only.
#   3. Builds `niveau` with `cargo build --release -p niveau-cli` and installs
#      repolinter 0.12 with `npm install --prefix TMP repolinter@0.12` (skipped, with a
#      note, when npm is missing or the install fails).
#   4. Runs each command RUNS times under /usr/bin/time -v (peak RSS) and bash's `time`
#      (wall time), and prints the medians:
#        niveau:     target/release/niveau check DIR --format json --no-cache > /dev/null
#                    (--no-cache: every run reads the repository; a stored result would
#                    answer the second run at once)
#        baseline:   git -C DIR log --all --format='%H %an %at %s' > /dev/null &&
#                    git -C DIR ls-tree -r HEAD > /dev/null      (one `bash -c`)
#        repolinter: repolinter lint WORKTREE > /dev/null   (exit status 1 means "rules
#                    failed" and counts as a run)
#      git runs without system or global configuration. The baseline's peak RSS is that
#      of the largest of its processes. Without /usr/bin/time (GNU time) the peak memory
#      is reported as unavailable.
#   5. Prints a Markdown table with the date, `uname -m`, the CPU model, the load
#      average and the commit, with the ratios niveau/git and niveau/repolinter, and
#      saves it to bench/results/scan-<date>.md (git ignores bench/results/), for
#      docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh

given_repo=""
if [[ ${1:-} == --repo ]]; then
    given_repo=${2:?usage: bench/scan.sh --repo PATH}
    [[ -d $given_repo ]] || { echo "no such directory: $given_repo" >&2; exit 2; }
    given_repo=$(cd "$given_repo" && pwd)
    set -- 1 1 1
fi
commits=${1:-20000}
files=${2:-2000}
branches=${3:-250}
runs=${RUNS:-3}
for n in "$commits" "$files" "$branches" "$runs"; do
    if ! [[ $n =~ ^[0-9]+$ ]] || ((n == 0)); then
        echo "usage: bench/scan.sh [COMMITS [FILES [BRANCHES]]] | bench/scan.sh --repo PATH (positive numbers; RUNS=N in the environment)" >&2
        exit 2
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/niveau-scan-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

seconds_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.2f", (b - a) / 1000 }'; }

# ----- the repositories ----------------------------------------------------------------

target_dir=${CARGO_TARGET_DIR:-target}
make_repo() {
    "${MAKE_REPO_BIN:-$target_dir/release/examples/make_repo}" "$@" >&2
}

if [[ -n $given_repo ]]; then
    repo=$given_repo
    worktree=$tmp/worktree
    step "cloning $repo into $worktree for repolinter"
    # A partial clone's missing blobs leave files out of the checkout; repolinter reads
    # what is there.
    git clone -q "$repo" "$worktree" 2> /dev/null || true
    label="\`$(basename "$(dirname "$repo")")/$(basename "$repo")\`: $(git --git-dir="$(git -C "$repo" rev-parse --absolute-git-dir)" rev-list --count HEAD) commits on HEAD, $(git -C "$repo" for-each-ref refs/heads refs/remotes | wc -l) branches, $(git -C "$repo" tag | wc -l) tags"
else
    repo=$tmp/repo
    worktree=$repo
    if [[ -z ${MAKE_REPO_BIN:-} ]]; then
        step "cargo build --release -p niveau-testkit --example make_repo"
        cargo build --release -p niveau-testkit --example make_repo
    fi
    step "building a repository of $commits commits, $files files and $branches branches in $repo"
    started=$(now_ms)
    make_repo --shaped "$repo" "$commits" "$files" "$branches"
    step "git repack -adf --depth=50 --window=250"
    git -C "$repo" repack -q -adf --depth=50 --window=250
    build_s=$(seconds_since "$started")
    label="generated (shaped_history seed 1): $commits commits on main plus branch commits ($(git -C "$repo" rev-list --count --all) in all), $files files, $branches branches, $(git -C "$repo" tag | wc -l) tags, repacked; built in ${build_s} s"
fi
git_size=$(du -sk "$(git -C "$repo" rev-parse --absolute-git-dir)" | awk '{ printf "%.0f", $1 / 1024 }')

# The unusual-licence variant: a bare clone whose HEAD gets one more commit, in which
# LICENSE is the zlib licence. Built with plumbing and a temporary index, so that blobs
# a partial clone lacks are not needed.
unusual=$tmp/unusual.git
git clone -q --bare "$repo" "$unusual"
zlib_blob=$(git -C "$unusual" hash-object -w --stdin << 'ZLIB'
zlib License

This software is provided 'as-is', without any express or implied warranty. In no event
will the authors be held liable for any damages arising from the use of this software.

Permission is granted to anyone to use this software for any purpose, including
commercial applications, and to alter it and redistribute it freely, subject to the
following restrictions:

1. The origin of this software must not be misrepresented; you must not claim that you
   wrote the original software. If you use this software in a product, an acknowledgment
   in the product documentation would be appreciated but is not required.

2. Altered source versions must be plainly marked as such, and must not be
   misrepresented as being the original software.

3. This notice may not be removed or altered from any source distribution.
ZLIB
)
export GIT_INDEX_FILE=$tmp/unusual-index
git -C "$unusual" read-tree HEAD
git -C "$unusual" update-index --add --cacheinfo "100644,$zlib_blob,LICENSE"
zlib_tree=$(git -C "$unusual" write-tree --missing-ok)
unset GIT_INDEX_FILE
zlib_commit=$(git -C "$unusual" -c user.name=Bench -c user.email=bench@niveau.invalid \
    commit-tree "$zlib_tree" -p HEAD -m "zlib licence")
git -C "$unusual" update-ref HEAD "$zlib_commit"

synthetic=""
if [[ ${SYNTHETIC:-0} == 1 && -z $given_repo ]]; then
    synthetic=$tmp/synthetic
    step "building the linear synthetic repository ($commits commits, $files files)"
    make_repo "$synthetic" "$commits" "$files"
fi

# ----- niveau and repolinter ------------------------------------------------------------

niveau=${NIVEAU_BIN:-$target_dir/release/niveau}
niveau_missing=""
if [[ -z ${NIVEAU_BIN:-} ]]; then
    step "cargo build --release -p niveau-cli"
fi
if [[ -z ${NIVEAU_BIN:-} ]] && ! cargo build --release -p niveau-cli; then
    niveau_missing="\`cargo build --release -p niveau-cli\` failed, so \`niveau check\` was not measured."
elif ! "$niveau" check --help > /dev/null 2>&1; then
    niveau_missing="\`niveau check\` is not available in this build (\`niveau check --help\` failed), so only the baselines were measured."
fi
if [[ -n $niveau_missing ]]; then
    printf '\nNOTE: %s\n\n' "$niveau_missing" >&2
fi

repolinter=""
repolinter_missing=""
if [[ ${REPOLINTER:-1} == 0 ]]; then
    repolinter_missing="repolinter was not measured (REPOLINTER=0)."
elif ! command -v npm > /dev/null 2>&1; then
    repolinter_missing="repolinter was not measured: npm is missing."
else
    step "npm install --prefix $tmp/repolinter repolinter@0.12"
    if npm install --silent --no-audit --no-fund --prefix "$tmp/repolinter" repolinter@0.12 > /dev/null 2>&1; then
        repolinter=$tmp/repolinter/node_modules/.bin/repolinter
    else
        repolinter_missing="repolinter was not measured: \`npm install repolinter@0.12\` failed."
    fi
fi
[[ -z $repolinter_missing ]] || printf '\nNOTE: %s\n\n' "$repolinter_missing" >&2

# ----- measuring -----------------------------------------------------------------------

gnu_time=""
if command -v /usr/bin/time > /dev/null 2>&1 && /usr/bin/time -v true > /dev/null 2>&1; then
    gnu_time=/usr/bin/time
else
    echo "NOTE: /usr/bin/time (GNU time) is missing: wall time only, peak memory is unavailable." >&2
fi

median() { sort -g | sed -n "$(((runs + 1) / 2))p"; }

# measure NAME COMMAND...: runs the command $runs times with stdout discarded, and sets
# wall_<NAME> (seconds), rss_<NAME> (MB or "n/a") and status_<NAME> (last exit status
# that is neither 0 nor listed in $ok_status, or 0).
ok_status=""
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
        if ((s != 0)) && [[ " $ok_status " != *" $s "* ]]; then
            status=$s
        fi
        step "$name run $i/$runs: ${walls[-1]} s, peak RSS $rss MB, exit status $s"
    done
    printf -v "wall_$name" '%s' "$(printf '%s\n' "${walls[@]}" | median)"
    printf -v "rss_$name" '%s' "$(printf '%s\n' "${rsss[@]}" | median)"
    printf -v "status_$name" '%s' "$status"
}

# shellcheck disable=SC2016 # $1 is expanded by the inner bash.
git_baseline='git -C "$1" log --all --format="%H %an %at %s" > /dev/null && git -C "$1" ls-tree -r HEAD > /dev/null'

if [[ -z $niveau_missing ]]; then
    step "measuring: niveau check $repo --format json"
    measure niveau "$niveau" check "$repo" --format json --no-cache
    step "measuring: niveau check on the unusual-licence variant"
    measure unusual "$niveau" check "$unusual" --format json --no-cache
    if [[ -n $synthetic ]]; then
        measure synth "$niveau" check "$synthetic" --format json --no-cache
    fi
fi
step "measuring: git log --all + git ls-tree -r HEAD"
measure git bash -c "$git_baseline" _ "$repo"
if [[ $status_git != 0 ]]; then
    echo "the git baseline failed (exit status $status_git):" >&2
    cat "$tmp/stderr-git" >&2
    exit 1
fi
if [[ -n $synthetic ]]; then
    measure synthgit bash -c "$git_baseline" _ "$synthetic"
fi
if [[ -n $repolinter ]]; then
    step "measuring: repolinter lint $worktree"
    ok_status=1
    measure repolinter "$repolinter" lint "$worktree"
    ok_status=""
fi

# ----- the report ----------------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2f", a / b; else print "n/a" }'; }

cpu=$(cpu_model)
commit=$(commit_label)

mkdir -p bench/results
result=bench/results/scan-$(date -u +%Y%m%dT%H%M%SZ).md
{
    echo "### $(date -u +%Y-%m-%d) — scan benchmark"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- machine: $(uname -m), ${cpu:-unknown CPU} ($(nproc 2> /dev/null || echo "?") CPUs), load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo "?")"
    echo "- commit: $commit"
    echo "- repository: $label; .git ${git_size} MB"
    echo "- median of $runs runs; peak RSS from /usr/bin/time -v"
    echo
    echo "| command | wall time (s) | peak RSS (MB) |"
    echo "|---|---|---|"
    if [[ -z $niveau_missing ]]; then
        echo "| \`niveau check DIR --format json\` | $wall_niveau | $rss_niveau |"
        echo "| \`niveau check\`, LICENSE replaced by the zlib licence | $wall_unusual | $rss_unusual |"
    fi
    echo "| git baseline: \`git log --all\` + \`git ls-tree -r HEAD\` | $wall_git | $rss_git |"
    if [[ -n $repolinter ]]; then
        echo "| \`repolinter lint WORKTREE\` (0.12) | $wall_repolinter | $rss_repolinter |"
    fi
    if [[ -z $niveau_missing ]]; then
        echo "| ratio niveau / git | $(ratio "$wall_niveau" "$wall_git") | $(ratio "$rss_niveau" "$rss_git") |"
        if [[ -n $repolinter ]]; then
            echo "| ratio niveau / repolinter | $(ratio "$wall_niveau" "$wall_repolinter") | $(ratio "$rss_niveau" "$rss_repolinter") |"
        fi
    fi
    if [[ -n $synthetic && -z $niveau_missing ]]; then
        echo "| linear synthetic_history: \`niveau check\` | $wall_synth | $rss_synth |"
        echo "| linear synthetic_history: git baseline | $wall_synthgit | $rss_synthgit |"
    fi
    for note in "$niveau_missing" "$repolinter_missing"; do
        [[ -z $note ]] || { echo; echo "$note"; }
    done
    for name in niveau unusual repolinter; do
        var=status_$name
        if [[ -n ${!var:-} && ${!var} != 0 ]]; then
            echo
            echo "Note: $name exited with status ${!var}; its stderr began with:"
            echo
            head -n 5 "$tmp/stderr-$name" | sed 's/^/    /'
        fi
    done
} | tee "$result"
echo >&2
step "saved to $result"
