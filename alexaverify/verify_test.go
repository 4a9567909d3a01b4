package alexaverify_test

import (
	"bytes"
	"context"
	"crypto"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"spasmcoach/alexaverify"
	"spasmcoach/internal/testutil/clock"
	"spasmcoach/internal/testutil/pki"
)

// verifyT0 is the tests' "now".
var verifyT0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// testPKI builds the test certificates once per test binary: RSA key
// generation is the slow part.
var testPKI = sync.OnceValue(func() *pki.PKI { return pki.New(verifyT0) })

const verifyAppID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"

// alexaBody returns a realistic request body. timestamp is the JSON value
// of request.timestamp, or "" to leave the field out; appID "" leaves out
// both application objects.
func alexaBody(typ, timestamp, appID string) []byte {
	ts := ""
	if timestamp != "" {
		ts = `,"timestamp":` + timestamp
	}
	app := ""
	if appID != "" {
		app = `"application":{"applicationId":"` + appID + `"},`
	}
	return []byte(`{"version":"1.0",` +
		`"session":{"new":true,"sessionId":"amzn1.echo-api.session.0000",` + app + `"attributes":{},"user":{"userId":"amzn1.ask.account.TEST"}},` +
		`"context":{"System":{` + app + `"user":{"userId":"amzn1.ask.account.TEST"},"device":{"deviceId":"amzn1.ask.device.TEST","supportedInterfaces":{}},"apiEndpoint":"https://api.amazonalexa.com","apiAccessToken":"token"}},` +
		`"request":{"type":"` + typ + `","requestId":"amzn1.echo-api.request.0000","locale":"en-US"` + ts + `}}`)
}

// stamp returns t as Alexa writes request.timestamp, JSON-quoted.
func stamp(t time.Time) string { return `"` + t.UTC().Format("2006-01-02T15:04:05Z") + `"` }

// genuineBody is a LaunchRequest for verifyAppID stamped at t.
func genuineBody(t time.Time) []byte { return alexaBody("LaunchRequest", stamp(t), verifyAppID) }

func newTestVerifier(f alexaverify.CertFetcher, clk *clock.Clock, opts ...alexaverify.VerifyOption) *alexaverify.Verifier {
	p := testPKI()
	base := []alexaverify.VerifyOption{
		alexaverify.WithCertFetcher(f),
		alexaverify.WithRootCAs(p.Roots),
		alexaverify.WithVerifyClock(clk.Now),
		alexaverify.WithApplicationIDs(verifyAppID),
	}
	return alexaverify.NewVerifier(append(base, opts...)...)
}

// cheapRules are the sentinels Verify must return before any certificate
// download.
var cheapRules = []alexaverify.Rule{
	alexaverify.RuleCertURLMissing, alexaverify.RuleCertURLInvalid, alexaverify.RuleCertURLScheme,
	alexaverify.RuleCertURLHost, alexaverify.RuleCertURLPort, alexaverify.RuleCertURLPath,
	alexaverify.RuleSignatureMissing, alexaverify.RuleSignatureEncoding,
	alexaverify.RuleBodyMalformed, alexaverify.RuleTimestampInvalid, alexaverify.RuleTimestampOutOfRange,
	alexaverify.RuleApplicationID,
}

func isCheapRule(err error) bool { return slices.Contains(cheapRules, alexaverify.RuleOf(err)) }

// refusedBy reports whether err is an *alexaverify.Error of rule, or nil
// when rule is "".
func refusedBy(err error, rule alexaverify.Rule) bool {
	return alexaverify.RuleOf(err) == rule && (err == nil) == (rule == "")
}

