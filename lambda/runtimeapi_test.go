package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// invocationTimeout is the function timeout the fake Runtime API gives each
// invocation (its Lambda-Runtime-Deadline-Ms): the deployment template's
// timeout, under the 8 s Alexa waits for a response
// (https://developer.amazon.com/en-US/blogs/alexa/alexa-skills-kit/2019/10/tips-for-developing-high-performance-alexa-skills1).
const invocationTimeout = 7 * time.Second

// runtimeAPI is a small implementation of the Lambda Runtime API
// (version 2018-06-01) on loopback, enough to run a real bootstrap:
//
//	GET  /2018-06-01/runtime/invocation/next           hands out the next event
//	POST /2018-06-01/runtime/invocation/{id}/response  the function's answer
//	POST /2018-06-01/runtime/invocation/{id}/error     the function's error
//	POST /2018-06-01/runtime/init/error                init failed
//
// Invoke queues an event and waits for its answer. Any number of /next
// polls may wait at once (AWS_LAMBDA_MAX_CONCURRENCY > 1).
type runtimeAPI struct {
	srv     *httptest.Server
	queue   chan *invocation
	closing chan struct{}

	mu      sync.Mutex
	pending map[string]*invocation

	seq       atomic.Int64
	polls     atomic.Int64
	pollTimes chan time.Time // the time of each poll, while there is room
	initErrs  chan runtimeError
}

// invocation is one event handed to the function and its outcome.
type invocation struct {
	id      string
	payload []byte
	done    chan invokeResult
}

// invokeResult is what the function posted for an invocation.
type invokeResult struct {
	// Response is the body of a .../response post; nil after an error.
	Response []byte
	// Err is the body of a .../error post, or of an init error.
	Err *runtimeError
}

// runtimeError is an error a runtime posts: its Lambda-Runtime-Function-
// Error-Type header and its JSON body.
type runtimeError struct {
	HeaderType   string
	ErrorType    string `json:"errorType"`
	ErrorMessage string `json:"errorMessage"`
}

// newRuntimeAPI starts a fake Runtime API, closed when tb ends (after the
// cleanups registered later, such as stopping the process using it).
func newRuntimeAPI(tb testing.TB) *runtimeAPI {
	tb.Helper()
	r := &runtimeAPI{
		queue:     make(chan *invocation),
		closing:   make(chan struct{}),
		pending:   map[string]*invocation{},
		pollTimes: make(chan time.Time, 1024),
		initErrs:  make(chan runtimeError, 4),
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", r.next)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", r.response)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", r.invokeError)
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", r.initError)
	r.srv = httptest.NewServer(mux)
	tb.Cleanup(func() {
		close(r.closing)
		r.srv.Close()
	})
	return r
}

// Addr is the value for AWS_LAMBDA_RUNTIME_API: "127.0.0.1:port".
func (r *runtimeAPI) Addr() string { return strings.TrimPrefix(r.srv.URL, "http://") }

// Polls is how many /next polls arrived so far.
func (r *runtimeAPI) Polls() int64 { return r.polls.Load() }

// Invoke hands payload to the next /next poll and waits for the function's
// answer, at most until ctx is done.
func (r *runtimeAPI) Invoke(ctx context.Context, payload []byte) (invokeResult, error) {
	inv := &invocation{
		id:      fmt.Sprintf("00000000-0000-4000-8000-%012d", r.seq.Add(1)),
		payload: payload,
		done:    make(chan invokeResult, 1),
	}
	select {
	case r.queue <- inv:
	case <-ctx.Done():
		return invokeResult{}, fmt.Errorf("no /next poll took the invocation: %w", context.Cause(ctx))
	}
	select {
	case res := <-inv.done:
		return res, nil
	case <-ctx.Done():
		return invokeResult{}, fmt.Errorf("no answer to invocation %s: %w", inv.id, context.Cause(ctx))
	}
}

// WaitPoll waits for a /next poll that arrives after time since, and
// returns its time.
func (r *runtimeAPI) WaitPoll(ctx context.Context, since time.Time) (time.Time, error) {
	for {
		select {
		case t := <-r.pollTimes:
			if !t.Before(since) {
				return t, nil
			}
		case <-ctx.Done():
			return time.Time{}, fmt.Errorf("no /next poll: %w", context.Cause(ctx))
		}
	}
}

