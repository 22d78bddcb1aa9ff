#!/usr/bin/env bash
# Installs what the PDF tests need (crates/niveau-report/tests/it/pdf.rs and the PDF
# downloads' tests): Debian's poppler-utils, for pdftotext (the text of a PDF, to check
# its figures) and pdftoppm (a PNG of a page, to look at). Sourced by .ci/run; safe to
# run again. Exports NIVEAU_TEST_PDFTOTEXT=<path of pdftotext> when done. A plain
# `cargo test` ignores those tests; with `-- --include-ignored` they run, and fail when
# the variable is missing.

_niveau_pdf() {
    if ! command -v pdftotext > /dev/null 2>&1 || ! command -v pdftoppm > /dev/null 2>&1; then
        echo "ci-pdf: installing poppler-utils (apt-get)"
        local sudo=()
        [[ $(id -u) == 0 ]] || sudo=(sudo -n)
        "${sudo[@]}" apt-get install -y -q poppler-utils > /dev/null 2>&1 ||
            { "${sudo[@]}" apt-get update -q > /dev/null && "${sudo[@]}" apt-get install -y -q poppler-utils > /dev/null; } ||
            { echo "ci-pdf: could not install poppler-utils" >&2; return 1; }
    fi
    NIVEAU_TEST_PDFTOTEXT=$(command -v pdftotext)
    export NIVEAU_TEST_PDFTOTEXT
    echo "ci-pdf: NIVEAU_TEST_PDFTOTEXT=$NIVEAU_TEST_PDFTOTEXT ($(pdftotext -v 2>&1 | head -n 1))"
}
_niveau_pdf
