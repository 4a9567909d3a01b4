package skill_test

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // every zone loads, with or without the system's tzdata

	"spasmcoach/skill"
	"spasmcoach/speech"
)

var locales = []string{"en-US", "en-GB", "en-CA", "en-AU", "en-IN", "de-DE", ""}

// randomEvent draws any event a user or an effect can cause, with slot
// values that are sometimes sensible and sometimes odd.
func randomEvent(r *rand.Rand, zones []*time.Location) skill.Event {
	e := skill.Event{
		Kind:   skill.Kind(r.IntN(int(skill.NumKinds))),
		Locale: locales[r.IntN(len(locales))],
		Zone:   zones[r.IntN(len(zones))],
	}
	switch r.IntN(4) {
	case 0:
		e.Number = r.IntN(12)
	case 1:
		e.Number = r.IntN(1000) - 500
	case 2:
		e.Minutes = r.IntN(40) - 5
	}
	e.Unclear = r.IntN(10) == 0
	e.Pack = skill.Pack(r.IntN(3))
	e.Exercise = skill.Exercise(r.IntN(3))
	e.Granted = r.IntN(2) == 0
	e.Permission = skill.Permission(r.IntN(3))
	e.Failure = skill.Failure(r.IntN(3))
	e.Remaining = time.Duration(r.IntN(7200)) * time.Second
	if r.IntN(2) == 0 {
		e.TimerID = "t-" + string(rune('a'+r.IntN(26)))
	}
	if r.IntN(5) == 0 {
		e.Plan = skill.PackPlan{Pack: skill.Pack(r.IntN(3)), Minutes: r.IntN(30)}
	}
	// A start anywhere from ten weeks ago to a week ahead, or none.
	if r.IntN(4) != 0 {
		e.Start = t0.Add(time.Duration(r.IntN(77*24)-70*24) * time.Hour)
	}
	if r.IntN(3) == 0 {
		e.ReminderID = "r-" + string(rune('a'+r.IntN(26)))
	}
	return e
}

// randomState draws a state that keeps the invariants, from anywhere in
// the routine.
func randomState(r *rand.Rand, now time.Time) skill.State {
	for {
		s := skill.State{
			Schema:   skill.SchemaVersion,
			Step:     1 + r.IntN(skill.LastStep),
			Pattern:  skill.Pattern(r.IntN(2)),
			Pace:     skill.MinPace + r.IntN(skill.MaxPace-skill.MinPace+1),
			Episode:  skill.At(now.Add(-time.Duration(r.IntN(30*24)) * time.Hour)),
			Pref:     skill.Pack(r.IntN(3)),
			Ask:      skill.Question(r.IntN(int(skill.AskSeatedTwist) + 1)),
			Misses:   r.IntN(5),
			Hold:     r.IntN(3) == 0,
			PrevPack: skill.At(now.Add(-time.Duration(300+r.IntN(600)) * time.Minute)),
			Heard:    skill.Heard(r.Uint32()),
			Briefed:  skill.At(now.Add(-time.Duration(r.IntN(72)) * time.Hour)),
			Updated:  skill.At(now.Add(-time.Duration(r.IntN(20*24)) * time.Hour)),
			LastPack: skill.At(now.Add(-time.Duration(r.IntN(300)) * time.Minute)),
		}
		if r.IntN(2) == 0 {
			s.Timer = skill.Timer{ID: "old", Pack: skill.PackCold, Ends: skill.At(now.Add(time.Duration(r.IntN(40)-10) * time.Minute))}
		}
		if r.IntN(2) == 0 {
			s.Plan = skill.PackPlan{Pack: skill.Pack(1 + r.IntN(2)), Minutes: 10 + r.IntN(11)}
		}
		if r.IntN(3) == 0 {
			s.Then = skill.Request{Kind: []skill.Kind{skill.EvStartBreathing, skill.EvStartStretch, skill.EvStartExercise,
				skill.EvGoToStep, skill.EvSetPack}[r.IntN(5)], Number: r.IntN(12), Exercise: skill.Exercise(r.IntN(3))}
		}
		if r.IntN(3) == 0 {
			s.Reminder = "old-reminder"
		}
		switch r.IntN(4) {
		case 1:
			s.Act = skill.Activity{Kind: skill.ActBreathing, Done: r.IntN(10), Set: r.IntN(3)}
			s.Act.Target = s.Act.Done + r.IntN(20)
		case 2:
			s.Act = skill.Activity{Kind: skill.ActStretch, Done: r.IntN(9), Set: r.IntN(3)}
		case 3:
			s.Act = skill.Activity{Kind: skill.ActExercise, Exercise: skill.Exercise(1 + r.IntN(2)), Done: r.IntN(6), Side: skill.Side(r.IntN(3))}
		}
		s.Act.Paused = s.Act.Kind != skill.ActNone && r.IntN(3) == 0
		if s.Check() == nil {
			return s
		}
	}
}

