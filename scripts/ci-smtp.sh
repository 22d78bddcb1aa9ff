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

_niveau_smtp_setup() {
    local started root
    started=$(date +%s%N)
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) ||
        { printf 'ci-smtp: ERROR: cannot find the repository root\n' >&2; return 1; }
    # shellcheck source=python-venv.sh
    source "$root/scripts/python-venv.sh" || return 1
    niveau_python_venv ci-smtp "$root/scripts/smtp-requirements.txt" "$root/target/ci-smtp-venv" \
        aiosmtpd aiosmtpd || { unset -f niveau_python_venv _niveau_venv_log _niveau_venv_fail; return 1; }
    unset -f niveau_python_venv _niveau_venv_log _niveau_venv_fail
    NIVEAU_TEST_SMTP="$NIVEAU_VENV_PYTHON"
    export NIVEAU_TEST_SMTP
    unset NIVEAU_VENV_PYTHON
    printf 'ci-smtp: %s\n' "NIVEAU_TEST_SMTP=$NIVEAU_TEST_SMTP (ready in $((($(date +%s%N) - started) / 1000000)) ms)"
}

if _niveau_smtp_setup; then
    _niveau_smtp_status=0
else
    _niveau_smtp_status=1
fi
unset -f _niveau_smtp_setup
# `return` when sourced, `exit` when run.
# shellcheck disable=SC2317
return "$_niveau_smtp_status" 2>/dev/null || exit "$_niveau_smtp_status"
