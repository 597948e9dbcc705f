-- wrk script of bench/throughput.py: every request carries the logged-in repairer's session
-- cookie (BENCH_COOKIE, empty for the anonymous baseline). A redirect (3xx: the session was
-- refused, sent to the login form) is counted apart and printed, so that a fast wrong page
-- is never taken for throughput.
local cookie = os.getenv("BENCH_COOKIE") or ""
if cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

redirects = 0  -- global: read per thread by done() through thread:get
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status >= 300 and status < 400 then
    redirects = redirects + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("redirects") or 0)
  end
  io.write(string.format("Redirects: %d\n", total))
end
