# Shared by the benchmark scripts (source it; it sets no shell options).

# step TEXT…: a progress line on standard error.
step() { printf '==> %s\n' "$*" >&2; }

# now_ms: milliseconds since the epoch.
now_ms() { date +%s%3N; }

# cpu_model: the CPU's model name, or nothing.
cpu_model() {
    local cpu
    cpu=$(lscpu 2> /dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)
    if [[ -z $cpu ]]; then
        cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2> /dev/null | head -n 1)
    fi
    printf '%s' "$cpu"
}

# commit_label: the short commit id, marked when tracked files have uncommitted changes.
commit_label() {
    local commit
    commit=$(git rev-parse --short HEAD 2> /dev/null || echo unknown)
    if [[ -n $(git status --porcelain --untracked-files=no 2> /dev/null) ]]; then
        commit="$commit (with uncommitted changes)"
    fi
    printf '%s' "$commit"
}

# The server and throw-away PostgreSQL database of a benchmark run. The script sets the
# globals server_pid, server_status, pg_admin, pg_db and tmp, then `trap cleanup EXIT`.

# psql_admin SQL: runs SQL through the administrative URL $pg_admin.
psql_admin() {
    PGCONNECT_TIMEOUT=10 psql -X -q -At -v ON_ERROR_STOP=1 -d "$pg_admin" -c "$1"
}

# stop_server: SIGTERM to $server_pid, SIGKILL after 40 s; its exit status in $server_status.
stop_server() {
    local i
    [[ -n $server_pid ]] || return 0
    kill -TERM "$server_pid" 2> /dev/null || true
    for ((i = 0; i < 400; i++)); do
        kill -0 "$server_pid" 2> /dev/null || break
        sleep 0.1
    done
    if kill -0 "$server_pid" 2> /dev/null; then
        echo "the server did not stop within 40 s of SIGTERM; killing it" >&2
        kill -KILL "$server_pid" 2> /dev/null || true
    fi
    server_status=0
    wait "$server_pid" 2> /dev/null || server_status=$?
    server_pid=""
}

# cleanup: stops the server, drops $pg_db, removes $tmp.
cleanup() {
    stop_server || true
    if [[ -n $pg_db ]]; then
        psql_admin "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" > /dev/null 2>&1 ||
            echo "warning: could not drop the database $pg_db" >&2
        pg_db=""
    fi
    rm -rf "$tmp"
}

# prepare_database DIR NIVEAU URL NAME: migrates the database at URL and adds an admin
# account NAME with a random password; prints a read/write API token of it.
prepare_database() {
    local dir=$1 niveau=$2 url=$3 name=$4
    (cd "$dir" && "$niveau" migrate --database "$url") > /dev/null
    (cd "$dir" && printf '%s-password-%s\n' "$name" "$RANDOM$RANDOM" |
        "$niveau" user add "$name" --admin --password-stdin --database "$url") > /dev/null
    (cd "$dir" && "$niveau" user token "$name" --name "$name" --scope read --scope write --database "$url" 2> /dev/null)
}

# start_server DIR NIVEAU URL: `niveau serve` on 127.0.0.1:0 in DIR (worker off, log level
# warn, output in DIR/serve.out and DIR/serve.err); sets server_pid, and server_base to
# its address once /readyz answers 200. Calls the script's `fail` when it exits or is not
# ready within 30 s.
start_server() {
    local dir=$1 niveau=$2 url=$3 i line
    (
        cd "$dir"
        NIVEAU_WEB__WORKER__ENABLED=false NIVEAU_LOG__LEVEL=warn \
            exec "$niveau" serve --listen 127.0.0.1:0 --database "$url"
    ) > "$dir/serve.out" 2> "$dir/serve.err" &
    server_pid=$!
    server_base=""
    for ((i = 0; i < 300; i++)); do
        kill -0 "$server_pid" 2> /dev/null || { cat "$dir/serve.err" >&2; fail "niveau serve exited"; }
        line=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$dir/serve.out" || true)
        if [[ -n $line ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' "$line/readyz") == 200 ]]; then
            server_base=$line
            return 0
        fi
        sleep 0.1
    done
    cat "$dir/serve.err" >&2
    fail "niveau serve was not ready after 30 s on 127.0.0.1"
}
