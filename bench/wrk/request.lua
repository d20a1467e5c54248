-- One request, repeated by wrk. bench/run.sh describes it in the environment and passes any
-- headers (Authorization, Connection) with -H:
--   BENCH_METHOD  GET (default) or POST
--   BENCH_BODY    an application/x-www-form-urlencoded body (POST)
-- done() prints one machine-readable line that run.sh parses (latencies in microseconds).
wrk.method = os.getenv("BENCH_METHOD") or "GET"

local body = os.getenv("BENCH_BODY") or ""
if body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "bench: requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
