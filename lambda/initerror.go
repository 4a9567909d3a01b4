package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// envRuntimeAPI is where Lambda's Runtime API listens ("host:port"). Lambda
// sets it for the runtime; it is not configuration, so it is not among the
// Env* constants of package config.
const envRuntimeAPI = "AWS_LAMBDA_RUNTIME_API"

// Error types reported to the Runtime API's init-error endpoint, in the
// "Runtime.*" form Lambda uses for runtime failures.
const (
	// errTypeConfig: the environment does not configure the function.
	errTypeConfig = "Runtime.ConfigInvalid"
	// errTypeInit: anything else that stopped init.
	errTypeInit = "Runtime.InitError"
)

// initReportTimeout bounds the report of an init error: the process exits
// right after it either way.
const initReportTimeout = 2 * time.Second

// initError is an error that stopped init, with the error type to report.
type initError struct {
	kind string
	err  error
}

func (e *initError) Error() string { return e.err.Error() }
func (e *initError) Unwrap() error { return e.err }

// errorType returns the Runtime API error type of err.
func errorType(err error) string {
	var ie *initError
	if errors.As(err, &ie) {
		return ie.kind
	}
	return errTypeInit
}

// reportInitError posts err to the Runtime API at api
// (POST /2018-06-01/runtime/init/error), as a runtime must before it exits
// when init fails; Lambda then shows the message with the failed
// invocation instead of a bare exit status. aws-lambda-go has no call for
// this, because it only starts talking to the Runtime API in lambda.Start.
func reportInitError(ctx context.Context, api string, err error) error {
	typ := errorType(err)
	body, merr := json.Marshal(struct {
		ErrorMessage string   `json:"errorMessage"`
		ErrorType    string   `json:"errorType"`
		StackTrace   []string `json:"stackTrace"`
	}{err.Error(), typ, []string{}})
	if merr != nil {
		return fmt.Errorf("encode init error: %w", merr)
	}
	ctx, cancel := context.WithTimeout(ctx, initReportTimeout)
	defer cancel()
	url := "http://" + api + "/2018-06-01/runtime/init/error"
	req, rerr := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if rerr != nil {
		return fmt.Errorf("post init error: %w", rerr)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Lambda-Runtime-Function-Error-Type", typ)
	// The Runtime API is on a link-local address: never through a proxy.
	client := &http.Client{Transport: &http.Transport{Proxy: nil}}
	resp, derr := client.Do(req)
	if derr != nil {
		return fmt.Errorf("post init error: %w", derr)
	}
	defer func() { _ = resp.Body.Close() }() // read-only: nothing to lose
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusAccepted {
		return fmt.Errorf("post init error: %s answered %s", url, resp.Status)
	}
	return nil
}