// TestRandomWalk applies thousands of random event sequences to random
// states: nothing panics, every reply is valid SSML within Alexa's limits,
// and every state keeps the invariants.
func TestRandomWalk(t *testing.T) {
	zones := []*time.Location{nil, time.UTC, mustZone(t, "America/Los_Angeles"), mustZone(t, "Asia/Kolkata")}
	walks, length := 3000, 25
	if testing.Short() {
		walks = 300
	}
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[skill.Kind]int{}
	for w := 0; w < walks; w++ {
		now := t0.Add(time.Duration(r.IntN(1000)) * time.Hour)
		s := skill.State{}
		if w%4 != 0 {
			s = randomState(r, now)
		}
		for i := 0; i < length; i++ {
			e := randomEvent(r, zones)
			seen[e.Kind]++
			next, _ := apply(t, s, e, now)
			// A changed state is stamped with the moment it changed (a
			// forgotten user is the zero State, stamped with nothing).
			if next != s && next != (skill.State{}) && (next.Updated != skill.At(now) || next.Schema != skill.SchemaVersion) {
				t.Fatalf("after %v the state changed but is stamped %v, schema %d", e.Kind, next.Updated, next.Schema)
			}
			s = next
			switch r.IntN(6) {
			case 0:
				now = now.Add(time.Duration(r.IntN(3*24)) * time.Hour)
			default:
				now = now.Add(time.Duration(r.IntN(600)) * time.Second)
			}
		}
	}
	for k := skill.Kind(0); k < skill.NumKinds; k++ {
		if seen[k] == 0 {
			t.Errorf("event %v never drawn", k)
		}
	}
}

// forbidden are things the skill must never say: prescription drug names or
// doses, diagnoses, or any hint that it can summon help.
var forbidden = []*regexp.Regexp{
	regexp.MustCompile(`(?i)\b\d+\s*(mg|milligrams?|ml)\b`),
	regexp.MustCompile(`(?i)\b(dose|dosage|tablets?|pills?)\b`),
	regexp.MustCompile(`(?i)(cyclobenzaprine|diazepam|valium|tizanidine|baclofen|methocarbamol|carisoprodol|` +
		`oxycodone|hydrocodone|codeine|tramadol|gabapentin|pregabalin|opioid|muscle relaxant|steroid|naproxen|ibuprofen|diclofenac)`),
	regexp.MustCompile(`(?i)\b(you have|you've got|it's probably|it is probably|this is) (a |an )?(herniated|slipped|bulging|disc|sciatica|stenosis|arthritis)`),
	regexp.MustCompile(`(?i)\b(I|I'll|I will|I can|I've|I have|let me) (call|contact|alert|notify|send)\b`),
	regexp.MustCompile(`(?i)\bhelp is (on the way|coming)\b`),
	regexp.MustCompile(`(?i)\b(calling|dialing|dialling)\b`),
}

