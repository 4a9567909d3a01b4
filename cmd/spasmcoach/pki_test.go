package main

import (
	"sync"
	"time"

	"spasmcoach/internal/testutil/pki"
)

// testPKI is the test certificate hierarchy for request verification, built
// once per test binary, valid around the real clock because the handler
// behind the verifier runs on the real clock too.
var testPKI = sync.OnceValue(func() *pki.PKI { return pki.New(time.Now().UTC().Truncate(time.Second)) })
