package intents

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexaapi"
	"spasmcoach/skill"
	"spasmcoach/speech"
	"spasmcoach/store"
)

// turn is one request being answered: who, when, where the Alexa APIs are,
// and what the log line will say.
type turn struct {
	h    *Handler
	req  *alexa.Request
	key  string
	now  time.Time
	ep   alexaapi.Endpoint
	rec  *record
	zone *time.Location
	// zoneName is carried in the session attributes once the time zone was
	// asked for ("" when it could not be read); nil when never asked.
	zoneName *string
	// zoneEntry is the device's time zone to keep in the state, when the
	// turn settled one at the start of a session (loadWithZone).
	zoneEntry skill.DeviceZone
	// trustScopes is false when the request's permission scopes may lag
	// behind a permission the user just granted by voice.
	trustScopes bool
	// resume is the request a permission just granted by voice was asked
	// for (EvCancelPack, EvPackLeft), to carry out in the same turn; EvNone
	// for none.
	resume skill.Kind
}

// newTurn starts the turn of req: the Alexa APIs are at the request's
// apiEndpoint, with its apiAccessToken.
func (h *Handler) newTurn(req *alexa.Request, key string, rec *record) *turn {
	sys := req.Context.System
	return &turn{
		h:           h,
		req:         req,
		key:         key,
		now:         h.now(),
		ep:          alexaapi.Endpoint{BaseURL: sys.APIEndpoint, Token: sys.APIAccessToken},
		rec:         rec,
		trustScopes: true,
	}
}

// event completes an event with what every event carries: the locale and
// the user's time zone.
func (t *turn) event(ev skill.Event) skill.Event {
	ev.Locale = t.req.Body.Locale
	ev.Zone = t.zone
	return ev
}

// conversation answers a LaunchRequest, an IntentRequest or the
// Connections.Response of a voice-permission request, end to end: load
// the state, apply the event, save, perform the effects, render.
func (h *Handler) conversation(ctx context.Context, req *alexa.Request, key string, rec *record) *alexa.Envelope {
	if key == "" {
		rec.outcome = "fault:" + faultNoUser.String()
		return h.faultEnvelope(faultNoUser, nil)
	}
	t := h.newTurn(req, key, rec)
	ev, ok := t.userEvent(ctx)
	if !ok {
		rec.outcome = "ignored"
		return alexa.EmptyEnvelope()
	}
	cur, f := t.loadWithZone(ctx)
	if f != faultNone {
		rec.outcome = "fault:" + f.String()
		return h.faultEnvelope(f, t.sessionAttributes(saved{}, false))
	}
	if ev.Kind == skill.EvEpisodeStart {
		ev.Start, ev.Unclear, ev.StartDay = t.episodeStart()
	}
	res := t.commit(ctx, t.event(ev), cur)
	rec.step = res.state.Step
	rec.outcome = res.status.String()
	switch res.status {
	case statusConflict:
		// Nothing was saved and the session's copy is stale: apologise,
		// keep the session open, and reload on the next turn.
		return h.faultEnvelope(faultConflict, t.sessionAttributes(saved{}, false))
	case statusForgetFailed:
		return h.faultEnvelope(faultForget, t.sessionAttributes(res.state, true))
	}
	out := t.runEffects(ctx, res)
	rec.step = out.state.Step
	return t.assemble(out)
}

// userEvent is the event the request stands for. It reports false for a
// Connections.Response to something this skill never asked.
func (t *turn) userEvent(ctx context.Context) (skill.Event, bool) {
	body := t.req.Body
	switch t.req.Type() {
	case alexa.RequestLaunch:
		return skill.Event{Kind: skill.EvLaunch}, true
	case alexa.RequestIntent:
		if body.Intent == nil {
			return skill.Event{Kind: skill.EvFallback}, true
		}
		ev, known := Route(*body.Intent)
		if !known {
			t.h.log.InfoContext(ctx, "unknown intent handled as fallback", "intent", body.Intent.Name)
		}
		return ev, true
	case alexa.RequestConnectionsResponse:
		if body.Name != alexa.ConnectionAskFor {
			t.h.log.InfoContext(ctx, "connection response not handled", "name", body.Name)
			return skill.Event{}, false
		}
		return t.permissionEvent(ctx), true
	}
	return skill.Event{Kind: skill.EvFallback}, true
}