// TestNeverSays scans everything the routine data holds and everything a
// random walk says for forbidden content.
func TestNeverSays(t *testing.T) {
	var texts []string
	for _, st := range skill.Steps {
		texts = append(texts, st.Intro...)
		texts = append(texts, st.Short...)
		texts = append(texts, st.Prompt, st.Reprompt, st.Card)
	}
	r := rand.New(rand.NewPCG(3, 4))
	zones := []*time.Location{nil}
	for w := 0; w < 500; w++ {
		now := t0
		s := randomState(r, now)
		for i := 0; i < 20; i++ {
			e := randomEvent(r, zones)
			var reply skill.Reply
			s, reply = apply(t, s, e, now)
			texts = append(texts, said(reply.Say), said(reply.Reprompt))
			if reply.Card != nil {
				texts = append(texts, reply.Card.Text)
			}
			now = now.Add(time.Duration(r.IntN(7200)) * time.Second)
		}
	}
	for _, text := range texts {
		for _, re := range forbidden {
			if m := re.FindString(text); m != "" {
				t.Errorf("says %q (matched %q)", text, m)
			}
		}
	}
	if !strings.Contains(skill.Disclaimer, "not medical advice") || !strings.Contains(skill.Disclaimer, "emergency number") {
		t.Errorf("disclaimer lost its substance: %q", skill.Disclaimer)
	}
}

// TestSafetyAnswerBudgets: what a person in pain hears when they speak up
// is short: distress, medicine, feeling light-headed and a request to call
// someone in about 20 seconds (with the prompt back), distress again in
// 15, distress as a new user's first words, with the disclaimer, in 25, a
// clarified yes in about 12, wherever they are.
func TestSafetyAnswerBudgets(t *testing.T) {
	m := speech.AlexaModel()
	for _, tc := range []struct {
		name   string
		setup  func(tb testing.TB) *convo
		event  skill.Kind
		budget time.Duration
	}{
		{"distress mid-stretch", func(tb testing.TB) *convo { c := onStep(tb, 4); c.say(skill.EvStartStretch); return c }, skill.EvDistress, 20 * time.Second},
		{"distress on step one", func(tb testing.TB) *convo { return onStep(tb, 1) }, skill.EvDistress, 20 * time.Second},
		{"medicine mid-breathing", func(tb testing.TB) *convo { c := onStep(tb, 3); c.say(skill.EvStartBreathing); return c }, skill.EvMedicine, 20 * time.Second},
		{"light-headed mid-breathing", func(tb testing.TB) *convo { c := onStep(tb, 3); c.say(skill.EvStartBreathing); return c }, skill.EvLightHeaded, 20 * time.Second},
		{"light-headed mid-stretch", func(tb testing.TB) *convo { c := onStep(tb, 4); c.say(skill.EvStartStretch); return c }, skill.EvLightHeaded, 20 * time.Second},
		{"call someone on step one", func(tb testing.TB) *convo { return onStep(tb, 1) }, skill.EvCallSomeone, 20 * time.Second},
		{"distress again", func(tb testing.TB) *convo { c := onStep(tb, 1); c.say(skill.EvDistress); return c }, skill.EvDistress, 15 * time.Second},
		{"distress as first words", newConvo, skill.EvDistress, 25 * time.Second},
		{"yes after the warning signs", func(tb testing.TB) *convo { c := newConvo(tb); c.say(skill.EvLaunch); return c }, skill.EvYes, 12 * time.Second},
	} {
		c := tc.setup(t)
		r := c.last(skill.Event{Kind: tc.event})
		if d := m.ScriptDuration(r.Say); d > tc.budget {
			t.Errorf("%s takes %v to say, want at most %v: %q", tc.name, d, tc.budget, said(r.Say))
		}
	}
}

