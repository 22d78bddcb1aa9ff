-- wrk script for bench/pages.sh: POSTs one urlencoded form (NIVEAU_BENCH_BODY) on every
-- request; the summary line comes from report.lua (loaded from this script's directory).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
wrk.method = "POST"
wrk.body = os.getenv("NIVEAU_BENCH_BODY") or ""
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
