-- One wrk script for every throughput run of end2end/bench/run.sh: each request takes a
-- random URL from a list the benchmark built from the running shop (urls.mjs).
--
-- Set through the environment (wrk passes no arguments to threads):
--   BENCH_URLS    the list: one page a line, "<path on our server>\t<path of the saved copy on nginx>"
--   BENCH_COLUMN  app | nginx: which of the two paths to request
--   BENCH_MODE    uncached: every request gets an ignored, unique `_b=` parameter, so the
--                   page micro-cache (keyed by the full URI) can never answer it;
--                 cached: the paths as they are, so repeated pages may be served from it
--   BENCH_DIST    uniform: every line equally likely;
--                 zipf: line k (1-based) drawn with weight 1/k (Zipf, s = 1): the first
--                   lines are the popular pages, the long tail is rarely seen
--   BENCH_COOKIE  optional Cookie header (the signed-in member's session)
--   BENCH_STATS   where done() writes a JSON summary (requests, latency percentiles, status
--                 counts, x-cache hits/misses, content encodings)
--   BENCH_ACCEPT_ENCODING  default "br, gzip", as browsers send: each server answers with the
--                 best encoding it has (ours: brotli; nginx-light: gzip_static, it has no
--                 brotli). "none" sends no Accept-Encoding (a diagnostic: what compression costs).

local paths = {}
local cdf = nil
local counter = 0
local run_id = tostring(os.time())

-- Counted per thread in response(), collected by done() through thread:get().
n_responses = 0
n_hit = 0
n_miss = 0
n_nocache = 0
n_bad = 0
n_br = 0
n_gzip = 0
n_identity = 0
n_other_encoding = 0
first_bad = ""

local function env(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then
    return default
  end
  return v
end

local function load_paths()
  local file = env("BENCH_URLS", nil)
  assert(file, "BENCH_URLS is not set")
  local column = env("BENCH_COLUMN", "app")
  assert(column == "app" or column == "nginx", "BENCH_COLUMN must be app or nginx")
  local list = {}
  for line in io.lines(file) do
    if line ~= "" then
      local app_path, nginx_path = line:match("^([^\t]+)\t([^\t]+)")
      assert(app_path, "bad line in " .. file .. ": " .. line)
      if column == "app" then
        list[#list + 1] = app_path
      else
        list[#list + 1] = nginx_path
      end
    end
  end
  assert(#list > 0, file .. " has no URLs")
  return list
end

local function zipf_cdf(n)
  local c, total = {}, 0
  for k = 1, n do
    total = total + 1 / k
    c[k] = total
  end
  for k = 1, n do
    c[k] = c[k] / total
  end
  return c
end

-- Index of the first cdf entry >= u (binary search).
local function draw(u)
  local lo, hi = 1, #cdf
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then
      lo = mid + 1
    else
      hi = mid
    end
  end
  return lo
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_no", thread_count)
  table.insert(threads, thread)
end

local mode, dist, headers

function init(args)
  paths = load_paths()
  mode = env("BENCH_MODE", "uncached")
  assert(mode == "uncached" or mode == "cached", "BENCH_MODE must be uncached or cached")
  dist = env("BENCH_DIST", "uniform")
  assert(dist == "uniform" or dist == "zipf", "BENCH_DIST must be uniform or zipf")
  if dist == "zipf" then
    cdf = zipf_cdf(#paths)
  end
  math.randomseed(os.time() * 1000 + (thread_no or 0) * 7919)
  headers = {}
  local accept = env("BENCH_ACCEPT_ENCODING", "br, gzip")
  if accept ~= "none" then
    headers["Accept-Encoding"] = accept
  end
  local cookie = env("BENCH_COOKIE", nil)
  if cookie then
    headers["Cookie"] = cookie
  end
end

function request()
  local path
  if dist == "zipf" then
    path = paths[draw(math.random())]
  else
    path = paths[math.random(#paths)]
  end
  if mode == "uncached" then
    counter = counter + 1
    local sep = path:find("?", 1, true) and "&" or "?"
    path = path .. sep .. "_b=" .. run_id .. "." .. (thread_no or 0) .. "." .. counter
  end
  return wrk.format("GET", path, headers)
end

function response(status, hdrs, body)
  n_responses = n_responses + 1
  if status < 200 or status >= 300 then
    n_bad = n_bad + 1
    if first_bad == "" then
      first_bad = tostring(status)
    end
  end
  -- One global a status ("s_200"): thread:get() copies plain values only.
  local key = "s_" .. status
  _G[key] = (_G[key] or 0) + 1
  local cache = hdrs["x-cache"] or hdrs["X-Cache"]
  if cache == "hit" then
    n_hit = n_hit + 1
  elseif cache == "miss" then
    n_miss = n_miss + 1
  else
    n_nocache = n_nocache + 1
  end
  local enc = hdrs["content-encoding"] or hdrs["Content-Encoding"]
  if enc == nil then
    n_identity = n_identity + 1
  elseif enc == "br" then
    n_br = n_br + 1
  elseif enc == "gzip" then
    n_gzip = n_gzip + 1
  else
    n_other_encoding = n_other_encoding + 1
  end
end

function done(summary, latency, requests)
  local sum = {
    n_responses = 0, n_hit = 0, n_miss = 0, n_nocache = 0, n_bad = 0,
    n_br = 0, n_gzip = 0, n_identity = 0, n_other_encoding = 0,
  }
  local bad_example = ""
  local by_status = {}
  for _, t in ipairs(threads) do
    for k, _ in pairs(sum) do
      sum[k] = sum[k] + (t:get(k) or 0)
    end
    local fb = t:get("first_bad") or ""
    if bad_example == "" and fb ~= "" then
      bad_example = fb
    end
    for s = 100, 599 do
      local n = t:get("s_" .. s)
      if n then
        by_status[s] = (by_status[s] or 0) + n
      end
    end
  end
  local status_json = {}
  for s, n in pairs(by_status) do
    status_json[#status_json + 1] = string.format('"%s": %d', s, n)
  end
  local e = summary.errors
  local out = string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}, ' ..
      '"responses": %d, "non_2xx": %d, "first_non_2xx": "%s", "statuses": {%s}, ' ..
      '"x_cache": {"hit": %d, "miss": %d, "none": %d}, ' ..
      '"encoding": {"br": %d, "gzip": %d, "identity": %d, "other": %d}, ' ..
      '"urls": %d, "mode": "%s", "dist": "%s", "column": "%s", "signed_in": %s}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    sum.n_responses, sum.n_bad, bad_example, table.concat(status_json, ", "),
    sum.n_hit, sum.n_miss, sum.n_nocache,
    sum.n_br, sum.n_gzip, sum.n_identity, sum.n_other_encoding,
    #load_paths(), env("BENCH_MODE", "uncached"), env("BENCH_DIST", "uniform"),
    env("BENCH_COLUMN", "app"), env("BENCH_COOKIE", nil) and "true" or "false"
  )
  local file = env("BENCH_STATS", nil)
  if file then
    local f = assert(io.open(file, "w"))
    f:write(out)
    f:close()
  else
    io.write(out)
  end
end
