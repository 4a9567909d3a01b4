// Package alexaverify checks that an HTTP request to a skill hosted as a
// web service really comes from Alexa, before anything in it is decoded or
// acted on: the SignatureCertChainUrl rules, the certificate chain
// (downloaded once per URL and cached, at most 8 downloads at a time), the
// Signature-256 signature of the raw body, the timestamp window and the
// skill ID allow-list. Amazon states the rules in "Host a Custom Skill as a
// Web Service",
// https://developer.amazon.com/en-US/docs/alexa/custom-skills/host-a-custom-skill-as-a-web-service.html.
//
// The Lambda function does not need it (Lambda's Alexa trigger is
// restricted to the skill's ID); `spasmcoach serve` does. Every refusal is
// one error type, *Error, whose Rule names the check that failed, so that
// a server logs the rule without a table of its own. Outbound calls to the
// Alexa APIs are in package alexaapi.
package alexaverify
