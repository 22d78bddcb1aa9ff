-- wrk script for bench/api.sh: prints one machine-readable summary line after a run.
--
--   wrk -t2 -c32 -d20s --latency -s bench/api/report.lua http://127.0.0.1:8080/api/v1/products
--
-- The line starts with "niveau-bench" and holds key=value pairs: requests, duration_us,
-- rps (requests per second), p50_us, p90_us, p99_us, max_us, non2xx (wrk's "Non-2xx or
-- 3xx responses") and socket errors (connect, read, write, timeout). bench/api.sh reads
-- this line instead of parsing wrk's rounded text. The script defines no request() or
-- response() function, so wrk keeps its fast path (one pre-built request, responses not
-- handed to Lua): a GET run with this script costs wrk the same as one without.
--
-- save.lua loads this file for its own summary.

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local rps = 0
   if seconds > 0 then
      rps = summary.requests / seconds
   end
   io.write(string.format(
      "niveau-bench requests=%d duration_us=%d rps=%.1f p50_us=%d p90_us=%d p99_us=%d max_us=%d"
         .. " non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, rps,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
      summary.errors.status, summary.errors.connect, summary.errors.read,
      summary.errors.write, summary.errors.timeout))
end
