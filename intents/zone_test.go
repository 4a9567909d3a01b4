package intents_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"spasmcoach/alexa/alexatest"
	"spasmcoach/intents"
	"spasmcoach/internal/testutil/clock"
	"spasmcoach/skill"
	"spasmcoach/store"
	"spasmcoach/store/dynalitetest"
)

// deviceKey is Request.DeviceKey of a device ID: the hex of the first 16
// bytes of its SHA-256.
func deviceKey(id string) string { return sha(id)[:32] }

// coldStart replaces the coach's handler by a new one on the same store
// and Alexa API, as another Lambda instance that has seen nobody.
func (c *coach) coldStart(opts ...intents.Option) {
	c.tb.Helper()
	c.h, c.log = newHandler(c.tb, c.st, c.clk, append([]intents.Option{intents.WithAlerts(c.api.Client())}, opts...)...)
}

// newSession makes the next request start a new session, as when the user
// walked away from an open one.
func (c *coach) newSession() { c.s.Open = false }

// storedZone returns the entry the stored state keeps for device.
func (c *coach) storedZone(device string) (skill.DeviceZone, bool) {
	c.tb.Helper()
	s, _ := stored(c.tb, c.st, c.u.userID)
	return s.Zones.Lookup(deviceKey(device))
}

// TestZoneKeptPerDevice: the time zone is read from the Settings API on a
// device's first launch and kept in the stored state under a hash of the
// device ID; a later launch uses it without asking, even on an instance
// that has never seen the device, until it is seven days old; each device
// has its own; at most four devices are kept, the one read longest ago
// making room.
func TestZoneKeptPerDevice(t *testing.T) {
	c := newCoach(t)
	kitchen := c.u.deviceID
	c.api.SetZone("America/Los_Angeles")
	c.launch()
	c.expect("Welcome to Back Spasm Coach")
	if n := c.api.Count(alexatest.OpTimeZone); n != 1 {
		t.Fatalf("first launch: %d Settings calls, want 1", n)
	}
	want := skill.DeviceZone{Device: deviceKey(kitchen), Name: "America/Los_Angeles", Read: skill.At(t0)}
	if e, ok := c.storedZone(kitchen); !ok || e != want {
		t.Errorf("stored zone %+v, %v; want %+v", e, ok, want)
	}
	item, err := c.st.Store.Get(context.Background(), sha(c.u.userID))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(item.Data, []byte("TESTDEVICE")) {
		t.Errorf("the stored state holds the raw device ID: %s", item.Data)
	}

	// Six days later, on an instance that knows nobody, with the Settings
	// API hanging: the launch takes the stored zone and does not wait for
	// the API (the budget is a minute: a wait would log the call's
	// timeout).
	c.pause(6 * 24 * time.Hour)
	c.coldStart(intents.WithBudget(2*time.Minute, time.Minute))
	c.api.Fail(alexatest.OpTimeZone, alexatest.Stall)
	c.newSession()
	since := len(c.log.String())
	c.launch()
	c.expect("Last time you were")
	if z := c.last.SessionAttributes.Zone; z == nil || *z != "America/Los_Angeles" {
		t.Errorf("session zone %s, want the stored America/Los_Angeles", c.lastRaw)
	}
	if lines, _ := c.turnLog(since); hasLine(lines, "alexa api call failed") {
		t.Errorf("the launch waited for the Settings API: %s", c.log.String()[since:])
	}
	c.api.Fail(alexatest.OpTimeZone, 0)

	// Eight days after the read, the zone is read again.
	c.pause(2 * 24 * time.Hour)
	c.newSession()
	calls := c.api.Count(alexatest.OpTimeZone)
	c.api.SetZone("America/Denver")
	c.launch()
	if n := c.api.Count(alexatest.OpTimeZone) - calls; n != 1 {
		t.Errorf("launch with a zone eight days old: %d Settings calls, want 1", n)
	}
	want = skill.DeviceZone{Device: deviceKey(kitchen), Name: "America/Denver", Read: skill.At(c.clk.Now())}
	if e, _ := c.storedZone(kitchen); e != want {
		t.Errorf("after eight days: stored zone %+v, want %+v", e, want)
	}

	// Four more devices, one a day: each is asked once; the kitchen's
	// zone, read longest ago, makes room for the last.
	devices := []string{"BEDROOM", "OFFICE", "CAR", "GARDEN"}
	for i, d := range devices {
		c.pause(24 * time.Hour)
		c.u.deviceID = "amzn1.ask.device." + d
		c.api.SetZone("Europe/London")
		c.newSession()
		calls := c.api.Count(alexatest.OpTimeZone)
		c.launch()
		if n := c.api.Count(alexatest.OpTimeZone) - calls; n != 1 {
			t.Errorf("%s: %d Settings calls, want 1", d, n)
		}
		if _, ok := c.storedZone(kitchen); ok != (i < len(devices)-1) {
			t.Errorf("after %s: kitchen's zone kept = %v", d, ok)
		}
	}
	s, _ := stored(t, c.st, c.u.userID)
	for _, d := range devices {
		if e, ok := s.Zones.Lookup(deviceKey("amzn1.ask.device." + d)); !ok || e.Name != "Europe/London" {
			t.Errorf("%s: stored zone %+v, %v", d, e, ok)
		}
	}
	// Inside a session the zone travels with it: no call.
	calls = c.api.Count(alexatest.OpTimeZone)
	c.say(intents.IntentWhereAmI)
	if n := c.api.Count(alexatest.OpTimeZone) - calls; n != 0 {
		t.Errorf("a turn inside the session made %d Settings calls", n)
	}
}