// TestVerifierRules runs genuine requests and a table of forged or broken
// ones through Verify. Each case starts from a genuine request: certURL
// replaces the header (before signing), body replaces the body (before
// signing), and tamper edits the signed request.
func TestVerifierRules(t *testing.T) {
	p := testPKI()
	sec := time.Second
	other := func(name string) string { return pki.CertBase + name }

	tests := []struct {
		name    string
		certURL string                                  // "" means pki.CertURL
		body    []byte                                  // nil means genuineBody(verifyT0)
		tamper  func(h http.Header, body []byte) []byte // returns the body to send
		want    alexaverify.Rule                        // "" means accepted
	}{
		// Genuine requests.
		{name: "OK"},
		{name: "OKPort443", certURL: "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem"},
		{name: "OKDotDotBackIntoPrefix", certURL: "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem"},
		{name: "OKSchemeAndHostCase", certURL: "HTTPS://S3.AmazonAWS.COM/echo.api/echo-api-cert.pem"},
		{name: "OKRootInFile", certURL: other("root-in-file.pem")},
		{name: "OKTimestamp150sOld", body: genuineBody(verifyT0.Add(-150 * sec))},
		{name: "OKTimestamp150sAhead", body: genuineBody(verifyT0.Add(150 * sec))},
		{name: "OKFractionalSeconds", body: alexaBody("IntentRequest", `"2026-03-01T11:59:30.123456Z"`, verifyAppID)},
		{name: "OKTimestampWithOffset", body: alexaBody("IntentRequest", `"2026-03-01T13:59:00+02:00"`, verifyAppID)},
		{name: "OKSkillEvent59MinOld", body: alexaBody("AlexaSkillEvent.SkillEnabled", stamp(verifyT0.Add(-59*time.Minute)), verifyAppID)},
		{name: "OKSkillEvent59MinAhead", body: alexaBody("AlexaSkillEvent.SkillPermissionAccepted", stamp(verifyT0.Add(59*time.Minute)), verifyAppID)},
		{name: "OKSessionAppIDFallback", body: []byte(`{"version":"1.0","session":{"application":{"applicationId":"` + verifyAppID + `"}},"context":{"System":{}},"request":{"type":"LaunchRequest","timestamp":` + stamp(verifyT0) + `}}`)},
		{name: "OKSignatureWithSpaces", tamper: func(h http.Header, b []byte) []byte {
			h.Set(alexaverify.HeaderSignature256, " "+h.Get(alexaverify.HeaderSignature256)+" ")
			return b
		}},

		// SignatureCertChainUrl.
		{name: "ErrCertURLMissing", tamper: func(h http.Header, b []byte) []byte {
			h.Del(alexaverify.HeaderSignatureCertChainURL)
			return b
		}, want: alexaverify.RuleCertURLMissing},
		{name: "ErrCertURLSchemeHTTP", certURL: "http://s3.amazonaws.com/echo.api/echo-api-cert.pem", want: alexaverify.RuleCertURLScheme},
		{name: "ErrCertURLSchemeFTP", certURL: "ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem", want: alexaverify.RuleCertURLScheme},
		{name: "ErrCertURLHostNotAmazon", certURL: "https://notamazon.com/echo.api/echo-api-cert.pem", want: alexaverify.RuleCertURLHost},
		{name: "ErrCertURLHostExtraSubdomain", certURL: "https://evil.s3.amazonaws.com/echo.api/echo-api-cert.pem", want: alexaverify.RuleCertURLHost},
		{name: "ErrCertURLHostSuffix", certURL: "https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem", want: alexaverify.RuleCertURLHost},
		{name: "ErrCertURLHostTrailingDot", certURL: "https://s3.amazonaws.com./echo.api/echo-api-cert.pem", want: alexaverify.RuleCertURLHost},
		{name: "ErrCertURLPort563", certURL: "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", want: alexaverify.RuleCertURLPort},
		{name: "ErrCertURLPathCase", certURL: "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", want: alexaverify.RuleCertURLPath},
		{name: "ErrCertURLPathInvalid", certURL: "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", want: alexaverify.RuleCertURLPath},
		{name: "ErrCertURLPathDotDotEscapes", certURL: "https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem", want: alexaverify.RuleCertURLPath},
		{name: "ErrCertURLPathEncodedDotDot", certURL: "https://s3.amazonaws.com/echo.api/%2e%2e/invalid.path/echo-api-cert.pem", want: alexaverify.RuleCertURLPath},
		{name: "ErrCertURLPathPrefixOnly", certURL: "https://s3.amazonaws.com/echo.api", want: alexaverify.RuleCertURLPath},
		{name: "ErrCertURLPathPrefixNoSlash", certURL: "https://s3.amazonaws.com/echo.apix/echo-api-cert.pem", want: alexaverify.RuleCertURLPath},
		{name: "ErrCertURLUserInfo", certURL: "https://user@s3.amazonaws.com/echo.api/echo-api-cert.pem", want: alexaverify.RuleCertURLInvalid},
		{name: "ErrCertURLRelative", certURL: "/echo.api/echo-api-cert.pem", want: alexaverify.RuleCertURLInvalid},
		{name: "ErrCertURLQuery", certURL: "https://s3.amazonaws.com/echo.api/echo-api-cert.pem?versionId=1", want: alexaverify.RuleCertURLInvalid},
		{name: "ErrCertURLFragment", certURL: "https://s3.amazonaws.com/echo.api/echo-api-cert.pem#x", want: alexaverify.RuleCertURLInvalid},
		{name: "ErrCertURLUnparsable", certURL: "https://s3.amazonaws.com/echo.api/%zz.pem", want: alexaverify.RuleCertURLInvalid},
		{name: "ErrCertURLRepeated", tamper: func(h http.Header, b []byte) []byte {
			h.Add(alexaverify.HeaderSignatureCertChainURL, pki.CertURL)
			return b
		}, want: alexaverify.RuleCertURLInvalid},

		// Certificates.
		{name: "ErrCertExpired", certURL: other("expired.pem"), want: alexaverify.RuleCertExpired},
		{name: "ErrCertNotYetValid", certURL: other("not-yet-valid.pem"), want: alexaverify.RuleCertNotYetValid},
		{name: "ErrCertSANWrong", certURL: other("wrong-san.pem"), want: alexaverify.RuleCertSAN},
		{name: "ErrCertSANWildcard", certURL: other("wildcard-san.pem"), want: alexaverify.RuleCertSAN},
		{name: "ErrCertUntrustedRoot", certURL: other("untrusted.pem"), want: alexaverify.RuleCertUntrusted},
		{name: "ErrCertUntrustedMissingIntermediate", certURL: other("no-intermediate.pem"), want: alexaverify.RuleCertUntrusted},
		{name: "ErrCertUntrustedExpiredIntermediate", certURL: other("expired-intermediate.pem"), want: alexaverify.RuleCertUntrusted},
		{name: "ErrCertChainMalformedGarbage", certURL: other("garbage.pem"), want: alexaverify.RuleCertChainMalformed},
		{name: "ErrCertChainMalformedKeyBlock", certURL: other("private-key.pem"), want: alexaverify.RuleCertChainMalformed},
		{name: "ErrCertFetchNotFound", certURL: other("missing.pem"), want: alexaverify.RuleCertFetch},

		// Signatures.
		{name: "ErrSignatureMissing", tamper: func(h http.Header, b []byte) []byte {
			h.Del(alexaverify.HeaderSignature256)
			return b
		}, want: alexaverify.RuleSignatureMissing},
		{name: "ErrSignatureMissingEmpty", tamper: func(h http.Header, b []byte) []byte {
			h.Set(alexaverify.HeaderSignature256, "")
			return b
		}, want: alexaverify.RuleSignatureMissing},
		{name: "ErrSignatureMissingSHA1Only", tamper: func(h http.Header, b []byte) []byte {
			h.Del(alexaverify.HeaderSignature256)
			h.Set(alexaverify.HeaderSignatureSHA1, pki.Sign(p.LeafKey, crypto.SHA1, b))
			return b
		}, want: alexaverify.RuleSignatureMissing},
		{name: "ErrSignatureEncodingBadBase64", tamper: func(h http.Header, b []byte) []byte {
			h.Set(alexaverify.HeaderSignature256, "not*base64!")
			return b
		}, want: alexaverify.RuleSignatureEncoding},
		{name: "ErrSignatureEncodingRepeated", tamper: func(h http.Header, b []byte) []byte {
			h.Add(alexaverify.HeaderSignature256, h.Get(alexaverify.HeaderSignature256))
			return b
		}, want: alexaverify.RuleSignatureEncoding},
		{name: "ErrSignatureInvalidTamperedBody", tamper: func(_ http.Header, b []byte) []byte {
			return bytes.Replace(b, []byte("LaunchRequest"), []byte("IntentRequest"), 1)
		}, want: alexaverify.RuleSignatureInvalid},
		{name: "ErrSignatureInvalidWrongBytes", tamper: func(h http.Header, b []byte) []byte {
			h.Set(alexaverify.HeaderSignature256, base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x5a}, 256)))
			return b
		}, want: alexaverify.RuleSignatureInvalid},
		{name: "ErrSignatureInvalidOtherKey", tamper: func(h http.Header, b []byte) []byte {
			h.Set(alexaverify.HeaderSignature256, pki.Sign(p.OtherKey, crypto.SHA256, b))
			return b
		}, want: alexaverify.RuleSignatureInvalid},
		{name: "ErrSignatureInvalidSHA1InSignature256", tamper: func(h http.Header, b []byte) []byte {
			h.Set(alexaverify.HeaderSignature256, pki.Sign(p.LeafKey, crypto.SHA1, b))
			return b
		}, want: alexaverify.RuleSignatureInvalid},
		{name: "ErrSignatureInvalidNonRSALeaf", certURL: other("ecdsa.pem"), want: alexaverify.RuleSignatureInvalid},

		// Body, timestamp and application.
		{name: "ErrBodyMalformedJSON", body: []byte(`{"version":"1.0","request":{"type":"LaunchRequest"`), want: alexaverify.RuleBodyMalformed},
		{name: "ErrBodyMalformedEmpty", body: []byte{}, want: alexaverify.RuleBodyMalformed},
		{name: "ErrBodyMalformedNotObject", body: []byte(`["LaunchRequest"]`), want: alexaverify.RuleBodyMalformed},
		{name: "ErrBodyMalformedTrailingData", body: append(genuineBody(verifyT0), []byte(`{}`)...), want: alexaverify.RuleBodyMalformed},
		{name: "ErrBodyMalformedNoType", body: alexaBody("", stamp(verifyT0), verifyAppID), want: alexaverify.RuleBodyMalformed},
		{name: "ErrTimestampInvalidMissing", body: alexaBody("LaunchRequest", "", verifyAppID), want: alexaverify.RuleTimestampInvalid},
		{name: "ErrTimestampInvalidNull", body: alexaBody("LaunchRequest", "null", verifyAppID), want: alexaverify.RuleTimestampInvalid},
		{name: "ErrTimestampInvalidEpochMillis", body: alexaBody("LaunchRequest", "1772366400000", verifyAppID), want: alexaverify.RuleTimestampInvalid},
		{name: "ErrTimestampInvalidNoZone", body: alexaBody("LaunchRequest", `"2026-03-01T12:00:00"`, verifyAppID), want: alexaverify.RuleTimestampInvalid},
		{name: "ErrTimestampOutOfRange151sOld", body: genuineBody(verifyT0.Add(-151 * sec)), want: alexaverify.RuleTimestampOutOfRange},
		{name: "ErrTimestampOutOfRange151sAhead", body: genuineBody(verifyT0.Add(151 * sec)), want: alexaverify.RuleTimestampOutOfRange},
		{name: "ErrTimestampOutOfRangeSkillEvent61MinOld", body: alexaBody("AlexaSkillEvent.SkillDisabled", stamp(verifyT0.Add(-61*time.Minute)), verifyAppID), want: alexaverify.RuleTimestampOutOfRange},
		{name: "ErrTimestampOutOfRangeSkillEvent61MinAhead", body: alexaBody("AlexaSkillEvent.SkillEnabled", stamp(verifyT0.Add(61*time.Minute)), verifyAppID), want: alexaverify.RuleTimestampOutOfRange},
		{name: "ErrTimestampOutOfRangeLookalikeEvent", body: alexaBody("AlexaSkillEventSkillEnabled", stamp(verifyT0.Add(-10*time.Minute)), verifyAppID), want: alexaverify.RuleTimestampOutOfRange},
		{name: "ErrApplicationIDWrong", body: alexaBody("LaunchRequest", stamp(verifyT0), "amzn1.ask.skill.someone-else"), want: alexaverify.RuleApplicationID},
		{name: "ErrApplicationIDMissing", body: alexaBody("LaunchRequest", stamp(verifyT0), ""), want: alexaverify.RuleApplicationID},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fetcher := pki.NewFetcher(p.Files)
			v := newTestVerifier(fetcher, clock.New(verifyT0))

			certURL := tc.certURL
			if certURL == "" {
				certURL = pki.CertURL
			}
			body := tc.body
			if body == nil {
				body = genuineBody(verifyT0)
			}
			header := p.Headers(certURL, body)
			if tc.tamper != nil {
				body = tc.tamper(header, body)
			}

			err := v.Verify(t.Context(), header, body)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Verify: %v, want success", err)
				}
				return
			}
			if !refusedBy(err, tc.want) {
				t.Fatalf("Verify: %v, want rule %s", err, tc.want)
			}
			t.Logf("refused: %v", err)
			if !strings.HasPrefix(err.Error(), "alexaverify: "+string(tc.want)+": ") || strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("error %q: want one line starting \"alexaverify: %s: \"", err, tc.want)
			}
			if isCheapRule(err) && fetcher.Total() != 0 {
				t.Errorf("%d certificate fetches for a request refused by a header or body rule, want 0", fetcher.Total())
			}
		})
	}
}

