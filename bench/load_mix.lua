-- wrk script for bench/load_mix.py: replays prepared raw HTTP requests in a fixed mix and keeps
-- per-class latencies, statuses and lost requests (wrk's own histogram is global).
--
-- Environment (set by load_mix.py):
--   LOADMIX_REQUESTS  file of prepared requests (written by load_mix.py save_requests: records
--                     "<class> <head length> <tail length>\n<head><tail>", a "deck" record with the mix
--                     and "write" records naming the write classes)
--   LOADMIX_OUT       where done() writes one line per response: class, status, latency (us), request id;
--                     "pending" lines (class, age in us, id) for requests never answered, "wrapped" lines
--   LOADMIX_READONLY  "1": skip the write classes (warm-up)
--   LOADMIX_THREADS   wrk's -t, so threads can split the write pools between them
--
-- Every request carries a unique X-Request-ID ("<thread>-<counter>"); the app echoes it in the
-- response (app.web.middleware), so response() finds the request's class and start time even though
-- wrk does not say which of a thread's connections answered. Time comes from clock_gettime
-- (CLOCK_MONOTONIC) through LuaJIT's ffi, read in request() just before wrk writes the request.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } loadmix_timespec;
int clock_gettime(int clk_id, loadmix_timespec *tp);
]])
local ts = ffi.new("loadmix_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end

-- per-thread state
local heads, tails = {}, {}   -- class -> array of strings
local deck = {}               -- sequence of class names (the mix)
local pos = 0                 -- position in the deck
local next_index = {}         -- class -> next request of that class
local step = {}               -- class -> stride (threads partition the write pools)
local is_write = {}           -- class -> true for the write classes
local threads_total = 1
local counter = 0
-- globals, because done() reads them with thread:get (which copies globals only)
pending_class, pending_start = {}, {}  -- requests not answered yet: class and start (us), by id
s_class, s_status, s_us, s_id = {}, {}, {}, {}  -- one entry per response: class, status, latency (us), id
last_us = 0                            -- time of the thread's last response
wrapped = {}                           -- class -> true when a write pool was used up and reused

local function read_requests(path, readonly)
  local f = assert(io.open(path, "rb"))
  local data = f:read("*a")
  f:close()
  local at = 1
  while at <= #data do
    local eol = data:find("\n", at, true)
    local line = data:sub(at, eol - 1)
    at = eol + 1
    local kind, a, b = line:match("^(%S+) (%d+) (%d+)$")
    a, b = tonumber(a), tonumber(b)
    if kind == "deck" then
      for name in data:sub(at, at + a - 1):gmatch("%S+") do
        deck[#deck + 1] = name
      end
    elseif kind == "write" then
      is_write[data:sub(at, at + a - 1)] = true
    else
      heads[kind] = heads[kind] or {}
      tails[kind] = tails[kind] or {}
      local n = #heads[kind] + 1
      heads[kind][n] = data:sub(at, at + a - 1)
      tails[kind][n] = data:sub(at + a, at + a + b - 1)
    end
    at = at + a + b
  end
  if readonly then
    local kept = {}
    for _, name in ipairs(deck) do
      if not is_write[name] then kept[#kept + 1] = name end
    end
    deck = kept
  end
end

function init(args)
  read_requests(os.getenv("LOADMIX_REQUESTS"), os.getenv("LOADMIX_READONLY") == "1")
  threads_total = tonumber(os.getenv("LOADMIX_THREADS")) or 1
  math.randomseed(7919 * tid)
  pos = math.floor(#deck * (tid - 1) / threads_total)
  for name, list in pairs(heads) do
    if is_write[name] then  -- writes: thread t takes entries t, t+T, t+2T... so no two requests repeat
      next_index[name] = tid
      step[name] = threads_total
    else                -- reads: each thread starts somewhere else in the pool
      next_index[name] = math.random(#list)
      step[name] = 1
    end
  end
end

function request()
  pos = pos % #deck + 1
  local class = deck[pos]
  local list = heads[class]
  local i = next_index[class]
  if i > #list then
    i = (i - 1) % #list + 1
    if is_write[class] then wrapped[class] = true end
  end
  next_index[class] = next_index[class] + step[class]
  counter = counter + 1
  local id = tid .. "-" .. counter
  if tid == 1 and counter == 1 then
    -- wrk calls request() once in the first thread before the run, to check it (script_verify_request):
    -- that one is never sent
    return list[i] .. id .. tails[class][i]
  end
  pending_class[id] = class
  pending_start[id] = now_us()
  return list[i] .. id .. tails[class][i]
end

function response(status, headers, body)
  local now = now_us()
  local id = headers["x-request-id"] or headers["X-Request-ID"]
  local class = id and pending_class[id]
  if not class then
    s_class[#s_class + 1] = "unknown"
    s_status[#s_status + 1] = status
    s_us[#s_us + 1] = 0
    s_id[#s_id + 1] = id or "-"
    return
  end
  s_class[#s_class + 1] = class
  s_status[#s_status + 1] = status
  s_us[#s_us + 1] = now - pending_start[id]
  s_id[#s_id + 1] = id
  pending_class[id] = nil
  pending_start[id] = nil
  last_us = now
end

function done(summary, latency, requests)
  local out = assert(io.open(os.getenv("LOADMIX_OUT"), "w"))
  for _, thread in ipairs(threads) do
    local classes, statuses, times, ids = thread:get("s_class"), thread:get("s_status"), thread:get("s_us"), thread:get("s_id")
    for i = 1, #classes do
      out:write(classes[i], "\t", statuses[i], "\t", times[i], "\t", ids[i], "\n")
    end
    -- requests still unanswered at the end: in flight when wrk stopped, or lost (socket error)
    -- requests still unanswered at the end: in flight when wrk stopped, or lost (socket error);
    -- their age at the thread's last response tells which
    local pclass, pstart, last = thread:get("pending_class"), thread:get("pending_start"), thread:get("last_us")
    for id, name in pairs(pclass) do
      out:write("pending\t", name, "\t", math.max(0, last - pstart[id]), "\t", id, "\n")
    end
    for name, _ in pairs(thread:get("wrapped")) do
      out:write("wrapped\t", name, "\t0\t-\n")
    end
  end
  out:close()
end