// episodeStart reads when the user says the spasm started, relative to
// the request's timestamp (the clock's when it has none) in the user's time
// zone. It reports whether the value was unclear, and whether it named a day
// only (no time of day, so an earlier start on that day stands).
func (t *turn) episodeStart() (start time.Time, unclear, day bool) {
	ref := t.now
	if ts, err := time.Parse(time.RFC3339, t.req.Body.Timestamp); err == nil {
		ref = ts
	}
	var slots map[string]alexa.Slot
	if in := t.req.Body.Intent; in != nil {
		slots = in.Slots
	}
	start, st := EpisodeStart(slots, ref, t.zone)
	if st != ValueOK {
		return time.Time{}, st == ValueUnclear, false
	}
	// A day alone (no duration, which EpisodeStart prefers) keeps an
	// earlier start on that day.
	day = strings.TrimSpace(slots[SlotDuration].Value) == ""
	return start, false, day
}

// permissionEvent reads the answer to a voice-permission request: the
// permission and the pending pack plan from the token this package sent,
// and whether it was accepted.
func (t *turn) permissionEvent(ctx context.Context) skill.Event {
	body := t.req.Body
	perm, plan, then, ok := parsePermissionToken(body.Token)
	if !ok {
		t.h.log.WarnContext(ctx, "permission answer with an unknown token; assuming timers")
		perm = skill.PermTimers
	}
	status := body.PayloadStatus()
	granted := status == alexa.AskForAccepted
	if body.Status != nil && body.Status.Code != "" && body.Status.Code != "200" {
		t.h.log.WarnContext(ctx, "permission request failed", "code", body.Status.Code, "message", body.Status.Message)
		granted = false
	}
	if granted {
		// The scopes in this request may not show the grant yet; let the
		// API answer instead.
		t.trustScopes = false
		t.resume = then
	}
	t.h.log.InfoContext(ctx, "permission answer", "permission", permissionNames[perm], "status", status)
	return skill.Event{Kind: skill.EvPermission, Granted: granted, Permission: perm, Plan: plan}
}

// load returns the user's state: the session's copy when the session
// carries a valid one, else the stored state (one read per session).
func (t *turn) load(ctx context.Context) (saved, fault) {
	if raw := t.req.SessionState(); raw != nil {
		s, err := decodeSession(raw)
		if err == nil {
			err = s.Check()
		}
		if err == nil {
			return s, faultNone
		}
		t.h.log.WarnContext(ctx, "session state unusable; reading the store", "error", err)
	}
	return t.fetch(ctx)
}

// fetch reads the stored state, with the version the next write must
// expect.
func (t *turn) fetch(ctx context.Context) (saved, fault) {
	cctx, cancel := t.h.callContext(ctx)
	defer cancel()
	item, err := t.h.store.Get(cctx, t.key)
	switch {
	case err != nil:
		t.h.log.WarnContext(ctx, "store read failed", "user", shortHash(t.key), "error", err)
		return saved{}, faultStore
	case item.Data == nil:
		return saved{version: item.Version}, faultNone
	}
	s, err := skill.Decode(item.Data)
	if err == nil {
		err = s.Check()
	}
	switch {
	case errors.Is(err, skill.ErrSchema):
		t.h.log.ErrorContext(ctx, "stored state is newer than this code", "user", shortHash(t.key), "error", err)
		return saved{}, faultNewerState
	case err != nil:
		// Unreadable data cannot be kept: start afresh, overwriting it.
		t.h.log.ErrorContext(ctx, "stored state unreadable; starting afresh", "user", shortHash(t.key), "error", err)
		s = skill.State{}
	}
	return saved{State: s, version: item.Version}, faultNone
}

// commitStatus says what happened to the state of an event.
type commitStatus uint8

const (
	// statusUnchanged: the event changed nothing; nothing was written.
	statusUnchanged commitStatus = iota
	// statusSaved: the new state was written.
	statusSaved
	// statusUnsaved: the write failed (store down or slow); the new state
	// lives only in the session, with the last saved version.
	statusUnsaved
	// statusConflict: the write conflicted twice, or no time was left to
	// retry; nothing was written.
	statusConflict
	// statusForgotten: the user's data was deleted.
	statusForgotten
	// statusForgetFailed: deleting the user's data failed.
	statusForgetFailed
	// statusDeferred: a launch changed only the question the skill waits
	// for; the new state lives only in the session (questionOnly).
	statusDeferred
)