// InitError waits for a post to /runtime/init/error.
func (r *runtimeAPI) InitError(ctx context.Context) (runtimeError, error) {
	select {
	case e := <-r.initErrs:
		return e, nil
	case <-ctx.Done():
		return runtimeError{}, fmt.Errorf("no init error posted: %w", context.Cause(ctx))
	}
}

func (r *runtimeAPI) next(w http.ResponseWriter, req *http.Request) {
	now := time.Now()
	r.polls.Add(1)
	select {
	case r.pollTimes <- now:
	default:
	}
	select {
	case inv := <-r.queue:
		r.mu.Lock()
		r.pending[inv.id] = inv
		r.mu.Unlock()
		h := w.Header()
		h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(invocationTimeout).UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:spasmcoach")
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0")
		h.Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(inv.payload)
	case <-req.Context().Done():
	case <-r.closing:
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
	}
}

// finish delivers res to the invocation named in the request's path.
func (r *runtimeAPI) finish(w http.ResponseWriter, req *http.Request, res invokeResult) {
	id := req.PathValue("id")
	r.mu.Lock()
	inv, ok := r.pending[id]
	delete(r.pending, id)
	r.mu.Unlock()
	if !ok {
		http.Error(w, `{"errorMessage":"unknown request id","errorType":"InvalidRequestID"}`, http.StatusBadRequest)
		return
	}
	inv.done <- res
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

func (r *runtimeAPI) response(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if body == nil {
		body = []byte{}
	}
	r.finish(w, req, invokeResult{Response: body})
}

func (r *runtimeAPI) invokeError(w http.ResponseWriter, req *http.Request) {
	e, err := readRuntimeError(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	r.finish(w, req, invokeResult{Err: &e})
}

func (r *runtimeAPI) initError(w http.ResponseWriter, req *http.Request) {
	e, err := readRuntimeError(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	select {
	case r.initErrs <- e:
	default:
	}
	w.WriteHeader(http.StatusAccepted)
	_, _ = io.WriteString(w, `{"status":"OK"}`)
}

func readRuntimeError(req *http.Request) (runtimeError, error) {
	var e runtimeError
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return e, err
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return e, fmt.Errorf("error body is not JSON: %w: %s", err, body)
	}
	e.HeaderType = req.Header.Get("Lambda-Runtime-Function-Error-Type")
	return e, nil
}

// process is a bootstrap started by a test.
type process struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan struct{}
	err    error // from Wait, once exited is closed
}

// startProcess runs the binary bin with env added to a minimal
// environment, and kills it (by its own pid) when tb ends.
func startProcess(tb testing.TB, bin string, env []string) *process {
	tb.Helper()
	cmd := exec.Command(bin)
	cmd.Env = append(baseEnv(), env...)
	p := &process{cmd: cmd, stderr: &syncBuffer{}, exited: make(chan struct{})}
	cmd.Stdout = p.stderr
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", bin, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.exited)
	}()
	tb.Cleanup(p.stop)
	return p
}

// stop kills the process if it still runs and waits for it.
func (p *process) stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Kill()
	<-p.exited
}

// Running reports whether the process has not exited.
func (p *process) Running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// Wait waits for the process to exit and returns its exit code.
func (p *process) Wait(ctx context.Context) (int, error) {
	select {
	case <-p.exited:
	case <-ctx.Done():
		return 0, fmt.Errorf("process still running: %w", context.Cause(ctx))
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode(), nil
	}
	if p.err != nil {
		return 0, p.err
	}
	return 0, nil
}

// baseEnv is the environment a bootstrap starts from in these tests: what
// a process needs to run (PATH, HOME, TMPDIR), and no AWS settings, shared
// config files or proxies of the machine running the tests.
func baseEnv() []string {
	env := []string{
		"AWS_CONFIG_FILE=/nonexistent",
		"AWS_SHARED_CREDENTIALS_FILE=/nonexistent",
		"AWS_EC2_METADATA_DISABLED=true",
	}
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// vmHWM returns the peak resident set size of process pid in bytes, from
// /proc/<pid>/status (Linux only).
func vmHWM(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, fmt.Errorf("unexpected VmHWM line %q", sc.Text())
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			return 0, err
		}
		return kb * 1024, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, errors.New("no VmHWM in /proc/<pid>/status")
}

// newCmd returns a command for bin with exactly env, its output dropped
// (for benchmarks, which start many processes).
func newCmd(bin string, env []string) *exec.Cmd {
	cmd := exec.Command(bin)
	cmd.Env = env
	cmd.Stdout = io.Discard
	cmd.Stderr = io.Discard
	return cmd
}
