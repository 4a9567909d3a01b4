package alexaapi_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"spasmcoach/alexaapi"
)

func TestCreateReminder(t *testing.T) {
	s := newAPIStub(t, apiWant{method: "POST", path: "/v1/alerts/reminders", bodyFile: "create_reminder_request.json"},
		apiAnswer{status: 200, body: string(readFile(t, "create_reminder_response.json"))})
	got, err := alexaapi.New(nil).CreateReminder(context.Background(), endpoint(s), testReminderRequest)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 3, 1, 10, 0, 1, 0, time.UTC)
	want := alexaapi.Reminder{
		AlertToken: "amzn1.ask.reminder.42",
		Status:     alexaapi.ReminderOn,
		Version:    "1",
		Href:       "/v1/alerts/reminders/amzn1.ask.reminder.42",
	}
	if got.AlertToken != want.AlertToken || got.Status != want.Status || got.Version != want.Version || got.Href != want.Href ||
		!got.CreatedTime.Equal(created) || !got.UpdatedTime.Equal(created) {
		t.Errorf("CreateReminder = %+v\nwant %+v with created and updated %v", got, want, created)
	}
}

func TestDeleteReminder(t *testing.T) {
	s := newAPIStub(t, apiWant{method: "DELETE", path: "/v1/alerts/reminders/amzn1.ask.reminder.42"}, apiAnswer{status: 200})
	if err := alexaapi.New(nil).DeleteReminder(context.Background(), endpoint(s), "amzn1.ask.reminder.42"); err != nil {
		t.Error(err)
	}
	if err := alexaapi.New(nil).DeleteReminder(context.Background(), endpoint(s), ""); !errors.Is(err, alexaapi.ErrInvalidRequest) {
		t.Errorf("an empty token gives %v, want ErrInvalidRequest", err)
	}
}

// TestCreateReminderResponses checks answers beyond the documented one.
func TestCreateReminderResponses(t *testing.T) {
	tests := []struct {
		name string
		body string
		want alexaapi.Outcome
	}{
		{"zone-less created time", `{"alertToken":"r1","createdTime":"2026-03-01T10:00:01.123","status":"ON"}`, alexaapi.OK},
		{"no alert token", `{"status":"ON"}`, alexaapi.Unavailable},
		{"not JSON", `ok`, alexaapi.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newAPIStub(t, apiWant{method: "POST", path: "/v1/alerts/reminders", bodyFile: "create_reminder_request.json"},
				apiAnswer{status: 200, body: tt.body})
			got, err := alexaapi.New(nil).CreateReminder(context.Background(), endpoint(s), testReminderRequest)
			if c := alexaapi.Classify(err); c != tt.want {
				t.Fatalf("Classify(%v) = %v, want %v", err, c, tt.want)
			}
			if err == nil && got.CreatedTime.IsZero() {
				t.Errorf("CreatedTime not parsed: %+v", got)
			}
		})
	}
}

// TestReminderRequestInvalid checks that unusable requests make no call.
func TestReminderRequestInvalid(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*alexaapi.ReminderRequest)
	}{
		{"no request time", func(r *alexaapi.ReminderRequest) { r.RequestTime = time.Time{} }},
		{"zero offset", func(r *alexaapi.ReminderRequest) { r.After = 0 }},
		{"negative offset", func(r *alexaapi.ReminderRequest) { r.After = -time.Hour }},
		{"under a second", func(r *alexaapi.ReminderRequest) { r.After = 500 * time.Millisecond }},
		{"fractional seconds", func(r *alexaapi.ReminderRequest) { r.After = 90500 * time.Millisecond }},
		{"no locale", func(r *alexaapi.ReminderRequest) { r.Locale = "" }},
		{"no text", func(r *alexaapi.ReminderRequest) { r.Text = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newAPIStub(t, apiWant{method: "POST", path: "/v1/alerts/reminders"}, apiAnswer{status: 200})
			r := testReminderRequest
			tt.modify(&r)
			_, err := alexaapi.New(nil).CreateReminder(context.Background(), endpoint(s), r)
			if !errors.Is(err, alexaapi.ErrInvalidRequest) || alexaapi.Classify(err) != alexaapi.Rejected {
				t.Errorf("error %v: want ErrInvalidRequest, Rejected", err)
			}
			if n := s.hits.Load(); n != 0 {
				t.Errorf("server hit %d times, want 0", n)
			}
		})
	}
}