var statusNames = [...]string{
	statusUnchanged:    "unchanged",
	statusSaved:        "saved",
	statusUnsaved:      "unsaved",
	statusConflict:     "conflict",
	statusForgotten:    "forgotten",
	statusForgetFailed: "forget-failed",
	statusDeferred:     "deferred",
}

func (s commitStatus) String() string { return statusNames[s] }

// commitResult is the state and reply of an event after saving.
type commitResult struct {
	// state is the state to carry on, with the last version really saved.
	state  saved
	reply  skill.Reply
	status commitStatus
}

// commit applies ev to cur and saves the new state when it changed, or
// when the stored state was last saved on an earlier day (refreshDue), with
// a write conditional on cur's version. On a conflict it reloads, applies ev
// once more and writes again, if time remains.
func (t *turn) commit(ctx context.Context, ev skill.Event, cur saved) commitResult {
	base := cur
	for attempt := 0; ; attempt++ {
		prepared := t.prepare(base.State)
		next, reply := t.apply(prepared, ev)
		if hasEffect(reply, skill.Forget) {
			return t.forget(ctx, base, reply)
		}
		refresh := t.refreshDue(base)
		unsaved := saved{State: next, version: base.version}
		switch {
		case next == base.State && !refresh,
			// Nothing is stored and the event changed nothing (an
			// emergency as the first words ever): a time zone alone
			// creates no record.
			next == prepared && base.version == 0:
			return commitResult{state: base, reply: reply, status: statusUnchanged}
		case ev.Kind == skill.EvLaunch && base.version != 0 && !refresh && questionOnly(base.State, next):
			return commitResult{state: unsaved, reply: reply, status: statusDeferred}
		}
		written, err := t.put(ctx, next, base.version)
		switch {
		case err == nil:
			return commitResult{state: written, reply: reply, status: statusSaved}
		case !errors.Is(err, store.ErrConflict):
			t.h.log.WarnContext(ctx, "store write failed; state kept in the session",
				"user", shortHash(t.key), "error", err)
			return commitResult{state: unsaved, reply: reply, status: statusUnsaved}
		case attempt > 0 || !timeLeft(ctx):
			t.h.log.WarnContext(ctx, "store write conflict; giving up",
				"user", shortHash(t.key), "attempt", attempt+1, "error", err)
			return commitResult{state: unsaved, reply: reply, status: statusConflict}
		}
		reloaded, f := t.fetch(ctx)
		if f != faultNone {
			return commitResult{state: unsaved, reply: reply, status: statusConflict}
		}
		t.h.log.InfoContext(ctx, "store write conflict; applying again", "user", shortHash(t.key))
		base = reloaded
	}
}

// questionOnly reports whether next differs from base only in the question
// the skill waits for (Ask, Plan) and the time of the change: all that a
// returning user's launch changes ("Shall we pick up there?"). A launch
// does not save that change: it travels in the session, and the answer, or
// the end of the session, saves what follows from it. So the launch waits
// on the read alone, and the question asked and then cleared at the end of
// the session costs one write, not two.
func questionOnly(base, next skill.State) bool {
	next.Ask, next.Plan, next.Updated, next.Schema = base.Ask, base.Plan, base.Updated, base.Schema
	return next == base
}

// apply applies ev to s. When ev grants a permission that a request of
// the user's needed (t.resume), and the grant itself leaves nothing more to
// do, the request follows at once, so that "cancel the pack timer" is
// carried out rather than asked again: the user hears its answer instead
// of the thanks for the grant. Both are applied together, and so saved
// together, and applied together again after a conflict.
func (t *turn) apply(s skill.State, ev skill.Event) (skill.State, skill.Reply) {
	next, reply := skill.Apply(s, ev, t.now)
	if ev.Kind != skill.EvPermission || !ev.Granted || t.resume == skill.EvNone || len(reply.Effects) > 0 {
		return next, reply
	}
	return skill.Apply(next, t.event(skill.Event{Kind: t.resume}), t.now)
}

// put writes s, stamped with the time of the save and today's schema, as
// version expected+1, and returns the state as saved, with its new
// version.
func (t *turn) put(ctx context.Context, s skill.State, expected int64) (saved, error) {
	s.Written = skill.At(t.now)
	s.Schema = skill.SchemaVersion
	data, err := skill.Encode(s)
	if err != nil {
		return saved{}, err
	}
	cctx, cancel := t.h.callContext(ctx)
	defer cancel()
	v, err := t.h.store.Put(cctx, t.key, data, expected)
	if err != nil {
		return saved{}, err
	}
	return saved{State: s, version: v}, nil
}