func hasLine(lines []logLine, msg string) bool {
	for _, l := range lines {
		if l.str("msg") == msg {
			return true
		}
	}
	return false
}

// TestBriefingDayInStoredZone: "first launch of the day" is counted in the
// stored time zone, even when the Settings API cannot be reached. In Los
// Angeles, 3 pm and 6 pm on 10 March are one day, although the second is
// 11 March in UTC: no second briefing. The next morning is a new day.
func TestBriefingDayInStoredZone(t *testing.T) {
	c := newCoach(t)
	c.api.SetZone("America/Los_Angeles")
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	c.clk.Set(time.Date(2026, 3, 10, 15, 0, 0, 0, la))
	c.launch()
	c.expect("Some warning signs")
	c.say(intents.IntentResume)
	c.expect("Step one")
	c.say(intents.IntentStop)

	c.coldStart()
	c.api.Fail(alexatest.OpTimeZone, 503)
	c.pause(3 * time.Hour) // 6 pm in Los Angeles, 2 am on 11 March in UTC
	c.launch()
	c.expect("Last time you were", "Shall we pick up there?")
	if strings.Contains(c.said(), "safety check") {
		t.Errorf("briefed again on the same day in Los Angeles: %s", c.said())
	}
	c.say(intents.IntentStop)

	c.pause(15 * time.Hour) // 9 am the next day in Los Angeles
	c.launch()
	c.expect("First, a quick safety check.")
}

