package skill_test

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // every zone loads, with or without the system's tzdata

	"spasmcoach/skill"
	"spasmcoach/speech"
)

// t0 is a fixed moment the tests start at: a Tuesday afternoon in UTC.
var t0 = time.Date(2026, 3, 10, 14, 0, 0, 0, time.UTC)

// said returns everything a reply says, lines and cues, as one string.
func said(s speech.Script) string {
	var b strings.Builder
	for _, p := range s.Parts {
		if p.Say != "" {
			b.WriteString(p.Say)
			b.WriteString(" ")
		}
		if p.Paced != nil {
			for _, c := range p.Paced.Cues {
				b.WriteString(c.Text)
				b.WriteString(" ")
			}
		}
	}
	return strings.TrimSpace(b.String())
}

// effectKinds lists a reply's effect kinds.
func effectKinds(r skill.Reply) []skill.EffectKind {
	var ks []skill.EffectKind
	for _, e := range r.Effects {
		ks = append(ks, e.Kind)
	}
	return ks
}

// checkReply checks the rules every reply keeps, whatever the event: the
// state's invariants, a reprompt exactly when listening (and none with a
// permission request), something said unless the reply only carries
// effects or ends a session silently, and valid SSML within Alexa's limits.
func checkReply(tb testing.TB, ev skill.Event, s skill.State, r skill.Reply) {
	tb.Helper()
	if err := s.Check(); err != nil {
		tb.Fatalf("after %v: %v (state %+v)", ev.Kind, err, s)
	}
	asks := false
	for _, e := range r.Effects {
		if e.Kind == skill.AskPermission {
			asks = true
		}
	}
	switch {
	case r.Listen && r.Reprompt.Empty():
		tb.Fatalf("after %v: listening without a reprompt", ev.Kind)
	case !r.Listen && !r.Reprompt.Empty():
		tb.Fatalf("after %v: reprompt while closing the session", ev.Kind)
	case asks && r.Listen:
		tb.Fatalf("after %v: permission request while listening", ev.Kind)
	case r.Say.Empty() && len(r.Effects) == 0 && ev.Kind != skill.EvSessionEnded:
		tb.Fatalf("after %v: says nothing", ev.Kind)
	}
	rd := speech.Renderer{Model: speech.AlexaModel()}
	for _, sc := range []speech.Script{r.Say, r.Reprompt} {
		if sc.Empty() {
			continue
		}
		if err := speech.Validate(rd.SSML(sc)); err != nil {
			tb.Fatalf("after %v: %v\n%s", ev.Kind, err, rd.SSML(sc))
		}
		for _, p := range sc.Parts {
			if p.Paced != nil {
				if err := rd.Model.Check(*p.Paced); err != nil {
					tb.Fatalf("after %v: cue off the beat: %v", ev.Kind, err)
				}
			}
		}
	}
}

// apply applies e to s at now and checks the reply with checkReply: every
// Apply in the tests goes through it (or through convo, which uses it).
func apply(tb testing.TB, s skill.State, e skill.Event, now time.Time) (skill.State, skill.Reply) {
	tb.Helper()
	next, r := skill.Apply(s, e, now)
	checkReply(tb, e, next, r)
	return next, r
}

// mustZone loads a time zone; the tests embed time/tzdata, so a zone that
// fails to load is a failure, never a reason to skip.
func mustZone(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("loading %s: %v", name, err)
	}
	return loc
}

// paced returns the paced sequences a reply says, in order.
func paced(r skill.Reply) []*speech.Paced {
	var ps []*speech.Paced
	for _, p := range r.Say.Parts {
		if p.Paced != nil {
			ps = append(ps, p.Paced)
		}
	}
	return ps
}

// convo drives the state machine through a conversation, checking every
// reply, and performs effects the way the protocol adapter would when every
// Alexa API call succeeds.
type convo struct {
	tb     testing.TB
	s      skill.State
	now    time.Time
	locale string
	// timerSeq numbers the timers created.
	timerSeq int
	// answer, when set, is the outcome of the next SetTimer effect instead
	// of success (for example EvTimerNoPermission).
	answer skill.Kind
}

func newConvo(tb testing.TB) *convo {
	return &convo{tb: tb, now: t0, locale: "en-US"}
}

// do applies e, then the outcomes of its effects, and returns the replies
// in the order they are said.
func (c *convo) do(e skill.Event) []skill.Reply {
	c.tb.Helper()
	if e.Locale == "" {
		e.Locale = c.locale
	}
	s, r := apply(c.tb, c.s, e, c.now)
	c.s = s
	out := []skill.Reply{r}
	for _, eff := range r.Effects {
		var o skill.Event
		switch eff.Kind {
		case skill.SetTimer:
			c.timerSeq++
			o = skill.Event{Kind: skill.EvTimerSet, TimerID: "timer-" + string(rune('0'+c.timerSeq)), Remaining: eff.Timer.Duration}
			if c.answer != 0 {
				o = skill.Event{Kind: c.answer}
				c.answer = 0
			}
		case skill.CancelTimer:
			if eff.Quiet {
				continue
			}
			o = skill.Event{Kind: skill.EvTimerCancelled}
		case skill.CheckTimer:
			o = skill.Event{Kind: skill.EvTimerStatus, Remaining: c.s.Timer.Ends.Time().Sub(c.now)}
			if o.Remaining <= 0 {
				o = skill.Event{Kind: skill.EvTimerGone} // the API answers 404 once it rang
			}
		case skill.SetReminder:
			o = skill.Event{Kind: skill.EvReminderSet, ReminderID: "reminder-1"}
		default:
			continue
		}
		o.Locale = e.Locale
		s, r2 := apply(c.tb, c.s, o, c.now)
		c.s = s
		out = append(out, r2)
	}
	c.now = c.now.Add(20 * time.Second)
	return out
}

// say applies an event of kind k and returns all that was said.
func (c *convo) say(k skill.Kind) string {
	c.tb.Helper()
	return c.sayEvent(skill.Event{Kind: k})
}

func (c *convo) sayEvent(e skill.Event) string {
	c.tb.Helper()
	var parts []string
	for _, r := range c.do(e) {
		parts = append(parts, said(r.Say))
	}
	return strings.Join(parts, " ")
}

// last returns the final reply of applying e.
func (c *convo) last(e skill.Event) skill.Reply {
	c.tb.Helper()
	rs := c.do(e)
	return rs[len(rs)-1]
}

// started returns a conversation past the first launch's briefing, on step 1.
func started(tb testing.TB) *convo {
	c := newConvo(tb)
	c.say(skill.EvLaunch)
	c.say(skill.EvContinue)
	return c
}
