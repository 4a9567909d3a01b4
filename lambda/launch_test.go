package main

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"spasmcoach/alexa"
	"spasmcoach/alexa/alexatest"
	"spasmcoach/config"
	"spasmcoach/store/dynalitetest"
)

// fixtureDeviceID is the device of the fixtures (testdata/launch.json).
const fixtureDeviceID = "amzn1.ask.device.LAMBDA-FIXTURE-DEVICE"

// meetingWait bounds how long one party of a meeting waits for the other:
// far longer than a loopback call takes, so that only a turn that makes
// the two calls one after the other misses it.
const meetingWait = 10 * time.Second

// meeting records whether the DynamoDB read and the Settings API call of
// one turn are in flight at the same time: each stand-in, on receiving its
// call, marks it in flight and holds it until it sees the other in flight
// too, or meetingWait passes. A turn that made them one after the other
// would leave the first waiting in vain.
type meeting struct {
	read, call         chan struct{}
	readOnce, callOnce sync.Once
	readMet, callMet   atomic.Bool
}

func newMeeting() *meeting {
	return &meeting{read: make(chan struct{}), call: make(chan struct{})}
}

// arrive marks mine in flight and waits for other; it reports whether
// other came.
func arrive(once *sync.Once, mine, other chan struct{}) bool {
	once.Do(func() { close(mine) })
	t := time.NewTimer(meetingWait)
	defer t.Stop()
	select {
	case <-other:
		return true
	case <-t.C:
		return false
	}
}

// meetingDB forwards to the counting client; while a meeting is set, each
// GetItem takes part in it.
type meetingDB struct {
	*dynalitetest.CountingClient
	m atomic.Pointer[meeting]
}

func (d *meetingDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	if m := d.m.Load(); m != nil && arrive(&m.readOnce, m.read, m.call) {
		m.readMet.Store(true)
	}
	return d.CountingClient.GetItem(ctx, in, optFns...)
}

// newSettingsStandIn is the Alexa API fake, which checks that each
// Settings request is exactly the documented time zone request of the
// fixtures' device (GET /v2/devices/{deviceId}/settings/System.timeZone
// with the request's apiAccessToken as a bearer token, no query, no body;
// https://developer.amazon.com/en-US/docs/alexa/smapi/alexa-settings-api-reference.html),
// with each call taking part in the meeting m points to, when one is set.
func newSettingsStandIn(tb testing.TB, m *atomic.Pointer[meeting]) *alexatest.Server {
	tb.Helper()
	s := newFakeAlexaAPI(tb)
	s.DeviceID = fixtureDeviceID
	s.OnCall = func(string) {
		if m := m.Load(); m != nil && arrive(&m.callOnce, m.call, m.read) {
			m.callMet.Store(true)
		}
	}
	return s
}

// onlySettings fails the test on any call but the Settings API's.
func onlySettings(tb testing.TB, s *alexatest.Server) {
	tb.Helper()
	for _, c := range s.Calls() {
		if c.Op != alexatest.OpTimeZone {
			tb.Errorf("unexpected Alexa API call %s %s", c.Method, c.Path)
		}
	}
}

// TestLaunchWaitsOnOneRead runs launches through the handler main builds,
// against dynalite and a stand-in Settings API. A new user's launch reads
// the state once and asks for the time zone at most once, with the read
// and the call in flight at the same time. The same user's next launch on
// the same device, on another instance of the function (a fresh handler,
// which has seen neither the user nor the device), reads the state once and
// calls no Alexa API: the zone comes with the stored state.
func TestLaunchWaitsOnOneRead(t *testing.T) {
	endpoint := dynalitetest.Start(t)
	var meet atomic.Pointer[meeting]
	settings := newSettingsStandIn(t, &meet)
	client := dynalitetest.Client(t, endpoint)
	cfg := config.Config{TableName: dynalitetest.NewTable(t, client), SkillIDs: []string{fixtureSkillID}, LogLevel: slog.LevelDebug}
	db := &meetingDB{CountingClient: dynalitetest.NewCountingClient(client)}
	logs := &syncBuffer{}
	instance := func() lambda.Handler {
		t.Helper()
		ih, err := newHandler(cfg, db, newLogger(logs, cfg.LogLevel))
		if err != nil {
			t.Fatal(err)
		}
		return lambda.NewHandler(ih)
	}
	h := instance()
	conv := newConversation(t, "amzn1.ask.account.RAWUSERID-LAUNCH-0001", settings.URL)
	launch := func() *alexa.Envelope {
		t.Helper()
		raw, err := h.Invoke(invocationContext(t, "launch"), conv.request(t, alexa.RequestLaunch, ""))
		if err != nil {
			t.Fatalf("Invoke: %v", err)
		}
		r := decodeResponse(t, raw)
		checkSpoken(t, raw, r)
		conv.absorb(r)
		return r
	}

	m := newMeeting()
	db.m.Store(m)
	meet.Store(m)
	r := launch()
	db.m.Store(nil)
	meet.Store(nil)
	if !strings.Contains(spoken(r), "Welcome to Back Spasm Coach") {
		t.Errorf("new user's launch: %q", spoken(r))
	}
	if got := db.Calls().GetItem; got != 1 {
		t.Errorf("new user's launch: %d GetItem, want 1", got)
	}
	onlySettings(t, settings)
	if got := settings.Count(alexatest.OpTimeZone); got != 1 {
		t.Errorf("new user's launch: %d Settings calls, want 1 (at most 1, and the meeting needs one)", got)
	}
	if !m.readMet.Load() || !m.callMet.Load() {
		t.Errorf("the read and the Settings call were not in flight together (read saw the call: %v; call saw the read: %v)",
			m.readMet.Load(), m.callMet.Load())
	}
	if z := sessionZone(r); z != fakeZone {
		t.Errorf("new user's launch: session zone %q, want %q", z, fakeZone)
	}

	db.Reset()
	settings.Reset()
	conv.Open = false // the user walked away; the next launch is a new session
	h = instance()    // and Lambda runs it on another instance
	r = launch()
	if !strings.Contains(spoken(r), "Last time you were") {
		t.Errorf("known user's launch: %q", spoken(r))
	}
	if got := db.Calls().GetItem; got != 1 {
		t.Errorf("known user's launch on a known device: %d GetItem, want 1", got)
	}
	onlySettings(t, settings)
	if got := settings.Count(alexatest.OpTimeZone); got != 0 {
		t.Errorf("known user's launch on a known device: %d Alexa API calls, want 0", got)
	}
	if z := sessionZone(r); z != fakeZone {
		t.Errorf("known user's launch: session zone %q, want the stored %q", z, fakeZone)
	}
	checkLogs(t, logs.String())
	if strings.Contains(logs.String(), fixtureDeviceID) {
		t.Errorf("logs hold the raw device ID:\n%s", logs.String())
	}
}
