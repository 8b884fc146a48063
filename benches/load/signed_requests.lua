-- wrk script: cycles through pre-signed Twilio webhooks, one per line as
-- "signature TAB body", POSTed to the path given after the file
-- (`-- FILE PATH`); each wrk thread starts at its own offset so the
-- CallSids / MessageSids do not repeat.
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
local requests = {}
local i = 0
function init(args)
  local path = args[2]
  for line in io.lines(args[1]) do
    local sig, body = line:match("([^\t]+)\t(.*)")
    requests[#requests + 1] = wrk.format("POST", path,
      { ["Content-Type"] = "application/x-www-form-urlencoded", ["X-Twilio-Signature"] = sig }, body)
  end
  i = offset * math.floor(#requests / 2)
end
function request()
  i = i % #requests + 1
  return requests[i]
end