// TestSpeechBudgets checks how long the important moments take to say,
// with the shipped model of Alexa's voice: a step's introduction with its
// closing prompt about 20 seconds at most (21 allowed), as written and as
// Apply says it on reaching the step; a first-time user hears the
// disclaimer and the first warning sign within about 15; a returning user
// hears where they were and one question within about 10.
func TestSpeechBudgets(t *testing.T) {
	const introBudget = 21 * time.Second
	m := speech.AlexaModel()
	dur := func(lines ...string) time.Duration {
		var d time.Duration
		for _, l := range lines {
			d += m.Duration(l)
		}
		return d
	}
	for _, st := range skill.Steps {
		if d := dur(append(st.Intro, st.Prompt)...); d > introBudget {
			t.Errorf("step %d introduction and prompt take %v, want at most %v", st.Number, d, introBudget)
		}
		if d := dur(append(st.Short, st.Prompt)...); d > 12*time.Second {
			t.Errorf("step %d short introduction and prompt take %v", st.Number, d)
		}
		// What is said on first reaching the step, its own prompt (step
		// five's names the planned pack) included.
		c := newConvo(t)
		r := c.do(skill.Event{Kind: skill.EvLaunch})[0]
		if st.Number == skill.FirstStep {
			r = c.last(skill.Event{Kind: skill.EvContinue})
		} else {
			c.say(skill.EvContinue)
			r = c.last(skill.Event{Kind: skill.EvGoToStep, Number: st.Number})
		}
		if got := said(r.Say); !strings.HasPrefix(got, st.Intro[0]) {
			t.Fatalf("reaching step %d says %q, want its introduction", st.Number, got)
		}
		if d := m.ScriptDuration(r.Say); d > introBudget {
			t.Errorf("reaching step %d takes %v to say, want at most %v: %q", st.Number, d, introBudget, said(r.Say))
		}
	}
	// Up to the first warning sign on a first launch.
	c := newConvo(t)
	r := c.do(skill.Event{Kind: skill.EvLaunch})[0]
	if d := untilText(m, r.Say, "The pain started"); d > 16*time.Second {
		t.Errorf("first warning sign after %v", d)
	}
	// A returning user's greeting and question.
	c.say(skill.EvContinue)
	c.say(skill.EvStop)
	c.now = c.now.Add(time.Hour)
	r = c.do(skill.Event{Kind: skill.EvLaunch})[0]
	if d := untilText(m, r.Say, ""); d > 10*time.Second {
		t.Errorf("returning greeting takes %v", d)
	}
}

// untilText returns how long a script takes until the line starting with
// prefix begins ("" for the whole script).
func untilText(m speech.Model, s speech.Script, prefix string) time.Duration {
	var d time.Duration
	for _, p := range s.Parts {
		if prefix != "" && strings.HasPrefix(p.Say, prefix) {
			return d
		}
		d += m.Duration(p.Say) + p.Pause
		if p.Paced != nil {
			d += p.Paced.Length
		}
	}
	return d
}

func TestStateEncoding(t *testing.T) {
	c := onStep(t, 3)
	c.say(skill.EvStartBreathing)
	b, err := skill.Encode(c.s)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 200 {
		t.Errorf("encoded state is %d bytes: %s", len(b), b)
	}
	got, err := skill.Decode(b)
	if err != nil || got != c.s {
		t.Errorf("round trip: %v\n%+v\n%+v", err, got, c.s)
	}
	if _, err := skill.Decode([]byte(`{"sv":99}`)); err == nil {
		t.Error("a newer schema decoded without error")
	}
	if _, err := skill.Decode([]byte(`{`)); err == nil {
		t.Error("malformed state decoded without error")
	}
	if s, err := skill.Decode(nil); err != nil || s != (skill.State{}) {
		t.Errorf("empty input: %+v, %v", s, err)
	}
}

func BenchmarkTurn(b *testing.B) {
	c := onStep(b, 3)
	rd := speech.Renderer{Model: speech.AlexaModel()}
	events := []skill.Event{{Kind: skill.EvStartBreathing}, {Kind: skill.EvNext}, {Kind: skill.EvWhereAmI}}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e := events[i%len(events)]
		s, r := skill.Apply(c.s, e, c.now)
		_ = rd.SSML(r.Say)
		_ = rd.SSML(r.Reprompt)
		_ = s
	}
}

func BenchmarkBreathingSet(b *testing.B) {
	c := onStep(b, 3)
	rd := speech.Renderer{Model: speech.AlexaModel()}
	b.ReportAllocs()
	for b.Loop() {
		_, r := skill.Apply(c.s, skill.Event{Kind: skill.EvStartBreathing}, c.now)
		_ = rd.SSML(r.Say)
	}
}