// TestVerifierApplicationIDs checks the allow-list: empty accepts any
// skill, several IDs accept each of them.
func TestVerifierApplicationIDs(t *testing.T) {
	p := testPKI()
	const otherID = "amzn1.ask.skill.other"
	tests := []struct {
		name    string
		allowed []string
		appID   string
		anyApp  bool
		want    alexaverify.Rule
	}{
		{name: "OKEmptyListAnyID", allowed: nil, appID: otherID, anyApp: true},
		{name: "OKEmptyListNoID", allowed: nil, appID: "", anyApp: true},
		{name: "OKBlankIDsIgnored", allowed: []string{"", " "}, appID: otherID, anyApp: true},
		{name: "OKSecondOfTwo", allowed: []string{verifyAppID, otherID}, appID: otherID},
		{name: "ErrApplicationIDNotListed", allowed: []string{verifyAppID}, appID: otherID, want: alexaverify.RuleApplicationID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := clock.New(verifyT0)
			v := alexaverify.NewVerifier(
				alexaverify.WithCertFetcher(pki.NewFetcher(p.Files)),
				alexaverify.WithRootCAs(p.Roots),
				alexaverify.WithVerifyClock(clk.Now),
				alexaverify.WithApplicationIDs(tc.allowed...),
			)
			if got := v.AcceptsAnyApplication(); got != tc.anyApp {
				t.Errorf("AcceptsAnyApplication() = %v, want %v", got, tc.anyApp)
			}
			body := alexaBody("LaunchRequest", stamp(verifyT0), tc.appID)
			err := v.Verify(t.Context(), p.Headers(pki.CertURL, body), body)
			if !refusedBy(err, tc.want) {
				t.Fatalf("Verify: %v, want %v", err, tc.want)
			}
		})
	}
}

