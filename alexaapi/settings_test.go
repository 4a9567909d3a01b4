package alexaapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode"

	"spasmcoach/alexaapi"
)

func TestTimeZone(t *testing.T) {
	const deviceID = "amzn1.ask.device.AEXAMPLE"
	const path = "/v2/devices/amzn1.ask.device.AEXAMPLE/settings/System.timeZone"
	tests := []struct {
		name     string
		answer   apiAnswer
		wantZone string // when the call succeeds
		want     alexaapi.Outcome
		wantErr  error
	}{
		{name: "los angeles", answer: apiAnswer{status: 200, body: `"America/Los_Angeles"`}, wantZone: "America/Los_Angeles"},
		{name: "berlin", answer: apiAnswer{status: 200, body: `"Europe/Berlin"`}, wantZone: "Europe/Berlin"},
		{name: "utc", answer: apiAnswer{status: 200, body: `"UTC"`}, wantZone: "UTC"},
		{name: "garbage zone", answer: apiAnswer{status: 200, body: `"Mars/Olympus_Mons"`}, want: alexaapi.Unavailable, wantErr: alexaapi.ErrBadResponse},
		{name: "control characters", answer: apiAnswer{status: 200, body: `"Mars/\u001b[2J\nlevel=ERROR msg=forged` + strings.Repeat("x", 50) + `"`}, want: alexaapi.Unavailable, wantErr: alexaapi.ErrBadResponse},
		{name: "path traversal", answer: apiAnswer{status: 200, body: `"../../etc/passwd"`}, want: alexaapi.Unavailable, wantErr: alexaapi.ErrBadResponse},
		{name: "empty name", answer: apiAnswer{status: 200, body: `""`}, want: alexaapi.Unavailable, wantErr: alexaapi.ErrBadResponse},
		{name: "Local", answer: apiAnswer{status: 200, body: `"Local"`}, want: alexaapi.Unavailable, wantErr: alexaapi.ErrBadResponse},
		{name: "very long name", answer: apiAnswer{status: 200, body: `"` + strings.Repeat("A/", 500) + `"`}, want: alexaapi.Unavailable, wantErr: alexaapi.ErrBadResponse},
		{name: "not a string", answer: apiAnswer{status: 200, body: `{"timeZone":"Europe/Berlin"}`}, want: alexaapi.Unavailable, wantErr: alexaapi.ErrBadResponse},
		{name: "unquoted", answer: apiAnswer{status: 200, body: `Europe/Berlin`}, want: alexaapi.Unavailable, wantErr: alexaapi.ErrBadResponse},
		{name: "204 no content", answer: apiAnswer{status: 204}, want: alexaapi.Unavailable, wantErr: alexaapi.ErrBadResponse},
		{name: "404", answer: apiAnswer{status: 404, body: `{"type":"DEVICE_NOT_FOUND","message":"Device not found."}`}, want: alexaapi.NotFound},
		{name: "403", answer: apiAnswer{status: 403, body: `{"type":"FORBIDDEN","message":"Forbidden."}`}, want: alexaapi.NeedPermission},
		{name: "500", answer: apiAnswer{status: 500}, want: alexaapi.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newAPIStub(t, apiWant{method: "GET", path: path}, tt.answer)
			loc, err := alexaapi.New(nil).TimeZone(context.Background(), endpoint(s), deviceID)
			if got := alexaapi.Classify(err); got != tt.want {
				t.Fatalf("Classify(%v) = %v, want %v", err, got, tt.want)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %v does not wrap %v", err, tt.wantErr)
			}
			if err != nil {
				if loc != nil {
					t.Errorf("location %v with error %v", loc, err)
				}
				if len(err.Error()) > 300 {
					t.Errorf("error message of %d bytes: %.100q...", len(err.Error()), err.Error())
				}
				if strings.ContainsFunc(err.Error(), unicode.IsControl) {
					t.Errorf("error message carries control characters: %q", err.Error())
				}
				return
			}
			if loc.String() != tt.wantZone {
				t.Errorf("zone = %q, want %q", loc, tt.wantZone)
			}
		})
	}
}

// TestTimeZoneOffsets checks that the loaded zone has real rules (from the
// embedded database when the system has none).
func TestTimeZoneOffsets(t *testing.T) {
	s := newAPIStub(t, apiWant{method: "GET", path: "/v2/devices/d1/settings/System.timeZone"},
		apiAnswer{status: 200, body: `"America/Los_Angeles"`})
	loc, err := alexaapi.New(nil).TimeZone(context.Background(), endpoint(s), "d1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 1, 15, 20, 0, 0, 0, time.UTC), "12:00PM PST"},
		{time.Date(2026, 7, 15, 20, 0, 0, 0, time.UTC), "1:00PM PDT"},
	}
	for _, tt := range tests {
		if got := tt.at.In(loc).Format("3:04PM MST"); got != tt.want {
			t.Errorf("%v in %v = %s, want %s", tt.at, loc, got, tt.want)
		}
	}
}

func TestTimeZoneDeviceIDRequired(t *testing.T) {
	s := newAPIStub(t, apiWant{method: "GET", path: "/v2/devices//settings/System.timeZone"}, apiAnswer{status: 200})
	_, err := alexaapi.New(nil).TimeZone(context.Background(), endpoint(s), "")
	if !errors.Is(err, alexaapi.ErrInvalidRequest) || alexaapi.Classify(err) != alexaapi.Rejected {
		t.Errorf("error %v: want ErrInvalidRequest, Rejected", err)
	}
	if n := s.hits.Load(); n != 0 {
		t.Errorf("server hit %d times, want 0", n)
	}
}
