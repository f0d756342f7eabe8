-- Shared wrk helpers for the bench scripts (loaded with dofile by account_check.lua and ping.lua).
--
-- wrk runs one Lua state per thread plus one for the main thread; `done` runs in the main
-- state, which cannot see the counters the `response` callbacks incremented in the thread
-- states. So `setup(thread)` (main state, once per thread) keeps every thread object, and
-- `done` reads each thread's counters back with `thread:get(name)`.
--
-- `install(route, is_ok)` defines the wrk globals setup/init/response/done:
--   * `response` counts responses and those for which is_ok(status, body) is false;
--   * `done` prints one machine-readable line that rest-bench.sh parses:
--       BENCH_RESULT route=... requests=N duration_s=S rps=R p50_ms=... p99_ms=... non_ok=N ...
--     and, when a response was not OK, one BENCH_SAMPLE line with the first such response.
-- Each thread gets `thread_id` (1..threads) and a distinct math.random seed in `init`.

local M = {}

local threads = {}

function M.install(route, is_ok)
  function setup(thread)
    table.insert(threads, thread)
    thread:set("thread_id", #threads)
  end

  function init(args)
    responses = 0
    non_ok = 0
    sample = nil
    -- a distinct seed per thread (and per run): time, thread id and a fresh table address
    local addr = tonumber(tostring({}):match("0x(%x+)") or "0", 16) or 0
    math.randomseed((os.time() % 1000000) * 1000 + (thread_id or 0) * 7919 + addr % 100003)
    for _ = 1, 10 do math.random() end -- discard the first, poorly mixed values
    if M.on_init then M.on_init(args) end
  end

  function response(status, headers, body)
    responses = responses + 1
    if not is_ok(status, body) then
      non_ok = non_ok + 1
      if sample == nil then
        sample = tostring(status) .. " " .. string.sub(body or "", 1, 300):gsub("[\r\n]", " ")
      end
    end
  end

  function done(summary, latency, requests)
    local total_non_ok, checked, first_sample = 0, 0, nil
    for _, t in ipairs(threads) do
      total_non_ok = total_non_ok + (tonumber(t:get("non_ok")) or 0)
      checked = checked + (tonumber(t:get("responses")) or 0)
      first_sample = first_sample or t:get("sample")
    end
    local e = summary.errors
    local secs = summary.duration / 1e6
    io.write(string.format(
      "BENCH_RESULT route=%s requests=%d duration_s=%.3f rps=%.1f mean_ms=%.3f p50_ms=%.3f p90_ms=%.3f " ..
      "p99_ms=%.3f max_ms=%.3f non_ok=%d checked=%d err_connect=%d err_read=%d err_write=%d " ..
      "err_status=%d err_timeout=%d\n",
      route, summary.requests, secs, summary.requests / secs, latency.mean / 1000,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency.max / 1000, total_non_ok, checked, e.connect, e.read, e.write, e.status, e.timeout))
    if first_sample then
      io.write("BENCH_SAMPLE route=" .. route .. " " .. first_sample .. "\n")
    end
  end
end

return M
