// Package alexatest is Alexa for tests and local tools, the way
// net/http/httptest is an HTTP client and server: a Session that builds the
// requests Alexa sends a skill (launch, intents with slots, the session's
// continuation with the attributes the skill returned, Connections.Response,
// SessionEndedRequest, skill events), and a Server that answers the Alexa
// Timers, Reminders and Settings APIs as documented, checks every request
// against the documentation, and records the calls. It is a normal package
// so that the local chat command can use the same Server as the tests.
package alexatest

// SkillID is the skill ID of the requests a Session builds unless told
// otherwise.
const SkillID = "amzn1.ask.skill.test-skill"
