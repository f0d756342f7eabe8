-- wrk script: GET /ping (the framework ceiling: Helidon routing without database or JSON).
-- No `request` function, so wrk sends its pre-built request; `response` only checks that
-- each answer is HTTP 200 with body "pong" and done() prints the totals (see wrk_report.lua).
--
-- Manual use: wrk -t2 -c64 -d30s --latency -s bench/ping.lua http://127.0.0.1:18080/ping

local here = (debug.getinfo(1, "S").source:match("^@(.*/)")) or "./"
local report = dofile(here .. "wrk_report.lua")

report.install("ping", function(status, body)
  return status == 200 and body == "pong"
end)
