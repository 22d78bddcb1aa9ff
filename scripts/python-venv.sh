# shellcheck shell=bash
# A pinned Python venv inside the repository for a test service, shared by
# scripts/ci-oidc.sh and scripts/ci-smtp.sh (sourced by them, not by people).
#
#   niveau_python_venv TAG REQUIREMENTS VENV MODULE PACKAGE
#
# makes sure VENV holds exactly the set pinned in REQUIREMENTS (a stamp file records
# it) and that MODULE imports, creating the venv and installing PACKAGE's pins from PyPI
# otherwise; sets NIVEAU_VENV_PYTHON to the venv's interpreter. The caller unsets the
# functions afterwards (niveau_python_venv _niveau_venv_log _niveau_venv_fail).
# Messages start with "TAG:". Returns 1, with a message saying what went wrong, when
# it cannot. Needs Python 3.10 or newer with the venv module; pip runs without its cache.

_niveau_venv_log() { printf '%s: %s\n' "$1" "${*:2}"; }
_niveau_venv_fail() { printf '%s: ERROR: %s\n' "$1" "${*:2}" >&2; return 1; }

niveau_python_venv() {
    local tag=$1 requirements=$2 venv=$3 module=$4 package=$5
    local stamp="$venv/.niveau-requirements" python="$venv/bin/python" want base candidate

    [ -r "$requirements" ] || { _niveau_venv_fail "$tag" "missing $requirements"; return 1; }
    want=$(cat "$requirements")

    if [ -x "$python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
        "$python" -W ignore -c "import $module" 2>/dev/null; then
        _niveau_venv_log "$tag" "venv $venv is up to date"
    else
        base=""
        for candidate in python3 /usr/bin/python3; do
            if command -v "$candidate" >/dev/null 2>&1 &&
                "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
                base=$(command -v "$candidate")
                break
            fi
        done
        [ -n "$base" ] || {
            _niveau_venv_fail "$tag" "need Python 3.10 or newer with the venv module (Debian: apt-get install python3-venv)"
            return 1
        }
        _niveau_venv_log "$tag" "creating $venv with $base ($("$base" --version 2>&1))"
        mkdir -p "$(dirname "$venv")" &&
            "$base" -m venv --clear "$venv" ||
            { _niveau_venv_fail "$tag" "python3 -m venv $venv failed (Debian: apt-get install python3-venv)"; return 1; }
        _niveau_venv_log "$tag" "installing $package from PyPI (pinned in $requirements)"
        PIP_DISABLE_PIP_VERSION_CHECK=1 "$python" -m pip install --quiet --no-cache-dir \
            --no-input -r "$requirements" ||
            { _niveau_venv_fail "$tag" "pip install of $package failed; its test suite is required, so CI cannot go on"; return 1; }
        "$python" -W ignore -c "import $module" ||
            { _niveau_venv_fail "$tag" "$module does not import in $venv"; return 1; }
        printf '%s\n' "$want" >"$stamp"
    fi
    NIVEAU_VENV_PYTHON=$python
}
