package alexaapi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxTimerLabel is the longest timer label, in characters, that the Timers
// API accepts.
const MaxTimerLabel = 256

// TimerRequest describes a timer to create: when it ends, the device plays
// its alarm and, once the user stops it, says Announce.
type TimerRequest struct {
	// Duration is how long until it rings: a positive whole number of
	// seconds. The Timers API allows at most 2 hours.
	Duration time.Duration
	// Label names the timer ("Cold pack"); optional, at most MaxTimerLabel
	// characters, and unique among the user's timers.
	Label string
	// Locale is the locale of Announce, as in the request ("en-US").
	Locale string
	// Announce is what the device says when the timer has rung.
	Announce string
}

// TimerStatus is the state of a timer.
type TimerStatus string

// Timer states.
const (
	TimerOn     TimerStatus = "ON"
	TimerPaused TimerStatus = "PAUSED"
	TimerOff    TimerStatus = "OFF"
)

// Timer is a timer as the Timers API reports it. Times and durations that
// are absent or unparsable are zero.
type Timer struct {
	// ID identifies the timer for GetTimer and DeleteTimer.
	ID string
	// Status is ON, PAUSED or OFF.
	Status TimerStatus
	// Duration is the timer's full duration.
	Duration time.Duration
	// TriggerTime is when it rings (or rang).
	TriggerTime time.Time
	// Label is the timer's label.
	Label string
	// CreatedTime is when it was created.
	CreatedTime time.Time
	// UpdatedTime is when it was last changed.
	UpdatedTime time.Time
	// RemainingWhenPaused is the time left on a paused timer.
	RemainingWhenPaused time.Duration
}

// TimerList is one page of the user's timers.
type TimerList struct {
	// TotalCount is the number of timers, skill and personal.
	TotalCount int
	// Timers are the timers on this page.
	Timers []Timer
	// NextToken is set when there are more timers.
	NextToken string
}

// Wire formats of the Timers API
// (https://developer.amazon.com/en-US/docs/alexa/smapi/alexa-timers-api-reference.html).
type (
	timerRequestJSON struct {
		Duration           string              `json:"duration"`
		TimerLabel         string              `json:"timerLabel,omitempty"`
		CreationBehavior   timerCreationJSON   `json:"creationBehavior"`
		TriggeringBehavior timerTriggeringJSON `json:"triggeringBehavior"`
	}
	timerCreationJSON struct {
		DisplayExperience struct {
			Visibility string `json:"visibility"`
		} `json:"displayExperience"`
	}
	timerTriggeringJSON struct {
		Operation struct {
			Type           string       `json:"type"`
			TextToAnnounce []localeText `json:"textToAnnounce"`
		} `json:"operation"`
		NotificationConfig struct {
			PlayAudible bool `json:"playAudible"`
		} `json:"notificationConfig"`
	}
	localeText struct {
		Locale string `json:"locale"`
		Text   string `json:"text"`
	}
	timerListJSON struct {
		TotalCount int         `json:"totalCount"`
		Timers     []TimerJSON `json:"timers"`
		NextToken  string      `json:"nextToken"`
	}
)

// TimerJSON is a timer as the Timers API writes it in the body of a
// create, get or list response. The Client decodes it into a Timer; a test
// server that answers as the API does (package alexatest) encodes it.
type TimerJSON struct {
	ID                      string `json:"id"`
	Status                  string `json:"status"`
	Duration                string `json:"duration"`
	TriggerTime             string `json:"triggerTime"`
	TimerLabel              string `json:"timerLabel"`
	CreatedTime             string `json:"createdTime"`
	UpdatedTime             string `json:"updatedTime"`
	RemainingTimeWhenPaused string `json:"remainingTimeWhenPaused,omitempty"` // only while paused
}

const timersPath = "/v1/alerts/timers"

// CreateTimer creates a timer on the user's device: POST
// {apiEndpoint}/v1/alerts/timers, visible on screen devices, with an
// audible alarm followed by the announcement. It works only with the
// in-session token of a request, and needs ScopeTimers.
func (c *Client) CreateTimer(ctx context.Context, ep Endpoint, r TimerRequest) (Timer, error) {
	const op = "create timer"
	body, err := r.wire()
	if err != nil {
		return Timer{}, fmt.Errorf("alexaapi: %s: %w", op, err)
	}
	var out TimerJSON
	if err := c.do(ctx, ep, call{op: op, method: http.MethodPost, path: timersPath, body: body, out: &out}); err != nil {
		return Timer{}, err
	}
	if out.ID == "" {
		return Timer{}, fmt.Errorf("alexaapi: %s: %w: no timer id", op, ErrBadResponse)
	}
	return c.timer(ctx, op, out), nil
}

