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

_niveau_oidc_setup() {
    local started root
    started=$(date +%s%N)
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) ||
        { printf 'ci-oidc: ERROR: cannot find the repository root\n' >&2; return 1; }
    # shellcheck source=python-venv.sh
    source "$root/scripts/python-venv.sh" || return 1
    niveau_python_venv ci-oidc "$root/scripts/oidc-provider-requirements.txt" "$root/target/ci-venv" \
        oidc_provider_mock oidc-provider-mock || { unset -f niveau_python_venv _niveau_venv_log _niveau_venv_fail; return 1; }
    unset -f niveau_python_venv _niveau_venv_log _niveau_venv_fail
    NIVEAU_TEST_OIDC_PROVIDER="$NIVEAU_VENV_PYTHON"
    export NIVEAU_TEST_OIDC_PROVIDER
    unset NIVEAU_VENV_PYTHON
    printf 'ci-oidc: %s\n' "NIVEAU_TEST_OIDC_PROVIDER=$NIVEAU_TEST_OIDC_PROVIDER (ready in $((($(date +%s%N) - started) / 1000000)) ms)"
}

if _niveau_oidc_setup; then
    _niveau_oidc_status=0
else
    _niveau_oidc_status=1
fi
unset -f _niveau_oidc_setup
# `return` when sourced, `exit` when run.
# shellcheck disable=SC2317
return "$_niveau_oidc_status" 2>/dev/null || exit "$_niveau_oidc_status"
