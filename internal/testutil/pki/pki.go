// Package pki builds test certificates for Alexa request verification, so
// that its tests (package alexaverify, and serve's in cmd/spasmcoach) run
// every rule against real signatures and chains without Amazon's: a
// root the tests trust, an intermediate, and signing certificate chains in
// every shape the verification rules care about, each served at its own
// URL under https://s3.amazonaws.com/echo.api/, with the key that signs
// request bodies as Alexa does (the Signature-256 header). It also serves
// those files to a verifier (Fetcher) and makes single certificates for
// TLS servers (Cert, PEM).
//
// Building a PKI generates RSA keys, which is slow: a test binary builds
// one, with sync.OnceValue.
package pki

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"math/big"
	"net/http"
	"sync/atomic"
	"time"
)

const (
	// CertURL is the URL of the good signing chain, where Alexa keeps it.
	CertURL = "https://s3.amazonaws.com/echo.api/echo-api-cert.pem"
	// CertBase is the directory of CertURL; the other chains are under it
	// (see New).
	CertBase = "https://s3.amazonaws.com/echo.api/"
	// SigningName is the name Alexa's signing certificate is for.
	SigningName = "echo-api.amazon.com"
)

// PKI is a test certificate hierarchy and the files it serves by URL.
type PKI struct {
	// T0 is the moment the certificates are built around: the good chain
	// is valid from a day before it for 30 days.
	T0 time.Time
	// LeafKey signs requests; it is the key of every RSA leaf.
	LeafKey *rsa.PrivateKey
	// OtherKey is an unrelated key: the untrusted root's, and a wrong
	// signer.
	OtherKey *rsa.PrivateKey
	// Roots trusts Root only.
	Roots *x509.CertPool
	// Root is the trusted root; Inter the intermediate it signed, whose
	// key is InterKey.
	Root, Inter *x509.Certificate
	InterKey    *rsa.PrivateKey
	// Files maps each URL to its PEM file: CertURL, and under CertBase
	// expired.pem, not-yet-valid.pem (valid an hour after T0),
	// wrong-san.pem, wildcard-san.pem, no-intermediate.pem,
	// root-in-file.pem, garbage.pem, private-key.pem (a chain followed by
	// a private key block), untrusted.pem (a look-alike chain to an
	// untrusted root), expired-intermediate.pem and ecdsa.pem (a leaf with
	// an ECDSA key).
	Files map[string][]byte
}

const (
	day  = 24 * time.Hour
	year = 365 * day
)

// New builds a PKI around t0.
func New(t0 time.Time) *PKI {
	p := &PKI{T0: t0, LeafKey: mustRSAKey(), OtherKey: mustRSAKey(), InterKey: mustRSAKey(), Files: map[string][]byte{}}
	rootKey := mustRSAKey()
	p.Root = Cert(caTemplate("Test Root CA", t0.Add(-10*year), t0.Add(10*year)), nil, &rootKey.PublicKey, rootKey)
	p.Roots = x509.NewCertPool()
	p.Roots.AddCert(p.Root)
	p.Inter = Cert(caTemplate("Test Intermediate CA", t0.Add(-year), t0.Add(5*year)), p.Root, &p.InterKey.PublicKey, rootKey)
	good := p.leaf(t0.Add(-day), t0.Add(30*day), SigningName)
	p.Files[CertURL] = PEM(good, p.Inter)
	files := map[string][]byte{
		"expired.pem":         PEM(p.leaf(t0.Add(-60*day), t0.Add(-time.Second), SigningName), p.Inter),
		"not-yet-valid.pem":   PEM(p.leaf(t0.Add(time.Hour), t0.Add(30*day), SigningName), p.Inter),
		"wrong-san.pem":       PEM(p.leaf(t0.Add(-day), t0.Add(30*day), "example.com", SigningName+".example.com"), p.Inter),
		"wildcard-san.pem":    PEM(p.leaf(t0.Add(-day), t0.Add(30*day), "*.amazon.com"), p.Inter),
		"no-intermediate.pem": PEM(good),
		"root-in-file.pem":    PEM(good, p.Inter, p.Root),
		"garbage.pem":         []byte("this is not PEM\n"),
		"private-key.pem":     append(PEM(good), pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: []byte{1}})...),
	}
	// A look-alike hierarchy under a root nobody trusts.
	otherRoot := Cert(caTemplate("Test Root CA", t0.Add(-10*year), t0.Add(10*year)), nil, &p.OtherKey.PublicKey, p.OtherKey)
	otherInter := Cert(caTemplate("Test Intermediate CA", t0.Add(-year), t0.Add(5*year)), otherRoot, &p.InterKey.PublicKey, p.OtherKey)
	otherLeaf := Cert(leafTemplate(t0.Add(-day), t0.Add(30*day), SigningName), otherInter, &p.LeafKey.PublicKey, p.InterKey)
	files["untrusted.pem"] = PEM(otherLeaf, otherInter, otherRoot)
	// An intermediate that expired although the leaf has not.
	oldInter := Cert(caTemplate("Old Intermediate CA", t0.Add(-2*year), t0.Add(-day)), p.Root, &p.InterKey.PublicKey, rootKey)
	files["expired-intermediate.pem"] = PEM(Cert(leafTemplate(t0.Add(-day), t0.Add(30*day), SigningName), oldInter, &p.LeafKey.PublicKey, p.InterKey), oldInter)
	// A well-formed chain whose leaf has an ECDSA key.
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	files["ecdsa.pem"] = PEM(Cert(leafTemplate(t0.Add(-day), t0.Add(30*day), SigningName), p.Inter, &ecKey.PublicKey, p.InterKey), p.Inter)
	for name, data := range files {
		p.Files[CertBase+name] = data
	}
	return p
}

