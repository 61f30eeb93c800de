-- wrk script of bench/http_completions.py: each connection is an agency officer going round worklist -> task form ->
-- complete, on task ids handed out beforehand (BENCH_DIR/ids-N.txt, one per line) with a token each
-- (BENCH_DIR/tokens.txt, line N). Run with as many threads as connections: one officer per thread.
-- Completions are timed here (CLOCK_MONOTONIC through LuaJIT's FFI); wrk's own latency mixes all three.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } timespec;
  int clock_gettime(int clock_id, timespec *tp);
]]
local now_ts = ffi.new("timespec")
local function now_ms()
  ffi.C.clock_gettime(1, now_ts)
  return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
end

local dir = os.getenv("BENCH_DIR")
local threads, counter = {}, 0

function setup(thread)
  counter = counter + 1
  thread:set("index", counter)
  table.insert(threads, thread)
end

local ids, token, step, current, sent_at = {}, nil, 0, 0, 0
completed, refused, latencies = 0, 0, ""

function init(args)
  local n = 0
  for line in io.lines(dir .. "/tokens.txt") do
    n = n + 1
    if n == index then token = line end
  end
  for line in io.lines(dir .. "/ids-" .. index .. ".txt") do table.insert(ids, line) end
end

local body = '{"data": {"summary": "Đã tổ chức tuyên truyền tại 3 xã, phường"}}'

function request()
  local headers = {["Authorization"] = "Bearer " .. token, ["Accept-Language"] = "en"}
  if current >= #ids then  -- nothing left to complete: keep reading the worklist
    step = 0
    return wrk.format("GET", "/api/v1/tasks?per_page=50", headers)
  end
  if step == 0 then
    return wrk.format("GET", "/api/v1/tasks?per_page=50", headers)
  elseif step == 1 then
    return wrk.format("GET", "/api/v1/tasks/" .. ids[current + 1], headers)
  end
  headers["Content-Type"] = "application/json"
  sent_at = now_ms()
  return wrk.format("POST", "/api/v1/tasks/" .. ids[current + 1] .. "/complete", headers, body)
end

function response(status, headers, response_body)
  if current >= #ids then return end
  if step == 2 then
    if status == 200 then
      completed = completed + 1
      latencies = latencies .. string.format("%.3f,", now_ms() - sent_at)
    else
      refused = refused + 1
    end
    current = current + 1
    step = 0
  else
    step = step + 1
  end
end

function done(summary, latency, requests)
  local total_completed, total_refused, all = 0, 0, {}
  for _, thread in ipairs(threads) do
    total_completed = total_completed + thread:get("completed")
    total_refused = total_refused + thread:get("refused")
    table.insert(all, thread:get("latencies"))
  end
  io.write(string.format('BENCH {"completed": %d, "refused": %d, "requests": %d, "seconds": %.3f, ' ..
    '"errors": %d, "request_p50_ms": %.3f, "request_p99_ms": %.3f, "completion_ms": [%s]}\n',
    total_completed, total_refused, summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status +
      summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, string.sub(table.concat(all, ""), 1, -2)))
end