// TestVerifierTimestampTolerance checks that the tolerance can be narrowed
// but not widened past Amazon's 150 seconds, and that skill events keep
// their hour.
func TestVerifierTimestampTolerance(t *testing.T) {
	p := testPKI()
	tests := []struct {
		name      string
		tolerance time.Duration
		typ       string
		age       time.Duration
		want      alexaverify.Rule
	}{
		{name: "OKNarrowedWithin", tolerance: 30 * time.Second, typ: "LaunchRequest", age: 30 * time.Second},
		{name: "ErrNarrowedPast", tolerance: 30 * time.Second, typ: "LaunchRequest", age: 31 * time.Second, want: alexaverify.RuleTimestampOutOfRange},
		{name: "ErrWidenedIsCapped", tolerance: time.Hour, typ: "LaunchRequest", age: 151 * time.Second, want: alexaverify.RuleTimestampOutOfRange},
		{name: "OKNonPositiveKeepsDefault", tolerance: -time.Second, typ: "LaunchRequest", age: 150 * time.Second},
		{name: "OKSkillEventKeepsHour", tolerance: 30 * time.Second, typ: "AlexaSkillEvent.SkillAccountLinked", age: 59 * time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := newTestVerifier(pki.NewFetcher(p.Files), clock.New(verifyT0), alexaverify.WithTimestampTolerance(tc.tolerance))
			body := alexaBody(tc.typ, stamp(verifyT0.Add(-tc.age)), verifyAppID)
			err := v.Verify(t.Context(), p.Headers(pki.CertURL, body), body)
			if !refusedBy(err, tc.want) {
				t.Fatalf("Verify: %v, want %v", err, tc.want)
			}
		})
	}
}

