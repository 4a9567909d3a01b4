// Package alexaapi makes the outbound calls to the Alexa REST APIs the
// skill uses: Timers, Reminders, and the device's time zone from the
// Settings API. They carry out the effects of a turn that reach beyond the
// response: a pack timer that rings on the user's own Echo, a reminder of
// the next pack, and the user's time zone, so that the safety briefing
// comes again on each new day of the user's own calendar.
// (Inbound requests are verified by package alexaverify.)
//
// # Outbound calls
//
// A Client is built once (at Lambda init) and is safe for concurrent use.
// Every call takes the Endpoint of the request being handled: the request's
// context.System.apiEndpoint and apiAccessToken. The host is never
// hard-coded, because North America, Europe and the Far East use different
// hosts. The token is sent only in the Authorization header and never
// appears in an error message or a log line.
//
// The caller sets the deadline through the context (a turn gives each
// call what remains of its 6 seconds, at most 2); a context without a
// deadline gets DefaultTimeout. The client never retries: creating a timer
// or a reminder is not idempotent, and a turn runs each effect once.
//
// # Errors
//
// A call fails with an error that names the operation and wraps its cause:
// ErrNoToken (no HTTP call was made), ErrInvalidRequest (the arguments
// could not be sent; no HTTP call), ErrInvalidEndpoint (no HTTP call),
// *APIError (Alexa answered with a non-2xx status), ErrBadResponse (a 2xx
// answer that could not be used), or a transport error (connection
// refused, context deadline exceeded, ...). Classify reduces any of them to
// an Outcome, so that the caller maps outcomes to speech in one table:
//
//	401, 403                          NeedPermission  ask for the permission by voice
//	404                               NotFound        the timer already rang or was cancelled
//	400, ErrInvalidRequest            Rejected        log it, a plain apology
//	ErrNoToken                        NoToken         no apiAccessToken in the request
//	anything else (429, 5xx, 504      Unavailable     "set it yourself", and go on
//	device offline, timeouts,
//	connection errors, bad answers)
//
// # Time zones
//
// This package imports time/tzdata, so TimeZone can load any IANA zone even
// where the system has no zoneinfo database. The Lambda runtime
// provided.al2023 is a minimal image that cannot be relied on to ship
// /usr/share/zoneinfo, and time.LoadLocation would then fail for every
// user. The import costs about 450 KB of binary size and is used only when
// the system database is missing. It lives here, next to the only
// time.LoadLocation call, rather than in main, so that every program that
// uses this package (the Lambda, cmd/spasmcoach, tests) behaves the same.
package alexaapi