// GetTimer reads one timer: GET {apiEndpoint}/v1/alerts/timers/{id}. A
// timer that already rang or was cancelled gives NotFound.
func (c *Client) GetTimer(ctx context.Context, ep Endpoint, id string) (Timer, error) {
	const op = "get timer"
	if id == "" {
		return Timer{}, fmt.Errorf("alexaapi: %s: %w: empty timer id", op, ErrInvalidRequest)
	}
	var out TimerJSON
	if err := c.do(ctx, ep, call{op: op, method: http.MethodGet, path: timersPath + "/" + url.PathEscape(id), out: &out}); err != nil {
		return Timer{}, err
	}
	return c.timer(ctx, op, out), nil
}

// DeleteTimer cancels one timer: DELETE {apiEndpoint}/v1/alerts/timers/{id}.
// A timer that already rang or was cancelled gives NotFound.
func (c *Client) DeleteTimer(ctx context.Context, ep Endpoint, id string) error {
	const op = "delete timer"
	if id == "" {
		return fmt.Errorf("alexaapi: %s: %w: empty timer id", op, ErrInvalidRequest)
	}
	return c.do(ctx, ep, call{op: op, method: http.MethodDelete, path: timersPath + "/" + url.PathEscape(id)})
}

// ListTimers reads the user's timers: GET {apiEndpoint}/v1/alerts/timers.
// Use it to keep a new timer's label unique.
func (c *Client) ListTimers(ctx context.Context, ep Endpoint) (TimerList, error) {
	const op = "list timers"
	var out timerListJSON
	if err := c.do(ctx, ep, call{op: op, method: http.MethodGet, path: timersPath, out: &out}); err != nil {
		return TimerList{}, err
	}
	list := TimerList{TotalCount: out.TotalCount, NextToken: out.NextToken}
	if len(out.Timers) > 0 {
		list.Timers = make([]Timer, len(out.Timers))
		for i, t := range out.Timers {
			list.Timers[i] = c.timer(ctx, op, t)
		}
	}
	return list, nil
}

// wire checks r and returns its request body.
func (r TimerRequest) wire() (*timerRequestJSON, error) {
	switch {
	case r.Duration <= 0:
		return nil, fmt.Errorf("%w: timer duration %v is not positive", ErrInvalidRequest, r.Duration)
	case r.Duration%time.Second != 0:
		return nil, fmt.Errorf("%w: timer duration %v is not whole seconds", ErrInvalidRequest, r.Duration)
	case utf8.RuneCountInString(r.Label) > MaxTimerLabel:
		return nil, fmt.Errorf("%w: timer label longer than %d characters", ErrInvalidRequest, MaxTimerLabel)
	case r.Locale == "":
		return nil, fmt.Errorf("%w: no locale for the announcement", ErrInvalidRequest)
	case r.Announce == "":
		return nil, fmt.Errorf("%w: no announcement text", ErrInvalidRequest)
	}
	w := &timerRequestJSON{Duration: FormatISODuration(r.Duration), TimerLabel: r.Label}
	w.CreationBehavior.DisplayExperience.Visibility = "VISIBLE"
	w.TriggeringBehavior.Operation.Type = "ANNOUNCE"
	w.TriggeringBehavior.Operation.TextToAnnounce = []localeText{{Locale: r.Locale, Text: r.Announce}}
	w.TriggeringBehavior.NotificationConfig.PlayAudible = true
	return w, nil
}

func (c *Client) timer(ctx context.Context, op string, t TimerJSON) Timer {
	return Timer{
		ID:                  t.ID,
		Status:              TimerStatus(t.Status),
		Duration:            c.parseAPIDuration(ctx, op, "duration", t.Duration),
		TriggerTime:         c.parseAPITime(ctx, op, "triggerTime", t.TriggerTime),
		Label:               t.TimerLabel,
		CreatedTime:         c.parseAPITime(ctx, op, "createdTime", t.CreatedTime),
		UpdatedTime:         c.parseAPITime(ctx, op, "updatedTime", t.UpdatedTime),
		RemainingWhenPaused: c.parseAPIDuration(ctx, op, "remainingTimeWhenPaused", t.RemainingTimeWhenPaused),
	}
}

