package intents

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexaapi"
	"spasmcoach/logcap"
	"spasmcoach/skill"
	"spasmcoach/speech"
	"spasmcoach/store"
)

// Default budgets of a turn. Alexa waits at most 8 seconds for a response
// (https://developer.amazon.com/en-US/blogs/alexa/alexa-skills-kit/2019/10/tips-for-developing-high-performance-alexa-skills1);
// the turn keeps 2 of them in reserve.
const (
	// DefaultTurnBudget is how long one turn may take in all.
	DefaultTurnBudget = 6 * time.Second
	// DefaultCallBudget is the most one outbound call (store or Alexa API)
	// may take of what remains of the turn.
	DefaultCallBudget = 2 * time.Second
)

// Errors of this package.
var (
	// ErrSkillID is returned by Invoke for a request whose skill ID is not
	// in the allow-list (WithSkillIDs). It is the only error Invoke
	// returns; an HTTP host answers it with 400.
	ErrSkillID = errors.New("intents: skill ID not accepted")
	// ErrConfig is wrapped by New for an invalid configuration.
	ErrConfig = errors.New("intents: invalid configuration")
)

// Store keeps each user's encoded state with versioned conditional writes.
// The backends of package store satisfy it; see that package for the
// contract (nil Data for nothing stored, ErrConflict).
type Store interface {
	Get(ctx context.Context, key string) (store.Item, error)
	Put(ctx context.Context, key string, data []byte, expected int64) (int64, error)
	Delete(ctx context.Context, key string) error
}

// Alerts is the part of the Alexa API client the turn uses: pack timers,
// the next-pack reminder, and the device's time zone. *alexaapi.Client
// satisfies it.
type Alerts interface {
	CreateTimer(ctx context.Context, ep alexaapi.Endpoint, r alexaapi.TimerRequest) (alexaapi.Timer, error)
	GetTimer(ctx context.Context, ep alexaapi.Endpoint, id string) (alexaapi.Timer, error)
	DeleteTimer(ctx context.Context, ep alexaapi.Endpoint, id string) error
	CreateReminder(ctx context.Context, ep alexaapi.Endpoint, r alexaapi.ReminderRequest) (alexaapi.Reminder, error)
	DeleteReminder(ctx context.Context, ep alexaapi.Endpoint, alertToken string) error
	TimeZone(ctx context.Context, ep alexaapi.Endpoint, deviceID string) (*time.Location, error)
}

// Handler answers Alexa requests: it decodes the request JSON, checks the
// skill ID, runs one turn and encodes the response JSON. It implements the
// lambda.Handler interface of aws-lambda-go and is safe for concurrent use.
type Handler struct {
	store      Store
	alerts     Alerts
	now        func() time.Time
	log        *slog.Logger
	skillIDs   map[string]bool
	render     speech.Renderer
	pacing     Pacing
	turnBudget time.Duration
	callBudget time.Duration
	zoneHedge  time.Duration
	zones      zoneMemo
}

// Option configures a Handler.
type Option func(*Handler)

// WithAlerts sets the Alexa API client for timers, reminders and the time
// zone. Without one, timer and reminder effects fail as unavailable (the
// user is told to set one themselves) and times are in UTC.
func WithAlerts(a Alerts) Option { return func(h *Handler) { h.alerts = a } }

// WithClock sets the clock the state machine sees; the default is
// time.Now. Deadlines always use the real clock.
func WithClock(now func() time.Time) Option { return func(h *Handler) { h.now = now } }

// WithLogger sets the logger for the one structured line per turn and for
// failures; the default discards everything. Its handler is wrapped with
// logcap.NewHandler, so that no request can make a line long.
func WithLogger(l *slog.Logger) Option { return func(h *Handler) { h.log = l } }

// WithSkillIDs sets the skill IDs accepted; requests for any other are
// refused with ErrSkillID. With none (the default) every ID is accepted,
// which is for local tools only: the deployed function and `serve` refuse
// to start without a skill ID.
func WithSkillIDs(ids ...string) Option {
	return func(h *Handler) {
		for _, id := range ids {
			if id != "" {
				h.skillIDs[id] = true
			}
		}
	}
}

// WithPacing chooses how paced cues (breathing counts, holds, exercise
// counts) are sent; the default is PacingAPLA.
func WithPacing(p Pacing) Option { return func(h *Handler) { h.pacing = p } }

// WithBudget sets how long a turn may take in all and how long one
// outbound call may take of what remains (defaults DefaultTurnBudget and
// DefaultCallBudget). Both must be positive, and perCall at most turn.
func WithBudget(turn, perCall time.Duration) Option {
	return func(h *Handler) { h.turnBudget, h.callBudget = turn, perCall }
}

// DefaultZoneHedge is how long a session's first turn waits for the state
// before it asks the Settings API for a time zone it may not need: longer
// than a same-region DynamoDB read usually takes, so that a returning
// user's launch, whose state holds the zone, makes no call, and short
// enough that a slow read still overlaps the call.
const DefaultZoneHedge = 30 * time.Millisecond