// TestVerifierCachesChain checks that a chain is fetched once for all
// spellings of its URL, kept until it expires, and fetched again after.
func TestVerifierCachesChain(t *testing.T) {
	p := testPKI()
	fetcher := pki.NewFetcher(p.Files)
	clk := clock.New(verifyT0)
	v := newTestVerifier(fetcher, clk)

	verifyAt := func(when time.Time, certURL string) error {
		t.Helper()
		clk.Set(when)
		body := genuineBody(when)
		return v.Verify(t.Context(), p.Headers(certURL, body), body)
	}

	for i, u := range []string{
		pki.CertURL,
		"https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
		"https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
		pki.CertURL,
	} {
		if err := verifyAt(verifyT0.Add(time.Duration(i)*time.Hour), u); err != nil {
			t.Fatalf("request %d (%s): %v", i, u, err)
		}
	}
	if n := fetcher.Count(pki.CertURL); n != 1 {
		t.Fatalf("fetched %d times before expiry, want 1", n)
	}

	// The leaf expires 30 days after verifyT0; Amazon has rotated it by then.
	later := verifyT0.Add(31 * 24 * time.Hour)
	fetcher.Set(pki.CertURL, p.RenewedLeafPEM(later.Add(-time.Hour)))
	if err := verifyAt(later, pki.CertURL); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if err := verifyAt(later.Add(time.Minute), pki.CertURL); err != nil {
		t.Fatalf("after expiry, second request: %v", err)
	}
	if n := fetcher.Count(pki.CertURL); n != 2 {
		t.Fatalf("fetched %d times in all, want 2 (one refetch after expiry)", n)
	}
}

// TestVerifierRetriesFailedChain checks that a failed download is
// remembered briefly, not forever.
func TestVerifierRetriesFailedChain(t *testing.T) {
	p := testPKI()
	fetcher := pki.NewFetcher(nil) // nothing served yet
	clk := clock.New(verifyT0)
	v := newTestVerifier(fetcher, clk)

	verifyAt := func(when time.Time) error {
		clk.Set(when)
		body := genuineBody(when)
		return v.Verify(t.Context(), p.Headers(pki.CertURL, body), body)
	}
	if err := verifyAt(verifyT0); !refusedBy(err, alexaverify.RuleCertFetch) {
		t.Fatalf("first request: %v, want ErrCertFetch", err)
	}
	if err := verifyAt(verifyT0.Add(time.Second)); !refusedBy(err, alexaverify.RuleCertFetch) {
		t.Fatalf("second request: %v, want the remembered ErrCertFetch", err)
	}
	if n := fetcher.Count(pki.CertURL); n != 1 {
		t.Fatalf("fetched %d times for two requests in a row, want 1", n)
	}

	fetcher.Set(pki.CertURL, p.Files[pki.CertURL])
	if err := verifyAt(verifyT0.Add(time.Minute)); err != nil {
		t.Fatalf("a minute later: %v", err)
	}
	if n := fetcher.Count(pki.CertURL); n != 2 {
		t.Fatalf("fetched %d times, want 2", n)
	}
}

// blockingFetcher serves one chain after release is closed, signalling
// started on its first call.
type blockingFetcher struct {
	data    []byte
	started chan struct{}
	release chan struct{}
	once    sync.Once
	mu      sync.Mutex
	calls   int
}

var _ alexaverify.CertFetcher = (*blockingFetcher)(nil)