// FormatISODuration formats d as an ISO-8601 duration with hours, minutes
// and seconds, leaving out zero parts: 20*time.Minute is "PT20M",
// 90*time.Second is "PT1M30S", 2*time.Hour+3*time.Second is "PT2H3S".
// Fractions of a second are kept ("PT1.5S"); d <= 0 gives "PT0S".
func FormatISODuration(d time.Duration) string {
	if d <= 0 {
		return "PT0S"
	}
	h := d / time.Hour
	d -= h * time.Hour
	m := d / time.Minute
	d -= m * time.Minute
	s := d / time.Second
	frac := d - s*time.Second

	b := make([]byte, 0, 24)
	b = append(b, "PT"...)
	if h > 0 {
		b = strconv.AppendInt(b, int64(h), 10)
		b = append(b, 'H')
	}
	if m > 0 {
		b = strconv.AppendInt(b, int64(m), 10)
		b = append(b, 'M')
	}
	if s > 0 || frac > 0 {
		b = strconv.AppendInt(b, int64(s), 10)
		if frac > 0 {
			f := strconv.AppendInt(nil, int64(frac)+int64(time.Second), 10) // "1" + 9 digits
			b = append(b, '.')
			b = append(b, strings.TrimRight(string(f[1:]), "0")...)
		}
		b = append(b, 'S')
	}
	return string(b)
}

// errISODuration is wrapped by ParseISODuration.
var errISODuration = errors.New("alexaapi: invalid ISO-8601 duration")

// ParseISODuration parses an ISO-8601 duration of weeks, days, hours,
// minutes and seconds, such as "PT20M", "PT1H3M31S", "P1DT2H" or
// "PT0.5S", as the Timers API reports them. Years and months, which have
// no fixed length, and negative durations are errors; a day is 24 hours.
func ParseISODuration(s string) (time.Duration, error) {
	bad := func(why string) (time.Duration, error) {
		return 0, fmt.Errorf("%w %q: %s", errISODuration, s, why)
	}
	if len(s) < 3 || s[0] != 'P' {
		return bad("want P[nW][nD][T[nH][nM][nS]]")
	}
	rest := s[1:]
	var total time.Duration
	inTime, seen := false, false
	order := 0 // rank of the last designator, to enforce W D T H M S order
	for rest != "" {
		if rest[0] == 'T' {
			if inTime || len(rest) == 1 {
				return bad("misplaced T")
			}
			inTime, rest = true, rest[1:]
			continue
		}
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.' || rest[i] == ',') {
			i++
		}
		if i == 0 || i == len(rest) {
			return bad("want a number and a designator")
		}
		num, designator := rest[:i], rest[i]
		rest = rest[i+1:]

		unit, rank := designatorUnit(designator, inTime)
		if unit == 0 {
			return bad("unsupported designator " + strconv.QuoteRune(rune(designator)))
		}
		if rank <= order {
			return bad("designators out of order")
		}
		order = rank
		if strings.ContainsAny(num, ".,") && (designator != 'S' || rest != "") {
			return bad("a fraction is allowed only on the seconds")
		}
		part, why := durationPart(num, unit)
		if why != "" {
			return bad(why)
		}
		if total > math.MaxInt64-part {
			return bad("out of range")
		}
		total += part
		seen = true
	}
	if !seen {
		return bad("no value")
	}
	return total, nil
}

// designatorUnit is the length of one unit of an ISO 8601 duration
// designator, in the date part (W, D) or, inTime, the time part (H, M,
// S), and its rank in the order they must come in; 0 for one that is not
// supported here (years and months have no fixed length).
func designatorUnit(d byte, inTime bool) (unit time.Duration, rank int) {
	switch {
	case !inTime && d == 'W':
		return 7 * 24 * time.Hour, 1
	case !inTime && d == 'D':
		return 24 * time.Hour, 2
	case inTime && d == 'H':
		return time.Hour, 3
	case inTime && d == 'M':
		return time.Minute, 4
	case inTime && d == 'S':
		return time.Second, 5
	}
	return 0, 0
}

// durationPart is num units: num is digits with an optional fraction after
// a dot or comma, kept to the nanosecond. why says what is wrong with num.
func durationPart(num string, unit time.Duration) (part time.Duration, why string) {
	whole, frac, hasFrac := strings.Cut(strings.ReplaceAll(num, ",", "."), ".")
	if whole == "" || hasFrac && (frac == "" || strings.Contains(frac, ".")) {
		return 0, "malformed number"
	}
	n, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || n > int64(math.MaxInt64/unit) {
		return 0, "out of range"
	}
	part = time.Duration(n) * unit
	if frac != "" {
		if len(frac) > 9 {
			frac = frac[:9]
		}
		f, err := strconv.ParseInt(frac+strings.Repeat("0", 9-len(frac)), 10, 64)
		if err != nil {
			return 0, "malformed number"
		}
		part += time.Duration(f)
	}
	return part, ""
}
