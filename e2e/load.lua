-- wrk script for e2e/load.sh: POSTs realistic Alexa requests to
-- `spasmcoach serve --dev`, spread over many users, so that each turn reads
-- the user's state from the store and saves it when it changes. Requests
-- are in-session IntentRequests (and some LaunchRequests) as Alexa sends
-- them, without the state in the session attributes, so every turn loads
-- state from the store. Consecutive requests go to different users, and the two threads
-- start half the users apart, so that one user rarely has two requests in
-- flight at once (which a real user cannot do; it would be a write
-- conflict, which the turn retries once).

local users = 64
local kinds = {
  { type = "LaunchRequest" },
  { type = "IntentRequest", intent = "StartBreathingIntent" },
  { type = "IntentRequest", intent = "AMAZON.RepeatIntent" },
  { type = "IntentRequest", intent = "WhereAmIIntent" },
  { type = "IntentRequest", intent = "AMAZON.HelpIntent" },
  { type = "IntentRequest", intent = "GoToStepIntent", slot = "step", value = "3" },
}

local function body(user, kind, n)
  local now = os.date("!%Y-%m-%dT%H:%M:%SZ")
  local app = '{"applicationId":"amzn1.ask.skill.00000000-0000-0000-0000-00000000load"}'
  local userObj = string.format(
    '{"userId":"amzn1.ask.account.LOAD-USER-%d","permissions":{"scopes":{"alexa::alerts:timers:skill:readwrite":{"status":"GRANTED"}}}}', user)
  local intent = ""
  if kind.intent then
    local slots = ""
    if kind.slot then
      slots = string.format(',"slots":{"%s":{"name":"%s","value":"%s","confirmationStatus":"NONE"}}', kind.slot, kind.slot, kind.value)
    end
    intent = string.format(',"intent":{"name":"%s","confirmationStatus":"NONE"%s}', kind.intent, slots)
  end
  -- A session's later turns carry the time zone the skill asked for on
  -- its first turn (the session attribute "tz"), but no state, so that
  -- every turn reads the store. A LaunchRequest asks for the zone; the
  -- apiEndpoint refuses at once, as an unreachable Alexa API would.
  local isNew, attrs = "false", '{"tz":"America/New_York"}'
  if kind.type == "LaunchRequest" then isNew, attrs = "true", "{}" end
  return string.format(
    '{"version":"1.0",' ..
    '"session":{"new":%s,"sessionId":"amzn1.echo-api.session.load-%d","application":%s,"attributes":%s,"user":{"userId":"amzn1.ask.account.LOAD-USER-%d"}},' ..
    '"context":{"System":{"application":%s,"user":%s,' ..
    '"device":{"deviceId":"amzn1.ask.device.LOAD-%d","supportedInterfaces":{"AudioPlayer":{}}},' ..
    '"apiEndpoint":"http://127.0.0.1:9","apiAccessToken":"load-token"}},' ..
    '"request":{"type":"%s","requestId":"amzn1.echo-api.request.load-%d","timestamp":"%s","locale":"en-US"%s}}',
    isNew, user, app, attrs, user, app, userObj, user, kind.type, n, now, intent)
end

local bodies = {}
local n = 0
for _, k in ipairs(kinds) do
  for u = 1, users do
    n = n + 1
    bodies[n] = body(u, k, n)
  end
end

local headers = { ["Content-Type"] = "application/json;charset=UTF-8" }
local i = 0

local threads = 0
function setup(thread)
  thread:set("offset", threads * math.floor(users / 2))
  threads = threads + 1
end

function init(_)
  i = offset or 0
end

request = function()
  i = i + 1
  return wrk.format("POST", nil, headers, bodies[(i % #bodies) + 1])
end
