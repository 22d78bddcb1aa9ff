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