func (f *blockingFetcher) Fetch(ctx context.Context, _ string) ([]byte, error) {
	f.mu.Lock()
	f.calls++
	f.mu.Unlock()
	f.once.Do(func() { close(f.started) })
	select {
	case <-f.release:
		return f.data, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (f *blockingFetcher) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func newBlockingFetcher(data []byte) *blockingFetcher {
	return &blockingFetcher{data: data, started: make(chan struct{}), release: make(chan struct{})}
}

// TestVerifierConcurrentRequestsShareOneFetch starts many requests on a cold
// cache: whether a request joins the download in progress or finds the
// cached result, there is exactly one download.
func TestVerifierConcurrentRequestsShareOneFetch(t *testing.T) {
	p := testPKI()
	fetcher := newBlockingFetcher(p.Files[pki.CertURL])
	v := newTestVerifier(fetcher, clock.New(verifyT0))
	body := genuineBody(verifyT0)
	header := p.Headers(pki.CertURL, body)

	const n = 16
	errs := make(chan error, n)
	for range n {
		go func() { errs <- v.Verify(t.Context(), header.Clone(), body) }()
	}
	<-fetcher.started
	close(fetcher.release)
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("Verify: %v", err)
		}
	}
	if n := fetcher.count(); n != 1 {
		t.Fatalf("%d fetches, want 1", n)
	}
}

// TestVerifierCallerGivesUp checks that a caller whose context ends stops
// waiting, while the download it started completes for later requests.
func TestVerifierCallerGivesUp(t *testing.T) {
	p := testPKI()
	fetcher := newBlockingFetcher(p.Files[pki.CertURL])
	v := newTestVerifier(fetcher, clock.New(verifyT0))
	body := genuineBody(verifyT0)
	header := p.Headers(pki.CertURL, body)

	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- v.Verify(ctx, header, body) }()
	<-fetcher.started
	cancel()
	err := <-errc
	if !refusedBy(err, alexaverify.RuleCertFetch) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Verify with cancelled context: %v, want ErrCertFetch and context.Canceled", err)
	}

	close(fetcher.release)
	if err := v.Verify(t.Context(), header, body); err != nil {
		t.Fatalf("Verify after the download completed: %v", err)
	}
	if n := fetcher.count(); n != 1 {
		t.Fatalf("%d fetches, want 1", n)
	}
}

// gateFetcher reports each fetch on started and holds it until release is
// closed, then serves files.
type gateFetcher struct {
	files   map[string][]byte
	started chan string
	release chan struct{}
}

var _ alexaverify.CertFetcher = (*gateFetcher)(nil)

func (f *gateFetcher) Fetch(ctx context.Context, certURL string) ([]byte, error) {
	f.started <- certURL
	select {
	case <-f.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if data, ok := f.files[certURL]; ok {
		return data, nil
	}
	return nil, errors.New("404 Not Found")
}

// TestVerifierLimitsConcurrentFetches checks that forged requests naming
// new chain URLs cannot start more than 8 downloads at once; that a request
// beyond them waits for a slot within its own deadline instead of being
// refused; and that queued downloads whose requests gave up are skipped, so
// the genuine chain is the next download to start.
func TestVerifierLimitsConcurrentFetches(t *testing.T) {
	p := testPKI()
	const limit = 8 // documented on Verifier
	fetcher := &gateFetcher{files: p.Files, started: make(chan string, 4*limit), release: make(chan struct{})}
	v := newTestVerifier(fetcher, clock.New(verifyT0))
	body := genuineBody(verifyT0)

	errs := make(chan error, limit)
	for i := range limit {
		header := p.Headers(fmt.Sprintf("%sflood-%d.pem", pki.CertBase, i), body)
		go func() { errs <- v.Verify(t.Context(), header, body) }()
	}
	for range limit {
		<-fetcher.started
	}

	// A request that cannot wait long enough fails, and starts nothing.
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	err := v.Verify(ctx, p.Headers(pki.CertURL, body), body)
	cancel()
	if !refusedBy(err, alexaverify.RuleCertFetch) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Verify with %d downloads running and 50 ms to wait: %v, want ErrCertFetch and DeadlineExceeded", limit, err)
	}
	// Forged requests queue up and give up.
	for i := range 3 * limit {
		ctx, cancel := context.WithCancel(t.Context())
		header := p.Headers(fmt.Sprintf("%sgave-up-%d.pem", pki.CertBase, i), body)
		done := make(chan error, 1)
		go func() { done <- v.Verify(ctx, header, body) }()
		time.Sleep(time.Millisecond) // let it join the queue
		cancel()
		if err := <-done; !refusedBy(err, alexaverify.RuleCertFetch) {
			t.Fatalf("forged request: %v, want ErrCertFetch", err)
		}
	}
	if n := len(fetcher.started); n != 0 {
		t.Fatalf("%d downloads started past the limit", n)
	}

	// The genuine request waits; when one slot frees, its chain is next.
	genuine := make(chan error, 1)
	go func() { genuine <- v.Verify(t.Context(), p.Headers(pki.CertURL, body), body) }()
	time.Sleep(10 * time.Millisecond)
	close(fetcher.release)
	if got := <-fetcher.started; got != pki.CertURL {
		t.Errorf("after the flood the first download is %s, want the genuine chain", got)
	}
	if err := <-genuine; err != nil {
		t.Fatalf("genuine request waiting for a slot: %v", err)
	}
	for range limit {
		if err := <-errs; !refusedBy(err, alexaverify.RuleCertFetch) {
			t.Errorf("flood request: %v, want ErrCertFetch", err)
		}
	}
	if n := len(fetcher.started); n != 0 {
		t.Errorf("%d downloads of abandoned requests started", n)
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestVerifierWithCertHTTPClient checks the default fetcher path end to end
// with an injected HTTP client: it fetches the normalised URL.
func TestVerifierWithCertHTTPClient(t *testing.T) {
	p := testPKI()
	var mu sync.Mutex
	var got []string
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.String())
		mu.Unlock()
		data, ok := p.Files[r.URL.String()]
		if !ok {
			return &http.Response{StatusCode: http.StatusNotFound, Status: "404 Not Found", Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
		}
		return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Body: io.NopCloser(bytes.NewReader(data)), ContentLength: int64(len(data)), Request: r}, nil
	})}
	v := alexaverify.NewVerifier(
		alexaverify.WithCertHTTPClient(client),
		alexaverify.WithRootCAs(p.Roots),
		alexaverify.WithVerifyClock(func() time.Time { return verifyT0 }),
	)
	body := genuineBody(verifyT0)
	header := p.Headers("HTTPS://S3.AMAZONAWS.COM:443/echo.api/./x/../echo-api-cert.pem", body)
	if err := v.Verify(t.Context(), header, body); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := "GET " + pki.CertURL
	if len(got) != 1 || got[0] != want {
		t.Fatalf("requests %q, want [%q]", got, want)
	}
}

