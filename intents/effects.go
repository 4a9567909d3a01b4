package intents

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"spasmcoach/alexa"
	"spasmcoach/alexaapi"
	"spasmcoach/skill"
)

// permissionScopes maps the skill's permissions to their scopes.
var permissionScopes = map[skill.Permission]string{
	skill.PermTimers:    alexaapi.ScopeTimers,
	skill.PermReminders: alexaapi.ScopeReminders,
}

// permissionNames names the permissions in permission tokens and logs.
var permissionNames = map[skill.Permission]string{
	skill.PermTimers:    "timers",
	skill.PermReminders: "reminders",
}

var effectNames = map[skill.EffectKind]string{
	skill.SetTimer:       "set-timer",
	skill.CancelTimer:    "cancel-timer",
	skill.CheckTimer:     "check-timer",
	skill.SetReminder:    "set-reminder",
	skill.AskPermission:  "ask-permission",
	skill.ConsentCard:    "consent-card",
	skill.Forget:         "forget",
	skill.CancelReminder: "cancel-reminder",
}

// apiOps names the Alexa API call behind each effect with an outcome, in
// logs.
var apiOps = map[skill.EffectKind]string{
	skill.SetTimer:       "create-timer",
	skill.CancelTimer:    "delete-timer",
	skill.CheckTimer:     "get-timer",
	skill.SetReminder:    "create-reminder",
	skill.CancelReminder: "delete-reminder",
}

// outcomeNotes name the outcomes of an Alexa API call in the turn's log
// line.
var outcomeNotes = map[alexaapi.Outcome]string{
	alexaapi.OK:             "ok",
	alexaapi.NeedPermission: "need-permission",
	alexaapi.NotFound:       "not-found",
	alexaapi.Rejected:       "rejected",
	alexaapi.Unavailable:    "unavailable",
	alexaapi.NoToken:        "no-token",
}

// outcomeNote names the outcome of err for the turn's log line: that of
// its Outcome, or "timeout" for a call that ran out of time.
func outcomeNote(err error) string {
	o := alexaapi.Classify(err)
	if o == alexaapi.Unavailable && isTimeout(err) {
		return "timeout"
	}
	return outcomeNotes[o]
}

// outcomeKinds are the event kinds of an effect's outcomes (success, not
// found, no permission, failure) and the permission scope its API needs.
type outcomeKinds struct {
	ok, notFound, noPermission, failed skill.Kind
	scope                              string
}

// outcomeEvents maps each effect with an outcome to its outcomeKinds.
var outcomeEvents = map[skill.EffectKind]outcomeKinds{
	skill.SetTimer:    {skill.EvTimerSet, skill.EvTimerFailed, skill.EvTimerNoPermission, skill.EvTimerFailed, alexaapi.ScopeTimers},
	skill.CancelTimer: {skill.EvTimerCancelled, skill.EvTimerGone, skill.EvTimerNoPermission, skill.EvTimerFailed, alexaapi.ScopeTimers},
	skill.CheckTimer:  {skill.EvTimerStatus, skill.EvTimerGone, skill.EvTimerNoPermission, skill.EvTimerFailed, alexaapi.ScopeTimers},
	skill.SetReminder: {skill.EvReminderSet, skill.EvReminderFailed, skill.EvReminderNoPermission, skill.EvReminderFailed, alexaapi.ScopeReminders},
	// Deleting a reminder has no outcome to apply.
	skill.CancelReminder: {scope: alexaapi.ScopeReminders},
}

// failures maps what an Alexa API call's error means to the failure the
// state machine words (alexaapi's package documentation has the table of
// statuses).
var failures = map[alexaapi.Outcome]skill.Failure{
	alexaapi.Rejected:    skill.FailRejected,
	alexaapi.NoToken:     skill.FailNoToken,
	alexaapi.Unavailable: skill.FailUnavailable,
	alexaapi.NotFound:    skill.FailUnavailable, // for a create, 404 is just odd
}

// perform carries out one effect with an outcome through the Alexa APIs
// and returns the event of its outcome. It reports false when the outcome
// is not to be applied (a quiet cancel).
func (t *turn) perform(ctx context.Context, e skill.Effect) (skill.Event, bool) {
	kinds := outcomeEvents[e.Kind]
	// An effect with no outcome event (deleting a reminder), or a quiet
	// cancel, has nothing to apply.
	apply := kinds.ok != skill.EvNone && (e.Kind != skill.CancelTimer || !e.Quiet)
	failed := func(f skill.Failure) (skill.Event, bool) {
		return skill.Event{Kind: kinds.failed, Failure: f}, apply
	}
	switch {
	case t.h.alerts == nil:
		t.noteEffect(e, "no-client")
		return failed(skill.FailUnavailable)
	case t.ep.Token == "":
		t.noteEffect(e, "no-token")
		return failed(skill.FailNoToken)
	case t.trustScopes && !granted(t.req.ScopeStatus(kinds.scope)):
		t.noteEffect(e, "scope-denied")
		return skill.Event{Kind: kinds.noPermission}, apply
	}
	cctx, cancel := t.h.callContext(ctx)
	defer cancel()
	start := time.Now()
	ev, err := t.callAPI(cctx, e, kinds)
	t.logAPICall(ctx, apiOps[e.Kind], err, time.Since(start))
	t.noteEffect(e, outcomeNote(err))
	switch o := alexaapi.Classify(err); o {
	case alexaapi.OK:
		return ev, apply
	case alexaapi.NeedPermission:
		return skill.Event{Kind: kinds.noPermission}, apply
	case alexaapi.NotFound:
		if kinds.notFound != kinds.failed {
			return skill.Event{Kind: kinds.notFound}, apply
		}
		return failed(failures[o])
	default:
		return failed(failures[o])
	}
}

