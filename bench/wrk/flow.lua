-- Browser-less flows through idpd, repeated by wrk: each step's answer feeds a later request.
-- All connections of a wrk thread share this state, so a code or session one connection got
-- may be spent by another; that is fine, both are bearer values. bench/run.sh sets up the
-- account, client and cookies (bench/flow_setup.mjs) and describes the flow in the environment:
--   BENCH_FLOW        signin      POST /signin with the password (one Argon2id verify each)
--                     code        GET /authorize with a pre-made session → POST /token
--                     login-code  POST /signin → GET /authorize with the new session → POST /token
--                     refresh     POST /token grant_type=refresh_token, each answer's new refresh
--                                 token used by the next request (rotation: each is single-use)
--   BENCH_FORM_COOKIE, BENCH_CSRF          the pre-session cookie and its form token
--   BENCH_SIGNIN_BODY                      identifier=…&password=… (URL-encoded)
--   BENCH_ORIGIN                           the issuer's origin (the pages check it on POST)
--   BENCH_SESSION_COOKIE                   for `code`: a signed-in session cookie
--   BENCH_AUTHORIZE_PATH                   /authorize?… (first-party client: no consent)
--   BENCH_TOKEN_PATH                       the token endpoint's path (/token)
--   BENCH_TOKEN_BODY                       grant_type=authorization_code&…&code= (code appended)
--   BENCH_CLIENT_AUTH                      the token request's Authorization header
--   BENCH_REFRESH_TOKENS                   for `refresh`: the chains' first tokens, comma-separated
-- A flow is done when /token answers 200 (for `signin`, when /signin answers 303 with a
-- session cookie). done() prints the bench line run.sh parses, counting flows as requests;
-- latencies are per HTTP request.
local flow = os.getenv("BENCH_FLOW") or "signin"
local form_cookie = os.getenv("BENCH_FORM_COOKIE") or ""
local signin_body = (os.getenv("BENCH_SIGNIN_BODY") or "") .. "&csrf=" .. (os.getenv("BENCH_CSRF") or "")
local origin = os.getenv("BENCH_ORIGIN") or ""
local session_cookie = os.getenv("BENCH_SESSION_COOKIE") or ""
local authorize_path = os.getenv("BENCH_AUTHORIZE_PATH") or "/authorize"
local token_path = os.getenv("BENCH_TOKEN_PATH") or "/token"
local token_body = os.getenv("BENCH_TOKEN_BODY") or ""
local client_auth = os.getenv("BENCH_CLIENT_AUTH") or ""

local codes = {}     -- codes waiting for their exchange
local refresh = {}   -- refresh tokens waiting for their (single) use
for t in (os.getenv("BENCH_REFRESH_TOKENS") or ""):gmatch("[^,]+") do table.insert(refresh, t) end
local sessions = {}  -- session cookies waiting for their /authorize
flows = 0            -- read by done() through thread:get
failures = 0

local function signin_request()
  return wrk.format("POST", "/signin", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Origin"] = origin,
    ["Cookie"] = form_cookie,
  }, signin_body)
end

local function authorize_request(cookie)
  return wrk.format("GET", authorize_path, { ["Cookie"] = cookie }, nil)
end

local function token_request(code)
  return wrk.format("POST", token_path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = client_auth,
  }, token_body .. code)
end

local function refresh_request(token)
  return wrk.format("POST", token_path, {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = client_auth,
  }, "grant_type=refresh_token&refresh_token=" .. token)
end

function request()
  if flow == "refresh" then
    -- More chains than connections, so one is always free; an empty pool means every chain
    -- broke (a refusal), and the failures count says so.
    return refresh_request(table.remove(refresh, 1) or "exhausted")
  end
  if #codes > 0 then
    return token_request(table.remove(codes))
  end
  if flow == "code" then
    return authorize_request(session_cookie)
  end
  if flow == "login-code" and #sessions > 0 then
    return authorize_request(table.remove(sessions))
  end
  return signin_request()
end

function response(status, headers, body)
  if flow == "refresh" then
    local next_token = status == 200 and body:match('"refresh_token"%s*:%s*"([^"]+)"')
    if next_token then
      table.insert(refresh, next_token)
      flows = flows + 1
    else
      failures = failures + 1
    end
    return
  end
  local location = headers["Location"] or headers["location"]
  if (status == 303 or status == 302) and location and location:find("[?&]code=") then
    table.insert(codes, location:match("[?&]code=([^&]+)"))
  elseif status == 303 and location then
    -- A sign-in: the session cookie is the response's last Set-Cookie (PageKit::open_session
    -- sets it last; wrk keeps one value per header name).
    local cookie = (headers["Set-Cookie"] or headers["set-cookie"] or ""):match("^([^;]+)")
    if flow == "signin" then
      if cookie and cookie:find("idpd_session=") then flows = flows + 1 else failures = failures + 1 end
    elseif cookie and cookie:find("idpd_session=") then
      table.insert(sessions, cookie)
    else
      failures = failures + 1
    end
  elseif status == 200 and body:find("access_token", 1, true) then
    flows = flows + 1
  else
    failures = failures + 1
  end
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local done_flows, failed = 0, 0
  for _, t in ipairs(threads) do
    done_flows = done_flows + t:get("flows")
    failed = failed + t:get("failures")
  end
  local e = summary.errors
  io.write(string.format(
    "bench: requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d http_count=%d\n",
    done_flows, summary.duration, latency:percentile(50), latency:percentile(99),
    failed, e.connect + e.read + e.write + e.timeout, summary.requests))
end
