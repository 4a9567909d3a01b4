package alexaapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// ReminderRequest describes a reminder relative to when it is created: the
// device plays a tone and says Text, After from now.
type ReminderRequest struct {
	// RequestTime is when the reminder is asked for (the turn's clock,
	// passed in rather than read here). Required.
	RequestTime time.Time
	// After is how long from now it plays: a positive whole number of
	// seconds.
	After time.Duration
	// Locale is the locale of Text, as in the request ("en-US").
	Locale string
	// Text is what the device says.
	Text string
}

// ReminderStatus is the state of a reminder.
type ReminderStatus string

// Reminder states.
const (
	ReminderOn        ReminderStatus = "ON"
	ReminderCompleted ReminderStatus = "COMPLETED"
)

// Reminder is a created reminder as the Reminders API reports it. Times
// that are absent or unparsable are zero.
type Reminder struct {
	// AlertToken identifies the reminder.
	AlertToken string
	// Status is ON or COMPLETED.
	Status ReminderStatus
	// CreatedTime is when it was created.
	CreatedTime time.Time
	// UpdatedTime is when it was last changed.
	UpdatedTime time.Time
	// Version is the reminder's version.
	Version string
	// Href is the URI of the reminder.
	Href string
}

// requestTimeLayout is the requestTime format of the Reminders API's
// documented examples ("2019-09-22T19:04:00.672"), written in UTC.
const requestTimeLayout = "2006-01-02T15:04:05.000"

// Wire formats of the Reminders API
// (https://developer.amazon.com/docs/alexa/smapi/alexa-reminders-api-reference.html).
type (
	reminderRequestJSON struct {
		RequestTime string `json:"requestTime"`
		Trigger     struct {
			Type            string `json:"type"`
			OffsetInSeconds int64  `json:"offsetInSeconds"`
		} `json:"trigger"`
		AlertInfo struct {
			SpokenInfo struct {
				Content []localeText `json:"content"`
			} `json:"spokenInfo"`
		} `json:"alertInfo"`
		PushNotification struct {
			Status string `json:"status"`
		} `json:"pushNotification"`
	}
	reminderJSON struct {
		AlertToken  string `json:"alertToken"`
		CreatedTime string `json:"createdTime"`
		UpdatedTime string `json:"updatedTime"`
		Status      string `json:"status"`
		Version     string `json:"version"`
		Href        string `json:"href"`
	}
)

// CreateReminder creates a relative reminder on the user's device: POST
// {apiEndpoint}/v1/alerts/reminders with trigger SCHEDULED_RELATIVE and a
// push notification to the Alexa app. It works only with the in-session
// token of a request, and needs ScopeReminders.
func (c *Client) CreateReminder(ctx context.Context, ep Endpoint, r ReminderRequest) (Reminder, error) {
	const op = "create reminder"
	body, err := r.wire()
	if err != nil {
		return Reminder{}, fmt.Errorf("alexaapi: %s: %w", op, err)
	}
	var out reminderJSON
	if err := c.do(ctx, ep, call{op: op, method: http.MethodPost, path: "/v1/alerts/reminders", body: body, out: &out}); err != nil {
		return Reminder{}, err
	}
	if out.AlertToken == "" {
		return Reminder{}, fmt.Errorf("alexaapi: %s: %w: no alert token", op, ErrBadResponse)
	}
	return Reminder{
		AlertToken:  out.AlertToken,
		Status:      ReminderStatus(out.Status),
		CreatedTime: c.parseAPITime(ctx, op, "createdTime", out.CreatedTime),
		UpdatedTime: c.parseAPITime(ctx, op, "updatedTime", out.UpdatedTime),
		Version:     out.Version,
		Href:        out.Href,
	}, nil
}

// DeleteReminder deletes a reminder the skill created: DELETE
// {apiEndpoint}/v1/alerts/reminders/{alertToken}
// (https://developer.amazon.com/en-US/docs/alexa/smapi/alexa-reminders-api-reference.html).
// A reminder that already played or was deleted answers 404 (NotFound).
func (c *Client) DeleteReminder(ctx context.Context, ep Endpoint, alertToken string) error {
	const op = "delete reminder"
	if alertToken == "" {
		return fmt.Errorf("alexaapi: %s: %w: empty alert token", op, ErrInvalidRequest)
	}
	return c.do(ctx, ep, call{op: op, method: http.MethodDelete, path: "/v1/alerts/reminders/" + url.PathEscape(alertToken)})
}

// wire checks r and returns its request body.
func (r ReminderRequest) wire() (*reminderRequestJSON, error) {
	switch {
	case r.RequestTime.IsZero():
		return nil, fmt.Errorf("%w: no request time", ErrInvalidRequest)
	case r.After < time.Second:
		return nil, fmt.Errorf("%w: reminder offset %v is under a second", ErrInvalidRequest, r.After)
	case r.After%time.Second != 0:
		return nil, fmt.Errorf("%w: reminder offset %v is not whole seconds", ErrInvalidRequest, r.After)
	case r.Locale == "":
		return nil, fmt.Errorf("%w: no locale for the reminder text", ErrInvalidRequest)
	case r.Text == "":
		return nil, fmt.Errorf("%w: no reminder text", ErrInvalidRequest)
	}
	w := &reminderRequestJSON{RequestTime: r.RequestTime.UTC().Format(requestTimeLayout)}
	w.Trigger.Type = "SCHEDULED_RELATIVE"
	w.Trigger.OffsetInSeconds = int64(r.After / time.Second)
	w.AlertInfo.SpokenInfo.Content = []localeText{{Locale: r.Locale, Text: r.Text}}
	w.PushNotification.Status = "ENABLED"
	return w, nil
}
