# shellcheck shell=bash
# The OpenID Connect provider for Niveau's tests: installs the PyPI package
# oidc-provider-mock, pinned with its dependencies in scripts/oidc-provider-requirements.txt,
# into a Python venv inside the repository at target/ci-venv, and exports
#
#   NIVEAU_TEST_OIDC_PROVIDER=<repo>/target/ci-venv/bin/python
#
# the interpreter that niveau-testkit's `oidc::MockProvider` starts the provider with.
# Idempotent: when the venv already holds exactly the pinned set, it only checks that
# the package imports. Needs Python 3.10 or newer with the venv module and access to PyPI
# (only on the first run). Nothing is cached outside the repository: pip runs without its
# cache, and `cargo clean` removes the venv with the rest of target/.
#
# Use it in a shell, so the variable stays set for `cargo test`:
#
#   source scripts/ci-oidc.sh
#
# or run it (`bash scripts/ci-oidc.sh`) just to build the venv. .ci/run sources it. It
# never changes the options of the shell that sources it, and fails (returns 1) with a
# message saying what went wrong.

_niveau_oidc_log() { printf 'ci-oidc: %s\n' "$*"; }
_niveau_oidc_fail() { printf 'ci-oidc: ERROR: %s\n' "$*" >&2; return 1; }

_niveau_oidc_setup() {
    local started root requirements venv stamp want python candidate
    started=$(date +%s%N)
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) ||
        { _niveau_oidc_fail "cannot find the repository root"; return 1; }
    requirements="$root/scripts/oidc-provider-requirements.txt"
    venv="$root/target/ci-venv"
    stamp="$venv/.niveau-requirements"
    python="$venv/bin/python"

    [ -r "$requirements" ] || { _niveau_oidc_fail "missing $requirements"; return 1; }
    want=$(cat "$requirements")

    if [ -x "$python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
        "$python" -W ignore -c 'import oidc_provider_mock' 2>/dev/null; then
        _niveau_oidc_log "venv $venv is up to date"
    else
        local base=""
        for candidate in python3 /usr/bin/python3; do
            if command -v "$candidate" >/dev/null 2>&1 &&
                "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
                base=$(command -v "$candidate")
                break
            fi
        done
        [ -n "$base" ] || {
            _niveau_oidc_fail "need Python 3.10 or newer with the venv module (Debian: apt-get install python3-venv)"
            return 1
        }
        _niveau_oidc_log "creating $venv with $base ($("$base" --version 2>&1))"
        mkdir -p "$root/target" &&
            "$base" -m venv --clear "$venv" ||
            { _niveau_oidc_fail "python3 -m venv $venv failed (Debian: apt-get install python3-venv)"; return 1; }
        _niveau_oidc_log "installing oidc-provider-mock from PyPI (pinned in scripts/oidc-provider-requirements.txt)"
        PIP_DISABLE_PIP_VERSION_CHECK=1 "$python" -m pip install --quiet --no-cache-dir \
            --no-input -r "$requirements" ||
            { _niveau_oidc_fail "pip install of oidc-provider-mock failed; the OIDC test suite is required, so CI cannot go on"; return 1; }
        "$python" -W ignore -c 'import oidc_provider_mock' ||
            { _niveau_oidc_fail "oidc_provider_mock does not import in $venv"; return 1; }
        printf '%s\n' "$want" >"$stamp"
    fi

    NIVEAU_TEST_OIDC_PROVIDER="$python"
    export NIVEAU_TEST_OIDC_PROVIDER
    _niveau_oidc_log "NIVEAU_TEST_OIDC_PROVIDER=$NIVEAU_TEST_OIDC_PROVIDER (ready in $((($(date +%s%N) - started) / 1000000)) ms)"
}

if _niveau_oidc_setup; then
    _niveau_oidc_status=0
else
    _niveau_oidc_status=1
fi
unset -f _niveau_oidc_log _niveau_oidc_fail _niveau_oidc_setup
# `return` when sourced, `exit` when run.
# shellcheck disable=SC2317
return "$_niveau_oidc_status" 2>/dev/null || exit "$_niveau_oidc_status"
