-- wrk script for bench/api.sh: self-evaluation saves.
--
--   NIVEAU_BENCH_TOKEN=… wrk -t2 -c32 -d20s --latency -s bench/api/save.lua \
--       http://127.0.0.1:8080 -- BODY_FILE CONTENT_TYPE PRODUCTS THREADS [SLUG_PREFIX]
--
-- Every request is POST /api/v1/products/<slug>/self-evaluations with the whole file
-- BODY_FILE as its body (an OS2 Markdown report with CONTENT_TYPE text/markdown, or OS2's
-- form JSON with application/json) and `Authorization: Bearer $NIVEAU_BENCH_TOKEN`.
--
-- Saves are spread over the products SLUG_PREFIX001 … SLUG_PREFIX<PRODUCTS> (prefix
-- default "bench-"): wrk thread t of T (THREADS, the same number as wrk's -t) sends to
-- the products t, t+T, t+2T, … in turn.
-- So every product gets about the same number of self-evaluations, and the requests in
-- flight at one time are for different products: a thread's connections (16 with -t2
-- -c32) hold consecutive products of its cycle (100 products with 200 and -t2), and a
-- product comes round again only after the thread has sent as many requests as it has
-- products. That matters because a self-evaluation's number is the product's previous
-- number + 1: two concurrent saves to one product are a real conflict (409, the number
-- is taken), which is not what this benchmark measures. bench/api.sh reports any non-2xx
-- response, so a conflict would show.
--
-- With NIVEAU_BENCH_COUNT=1 in the environment the script also counts the responses by
-- status and prints "niveau-bench-status 201=N …" at the end. That makes wrk hand every
-- response (about 38 KB each) to Lua, which costs wrk CPU on the same cores as the server,
-- so bench/api.sh uses it only for a short check run before the measured run.
--
-- The summary line comes from report.lua (loaded from this script's directory).

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "report.lua")
local report_done = done

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_index", #threads)
end

local body, content_type, paths, next_path

function init(args)
   local file, prefix = args[1], args[5] or "bench-"
   content_type = args[2]
   local products, total = tonumber(args[3]), tonumber(args[4])
   if not file or not content_type or not products or products < 1 or not total or total < 1 then
      error("usage: wrk ... -s save.lua URL -- BODY_FILE CONTENT_TYPE PRODUCTS THREADS [SLUG_PREFIX]")
   end
   local f = assert(io.open(file, "rb"))
   body = f:read("*a")
   f:close()
   local token = os.getenv("NIVEAU_BENCH_TOKEN")
   if not token or token == "" then
      error("NIVEAU_BENCH_TOKEN is not set")
   end
   wrk.headers["Authorization"] = "Bearer " .. token
   wrk.headers["Content-Type"] = content_type

   -- This thread's products: thread_index, thread_index + T, … (thread_index is set by
   -- setup(), which wrk runs for a thread before that thread's init()).
   local index = thread_index or 1
   paths = {}
   for i = index, products, total do
      paths[#paths + 1] = string.format("/api/v1/products/%s%03d/self-evaluations", prefix, i)
   end
   if #paths == 0 then
      error("more wrk threads than products")
   end
   next_path = 0
end

function request()
   next_path = next_path % #paths + 1
   return wrk.format("POST", paths[next_path], nil, body)
end

if os.getenv("NIVEAU_BENCH_COUNT") == "1" then
   statuses = {}
   function response(status, headers, body)
      statuses[status] = (statuses[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   report_done(summary, latency, requests)
   if os.getenv("NIVEAU_BENCH_COUNT") == "1" then
      local merged = {}
      for _, thread in ipairs(threads) do
         for status, n in pairs(thread:get("statuses") or {}) do
            merged[status] = (merged[status] or 0) + n
         end
      end
      local keys = {}
      for status in pairs(merged) do
         keys[#keys + 1] = status
      end
      table.sort(keys)
      local parts = {}
      for _, status in ipairs(keys) do
         parts[#parts + 1] = string.format("%d=%d", status, merged[status])
      end
      io.write("niveau-bench-status " .. table.concat(parts, " ") .. "\n")
   end
end
