package intents_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"spasmcoach/alexaapi"
	"spasmcoach/internal/testutil/clock"
)

// stall makes the fake API hang until the caller gives up.
const stall = -1

// Operations of the fake Alexa API.
const (
	opTimeZone       = "time-zone"
	opCreateTimer    = "create-timer"
	opGetTimer       = "get-timer"
	opDeleteTimer    = "delete-timer"
	opCreateReminder = "create-reminder"
	opDeleteReminder = "delete-reminder"
)

// fakeAPI stands in for the Alexa APIs on a local server. It checks each
// request exactly (method, path, headers, JSON body), keeps timers, and
// answers with a status scripted per operation.
type fakeAPI struct {
	tb    testing.TB
	srv   *httptest.Server
	clk   *clock.Clock
	token string
	zone  string

	mu     sync.Mutex
	status map[string]int // op → status to answer; 0 for success
	calls  []string
	bodies map[string][]byte
	timers map[string]time.Time // id → when it rings
	nextID int
}

func newFakeAPI(tb testing.TB, clk *clock.Clock) *fakeAPI {
	f := &fakeAPI{
		tb: tb, clk: clk, token: "secret-api-token", zone: "America/New_York",
		status: map[string]int{}, bodies: map[string][]byte{}, timers: map[string]time.Time{},
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	tb.Cleanup(f.srv.Close)
	return f
}

// client returns the real Alexa API client, pointed at nothing in
// particular: each call takes the request's apiEndpoint.
func (f *fakeAPI) client() *alexaapi.Client { return alexaapi.New(f.srv.Client()) }

// fail makes op answer with status (or stall) from now on; 0 restores
// success.
func (f *fakeAPI) fail(op string, status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status[op] = status
}

// setZone makes the Settings API answer zone from now on.
func (f *fakeAPI) setZone(zone string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.zone = zone
}

// count returns how many calls op received.
func (f *fakeAPI) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == op {
			n++
		}
	}
	return n
}

// body returns the last request body of op.
func (f *fakeAPI) body(op string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bodies[op]
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	op, id := f.route(r)
	if op == "" {
		f.tb.Errorf("fake Alexa API: unexpected %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	if got := r.Header.Get("Authorization"); got != "Bearer "+f.token {
		f.tb.Errorf("%s: Authorization %q", op, got)
	}
	body, _ := io.ReadAll(r.Body)
	if r.Method == http.MethodPost {
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			f.tb.Errorf("%s: Content-Type %q", op, ct)
		}
		f.checkBody(op, body)
	} else if len(body) > 0 {
		f.tb.Errorf("%s: unexpected body %s", op, body)
	}
	f.mu.Lock()
	f.calls = append(f.calls, op)
	f.bodies[op] = body
	status := f.status[op]
	f.mu.Unlock()

	switch status {
	case 0:
	case stall:
		<-r.Context().Done()
		return
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"code":"ERROR_%d","message":"scripted failure"}`, status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	now := f.clk.Now().UTC()
	switch op {
	case opTimeZone:
		f.mu.Lock()
		zone := f.zone
		f.mu.Unlock()
		fmt.Fprintf(w, "%q", zone)
	case opCreateTimer:
		var req struct {
			Duration   string `json:"duration"`
			TimerLabel string `json:"timerLabel"`
		}
		_ = json.Unmarshal(body, &req)
		d, _ := alexaapi.ParseISODuration(req.Duration)
		f.mu.Lock()
		f.nextID++
		id := fmt.Sprintf("timer-%d", f.nextID)
		f.timers[id] = now.Add(d)
		f.mu.Unlock()
		writeTimer(w, id, req.TimerLabel, req.Duration, now, now.Add(d))
	case opGetTimer:
		f.mu.Lock()
		ends, ok := f.timers[id]
		f.mu.Unlock()
		if !ok || !ends.After(now) {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"code":"TIMER_NOT_FOUND","message":"Timer not found"}`)
			return
		}
		writeTimer(w, id, "Cold pack", "PT20M", now, ends)
	case opDeleteTimer:
		// A timer that rang is gone, as one that was cancelled.
		f.mu.Lock()
		ends, ok := f.timers[id]
		delete(f.timers, id)
		f.mu.Unlock()
		if !ok || !ends.After(now) {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"code":"TIMER_NOT_FOUND","message":"Timer not found"}`)
		}
	case opCreateReminder:
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"alertToken":"reminder-1","createdTime":%q,"updatedTime":%q,"status":"ON","version":"1","href":"/v1/alerts/reminders/reminder-1"}`,
			now.Format(time.RFC3339), now.Format(time.RFC3339))
	}
}