// forget deletes everything stored about the user; the new state is not
// saved.
func (t *turn) forget(ctx context.Context, cur saved, reply skill.Reply) commitResult {
	cctx, cancel := t.h.callContext(ctx)
	defer cancel()
	if err := t.h.store.Delete(cctx, t.key); err != nil {
		t.h.log.ErrorContext(ctx, "forget: delete failed", "user", shortHash(t.key), "error", err)
		return commitResult{state: cur, reply: reply, status: statusForgetFailed}
	}
	return commitResult{reply: reply, status: statusForgotten}
}

// hasEffect reports whether r has an effect of kind k.
func hasEffect(r skill.Reply, k skill.EffectKind) bool {
	return slices.ContainsFunc(r.Effects, func(e skill.Effect) bool { return e.Kind == k })
}

// answer is everything the response is assembled from.
type answer struct {
	say   speech.Script
	reply skill.Reply // Reprompt, Listen and Card of the last reply
	state saved
	// carry says whether state goes into the session attributes.
	carry   bool
	askFor  *alexa.Directive
	consent []string
}

// maxOutcomes bounds how many effect outcomes one turn applies, so that a
// state machine bug cannot loop.
const maxOutcomes = 4

// runEffects performs the reply's effects once each, after the save, in
// order (skill/reply.go): an effect's outcome is applied to the saved state
// and saved, and its reply follows: its Say after this one, its Reprompt,
// Listen, Card and Effects instead of these.
func (t *turn) runEffects(ctx context.Context, res commitResult) answer {
	a := answer{
		reply: res.reply,
		state: res.state,
		carry: res.status != statusForgotten,
	}
	a.say.Append(res.reply.Say)
	queue := res.reply.Effects
	outcomes := 0
	// blocked is the request held up by a missing permission: the event
	// of the last effect whose outcome was that the permission is needed.
	blocked := skill.EvNone
	for len(queue) > 0 {
		e := queue[0]
		queue = queue[1:]
		switch e.Kind {
		case skill.AskPermission:
			d := AskForDirective(permissionScopes[e.Permission], permissionToken(e.Permission, a.state.Plan, blocked))
			a.askFor = &d
			t.noteEffect(e, permissionNames[e.Permission])
		case skill.ConsentCard:
			a.consent = append(a.consent, permissionScopes[e.Permission])
			t.noteEffect(e, permissionNames[e.Permission])
		case skill.Forget:
			// Done by commit, before the effects.
		case skill.SetTimer, skill.CancelTimer, skill.CheckTimer, skill.SetReminder, skill.CancelReminder:
			if outcomes >= maxOutcomes || !a.carry {
				t.h.log.WarnContext(ctx, "effect skipped", "effect", effectNames[e.Kind], "outcomes", outcomes)
				t.noteEffect(e, "skipped")
				continue
			}
			ev, apply := t.perform(ctx, e)
			if !apply {
				continue
			}
			if b, ok := blockedRequests[e.Kind]; ok && ev.Kind == skill.EvTimerNoPermission {
				blocked = b.kind
			}
			outcomes++
			r := t.commit(ctx, t.event(ev), a.state)
			if r.status == statusConflict {
				// The effect happened, and its reply says so; but the
				// state is stale now: reload it on the next turn.
				a.carry = false
			}
			a.state = r.state
			a.say.Append(r.reply.Say)
			a.reply = r.reply
			queue = r.reply.Effects
		default:
			t.h.log.WarnContext(ctx, "unknown effect", "kind", int(e.Kind))
		}
	}
	return a
}

// assemble renders an answer into a response.
func (t *turn) assemble(a answer) *alexa.Envelope {
	env := &alexa.Envelope{Version: alexa.ResponseVersion}
	r := &env.Response
	if !a.say.Empty() {
		t.renderSay(r, a.say)
	}
	if c := a.reply.Card; c != nil {
		r.Card = alexa.SimpleCard(c.Title, c.Text)
	}
	if len(a.consent) > 0 {
		// One card per response: the consent card matters more.
		r.Card = alexa.ConsentCard(a.consent...)
	}
	open := false
	switch {
	case a.askFor != nil:
		// Alexa asks the question itself: no reprompt, and
		// shouldEndSession left out, as Amazon's AskFor examples do
		// (https://developer.amazon.com/en-US/docs/alexa/smapi/voice-permissions-for-timers.html).
		r.Directives = append(r.Directives, *a.askFor)
		open = true
	case a.reply.Listen:
		rp := a.reply.Reprompt
		if rp.Empty() {
			rp.Say(defaultReprompt)
		}
		r.Reprompt = &alexa.Reprompt{OutputSpeech: alexa.SSMLSpeech(string(t.h.render.SSML(rp)))}
		r.ShouldEndSession = alexa.Bool(false)
		open = true
	default:
		r.ShouldEndSession = alexa.Bool(true)
	}
	if open {
		env.SessionAttributes = t.sessionAttributes(a.state, a.carry)
	}
	return env
}

