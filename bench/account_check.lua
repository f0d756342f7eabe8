-- wrk script: POST /v4/im_open_login_svc/account_check with a fresh `random` query
-- parameter (0..4294967295) on EVERY request, as the vendor's REST API expects.
--
-- Settings come from the environment (rest-bench.sh exports them):
--   BENCH_SDKAPPID    (required) app id, e.g. 1400000001
--   BENCH_USERSIG     (required) UserSig of the administrator
--   BENCH_IDENTIFIER  administrator identifier, default "administrator"
--   BENCH_CHECK_USERS comma-separated UserIDs to check, default
--                     "bench_user_1,@customer_service_account"
--   BENCH_LUA_DEBUG=1 print the first 3 request lines of each thread
--
-- A response counts as non-OK unless it is HTTP 200 and its body contains
-- "ActionStatus":"OK"; the total is printed by done() (see wrk_report.lua).
--
-- Manual use:
--   BENCH_SDKAPPID=1400000001 BENCH_USERSIG=... \
--     wrk -t2 -c64 -d30s --latency -s bench/account_check.lua http://127.0.0.1:18080

local here = (debug.getinfo(1, "S").source:match("^@(.*/)")) or "./"
local report = dofile(here .. "wrk_report.lua")

local function need(name)
  local v = os.getenv(name)
  if v == nil or v == "" then
    error("account_check.lua: environment variable " .. name .. " is required")
  end
  return v
end

local sdkappid = need("BENCH_SDKAPPID")
local usersig = need("BENCH_USERSIG")
local identifier = os.getenv("BENCH_IDENTIFIER") or "administrator"
local users = os.getenv("BENCH_CHECK_USERS") or "bench_user_1,@customer_service_account"
local debug_requests = os.getenv("BENCH_LUA_DEBUG") == "1"

local items = {}
for id in string.gmatch(users, "[^,]+") do
  table.insert(items, '{"UserID":"' .. id .. '"}')
end
local body = '{"CheckItem":[' .. table.concat(items, ",") .. ']}'

-- everything but the random value is fixed; random goes last so only a suffix changes
local path_prefix = "/v4/im_open_login_svc/account_check?sdkappid=" .. sdkappid ..
  "&identifier=" .. identifier .. "&usersig=" .. usersig .. "&contenttype=json&random="
local headers = { ["Content-Type"] = "application/json" }

local debug_left = 3

-- A uniform 32-bit unsigned value from two 16-bit halves: exact in any Lua number
-- representation, and independent of how math.random(m, n) treats large bounds.
local function random_u32()
  return math.random(0, 65535) * 65536 + math.random(0, 65535)
end

request = function()
  local path = path_prefix .. string.format("%.0f", random_u32())
  if debug_requests and debug_left > 0 then
    debug_left = debug_left - 1
    io.stderr:write("[thread " .. tostring(thread_id) .. "] POST " .. path .. "\n")
  end
  return wrk.format("POST", path, headers, body)
end

report.install("account_check", function(status, resp_body)
  return status == 200 and resp_body ~= nil
    and string.find(resp_body, '"ActionStatus":"OK"', 1, true) ~= nil
end)
