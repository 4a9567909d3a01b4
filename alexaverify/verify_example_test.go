package alexaverify_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"spasmcoach/alexaverify"
)

// A forged request whose certificate URL uses plain http is refused before
// anything is downloaded; the error names the rule it broke.
func ExampleVerifier() {
	v := alexaverify.NewVerifier(alexaverify.WithApplicationIDs("amzn1.ask.skill.0000"))

	header := make(http.Header)
	header.Set(alexaverify.HeaderSignatureCertChainURL, "http://s3.amazonaws.com/echo.api/echo-api-cert.pem")
	header.Set(alexaverify.HeaderSignature256, "c2lnbmF0dXJl")
	body := []byte(`{"version":"1.0","request":{"type":"LaunchRequest","timestamp":"2026-03-01T12:00:00Z"}}`)

	err := v.Verify(context.Background(), header, body)
	if e, ok := errors.AsType[*alexaverify.Error](err); ok {
		fmt.Println(e.Rule)
	}
	fmt.Println(err)
	// Output:
	// cert-url-scheme
	// alexaverify: cert-url-scheme: scheme "http", not https
}

// An HTTP handler verifies every request before decoding it and answers 400
// to anything that does not verify.
func ExampleVerifier_VerifyRequest() {
	logger := slog.Default()
	v := alexaverify.NewVerifier(
		alexaverify.WithApplicationIDs("amzn1.ask.skill.0000"),
		alexaverify.WithVerifyLogger(logger),
	)
	if v.AcceptsAnyApplication() {
		logger.Warn("no skill ID configured: requests for any skill are accepted")
	}

	mux := http.NewServeMux()
	mux.HandleFunc("POST /", func(w http.ResponseWriter, r *http.Request) {
		body, err := v.VerifyRequest(r, 64<<10)
		if err != nil {
			logger.Warn("request refused", "rule", alexaverify.RuleOf(err), "err", err)
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		_ = body // decode and handle the verified request here
	})
	_ = mux // serve it with an http.Server that has read and write timeouts
}
