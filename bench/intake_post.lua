-- wrk script: POST /api/v2/alerts bodies of BATCH alerts (Prometheus' shape), label sets drawn
-- from a pool of DISTINCT alerts, as Prometheus re-sends them. Env: BATCH (1), DISTINCT (10000).
-- Each wrk thread walks the whole pool in order from its own starting point, so every alert is
-- sent at every batch size and the threads do not send the same body at the same time.
local batch = tonumber(os.getenv("BATCH") or "1")
local distinct = tonumber(os.getenv("DISTINCT") or "10000")
local names = {"HighCPU", "DiskFull", "HighLatencyP99", "PodCrashLooping", "TargetDown",
               "HighErrorRate", "ReplicationLag", "QueueBacklog"}
local threads = 0
local bodies = {}
local counter = 0

local function alert(i)
  local name = names[(i % #names) + 1]
  return string.format(
    '{"labels":{"alertname":"%s","cluster":"eu-%d","instance":"host-%05d:9100","job":"node",' ..
    '"severity":"warning","team":"web"},"annotations":{"summary":"%s on host-%05d",' ..
    '"description":"value is above the threshold for 5 minutes"},' ..
    '"startsAt":"2026-11-26T00:00:00Z","endsAt":"2099-01-01T00:00:00Z",' ..
    '"generatorURL":"http://prometheus:9090/graph?g0.expr=up"}',
    name, i % 3, i, name, i)
end

-- Runs once per wrk thread in the main Lua state, before the threads start.
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end

-- Runs in each thread's own Lua state: `id` is that thread's number (0, 1, ...).
init = function(args)
  local count = math.ceil(distinct / batch)
  for b = 0, count - 1 do
    local parts = {}
    for k = 1, batch do parts[k] = alert((b * batch + k - 1) % distinct) end
    bodies[b + 1] = "[" .. table.concat(parts, ",") .. "]"
  end
  counter = (id or 0) * math.floor(count / 2)
end

request = function()
  counter = counter + 1
  return wrk.format("POST", "/api/v2/alerts", {["Content-Type"] = "application/json"},
                    bodies[(counter % #bodies) + 1])
end
