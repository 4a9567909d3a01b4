package alexaverify

import (
	"errors"
	"fmt"
)

// Rule names one check a request must pass. Its value is the short name a
// server logs when it refuses a request.
type Rule string

// The rules, in the order Verify applies them (cheapest first).
const (
	// RuleBodyTooLarge: the body exceeds VerifyRequest's limit.
	RuleBodyTooLarge Rule = "body-too-large"
	// RuleBodyUnreadable: the body could not be read (the connection
	// failed); nothing about the request was checked.
	RuleBodyUnreadable Rule = "read-body"

	// RuleCertURLMissing: no SignatureCertChainUrl header.
	RuleCertURLMissing Rule = "cert-url-missing"
	// RuleCertURLInvalid: the SignatureCertChainUrl header is not a plain
	// absolute URL (unparsable, relative, opaque, with user info, a query
	// or a fragment, or repeated).
	RuleCertURLInvalid Rule = "cert-url-invalid"
	// RuleCertURLScheme: the certificate chain URL's scheme is not https.
	RuleCertURLScheme Rule = "cert-url-scheme"
	// RuleCertURLHost: the certificate chain URL's host is not
	// s3.amazonaws.com.
	RuleCertURLHost Rule = "cert-url-host"
	// RuleCertURLPort: the certificate chain URL names a port other than
	// 443.
	RuleCertURLPort Rule = "cert-url-port"
	// RuleCertURLPath: the certificate chain URL's normalised path does not
	// start with /echo.api/ (case-sensitive).
	RuleCertURLPath Rule = "cert-url-path"

	// RuleSignatureMissing: no Signature-256 header. The legacy SHA-1
	// Signature header alone is not accepted.
	RuleSignatureMissing Rule = "signature-missing"
	// RuleSignatureEncoding: the Signature-256 header is not valid base64
	// (or is repeated).
	RuleSignatureEncoding Rule = "signature-encoding"

	// RuleBodyMalformed: the body is not a JSON Alexa request envelope with
	// a request.type.
	RuleBodyMalformed Rule = "body-malformed"
	// RuleTimestampInvalid: request.timestamp is missing or not an RFC 3339
	// (ISO-8601) time string.
	RuleTimestampInvalid Rule = "timestamp-invalid"
	// RuleTimestampOutOfRange: request.timestamp is too far in the past or
	// in the future.
	RuleTimestampOutOfRange Rule = "timestamp-out-of-range"
	// RuleApplicationID: the request's application ID is missing or not in
	// the allow-list given with WithApplicationIDs.
	RuleApplicationID Rule = "application-id"

	// RuleCertFetch: the certificate chain could not be downloaded (or the
	// caller's context ended while waiting for it).
	RuleCertFetch Rule = "cert-fetch"
	// RuleCertChainTooLarge: the downloaded chain exceeds the fetcher's
	// size limit.
	RuleCertChainTooLarge Rule = "cert-chain-too-large"
	// RuleCertChainMalformed: the downloaded data is not a PEM list of
	// X.509 certificates.
	RuleCertChainMalformed Rule = "cert-chain-malformed"
	// RuleCertExpired: the signing (first) certificate is past its
	// NotAfter.
	RuleCertExpired Rule = "cert-expired"
	// RuleCertNotYetValid: the signing certificate is before its NotBefore.
	RuleCertNotYetValid Rule = "cert-not-yet-valid"
	// RuleCertSAN: echo-api.amazon.com is not among the signing
	// certificate's SAN DNS names.
	RuleCertSAN Rule = "cert-san"
	// RuleCertUntrusted: the chain does not lead from the signing
	// certificate to a trusted root (unknown root, missing or expired
	// intermediate, ...).
	RuleCertUntrusted Rule = "cert-untrusted"

	// RuleSignatureInvalid: the signature does not verify over the body
	// with the signing certificate's key (or that key is not RSA).
	RuleSignatureInvalid Rule = "signature-invalid"
)

// Error is the one error type Verify, VerifyRequest and ReadBody return:
// the rule the request broke, and what exactly was wrong. It always means
// "refuse the request with HTTP 400". Find it with errors.As (or RuleOf).
type Error struct {
	// Rule is the rule that failed.
	Rule Rule
	// Err says what was wrong, and wraps the cause where there is one
	// (an x509 or JSON error, context.DeadlineExceeded, ...). Values taken
	// from the request are quoted and cut to a bounded length, so the
	// message is one short line.
	Err error
}

// Error returns "alexaverify: <rule>: <what was wrong>".
func (e *Error) Error() string { return "alexaverify: " + string(e.Rule) + ": " + e.Err.Error() }

// Unwrap returns the details, so that errors.Is finds the cause.
func (e *Error) Unwrap() error { return e.Err }

// RuleOf returns the rule of the *Error in err's chain, or "" when there
// is none.
func RuleOf(err error) Rule {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Rule
	}
	return ""
}

// refuse returns an *Error for rule with a formatted description.
func refuse(rule Rule, format string, args ...any) error {
	return &Error{Rule: rule, Err: fmt.Errorf(format, args...)}
}
