package main

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"spasmcoach/alexaverify"
)

// Test certificates for request verification: a root the tests trust, an
// intermediate, and signing certificates in the shapes the rules care
// about, each served at its own URL under https://s3.amazonaws.com/echo.api/.
// They are made fresh for each test binary, valid around the real clock,
// because the handler behind the verifier runs on the real clock too.

const (
	testCertURL  = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
	testCertBase = "https://s3.amazonaws.com/echo.api/"
)

// testPKI is the hierarchy and the files served by URL.
type testPKIData struct {
	t0       time.Time
	leafKey  *rsa.PrivateKey // the key of every signing certificate
	otherKey *rsa.PrivateKey
	roots    *x509.CertPool
	files    map[string][]byte
}

var serialCounter atomic.Int64

func mustRSAKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

// mustCert creates a certificate from tmpl signed by parent's key (self
// signed when parent is nil).
func mustCert(tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) *x509.Certificate {
	tmpl.SerialNumber = big.NewInt(serialCounter.Add(1))
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
	if err != nil {
		panic(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return c
}

func caCert(cn string, from, to time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject: pkix.Name{CommonName: cn}, NotBefore: from, NotAfter: to,
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
}

func leafCert(from, to time.Time, dnsNames ...string) *x509.Certificate {
	return &x509.Certificate{
		Subject: pkix.Name{CommonName: "echo-api.amazon.com"}, NotBefore: from, NotAfter: to,
		DNSNames:    dnsNames,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
}

func pemEncode(certs ...*x509.Certificate) []byte {
	var b bytes.Buffer
	for _, c := range certs {
		_ = pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return b.Bytes()
}

// testPKI builds the certificates once per test binary (RSA key generation
// is the slow part).
var testPKI = sync.OnceValue(func() *testPKIData {
	t0 := time.Now().UTC().Truncate(time.Second)
	p := &testPKIData{t0: t0, leafKey: mustRSAKey(), otherKey: mustRSAKey(), files: map[string][]byte{}}
	rootKey, interKey := mustRSAKey(), mustRSAKey()
	year, day := 365*24*time.Hour, 24*time.Hour

	root := mustCert(caCert("Test Root CA", t0.Add(-10*year), t0.Add(10*year)), nil, &rootKey.PublicKey, rootKey)
	p.roots = x509.NewCertPool()
	p.roots.AddCert(root)
	inter := mustCert(caCert("Test Intermediate CA", t0.Add(-year), t0.Add(5*year)), root, &interKey.PublicKey, rootKey)
	leaf := func(from, to time.Time, names ...string) *x509.Certificate {
		return mustCert(leafCert(from, to, names...), inter, &p.leafKey.PublicKey, interKey)
	}
	good := leaf(t0.Add(-day), t0.Add(30*day), "echo-api.amazon.com")
	p.files[testCertURL] = pemEncode(good, inter)
	p.files[testCertBase+"expired.pem"] = pemEncode(leaf(t0.Add(-60*day), t0.Add(-time.Hour), "echo-api.amazon.com"), inter)
	p.files[testCertBase+"not-yet-valid.pem"] = pemEncode(leaf(t0.Add(2*time.Hour), t0.Add(30*day), "echo-api.amazon.com"), inter)
	p.files[testCertBase+"wrong-san.pem"] = pemEncode(leaf(t0.Add(-day), t0.Add(30*day), "echo-api.example.com"), inter)
	p.files[testCertBase+"no-intermediate.pem"] = pemEncode(good)
	p.files[testCertBase+"garbage.pem"] = []byte("not a certificate\n")

	// The same names under a root nobody trusts.
	otherRoot := mustCert(caCert("Test Root CA", t0.Add(-10*year), t0.Add(10*year)), nil, &p.otherKey.PublicKey, p.otherKey)
	otherInter := mustCert(caCert("Test Intermediate CA", t0.Add(-year), t0.Add(5*year)), otherRoot, &interKey.PublicKey, p.otherKey)
	otherLeaf := mustCert(leafCert(t0.Add(-day), t0.Add(30*day), "echo-api.amazon.com"), otherInter, &p.leafKey.PublicKey, interKey)
	p.files[testCertBase+"untrusted.pem"] = pemEncode(otherLeaf, otherInter, otherRoot)
	return p
})

// mapFetcher serves the test PKI's files by URL and counts downloads.
type mapFetcher struct {
	files map[string][]byte
	calls atomic.Int64
}

var _ alexaverify.CertFetcher = (*mapFetcher)(nil)

func (f *mapFetcher) Fetch(_ context.Context, certURL string) ([]byte, error) {
	f.calls.Add(1)
	data, ok := f.files[certURL]
	if !ok {
		return nil, fmt.Errorf("GET %s: 404 Not Found", certURL)
	}
	return data, nil
}

// sign returns the base64 PKCS#1 v1.5 signature of body with hash h.
func sign(key *rsa.PrivateKey, h crypto.Hash, body []byte) string {
	var digest []byte
	switch h {
	case crypto.SHA1:
		d := sha1.Sum(body)
		digest = d[:]
	default:
		d := sha256.Sum256(body)
		digest = d[:]
	}
	sig, err := rsa.SignPKCS1v15(nil, key, h, digest)
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// alexaHeaders returns the headers Alexa sends with body, signed with the
// test signing key and pointing at certURL.
func alexaHeaders(certURL string, body []byte) http.Header {
	h := make(http.Header)
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set(alexaverify.HeaderSignatureCertChainURL, certURL)
	h.Set(alexaverify.HeaderSignature256, sign(testPKI().leafKey, crypto.SHA256, body))
	return h
}
