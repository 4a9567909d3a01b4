package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/config"
	"spasmcoach/intents"
	"spasmcoach/store/dynalitetest"
)

// turnOnce sends one request of conv through h, takes in the answer, and
// returns it with its raw JSON. Only the Invoke is timed (and its
// allocations counted): building the request and reading the answer are
// not. It checks only the version (parseResponse); the callers check
// every turn outside the timing with checkedTurn or decodeResponse.
func turnOnce(b *testing.B, h lambda.Handler, conv *conversation, reqType, intent string, slots ...string) (*alexa.Envelope, []byte) {
	b.Helper()
	b.StopTimer()
	req := conv.request(b, reqType, intent, slots...)
	ctx, cancel := context.WithTimeout(context.Background(), invocationTimeout)
	defer cancel()
	b.StartTimer()
	raw, err := h.Invoke(ctx, req)
	b.StopTimer()
	if err != nil {
		b.Fatalf("Invoke: %v", err)
	}
	r := parseResponse(b, raw)
	conv.absorb(r)
	b.StartTimer()
	return r, raw
}

// checkedTurn is turnOnce with the whole response check, for the turns
// before the timing.
func checkedTurn(b *testing.B, h lambda.Handler, conv *conversation, reqType, intent string, slots ...string) {
	b.Helper()
	_, raw := turnOnce(b, h, conv, reqType, intent, slots...)
	decodeResponse(b, raw)
}

// BenchmarkTurn measures one turn through the handler main builds, against
// dynalite on loopback, and reports the DynamoDB calls per turn:
//
//   - launch: a returning user opens the skill again and again on the same
//     device (each a new session, so the state is read from DynamoDB; the
//     device's time zone comes with it, and a launch that only asks where
//     to pick up writes nothing);
//   - launch-other-instance: the same, each on a new handler (another
//     Lambda instance, which has seen no device yet): the Settings call
//     starts alongside the read and is abandoned when the read brings a
//     fresh zone;
//   - launch-new-user: a new user on a new device each time: the Settings
//     call runs alongside the read, and the first state is written;
//   - in-session: "next" and "go back" in turn within one session (the
//     state travels in the session attributes: no read, one write).
//
// The stand-in Alexa API answers the Settings API after benchAlexaDelay, as
// the real one would; TimeZone/op counts its calls. Each op is the Invoke
// alone (turnOnce).
func BenchmarkTurn(b *testing.B) {
	endpoint := dynalitetest.Start(b)
	alexaAPI := newSlowAlexaAPI(b, benchAlexaDelay)
	b.Run("launch", func(b *testing.B) {
		h, counting := newTestHandler(b, endpoint, config.Config{SkillIDs: []string{fixtureSkillID}, LogLevel: slog.LevelInfo}, discard{})
		conv := newConversation(b, "amzn1.ask.account.RAWUSERID-BENCH-LAUNCH", alexaAPI.URL)
		checkedTurn(b, h, conv, alexa.RequestLaunch, "")
		checkedTurn(b, h, conv, alexa.RequestIntent, intents.IntentResume)
		checkedTurn(b, h, conv, alexa.RequestIntent, intents.IntentStop)
		counting.Reset()
		zones := int64(alexaAPI.Count(alexatest.OpTimeZone))
		var last []byte
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			conv.Open = false // every launch opens a new session
			_, last = turnOnce(b, h, conv, alexa.RequestLaunch, "")
		}
		decodeResponse(b, last) // b.Loop has stopped the timer
		reportCalls(b, counting.Calls())
		b.ReportMetric(float64(int64(alexaAPI.Count(alexatest.OpTimeZone))-zones)/float64(b.N), "TimeZone/op")
	})
	b.Run("launch-other-instance", func(b *testing.B) {
		client := dynalitetest.Client(b, endpoint)
		cfg := config.Config{TableName: dynalitetest.NewTable(b, client), SkillIDs: []string{fixtureSkillID}, LogLevel: slog.LevelInfo}
		counting := dynalitetest.NewCountingClient(client)
		first, err := newHandler(cfg, counting, newLogger(discard{}, cfg.LogLevel))
		if err != nil {
			b.Fatal(err)
		}
		h := lambda.NewHandler(first)
		conv := newConversation(b, "amzn1.ask.account.RAWUSERID-BENCH-OTHER", alexaAPI.URL)
		checkedTurn(b, h, conv, alexa.RequestLaunch, "")
		checkedTurn(b, h, conv, alexa.RequestIntent, intents.IntentResume)
		checkedTurn(b, h, conv, alexa.RequestIntent, intents.IntentStop)
		counting.Reset()
		zones := int64(alexaAPI.Count(alexatest.OpTimeZone))
		var last []byte
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			b.StopTimer()
			ih, err := newHandler(cfg, counting, newLogger(discard{}, cfg.LogLevel))
			if err != nil {
				b.Fatal(err)
			}
			conv.Open = false
			b.StartTimer()
			_, last = turnOnce(b, lambda.NewHandler(ih), conv, alexa.RequestLaunch, "")
		}
		decodeResponse(b, last)
		reportCalls(b, counting.Calls())
		b.ReportMetric(float64(int64(alexaAPI.Count(alexatest.OpTimeZone))-zones)/float64(b.N), "TimeZone/op")
	})
	b.Run("launch-new-user", func(b *testing.B) {
		h, counting := newTestHandler(b, endpoint, config.Config{SkillIDs: []string{fixtureSkillID}, LogLevel: slog.LevelInfo}, discard{})
		zones := int64(alexaAPI.Count(alexatest.OpTimeZone))
		var last []byte
		b.ReportAllocs()
		b.ResetTimer()
		i := 0
		for b.Loop() {
			b.StopTimer()
			i++
			conv := newConversation(b, fmt.Sprintf("amzn1.ask.account.RAWUSERID-BENCH-NEW-%d", i), alexaAPI.URL)
			conv.DeviceID = fmt.Sprintf("amzn1.ask.device.BENCH-NEW-%d", i)
			b.StartTimer()
			_, last = turnOnce(b, h, conv, alexa.RequestLaunch, "")
		}
		decodeResponse(b, last)
		reportCalls(b, counting.Calls())
		b.ReportMetric(float64(int64(alexaAPI.Count(alexatest.OpTimeZone))-zones)/float64(b.N), "TimeZone/op")
	})
	b.Run("in-session", func(b *testing.B) {
		h, counting := newTestHandler(b, endpoint, config.Config{SkillIDs: []string{fixtureSkillID}, LogLevel: slog.LevelInfo}, discard{})
		conv := newConversation(b, "amzn1.ask.account.RAWUSERID-BENCH-SESSION", alexaAPI.URL)
		checkedTurn(b, h, conv, alexa.RequestLaunch, "")
		checkedTurn(b, h, conv, alexa.RequestIntent, intents.IntentResume)
		checkedTurn(b, h, conv, alexa.RequestIntent, intents.IntentNext)
		counting.Reset()
		zones := int64(alexaAPI.Count(alexatest.OpTimeZone))
		var last []byte
		b.ReportAllocs()
		b.ResetTimer()
		i := 0
		for b.Loop() {
			intent := intents.IntentNext
			if i%2 == 1 {
				intent = intents.IntentPrevious
			}
			i++
			var r *alexa.Envelope
			if r, last = turnOnce(b, h, conv, alexa.RequestIntent, intent); ends(r) {
				b.Fatalf("the session ended: %q", spoken(r))
			}
		}
		decodeResponse(b, last) // b.Loop has stopped the timer
		reportCalls(b, counting.Calls())
		b.ReportMetric(float64(int64(alexaAPI.Count(alexatest.OpTimeZone))-zones)/float64(b.N), "TimeZone/op")
	})
}

