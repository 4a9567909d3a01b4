package pki_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"sync"
	"testing"
	"time"

	"spasmcoach/internal/testutil/pki"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

var testPKI = sync.OnceValue(func() *pki.PKI { return pki.New(t0) })

// chain parses a PEM file into its certificates.
func chain(t *testing.T, data []byte) []*x509.Certificate {
	t.Helper()
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		if b, data = pem.Decode(data); b == nil {
			return certs
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		certs = append(certs, c)
	}
}

// verify checks a chain file as a TLS client would, at t0, for the
// signing name.
func verify(t *testing.T, file string) error {
	t.Helper()
	data, ok := testPKI().Files[file]
	if !ok {
		t.Fatalf("no file %s", file)
	}
	certs := chain(t, data)
	if len(certs) == 0 {
		return x509.CertificateInvalidError{Reason: x509.NotAuthorizedToSign}
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{
		DNSName: pki.SigningName, Roots: testPKI().Roots, Intermediates: inter, CurrentTime: t0,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	return err
}

// TestChains: the good chains verify as x509 chains, every bad one fails.
func TestChains(t *testing.T) {
	for file, good := range map[string]bool{
		pki.CertURL:                        true,
		pki.CertBase + "root-in-file.pem":  true,
		pki.CertBase + "ecdsa.pem":         true,
		pki.CertBase + "expired.pem":       false,
		pki.CertBase + "not-yet-valid.pem": false,
		pki.CertBase + "wrong-san.pem":     false,
		// x509 accepts the wildcard; Alexa's rule, the exact name, does not.
		pki.CertBase + "wildcard-san.pem":         true,
		pki.CertBase + "no-intermediate.pem":      false,
		pki.CertBase + "untrusted.pem":            false,
		pki.CertBase + "expired-intermediate.pem": false,
		pki.CertBase + "garbage.pem":              false,
	} {
		if err := verify(t, file); (err == nil) != good {
			t.Errorf("%s: verify error %v, want good=%v", file, err, good)
		}
	}
	renewed := chain(t, testPKI().RenewedLeafPEM(t0.Add(24*time.Hour)))
	if len(renewed) != 2 || !renewed[0].NotBefore.Equal(t0.Add(24*time.Hour)) {
		t.Errorf("renewed chain: %d certificates, leaf from %v", len(renewed), renewed[0].NotBefore)
	}
}

// TestHeaders: the Signature-256 header verifies with the good leaf's key.
func TestHeaders(t *testing.T) {
	body := []byte(`{"version":"1.0"}`)
	h := testPKI().Headers(pki.CertURL, body)
	if h.Get("SignatureCertChainUrl") != pki.CertURL {
		t.Errorf("SignatureCertChainUrl %q", h.Get("SignatureCertChainUrl"))
	}
	sig, err := base64.StdEncoding.DecodeString(h.Get("Signature-256"))
	if err != nil {
		t.Fatal(err)
	}
	leaf := chain(t, testPKI().Files[pki.CertURL])[0]
	sum := sha256.Sum256(body)
	if err := rsa.VerifyPKCS1v15(leaf.PublicKey.(*rsa.PublicKey), crypto.SHA256, sum[:], sig); err != nil {
		t.Errorf("signature does not verify: %v", err)
	}
}

func TestFetcher(t *testing.T) {
	f := pki.NewFetcher(testPKI().Files)
	if _, err := f.Fetch(context.Background(), pki.CertURL); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Fetch(context.Background(), pki.CertBase+"missing.pem"); err == nil {
		t.Error("a missing file was served")
	}
	f.Set(pki.CertBase+"missing.pem", []byte("x"))
	if b, err := f.Fetch(context.Background(), pki.CertBase+"missing.pem"); err != nil || string(b) != "x" {
		t.Errorf("after Set: %q, %v", b, err)
	}
	if f.Count(pki.CertURL) != 1 || f.Total() != 3 {
		t.Errorf("counts %d and %d, want 1 and 3", f.Count(pki.CertURL), f.Total())
	}
}

// TestFetcherEmpty: a Fetcher made with nothing serves what is Set later.
func TestFetcherEmpty(t *testing.T) {
	f := pki.NewFetcher(nil)
	if _, err := f.Fetch(context.Background(), pki.CertURL); err == nil {
		t.Error("an empty Fetcher served a file")
	}
	f.Set(pki.CertURL, []byte("x"))
	if b, err := f.Fetch(context.Background(), pki.CertURL); err != nil || string(b) != "x" {
		t.Errorf("after Set: %q, %v", b, err)
	}
}