// TestExpiryRefreshedDaily: the stored item's expiresAt moves at least once
// on each day the skill is used, even when a session changes nothing else
// ("Alexa, tell back spasm coach to stop" changes nothing, and is not
// briefed): the first turn that reads the state on a later day saves it
// again; later ones that day change nothing and write nothing.
func TestExpiryRefreshedDaily(t *testing.T) {
	endpoint := dynaliteOrSkip(t)
	client := dynalitetest.Client(t, endpoint)
	table := dynalitetest.NewTable(t, client)
	clk := clock.New(t0)
	calls := dynalitetest.NewCountingClient(client)
	ddb, err := store.NewDynamoDB(calls, table, store.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	reader, err := store.NewDynamoDB(client, table, store.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	api := newFakeAPI(t, clk)
	h, sink := newHandler(t, ddb, clk, intents.WithAlerts(api.Client()))
	u := defaultUser()
	u.userID = "amzn1.ask.account.DYNAMO-" + t.Name()
	u.apiEndpoint = api.URL
	c := &coach{convo: newConvo(t, h, clk, u), st: &spyStore{Store: reader}, api: api, clk: clk, log: sink}
	expiresAt := func() int64 {
		t.Helper()
		out, err := client.GetItem(context.Background(), &dynamodb.GetItemInput{
			TableName: aws.String(table),
			Key:       map[string]types.AttributeValue{store.KeyAttr: &types.AttributeValueMemberS{Value: sha(u.userID)}},
		})
		if err != nil {
			t.Fatal(err)
		}
		n, ok := out.Item[store.TTLAttr].(*types.AttributeValueMemberN)
		if !ok {
			t.Fatalf("no %s in %v", store.TTLAttr, out.Item)
		}
		v, err := strconv.ParseInt(n.Value, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}

	c.onStep(2)
	c.say(intents.IntentStop)
	c.expectClosed()

	// "Stop" the next morning changes nothing but the time of the save.
	for day := 1; day <= 2; day++ {
		c.pause(20 * time.Hour)
		before, _ := stored(t, c.st, u.userID)
		prev := calls.Calls()
		c.say(intents.IntentStop)
		c.expect("step 2")
		after, _ := stored(t, c.st, u.userID)
		if n := calls.Calls().PutItem - prev.PutItem; n != 1 {
			t.Errorf("day %d: %d PutItem, want 1", day, n)
		}
		if want := c.clk.Now().Add(store.DefaultTTL).Unix(); expiresAt() != want {
			t.Errorf("day %d: expiresAt %d, want %d (moved by the save)", day, expiresAt(), want)
		}
		if after.Written != skill.At(c.clk.Now()) {
			t.Errorf("day %d: Written %v, want now", day, after.Written.Time())
		}
		before.Written = after.Written
		if after != before {
			t.Errorf("day %d: the save changed more than its time:\n%+v\n%+v", day, before, after)
		}
		// Again the same day: nothing to write.
		c.pause(time.Hour)
		prev = calls.Calls()
		c.say(intents.IntentStop)
		if n := calls.Calls().PutItem - prev.PutItem; n != 0 {
			t.Errorf("day %d, second session: %d PutItem, want 0", day, n)
		}
	}
}

// TestZoneCallHedged: on an instance that has never seen the device, a
// returning user's launch whose read answers within the zone hedge makes
// no Settings API call: the stored zone is used. A new user's launch on
// such an instance asks once, after the read found nothing. With no hedge
// the call starts alongside the read, and is given up once the read brings
// a fresh zone. (The read overlapping a slow call is shown through the
// Lambda handler, lambda's TestLaunchWaitsOnOneRead.)
func TestZoneCallHedged(t *testing.T) {
	c := newCoach(t)
	c.api.SetZone("Australia/Perth")
	c.launch()
	if n := c.api.Count(alexatest.OpTimeZone); n != 1 {
		t.Fatalf("new user's launch: %d Settings calls, want 1", n)
	}

	// Another instance, with a hedge no read outlasts here.
	c.pause(time.Hour)
	c.coldStart(intents.WithZoneHedge(time.Hour))
	c.newSession()
	c.launch()
	c.expect("Last time you were")
	if n := c.api.Count(alexatest.OpTimeZone); n != 1 {
		t.Errorf("returning user on a new instance: %d Settings calls in all, want still 1", n)
	}
	if z := c.last.SessionAttributes.Zone; z == nil || *z != "Australia/Perth" {
		t.Errorf("session zone %s, want the stored Australia/Perth", c.lastRaw)
	}

	// A new user with a device the instance has not seen: one call, after
	// the read.
	c.u.userID = "amzn1.ask.account.SECOND-PERSON-ON-THE-FLOOR"
	c.u.deviceID = "amzn1.ask.device.BEDSIDE-ECHO"
	c.newSession()
	c.launch()
	c.expect("Welcome to Back Spasm Coach")
	if n := c.api.Count(alexatest.OpTimeZone); n != 2 {
		t.Errorf("new user on the hedged instance: %d Settings calls in all, want 2", n)
	}
	if e, ok := c.storedZone(c.u.deviceID); !ok || e.Name != "Australia/Perth" {
		t.Errorf("new user's stored zone %+v, %v", e, ok)
	}

	// No hedge: the call starts with the read and is given up, so the
	// answer still comes from the stored zone.
	c.coldStart(intents.WithZoneHedge(0))
	c.newSession()
	c.launch()
	c.expect("Last time you were")
	if z := c.last.SessionAttributes.Zone; z == nil || *z != "Australia/Perth" {
		t.Errorf("unhedged: session zone %s, want the stored Australia/Perth", c.lastRaw)
	}
}