// WithZoneHedge sets how long a session's first turn waits for the state
// before it starts the Settings API call that the state may make
// unnecessary (default DefaultZoneHedge). Zero starts the call at once,
// alongside the read.
func WithZoneHedge(d time.Duration) Option { return func(h *Handler) { h.zoneHedge = d } }

// New returns a Handler that keeps state in st.
func New(st Store, opts ...Option) (*Handler, error) {
	h := &Handler{
		store:      st,
		now:        time.Now,
		log:        slog.New(slog.DiscardHandler),
		skillIDs:   map[string]bool{},
		render:     speech.Renderer{Model: speech.AlexaModel()},
		turnBudget: DefaultTurnBudget,
		zoneHedge:  DefaultZoneHedge,
		callBudget: DefaultCallBudget,
	}
	for _, o := range opts {
		o(h)
	}
	switch {
	case st == nil:
		return nil, fmt.Errorf("%w: no store", ErrConfig)
	case h.now == nil:
		return nil, fmt.Errorf("%w: nil clock", ErrConfig)
	case h.log == nil:
		return nil, fmt.Errorf("%w: nil logger", ErrConfig)
	case h.turnBudget <= 0 || h.callBudget <= 0 || h.callBudget > h.turnBudget:
		return nil, fmt.Errorf("%w: budgets %v per turn and %v per call", ErrConfig, h.turnBudget, h.callBudget)
	}
	// Request IDs, intent names, slot values and API answers reach the log:
	// every value is capped (logcap).
	h.log = slog.New(logcap.NewHandler(h.log.Handler()))
	return h, nil
}

// AcceptsAnySkillID reports whether the handler was built without an
// allow-list, so that main can warn about it.
func (h *Handler) AcceptsAnySkillID() bool { return len(h.skillIDs) == 0 }

// Invoke answers one request. Whatever goes wrong (malformed JSON, unknown
// request types or intents, a store or Alexa API that is down or slow, even
// a bug) becomes a valid response with a short spoken answer, because any
// error reaches the user as "There was a problem with the requested skill's
// response". The one error it returns wraps ErrSkillID.
func (h *Handler) Invoke(ctx context.Context, payload []byte) (out []byte, err error) {
	rec := &record{start: time.Now()}
	defer func() {
		if p := recover(); p != nil {
			h.log.ErrorContext(ctx, "panic in turn", "panic", fmt.Sprint(p), "requestId", rec.requestID)
			rec.outcome = "panic"
			out, err = mustEncode(h.faultEnvelope(faultInternal, nil)), nil
		}
		h.logTurn(ctx, rec, err)
	}()
	ctx, cancel := context.WithTimeout(ctx, h.turnBudget)
	defer cancel()
	env, err := h.handle(ctx, payload, rec)
	if err != nil {
		return nil, err
	}
	return mustEncode(env), nil
}

// record collects what the turn's log line says.
type record struct {
	start     time.Time
	requestID string
	reqType   string
	intent    string
	user      string
	step      int
	outcome   string
	// effects are the outcomes of the turn's effects, in order, such as
	// "set-timer:ok" or "set-reminder:need-permission".
	effects []string
}

func (h *Handler) logTurn(ctx context.Context, rec *record, err error) {
	level := slog.LevelInfo
	switch {
	case rec.outcome == "panic":
		level = slog.LevelError
	case err != nil || strings.HasPrefix(rec.outcome, "fault:"):
		level = slog.LevelWarn
	}
	h.log.LogAttrs(ctx, level, "turn",
		slog.String("requestId", rec.requestID),
		slog.String("type", rec.reqType),
		slog.String("intent", rec.intent),
		slog.String("user", rec.user),
		slog.Int("step", rec.step),
		slog.String("outcome", rec.outcome),
		slog.String("effects", strings.Join(rec.effects, ",")),
		slog.Duration("duration", time.Since(rec.start)),
	)
}

// handle decodes, checks and dispatches one request.
func (h *Handler) handle(ctx context.Context, payload []byte, rec *record) (*alexa.Envelope, error) {
	req, err := DecodeRequest(payload)
	if err != nil {
		h.log.WarnContext(ctx, "malformed request", "error", err, "bytes", len(payload))
		rec.outcome = "fault:" + faultMalformed.String()
		return h.faultEnvelope(faultMalformed, nil), nil
	}
	body := req.Body
	rec.requestID, rec.reqType = req.RequestID(), req.Type()
	if body.Intent != nil {
		rec.intent = logName(body.Intent.Name)
	}
	if err := h.checkSkillID(req); err != nil {
		rec.outcome = "refused"
		return nil, err
	}
	key := UserKey(req)
	rec.user = shortHash(key)

	switch req.Type() {
	case alexa.RequestLaunch, alexa.RequestIntent, alexa.RequestConnectionsResponse:
		return h.conversation(ctx, req, key, rec), nil
	case alexa.RequestSessionEnded:
		h.sessionEnded(ctx, req, key, rec)
		return alexa.EmptyEnvelope(), nil
	case alexa.RequestCanFulfillIntent:
		rec.outcome = "canfulfill"
		return &alexa.Envelope{Version: alexa.ResponseVersion, Response: alexa.Response{CanFulfillIntent: canFulfill(body.Intent)}}, nil
	case alexa.RequestSkillDisabled:
		h.skillDisabled(ctx, key, rec)
		return alexa.EmptyEnvelope(), nil
	default:
		// Other skill events (enabled, permission accepted or changed,
		// ...) and request types this skill does not use: nothing to do.
		rec.outcome = "ignored"
		h.log.InfoContext(ctx, "request type not handled", "type", req.Type(), "requestId", req.RequestID())
		return alexa.EmptyEnvelope(), nil
	}
}