func reportCalls(b *testing.B, c dynalitetest.Calls) {
	b.ReportMetric(float64(c.GetItem)/float64(b.N), "GetItem/op")
	b.ReportMetric(float64(c.PutItem)/float64(b.N), "PutItem/op")
	b.ReportMetric(float64(c.DeleteItem)/float64(b.N), "DeleteItem/op")
}

// discard is an io.Writer that drops everything (the logs of a benchmark).
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkBootstrapColdStart measures the real bootstrap (built for this
// machine with the Makefile's flags) from process start to its first poll
// of the Runtime API: all of init (configuration, AWS config, clients,
// handler). Each op starts a new process. It reports the size of that
// binary and of the linux/arm64 one `make build` produces.
func BenchmarkBootstrapColdStart(b *testing.B) {
	bin := hostBootstrapPath(b)
	dist := b.TempDir()
	runMake(b, "build", "DIST="+dist)
	api := newRuntimeAPI(b)
	// Init makes no DynamoDB call, so no server is needed.
	env := append(baseEnv(), bootstrapEnv(api.Addr(), "http://127.0.0.1:9", "cold-start-table")...)
	ctx, cancel := context.WithTimeout(context.Background(), e2eTimeout)
	defer cancel()

	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := newCmd(bin, env)
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		_, err := api.WaitPoll(ctx, start)
		b.StopTimer()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if err != nil {
			b.Fatalf("no poll: %v", err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(fileSize(b, bin)), "host-bytes")
	b.ReportMetric(float64(fileSize(b, filepath.Join(dist, "bootstrap"))), "arm64-bytes")
	b.ReportMetric(float64(fileSize(b, filepath.Join(dist, "spasmcoach.zip"))), "zip-bytes")
}

func fileSize(b *testing.B, path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

// Load of BenchmarkBootstrapPeakMemory: loadUsers users, each through one
// whole session (loadScript), at most loadConcurrency turns in flight.
const (
	loadUsers       = 32
	loadConcurrency = 8
)

// loadScript is one user's session in the load.
var loadScript = []struct{ reqType, intent string }{
	{alexa.RequestLaunch, ""},
	{alexa.RequestIntent, intents.IntentResume},
	{alexa.RequestIntent, intents.IntentNext},
	{alexa.RequestIntent, intents.IntentNext},
	{alexa.RequestIntent, intents.IntentStartBreathing},
	{alexa.RequestIntent, intents.IntentStop},
}

// BenchmarkBootstrapPeakMemory runs the real bootstrap, drives a bounded
// load of concurrent turns (loadConcurrency in flight) through the Runtime
// API with state in dynalite, and reports the process's peak resident set
// size (VmHWM) after init and after the load. The bootstrap takes one
// invocation at a time, as in standard Lambda, or loadConcurrency at once
// (AWS_LAMBDA_MAX_CONCURRENCY, as Lambda Managed Instances run it). Each op
// is one process through the whole load.
func BenchmarkBootstrapPeakMemory(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("VmHWM is read from /proc (Linux only)")
	}
	endpoint := dynalitetest.Start(b)
	for _, concurrency := range []int{1, loadConcurrency} {
		b.Run(fmt.Sprintf("max-concurrency=%d", concurrency), func(b *testing.B) {
			benchmarkPeakMemory(b, endpoint, concurrency)
		})
	}
}

// benchmarkPeakMemory runs the load against bootstraps that take up to
// concurrency invocations at once.
func benchmarkPeakMemory(b *testing.B, endpoint string, concurrency int) {
	table := dynalitetest.NewTable(b, dynalitetest.Client(b, endpoint))
	bin := hostBootstrapPath(b)
	api := newRuntimeAPI(b)
	alexaAPI := newFakeAlexaAPI(b)
	env := append(baseEnv(), bootstrapEnv(api.Addr(), endpoint, table,
		fmt.Sprintf("AWS_LAMBDA_MAX_CONCURRENCY=%d", concurrency), config.EnvLogLevel+"=info")...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	var idlePeak, loadPeak int64
	turns := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := newCmd(bin, env)
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		if _, err := api.WaitPoll(ctx, start); err != nil {
			b.Fatal(err)
		}
		idle, err := vmHWM(cmd.Process.Pid)
		if err != nil {
			b.Fatal(err)
		}
		idlePeak = max(idlePeak, idle)

		users := make(chan int)
		errs := make(chan error, loadConcurrency)
		var wg sync.WaitGroup
		var first [][]byte // user 0's responses, checked after the timing
		for range loadConcurrency {
			wg.Go(func() {
				for u := range users {
					responses, err := runLoadUser(ctx, b, api, alexaAPI.URL, i, u)
					if err != nil {
						errs <- err
						return
					}
					if u == 0 {
						first = responses
					}
				}
			})
		}
		for u := range loadUsers {
			users <- u
		}
		close(users)
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
		turns += loadUsers * len(loadScript)
		peak, err := vmHWM(cmd.Process.Pid)
		if err != nil {
			b.Fatal(err)
		}
		loadPeak = max(loadPeak, peak)
		b.StopTimer()
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		for _, raw := range first {
			decodeResponse(b, raw)
		}
		b.StartTimer()
	}
	b.StopTimer()
	b.ReportMetric(float64(idlePeak), "init-peak-RSS-bytes")
	b.ReportMetric(float64(loadPeak), "load-peak-RSS-bytes")
	b.ReportMetric(float64(turns)/float64(b.N), "turns/op")
}

// runLoadUser runs loadScript for one user of run i through the Runtime
// API and returns the responses, unchecked but for their version (the
// caller checks a sample outside the timing). A turn that fails or does
// not answer is an error.
func runLoadUser(ctx context.Context, b *testing.B, api *runtimeAPI, alexaURL string, i, u int) ([][]byte, error) {
	conv := newConversation(b, fmt.Sprintf("amzn1.ask.account.RAWUSERID-LOAD-%d-%d", i, u), alexaURL)
	var responses [][]byte
	for _, st := range loadScript {
		res, err := api.Invoke(ctx, conv.request(b, st.reqType, st.intent))
		if err != nil {
			return nil, err
		}
		if res.Err != nil {
			return nil, fmt.Errorf("user %d: %s failed: %+v", u, st.intent, *res.Err)
		}
		conv.absorb(parseResponse(b, res.Response))
		responses = append(responses, res.Response)
	}
	return responses, nil
}