// TestVerifierVerifyRequest checks the body limit and that the body is
// returned only when verified.
func TestVerifierVerifyRequest(t *testing.T) {
	p := testPKI()
	good := genuineBody(verifyT0)
	tests := []struct {
		name          string
		body          []byte
		contentLength int64 // -1: unknown (chunked)
		maxBody       int64
		serverLimit   int64 // > 0: the server wrapped the body in http.MaxBytesReader
		want          alexaverify.Rule
	}{
		{name: "OK", body: good, contentLength: int64(len(good)), maxBody: 4096},
		{name: "OKDefaultLimit", body: good, contentLength: -1, maxBody: 0},
		{name: "OKExactlyAtLimit", body: good, contentLength: -1, maxBody: int64(len(good))},
		{name: "ErrBodyTooLargeAnnounced", body: good, contentLength: int64(len(good)), maxBody: 100, want: alexaverify.RuleBodyTooLarge},
		{name: "ErrBodyTooLargeChunked", body: good, contentLength: -1, maxBody: int64(len(good)) - 1, want: alexaverify.RuleBodyTooLarge},
		{name: "ErrBodyMalformedEmpty", body: nil, contentLength: 0, maxBody: 4096, want: alexaverify.RuleBodyMalformed},
		{name: "ErrBodyTooLargeMaxBytesReader", body: good, contentLength: -1, maxBody: 4096, serverLimit: 100, want: alexaverify.RuleBodyTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fetcher := pki.NewFetcher(p.Files)
			v := newTestVerifier(fetcher, clock.New(verifyT0))
			r := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/", bytes.NewReader(tc.body))
			r.ContentLength = tc.contentLength
			if tc.serverLimit > 0 {
				r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, tc.serverLimit)
			}
			for k, vals := range p.Headers(pki.CertURL, good) {
				r.Header[k] = vals
			}
			got, err := v.VerifyRequest(r, tc.maxBody)
			if !refusedBy(err, tc.want) {
				t.Fatalf("VerifyRequest: %v, want rule %q", err, tc.want)
			}
			if tc.want != "" {
				if got != nil {
					t.Errorf("VerifyRequest returned a body with an error")
				}
				if tc.want == alexaverify.RuleBodyTooLarge && fetcher.Total() != 0 {
					t.Errorf("%d fetches for an oversized body, want 0", fetcher.Total())
				}
				return
			}
			if !bytes.Equal(got, tc.body) {
				t.Errorf("VerifyRequest returned %q, want the request body", got)
			}
		})
	}
}

// failingReader fails every read, as a connection reset mid-body does.
type failingReader struct{}

var errConnReset = errors.New("connection reset by peer")

func (failingReader) Read([]byte) (int, error) { return 0, errConnReset }

// TestReadBody checks the reading that development mode uses on its own: a
// body that cannot be read is RuleBodyUnreadable, wrapping the cause, and
// nothing else about the request is checked.
func TestReadBody(t *testing.T) {
	r := httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/", failingReader{})
	body, err := alexaverify.ReadBody(r, 4096)
	if !refusedBy(err, alexaverify.RuleBodyUnreadable) || !errors.Is(err, errConnReset) || body != nil {
		t.Errorf("ReadBody of a failing body = %q, %v; want rule %s wrapping the cause", body, err, alexaverify.RuleBodyUnreadable)
	}
	unsigned := []byte(`not even JSON`)
	r = httptest.NewRequestWithContext(t.Context(), http.MethodPost, "/", bytes.NewReader(unsigned))
	if body, err := alexaverify.ReadBody(r, 4096); err != nil || !bytes.Equal(body, unsigned) {
		t.Errorf("ReadBody of an unsigned body = %q, %v; want the body", body, err)
	}
}