// leaf returns a signing certificate for names, valid from from to to,
// with LeafKey, signed by the intermediate.
func (p *PKI) leaf(from, to time.Time, names ...string) *x509.Certificate {
	return Cert(leafTemplate(from, to, names...), p.Inter, &p.LeafKey.PublicKey, p.InterKey)
}

// RenewedLeafPEM returns a good chain whose leaf is valid from from for 30
// days, for tests that rotate the certificate at CertURL.
func (p *PKI) RenewedLeafPEM(from time.Time) []byte {
	return PEM(p.leaf(from, from.Add(30*day), SigningName), p.Inter)
}

// Headers returns the headers Alexa sends with body: its content type,
// certURL as SignatureCertChainUrl, and Signature-256 made with LeafKey.
func (p *PKI) Headers(certURL string, body []byte) http.Header {
	h := make(http.Header)
	h.Set("Content-Type", "application/json;charset=UTF-8")
	h.Set("SignatureCertChainUrl", certURL)
	h.Set("Signature-256", Sign(p.LeafKey, crypto.SHA256, body))
	return h
}

// Sign returns the base64 PKCS#1 v1.5 signature of body with key and hash
// h (crypto.SHA256, or crypto.SHA1 for the retired Signature header).
func Sign(key *rsa.PrivateKey, h crypto.Hash, body []byte) string {
	var digest []byte
	if h == crypto.SHA1 {
		d := sha1.Sum(body)
		digest = d[:]
	} else {
		d := sha256.Sum256(body)
		digest = d[:]
	}
	sig, err := rsa.SignPKCS1v15(nil, key, h, digest)
	if err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

var serial atomic.Int64

// Cert creates a certificate from tmpl for the public key pub, signed by
// signer as parent (self-signed when parent is nil). It sets the serial
// number, and panics on error: the inputs are the test's own.
func Cert(tmpl, parent *x509.Certificate, pub crypto.PublicKey, signer crypto.Signer) *x509.Certificate {
	tmpl.SerialNumber = big.NewInt(serial.Add(1))
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

// PEM returns certs PEM-encoded, in order.
func PEM(certs ...*x509.Certificate) []byte {
	var b bytes.Buffer
	for _, c := range certs {
		if err := pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw}); err != nil {
			panic(err)
		}
	}
	return b.Bytes()
}

func mustRSAKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

func caTemplate(cn string, from, to time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject: pkix.Name{CommonName: cn}, NotBefore: from, NotAfter: to,
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
}

func leafTemplate(from, to time.Time, dnsNames ...string) *x509.Certificate {
	return &x509.Certificate{
		Subject: pkix.Name{CommonName: SigningName}, NotBefore: from, NotAfter: to,
		DNSNames:    dnsNames,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
}
