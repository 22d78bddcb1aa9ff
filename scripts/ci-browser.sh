#!/usr/bin/env bash
# Installs what the browser suite needs (crates/niveau-cli/tests/it/browser.rs): Debian's
# chromium, Node.js with npm, and browser/node_modules from browser/package-lock.json.
# Sourced by .ci/run; safe to run again. Exports NIVEAU_TEST_BROWSER=required when done
# (.ci/run checks it). A plain `cargo test` ignores the suite; with `-- --include-ignored`
# it runs, and fails if something is still missing.

_niveau_browser() {
    local root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    local need=()
    command -v chromium > /dev/null 2>&1 || need+=(chromium)
    command -v node > /dev/null 2>&1 || need+=(nodejs)
    command -v npm > /dev/null 2>&1 || need+=(npm)
    if ((${#need[@]} > 0)); then
        echo "ci-browser: installing ${need[*]} (apt-get)"
        local sudo=()
        [[ $(id -u) == 0 ]] || sudo=(sudo -n)
        "${sudo[@]}" apt-get install -y -q "${need[@]}" > /dev/null 2>&1 ||
            { "${sudo[@]}" apt-get update -q > /dev/null && "${sudo[@]}" apt-get install -y -q "${need[@]}" > /dev/null; } ||
            { echo "ci-browser: could not install ${need[*]}" >&2; return 1; }
    fi
    # The traffic lights (🟢 🟡 🔴 ⚪) in the screenshots look as users see them only with
    # an emoji font; without it the suite still passes, so this one is best effort.
    if ! dpkg -s fonts-noto-color-emoji > /dev/null 2>&1; then
        local sudo_fonts=()
        [[ $(id -u) == 0 ]] || sudo_fonts=(sudo -n)
        "${sudo_fonts[@]}" apt-get install -y -q fonts-noto-color-emoji > /dev/null 2>&1 ||
            echo "ci-browser: no emoji font (screenshots show boxes for 🟢 🟡 🔴 ⚪)"
    fi
    if [[ ! -d $root/browser/node_modules/playwright-core || $root/browser/package-lock.json -nt $root/browser/node_modules ]]; then
        echo "ci-browser: npm ci --prefix browser"
        npm ci --prefix "$root/browser" --no-audit --no-fund > /dev/null ||
            { echo "ci-browser: npm ci failed" >&2; return 1; }
    fi
    echo "ci-browser: $(chromium --version 2> /dev/null | head -n 1), node $(node --version)"
    export NIVEAU_TEST_BROWSER=required
}
_niveau_browser
