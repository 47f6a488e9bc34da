-- wrk script for `seira bench`: every request issues a new ticket at the bench site, with a
-- request id unique to its thread and its turn (the same id again would be the same ticket).
-- The kiosk token comes with `-H "Authorization: Bearer …"`; the first argument after `--`
-- makes the ids unique to the run.

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  run = args[1] or "wrk"
  turn = 0
  headers = wrk.headers
  headers["Content-Type"] = "application/json"
end

function request()
  turn = turn + 1
  local body = string.format(
    '{"service":"benefits","request_id":"%s-%d-%d"}', run, tid, turn)
  return wrk.format("POST", nil, headers, body)
end
