# shellcheck shell=bash
# The SMTP server for Niveau's e-mail tests: installs the PyPI package aiosmtpd, pinned
# with its dependencies in scripts/smtp-requirements.txt, into a Python venv inside the
# repository at target/ci-smtp-venv, and exports
#
#   NIVEAU_TEST_SMTP=<repo>/target/ci-smtp-venv/bin/python
#
# the interpreter the tests start crates/niveau-web/tests/it/smtp/server.py with (one
# server per test, on a free port on 127.0.0.1). Idempotent: when the venv already holds
# exactly the pinned set, it only checks that the package imports. Needs Python 3.10 or
# newer with the venv module and access to PyPI (only on the first run). Nothing is
# cached outside the repository: pip runs without its cache, and `cargo clean` removes
# the venv with the rest of target/.
#
# Use it in a shell, so the variable stays set for `cargo test`:
#
#   source scripts/ci-smtp.sh
#
# or run it (`bash scripts/ci-smtp.sh`) just to build the venv. .ci/run sources it. It
# never changes the options of the shell that sources it, and fails (returns 1) with a
# message saying what went wrong.

_niveau_smtp_log() { printf 'ci-smtp: %s\n' "$*"; }
_niveau_smtp_fail() { printf 'ci-smtp: ERROR: %s\n' "$*" >&2; return 1; }

_niveau_smtp_setup() {
    local started root requirements venv stamp want python candidate
    started=$(date +%s%N)
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) ||
        { _niveau_smtp_fail "cannot find the repository root"; return 1; }
    requirements="$root/scripts/smtp-requirements.txt"
    venv="$root/target/ci-smtp-venv"
    stamp="$venv/.niveau-requirements"
    python="$venv/bin/python"

    [ -r "$requirements" ] || { _niveau_smtp_fail "missing $requirements"; return 1; }
    want=$(cat "$requirements")

    if [ -x "$python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
        "$python" -W ignore -c 'import aiosmtpd' 2>/dev/null; then
        _niveau_smtp_log "venv $venv is up to date"
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
            _niveau_smtp_fail "need Python 3.10 or newer with the venv module (Debian: apt-get install python3-venv)"
            return 1
        }
        _niveau_smtp_log "creating $venv with $base ($("$base" --version 2>&1))"
        mkdir -p "$root/target" &&
            "$base" -m venv --clear "$venv" ||
            { _niveau_smtp_fail "python3 -m venv $venv failed (Debian: apt-get install python3-venv)"; return 1; }
        _niveau_smtp_log "installing aiosmtpd from PyPI (pinned in scripts/smtp-requirements.txt)"
        PIP_DISABLE_PIP_VERSION_CHECK=1 "$python" -m pip install --quiet --no-cache-dir \
            --no-input -r "$requirements" ||
            { _niveau_smtp_fail "pip install of aiosmtpd failed; the e-mail test suite is required, so CI cannot go on"; return 1; }
        "$python" -W ignore -c 'import aiosmtpd' ||
            { _niveau_smtp_fail "aiosmtpd does not import in $venv"; return 1; }
        printf '%s\n' "$want" >"$stamp"
    fi

    NIVEAU_TEST_SMTP="$python"
    export NIVEAU_TEST_SMTP
    _niveau_smtp_log "NIVEAU_TEST_SMTP=$NIVEAU_TEST_SMTP (ready in $((($(date +%s%N) - started) / 1000000)) ms)"
}

if _niveau_smtp_setup; then
    _niveau_smtp_status=0
else
    _niveau_smtp_status=1
fi
unset -f _niveau_smtp_log _niveau_smtp_fail _niveau_smtp_setup
# `return` when sourced, `exit` when run.
# shellcheck disable=SC2317
return "$_niveau_smtp_status" 2>/dev/null || exit "$_niveau_smtp_status"