func writeTimer(w io.Writer, id, label, duration string, now, ends time.Time) {
	fmt.Fprintf(w, `{"id":%q,"status":"ON","duration":%q,"triggerTime":%q,"timerLabel":%q,"createdTime":%q,"updatedTime":%q}`,
		id, duration, ends.Format(time.RFC3339), label, now.Format(time.RFC3339), now.Format(time.RFC3339))
}

// route names the operation of a request and the timer id in its path.
func (f *fakeAPI) route(r *http.Request) (op, id string) {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/v2/devices/") && strings.HasSuffix(p, "/settings/System.timeZone"):
		return opTimeZone, ""
	case r.Method == http.MethodPost && p == "/v1/alerts/timers":
		return opCreateTimer, ""
	case r.Method == http.MethodGet && strings.HasPrefix(p, "/v1/alerts/timers/"):
		return opGetTimer, strings.TrimPrefix(p, "/v1/alerts/timers/")
	case r.Method == http.MethodDelete && strings.HasPrefix(p, "/v1/alerts/timers/"):
		return opDeleteTimer, strings.TrimPrefix(p, "/v1/alerts/timers/")
	case r.Method == http.MethodPost && p == "/v1/alerts/reminders":
		return opCreateReminder, ""
	case r.Method == http.MethodDelete && strings.HasPrefix(p, "/v1/alerts/reminders/"):
		return opDeleteReminder, strings.TrimPrefix(p, "/v1/alerts/reminders/")
	}
	return "", ""
}

// checkBody checks the shape of a POST body exactly as documented
// (alexa.md §4.1, §4.3); the conversation tests check the values.
func (f *fakeAPI) checkBody(op string, body []byte) {
	var got any
	if err := json.Unmarshal(body, &got); err != nil {
		f.tb.Errorf("%s: body is not JSON: %v", op, err)
		return
	}
	var shape string
	switch op {
	case opCreateTimer:
		shape = `{"duration":"s","timerLabel":"s","creationBehavior":{"displayExperience":{"visibility":"s"}},` +
			`"triggeringBehavior":{"operation":{"type":"s","textToAnnounce":[{"locale":"s","text":"s"}]},"notificationConfig":{"playAudible":true}}}`
	case opCreateReminder:
		shape = `{"requestTime":"s","trigger":{"type":"s","offsetInSeconds":1},` +
			`"alertInfo":{"spokenInfo":{"content":[{"locale":"s","text":"s"}]}},"pushNotification":{"status":"s"}}`
	default:
		return
	}
	var want any
	_ = json.Unmarshal([]byte(shape), &want)
	if !sameShape(got, want) {
		f.tb.Errorf("%s: body %s does not have the documented shape %s", op, body, shape)
	}
}

// sameShape reports whether two JSON values have the same keys and kinds
// of values, recursively.
func sameShape(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !sameShape(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameShape(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return reflect.TypeOf(a) == reflect.TypeOf(b)
}

// jsonEqual reports whether two JSON documents are equal as values.
func jsonEqual(tb testing.TB, a []byte, b string) bool {
	tb.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		tb.Fatalf("%s: %v", a, err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		tb.Fatalf("%s: %v", b, err)
	}
	return reflect.DeepEqual(x, y)
}