// callAPI makes the Alexa API call of effect e, and returns the event of
// its success (kinds.ok, or kinds.notFound for a timer that has rung).
func (t *turn) callAPI(ctx context.Context, e skill.Effect, kinds outcomeKinds) (skill.Event, error) {
	var (
		err error
		ev  = skill.Event{Kind: kinds.ok}
	)
	switch e.Kind {
	case skill.SetTimer:
		var tm alexaapi.Timer
		tm, err = t.h.alerts.CreateTimer(ctx, t.ep, alexaapi.TimerRequest{
			Duration: e.Timer.Duration,
			Label:    e.Timer.Label,
			Locale:   e.Timer.Locale,
			Announce: e.Timer.Announce,
		})
		ev.TimerID, ev.Remaining = tm.ID, e.Timer.Duration
		if tm.Duration > 0 {
			ev.Remaining = tm.Duration
		}
	case skill.CancelTimer:
		err = t.h.alerts.DeleteTimer(ctx, t.ep, e.TimerID)
	case skill.CheckTimer:
		var tm alexaapi.Timer
		if tm, err = t.h.alerts.GetTimer(ctx, t.ep, e.TimerID); err == nil {
			ev = t.timerLeft(tm, kinds)
		}
	case skill.SetReminder:
		var rm alexaapi.Reminder
		rm, err = t.h.alerts.CreateReminder(ctx, t.ep, alexaapi.ReminderRequest{
			RequestTime: t.now,
			After:       e.Reminder.After,
			Locale:      e.Reminder.Locale,
			Text:        e.Reminder.Text,
		})
		ev.ReminderID = rm.AlertToken
	case skill.CancelReminder:
		err = t.h.alerts.DeleteReminder(ctx, t.ep, e.ReminderID)
	}
	return ev, err
}

// timerLeft is the event of a timer the Timers API reported: the time
// left, or kinds.notFound for a timer that has rung.
func (t *turn) timerLeft(tm alexaapi.Timer, kinds outcomeKinds) skill.Event {
	ev := skill.Event{Kind: kinds.ok}
	switch tm.Status {
	case alexaapi.TimerPaused:
		ev.Remaining = tm.RemainingWhenPaused
	case alexaapi.TimerOff:
		return skill.Event{Kind: kinds.notFound}
	default:
		ev.Remaining = tm.TriggerTime.Sub(t.now)
	}
	if ev.Remaining <= 0 {
		return skill.Event{Kind: kinds.notFound}
	}
	return ev
}

// granted reports whether a scope status from the request allows a call:
// granted, or not mentioned (the API then answers for itself).
func granted(status string) bool { return status == "" || status == alexa.ScopeGranted }

// blockedRequests maps the effects whose request a missing permission can
// hold up to the request's event, and names it in permission tokens: the
// user asked to cancel or check the pack timer, and the timers permission
// was missing.
var blockedRequests = map[skill.EffectKind]struct {
	kind skill.Kind
	name string
}{
	skill.CancelTimer: {skill.EvCancelPack, "cancel-pack"},
	skill.CheckTimer:  {skill.EvPackLeft, "pack-left"},
}

// permissionToken encodes which permission a voice-permission request asks
// for and what waits for it: the pack timer to set, or else the request
// (an event of blockedRequests, EvNone for none) that needed the
// permission, so that the answer, which may come after the session's state
// was lost, can carry on.
func permissionToken(p skill.Permission, plan skill.PackPlan, then skill.Kind) string {
	v := url.Values{"perm": {permissionNames[p]}}
	if plan.Minutes > 0 {
		v.Set("pack", plan.Pack.String())
		v.Set("min", strconv.Itoa(plan.Minutes))
	} else {
		for _, b := range blockedRequests {
			if b.kind == then && then != skill.EvNone {
				v.Set("then", b.name)
			}
		}
	}
	return v.Encode()
}

// parsePermissionToken reads a token made by permissionToken: the
// permission, the pack plan, and the request that waits (EvNone for none).
// It reports false for a token it did not make.
func parsePermissionToken(tok string) (skill.Permission, skill.PackPlan, skill.Kind, bool) {
	v, err := url.ParseQuery(tok)
	if err != nil {
		return 0, skill.PackPlan{}, skill.EvNone, false
	}
	var perm skill.Permission
	for p, name := range permissionNames {
		if v.Get("perm") == name {
			perm = p
		}
	}
	if perm == 0 {
		return 0, skill.PackPlan{}, skill.EvNone, false
	}
	var plan skill.PackPlan
	if m, err := strconv.Atoi(v.Get("min")); err == nil && m >= skill.PackMinMinutes && m <= skill.PackMaxMinutes {
		plan.Minutes = m
		switch v.Get("pack") {
		case skill.PackCold.String():
			plan.Pack = skill.PackCold
		case skill.PackHeat.String():
			plan.Pack = skill.PackHeat
		}
	}
	then := skill.EvNone
	for _, b := range blockedRequests {
		if v.Get("then") == b.name && perm == skill.PermTimers && plan.Minutes == 0 {
			then = b.kind
		}
	}
	return perm, plan, then, true
}