// TestVerifierHTTPCertFetcher runs the default fetcher against local HTTP
// servers.
func TestVerifierHTTPCertFetcher(t *testing.T) {
	chain := testPKI().Files[pki.CertURL]
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		fetcher  alexaverify.HTTPCertFetcher
		want     []byte
		wantRule alexaverify.Rule // the *alexaverify.Error's rule, when set
		wantErr  error            // checked with errors.Is when set
		wantText string           // substring of the error when set
	}{
		{
			name:    "OK",
			handler: func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(chain) },
			want:    chain,
		},
		{
			name:     "ErrStatus",
			handler:  func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "no", http.StatusForbidden) },
			wantText: "403",
		},
		{
			name: "ErrRedirectNotFollowed",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "https://example.com/cert.pem", http.StatusFound)
			},
			wantText: "302",
		},
		{
			name:     "ErrTooLargeAnnounced",
			handler:  func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(bytes.Repeat([]byte("A"), 2048)) },
			fetcher:  alexaverify.HTTPCertFetcher{MaxBytes: 1024},
			wantRule: alexaverify.RuleCertChainTooLarge,
		},
		{
			name: "ErrTooLargeStreamed",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				for range 4 {
					_, _ = w.Write(bytes.Repeat([]byte("A"), 512))
					w.(http.Flusher).Flush() // no Content-Length
				}
			},
			fetcher:  alexaverify.HTTPCertFetcher{MaxBytes: 1024},
			wantRule: alexaverify.RuleCertChainTooLarge,
		},
		{
			name:    "OKAtLimit",
			handler: func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(bytes.Repeat([]byte("A"), 1024)) },
			fetcher: alexaverify.HTTPCertFetcher{MaxBytes: 1024},
			want:    bytes.Repeat([]byte("A"), 1024),
		},
		{
			name:    "ErrTimeout",
			handler: func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
			fetcher: alexaverify.HTTPCertFetcher{Timeout: 50 * time.Millisecond},
			wantErr: context.DeadlineExceeded,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			f := tc.fetcher
			got, err := f.Fetch(t.Context(), srv.URL+"/echo.api/echo-api-cert.pem")
			if tc.wantErr == nil && tc.wantText == "" && tc.wantRule == "" {
				if err != nil {
					t.Fatalf("Fetch: %v", err)
				}
				if !bytes.Equal(got, tc.want) {
					t.Fatalf("Fetch returned %d bytes, want %d", len(got), len(tc.want))
				}
				return
			}
			if err == nil {
				t.Fatalf("Fetch succeeded with %d bytes, want an error", len(got))
			}
			if tc.wantRule != "" && !refusedBy(err, tc.wantRule) {
				t.Errorf("Fetch: %v, want rule %s", err, tc.wantRule)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("Fetch: %v, want %v", err, tc.wantErr)
			}
			if tc.wantText != "" && !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("Fetch: %v, want it to mention %q", err, tc.wantText)
			}
		})
	}
}

// BenchmarkVerifierVerify measures Verify on a warm cache: URL checks, JSON
// scan, SHA-256 and one RSA-2048 public-key operation.
func BenchmarkVerifierVerify(b *testing.B) {
	p := testPKI()
	v := newTestVerifier(pki.NewFetcher(p.Files), clock.New(verifyT0))
	body := genuineBody(verifyT0)
	header := p.Headers(pki.CertURL, body)
	if err := v.Verify(b.Context(), header, body); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := v.Verify(b.Context(), header, body); err != nil {
			b.Fatal(err)
		}
	}
}

// panickingFetcher panics on every download, as a broken CertFetcher
// might.
type panickingFetcher struct{ calls atomic.Int32 }

func (f *panickingFetcher) Fetch(context.Context, string) ([]byte, error) {
	f.calls.Add(1)
	panic("fetcher bug")
}

// TestVerifierSurvivesPanickingFetch: a download that panics refuses the
// request as a failed download (the process goes on), and the refusal is
// remembered like any other failure rather than leaving later requests
// waiting.
func TestVerifierSurvivesPanickingFetch(t *testing.T) {
	p := testPKI()
	f := &panickingFetcher{}
	v := newTestVerifier(f, clock.New(verifyT0))
	body := genuineBody(verifyT0)
	for i := range 2 {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		err := v.Verify(ctx, p.Headers(pki.CertURL, body), body)
		cancel()
		if !refusedBy(err, alexaverify.RuleCertFetch) || errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("request %d: %v, want a cert-fetch refusal at once", i+1, err)
		}
	}
	if n := f.calls.Load(); n != 1 {
		t.Errorf("%d downloads, want 1 (the failure is remembered)", n)
	}
}
