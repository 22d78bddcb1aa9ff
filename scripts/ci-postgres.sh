# shellcheck shell=bash
# PostgreSQL for Niveau's tests: installs the server from Debian's packages if it is
# missing, starts the cluster, makes sure the login role `niveau` (password `niveau`,
# CREATEDB) exists, and exports
#
#   NIVEAU_TEST_DATABASE_URL=postgres://niveau:niveau@127.0.0.1:<port>/postgres
#
# from which the tests create and drop their own databases (niveau-testkit's
# `postgres::TestDatabase`). Idempotent: on a machine where all this is done it only
# checks, in well under a second.
#
# Use it in a shell, so the variable stays set for `cargo test`:
#
#   source scripts/ci-postgres.sh
#
# or run it (`bash scripts/ci-postgres.sh`) just to set the server up. .ci/run sources
# it. It never changes the options of the shell that sources it, and fails (returns 1)
# with a message saying what went wrong. Needs root or password-less sudo for the
# install and for creating the role (as the `postgres` superuser).

_niveau_pg_log() { printf 'ci-postgres: %s\n' "$*"; }
_niveau_pg_fail() { printf 'ci-postgres: ERROR: %s\n' "$*" >&2; return 1; }

# Runs a command as root: directly when we are root, else through sudo -n.
_niveau_pg_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        _niveau_pg_fail "need root or password-less sudo to run: $*"
    fi
}

# Runs a command as the `postgres` operating-system user.
_niveau_pg_as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n -u postgres true 2>/dev/null; then
        sudo -n -u postgres "$@"
    else
        _niveau_pg_fail "need root or password-less sudo to run as postgres: $*"
    fi
}

# The newest installed server version (e.g. 15), or nothing.
_niveau_pg_server_version() {
    local bin
    for bin in /usr/lib/postgresql/*/bin/postgres; do
        [ -x "$bin" ] && basename "$(dirname "$(dirname "$bin")")"
    done | sort -n | tail -n 1
}

_niveau_pg_install() {
    local apt_opts=(-y -q -o Dpkg::Use-Pty=0 --no-install-recommends)
    _niveau_pg_log "PostgreSQL server not found; installing Debian's postgresql package"
    if ! command -v apt-get >/dev/null 2>&1; then
        _niveau_pg_fail "no apt-get here: install a PostgreSQL server (13 or newer) and its psql client yourself"
        return 1
    fi
    # `apt-get update` only when the package lists do not know the package yet.
    # (No `| grep -q` here: with pipefail, grep's early exit would fail the pipe.)
    case "$(apt-cache policy postgresql 2>/dev/null)" in
        *"Candidate: "[0-9]*) ;;
        *)
            _niveau_pg_log "apt-get update (the package lists do not offer postgresql yet)"
            _niveau_pg_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null ||
                { _niveau_pg_fail "apt-get update failed; the PostgreSQL tests need the postgresql package"; return 1; }
            ;;
    esac
    if ! _niveau_pg_root env DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" postgresql >/dev/null; then
        # The lists may be stale (a package version gone from the mirror): refresh once.
        _niveau_pg_log "apt-get install failed; refreshing the package lists and trying once more"
        _niveau_pg_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null &&
            _niveau_pg_root env DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" postgresql >/dev/null ||
            { _niveau_pg_fail "apt-get install postgresql failed; the PostgreSQL test suite is required, so CI cannot go on"; return 1; }
    fi
    # Keep no downloaded .deb files around.
    _niveau_pg_root apt-get clean >/dev/null 2>&1 || true
}

_niveau_pg_setup() {
    local started version line port status i
    started=$(date +%s%N)

    version=$(_niveau_pg_server_version)
    if [ -z "$version" ] || ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then
        _niveau_pg_install || return 1
        version=$(_niveau_pg_server_version)
        [ -n "$version" ] || { _niveau_pg_fail "postgresql was installed but no server binary is in /usr/lib/postgresql/*/bin"; return 1; }
    fi
    _niveau_pg_log "server: PostgreSQL $version ($(psql --version 2>/dev/null))"

    # Debian creates the cluster `main` on install; create it if it is not there.
    if ! pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
        _niveau_pg_log "creating cluster $version/main"
        _niveau_pg_root pg_createcluster "$version" main >/dev/null ||
            { _niveau_pg_fail "pg_createcluster $version main failed"; return 1; }
    fi
    line=$(pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main"')
    port=$(printf '%s\n' "$line" | awk '{ print $3 }')
    status=$(printf '%s\n' "$line" | awk '{ print $4 }')

    if [ "$status" != online ]; then
        _niveau_pg_log "starting cluster $version/main on port $port"
        # The socket directory lives on a tmpfs on some machines and may be gone.
        _niveau_pg_root install -d -o postgres -g postgres -m 2775 /var/run/postgresql 2>/dev/null || true
        if ! _niveau_pg_root pg_ctlcluster "$version" main start; then
            _niveau_pg_log "pg_ctlcluster failed; trying 'service postgresql start'"
            _niveau_pg_root service postgresql start ||
                { _niveau_pg_fail "cannot start PostgreSQL $version/main; see /var/log/postgresql/postgresql-$version-main.log"; return 1; }
        fi
    else
        _niveau_pg_log "cluster $version/main is already running on port $port"
    fi

    for i in $(seq 1 60); do
        pg_isready -q -h 127.0.0.1 -p "$port" -t 1 && break
        [ "$i" = 60 ] && { _niveau_pg_fail "PostgreSQL does not accept connections on 127.0.0.1:$port after 30 s"; return 1; }
        sleep 0.5
    done

    # The role, created or reset to the known password and rights. Run in /tmp, where the
    # `postgres` user may be: psql complains when it cannot read its working directory.
    (cd /tmp && _niveau_pg_as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres) <<'SQL' ||
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'niveau') THEN
        CREATE ROLE niveau LOGIN CREATEDB PASSWORD 'niveau';
        RAISE NOTICE 'ci-postgres: created role niveau';
    ELSE
        ALTER ROLE niveau LOGIN CREATEDB PASSWORD 'niveau';
    END IF;
END
$$;
SQL
        { _niveau_pg_fail "cannot create the role niveau (as the postgres superuser)"; return 1; }

    NIVEAU_TEST_DATABASE_URL="postgres://niveau:niveau@127.0.0.1:$port/postgres"
    export NIVEAU_TEST_DATABASE_URL

    # Check the way the tests connect: TCP, password.
    if ! PGPASSWORD=niveau PGCONNECT_TIMEOUT=10 psql -X -q -At -h 127.0.0.1 -p "$port" -U niveau -d postgres \
        -c 'SELECT 1' >/dev/null; then
        _niveau_pg_fail "the role niveau cannot log in over TCP with its password; check pg_hba.conf of $version/main"
        return 1
    fi

    _niveau_pg_log "NIVEAU_TEST_DATABASE_URL=$NIVEAU_TEST_DATABASE_URL (ready in $((($(date +%s%N) - started) / 1000000)) ms)"
}

if _niveau_pg_setup; then
    _niveau_pg_status=0
else
    _niveau_pg_status=1
fi
unset -f _niveau_pg_log _niveau_pg_fail _niveau_pg_root _niveau_pg_as_postgres \
    _niveau_pg_server_version _niveau_pg_install _niveau_pg_setup
# `return` when sourced, `exit` when run.
# shellcheck disable=SC2317
return "$_niveau_pg_status" 2>/dev/null || exit "$_niveau_pg_status"