// renderSay renders what the turn says into r: all SSML, or with
// PacingAPLA the paced part from the first cue on as an APLA directive.
func (t *turn) renderSay(r *alexa.Response, say speech.Script) {
	var (
		intro speech.SSML
		doc   *speech.APLA
	)
	if t.h.pacing == PacingAPLA {
		intro, doc = t.h.render.APLA(say)
	} else {
		intro = t.h.render.SSML(say)
	}
	if intro != "" {
		r.OutputSpeech = alexa.SSMLSpeech(string(intro))
	}
	if doc != nil {
		r.Directives = append(r.Directives, APLADirective(doc))
	}
}

// defaultReprompt is said after a silence when a reply listens without a
// reprompt of its own.
const defaultReprompt = "You can say next step, repeat, or help."

// sessionAttributes returns what the session carries to its next turn: the
// state with its last saved version (when carry), and the time zone.
func (t *turn) sessionAttributes(s saved, carry bool) *alexa.Attributes {
	attrs := &alexa.Attributes{Zone: t.zoneName}
	if carry {
		if b, err := encodeSession(s); err == nil {
			attrs.State = b
		}
	}
	if attrs.State == nil && attrs.Zone == nil {
		return nil
	}
	return attrs
}

// opTimeZone names the Settings API call in logs.
const opTimeZone = "get-time-zone"

// logAPICall logs the result of one Alexa API call (op, such as
// "create-timer"): at debug level when it succeeded; at info when Alexa
// answered that a permission is needed (401, 403), that the timer is gone
// (404), or no call could be made for want of a token; at warning for
// anything else: 400, other statuses, timeouts, connection errors and
// unusable answers. A failure's line carries the status and the API's own
// error code and message when Alexa answered, else whether the call timed
// out; never the token, the user or the device (alexaapi keeps them out of
// its errors).
func (t *turn) logAPICall(ctx context.Context, op string, err error, d time.Duration) {
	outcome := alexaapi.Classify(err)
	level, msg := slog.LevelWarn, "alexa api call failed"
	switch {
	case err == nil:
		level, msg = slog.LevelDebug, "alexa api call"
	case outcome == alexaapi.NeedPermission, outcome == alexaapi.NotFound, outcome == alexaapi.NoToken:
		level = slog.LevelInfo
	}
	if !t.h.log.Enabled(ctx, level) {
		// Every successful call of every turn passes here: build nothing.
		return
	}
	attrs := []slog.Attr{
		slog.String("op", op),
		slog.String("outcome", outcome.String()),
		slog.String("elapsed", strconv.FormatInt(d.Milliseconds(), 10)+"ms"),
		slog.String("requestId", t.rec.requestID),
	}
	if err == nil {
		t.h.log.LogAttrs(ctx, level, msg, attrs...)
		return
	}
	var apiErr *alexaapi.APIError
	if errors.As(err, &apiErr) {
		attrs = append(attrs,
			slog.Int("status", apiErr.Status),
			slog.String("code", apiErr.Code),
			slog.String("message", apiErr.Message))
	} else {
		attrs = append(attrs, slog.Bool("timeout", isTimeout(err)))
	}
	attrs = append(attrs, slog.String("error", err.Error()))
	t.h.log.LogAttrs(ctx, level, msg, attrs...)
}

// isTimeout reports whether a call failed for want of time: its deadline
// passed, or the network said it timed out.
func isTimeout(err error) bool {
	var ne interface{ Timeout() bool }
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// noteEffect adds an effect's outcome ("set-timer:ok") to the turn's log
// line.
func (t *turn) noteEffect(e skill.Effect, outcome string) {
	t.rec.effects = append(t.rec.effects, effectNames[e.Kind]+":"+outcome)
}
