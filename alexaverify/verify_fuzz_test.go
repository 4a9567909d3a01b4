package alexaverify_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"spasmcoach/alexaverify"
	"spasmcoach/internal/testutil/clock"
	"spasmcoach/internal/testutil/pki"
)

// verifyRules are every rule Verify may name.
var verifyRules = append([]alexaverify.Rule{
	alexaverify.RuleSignatureInvalid, alexaverify.RuleCertFetch, alexaverify.RuleCertChainTooLarge,
	alexaverify.RuleCertChainMalformed, alexaverify.RuleCertExpired, alexaverify.RuleCertNotYetValid,
	alexaverify.RuleCertSAN, alexaverify.RuleCertUntrusted,
}, cheapRules...)

// FuzzVerify feeds Verify arbitrary headers and bodies. Whatever the input:
// no panic; a request passes only if its body really is signed by the
// signing key (so the fuzzer cannot forge one); a refusal wraps one of the
// rules, and its message is one short line (it is logged); a request
// refused by a cheap rule costs no certificate download. Plain `go test`
// runs the seeds below; `go test -fuzz FuzzVerify ./alexaverify/` explores.
func FuzzVerify(f *testing.F) {
	p := testPKI()
	genuine := genuineBody(verifyT0)
	sig := pki.Sign(p.LeafKey, crypto.SHA256, genuine)
	stale := genuineBody(verifyT0.Add(-151 * time.Second))
	f.Add(pki.CertURL, sig, "", genuine, false)
	f.Add("https://S3.AmazonAWS.com:443/echo.api/../echo.api/echo-api-cert.pem", sig, "", genuine, false)
	f.Add(pki.CertURL, sig, "", genuine, true)
	f.Add(pki.CertURL, "", pki.Sign(p.LeafKey, crypto.SHA1, genuine), genuine, false)
	f.Add(pki.CertURL, "not base64!", "", genuine, false)
	f.Add(pki.CertURL, pki.Sign(p.LeafKey, crypto.SHA256, stale), "", stale, false)
	f.Add(pki.CertURL, pki.Sign(p.OtherKey, crypto.SHA256, genuine), "", genuine, false)
	f.Add(pki.CertURL, sig, "", append([]byte{' '}, genuine...), false)
	f.Add(pki.CertBase+"untrusted.pem", sig, "", genuine, false)
	f.Add(pki.CertBase+"wrong-san.pem", sig, "", genuine, false)
	f.Add(pki.CertBase+"garbage.pem", sig, "", genuine, false)
	f.Add(pki.CertBase+"ecdsa.pem", sig, "", genuine, false)
	f.Add(pki.CertBase+strings.Repeat("A", 35000)+".pem", sig, "", genuine, false)
	f.Add("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", sig, "", genuine, false)
	f.Add("https://s3.amazonaws.com:8443/echo.api/echo-api-cert.pem", sig, "", genuine, false)
	f.Add("https://evil@s3.amazonaws.com/echo.api/echo-api-cert.pem?x#y", sig, "", genuine, false)
	f.Add("https://s3.amazonaws.com/ECHO.API/echo-api-cert.pem", sig, "", genuine, false)
	f.Add("\x00\n\x1b[2J", sig, "", genuine, false)
	f.Add(pki.CertURL, sig, "", []byte(`{"request":{"type":"LaunchRequest","timestamp":12}}`), false)
	f.Add(pki.CertURL, sig, "", []byte(`{"request":{"type":"AlexaSkillEvent.SkillDisabled","timestamp":"`+verifyT0.Add(-59*time.Minute).Format(time.RFC3339)+`"}}`), false)
	f.Add(pki.CertURL, sig, "", []byte(`[`+strings.Repeat(`"\u0000",`, 100)+`0]`), false)
	f.Add("", "", "", []byte{}, false)

	f.Fuzz(func(t *testing.T, certURL, sig256, sig1 string, body []byte, repeat bool) {
		header := make(http.Header)
		for key, value := range map[string]string{
			alexaverify.HeaderSignatureCertChainURL: certURL,
			alexaverify.HeaderSignature256:          sig256,
			alexaverify.HeaderSignatureSHA1:         sig1,
		} {
			if value != "" {
				header[key] = []string{value}
			}
		}
		if repeat {
			header[alexaverify.HeaderSignatureCertChainURL] = append(header[alexaverify.HeaderSignatureCertChainURL], pki.CertURL)
		}
		fetcher := pki.NewFetcher(p.Files)
		v := newTestVerifier(fetcher, clock.New(verifyT0))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		err := v.Verify(ctx, header, body)
		if err == nil {
			raw, derr := base64.StdEncoding.DecodeString(strings.TrimSpace(sig256))
			digest := sha256.Sum256(body)
			if derr != nil || rsa.VerifyPKCS1v15(&p.LeafKey.PublicKey, crypto.SHA256, digest[:], raw) != nil {
				t.Fatalf("accepted a request not signed by the signing key: URL %.80q, body %.200q", certURL, body)
			}
			return
		}
		if !slices.Contains(verifyRules, alexaverify.RuleOf(err)) {
			t.Errorf("error names no rule of Verify: %v", err)
		}
		if msg := err.Error(); len(msg) > 1024 || strings.ContainsAny(msg, "\n\r") {
			t.Errorf("error message of %d bytes, or on several lines: %.300q", len(msg), msg)
		}
		if isCheapRule(err) && fetcher.Total() != 0 {
			t.Errorf("refused by a cheap rule (%v) after %d downloads", err, fetcher.Total())
		}
	})
}
