// Package alexa holds the JSON wire format of an Alexa custom skill: the
// request Alexa sends and the response the skill returns, as flat Go types
// with small accessors and no other behaviour, the way aws-lambda-go's
// events package holds the events of other AWS services. It is the wire
// format's one home: the turn (package intents) decodes requests into these
// types and encodes its responses from them, and the simulated Alexa of
// package alexatest, which the tests and the local chat use, builds and
// reads the same types. One json.Unmarshal of a request body into a
// Request fills every field the skill reads.
//
// The request types build on github.com/arienmalec/alexa-go by embedding
// its types where they carry fields we read:
//
//   - alexa-go's Session gives new, sessionId and application.applicationId;
//   - alexa-go's ReqBody gives the request's type, requestId, timestamp,
//     locale, reason (SessionEndedRequest) and dialogState;
//   - alexa-go's Intent gives the intent's name, and its Slot a slot's name
//     and value.
//
// What alexa-go lacks is added beside the embedded type, and where a field
// of the same JSON name must carry more, ours replaces alexa-go's (encoding/json
// decodes the shallower field): the session's user with permissions and the
// typed attributes this skill sets (Session.User, Session.Attributes); the
// whole context (alexa-go's is anonymous structs without apiEndpoint, the
// context's user, person, permissions or supported interfaces); the
// intent's and slots' confirmation status, the slot's source and its entity
// resolutions with their status; the SessionEndedRequest's error; the
// Connections.Response fields (name, status, payload, token); and the skill
// events' fields. alexa-go's response types lack directives, cards and
// canFulfillIntent as Alexa documents them, so the response types are ours.
//
// The field names follow Amazon's reference,
// https://developer.amazon.com/en-US/docs/alexa/custom-skills/request-and-response-json-reference.html;
// the files under testdata follow its examples.
package alexa