// checkSkillID refuses a request whose skill IDs are not all in the
// allow-list, or that names none while there is one.
func (h *Handler) checkSkillID(req *alexa.Request) error {
	if len(h.skillIDs) == 0 {
		return nil
	}
	ids := req.ApplicationIDs()
	if len(ids) == 0 {
		return fmt.Errorf("%w: the request names no skill", ErrSkillID)
	}
	for _, id := range ids {
		if !h.skillIDs[id] {
			return fmt.Errorf("%w: %q", ErrSkillID, id)
		}
	}
	return nil
}

// callContext returns the context of one outbound call: what remains of
// the turn, and at most the per-call budget.
func (h *Handler) callContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, h.callBudget)
}

// minRetry is the least time that must remain of the turn for a conflict
// retry (a read and a write) to be tried.
const minRetry = 20 * time.Millisecond

// timeLeft reports whether enough of the turn remains for another store
// round trip.
func timeLeft(ctx context.Context) bool {
	if ctx.Err() != nil {
		return false
	}
	dl, ok := ctx.Deadline()
	return !ok || time.Until(dl) > minRetry
}

// sessionEnded applies EvSessionEnded and saves the state if it changed.
// Alexa ignores any answer, so failures are only logged.
func (h *Handler) sessionEnded(ctx context.Context, req *alexa.Request, key string, rec *record) {
	body := req.Body
	attrs := []any{"reason", req.Body.Reason, "requestId", req.RequestID()}
	if body.Error != nil {
		attrs = append(attrs, "errorType", body.Error.Type, "errorMessage", body.Error.Message)
		h.log.WarnContext(ctx, "session ended with an error", attrs...)
	} else {
		h.log.InfoContext(ctx, "session ended", attrs...)
	}
	if key == "" {
		rec.outcome = "fault:" + faultNoUser.String()
		return
	}
	t := h.newTurn(req, key, rec)
	if name, ok := req.SessionZone(); ok {
		t.useSessionZone(name)
	}
	cur, f := t.load(ctx)
	if f != faultNone {
		rec.outcome = "fault:" + f.String()
		return
	}
	res := t.commit(ctx, t.event(skill.Event{Kind: skill.EvSessionEnded}), cur)
	rec.step = res.state.Step
	rec.outcome = res.status.String()
}

// Retries of the deletion SkillDisabled asks for: Alexa sends the event
// once, so a deletion that fails would otherwise wait for the 30-day expiry.
const (
	// deleteAttempts is how many times the deletion is tried within the
	// turn's budget.
	deleteAttempts = 3
	// deleteBackoff is the pause before the second attempt; it doubles
	// before each later one.
	deleteBackoff = 100 * time.Millisecond
)

// skillDisabled deletes everything stored about the user, trying again
// while the turn's budget allows. A deletion that still fails is logged
// at ERROR as "skill disabled: delete failed", the line the template's
// deletion alarm counts.
func (h *Handler) skillDisabled(ctx context.Context, key string, rec *record) {
	if key == "" {
		rec.outcome = "fault:" + faultNoUser.String()
		return
	}
	err := fmt.Errorf("no time left in the turn: %w", context.DeadlineExceeded)
	attempt, wait := 0, deleteBackoff
	for attempt < deleteAttempts && timeLeft(ctx) {
		if attempt++; attempt > 1 {
			h.log.WarnContext(ctx, "skill disabled: delete failed; trying again", "user", shortHash(key),
				"attempt", attempt-1, "error", err)
			if !pause(ctx, wait) {
				break
			}
			wait *= 2
		}
		cctx, cancel := h.callContext(ctx)
		err = h.store.Delete(cctx, key)
		cancel()
		if err == nil {
			rec.outcome = "deleted"
			return
		}
	}
	rec.outcome = "fault:delete"
	h.log.ErrorContext(ctx, "skill disabled: delete failed", "user", shortHash(key), "attempts", attempt, "error", err)
}

// pause waits for d, and reports whether the turn still has time for a
// store call afterwards.
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return timeLeft(ctx)
	case <-ctx.Done():
		return false
	}
}
