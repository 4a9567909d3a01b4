package skill_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"spasmcoach/internal/testutil/golden"
	"spasmcoach/skill"
	"spasmcoach/speech"
)

// line is one turn of a scripted conversation: what the user says (as a
// label) and the event it becomes, with an optional wait before it.
type line struct {
	user  string
	event skill.Event
	wait  time.Duration
	// answer is what the Timers API answers this turn (success when 0).
	answer skill.Kind
}

func ev(k skill.Kind) skill.Event { return skill.Event{Kind: k} }

// conversations are whole conversations, rendered to golden transcripts
// (testdata/*.txt) and SSML (testdata/*.ssml).
var conversations = map[string][]line{
	"first_episode": {
		{user: "open back spasm coach", event: ev(skill.EvLaunch)},
		{user: "continue", event: ev(skill.EvContinue)},
		{user: "next", event: ev(skill.EvNext)},
		{user: "next", event: ev(skill.EvNext)},
		{user: "start breathing", event: ev(skill.EvStartBreathing)},
		{user: "again", event: ev(skill.EvRepeat)},
		{user: "no", event: ev(skill.EvNo)},
		{user: "next step", event: ev(skill.EvNext)},
		{user: "start the stretch", event: ev(skill.EvStartStretch)},
		{user: "next step", event: ev(skill.EvNext)},
		{user: "set a cold pack timer", event: ev(skill.EvSetPack)},
		{user: "yes", event: ev(skill.EvYes)},
		{user: "no", event: ev(skill.EvNo)},
		{user: "how long is left on my pack", event: ev(skill.EvPackLeft), wait: 5 * time.Minute},
		{user: "next", event: ev(skill.EvNext)},
		{user: "next", event: ev(skill.EvNext)},
		{user: "next", event: ev(skill.EvNext)},
		{user: "next", event: ev(skill.EvNext)},
		{user: "start the lying twist", event: skill.Event{Kind: skill.EvStartExercise, Exercise: skill.ExerciseLyingTwist}},
		{user: "stop", event: ev(skill.EvStop)},
		{user: "open back spasm coach", event: ev(skill.EvLaunch), wait: 3 * time.Hour},
		{user: "yes", event: ev(skill.EvYes)},
		{user: "where am I", event: ev(skill.EvWhereAmI)},
		{user: "stop", event: ev(skill.EvStop)},
	},
	"breathing_controls": {
		{user: "ask back spasm coach to start breathing", event: ev(skill.EvLaunch)},
		{user: "continue", event: ev(skill.EvContinue)},
		{user: "breathe for two minutes", event: skill.Event{Kind: skill.EvStartBreathing, Minutes: 2}},
		{user: "continue", event: ev(skill.EvContinue)},
		{user: "slower", event: ev(skill.EvSlower)},
		{user: "long exhale", event: ev(skill.EvLongExhale)},
		{user: "faster", event: ev(skill.EvFaster)},
		{user: "repeat", event: ev(skill.EvRepeat)},
		{user: "pause", event: ev(skill.EvPause)},
	},
	"navigation_and_help": {
		{user: "open back spasm coach", event: ev(skill.EvLaunch)},
		{user: "what", event: ev(skill.EvFallback)},
		{user: "help", event: ev(skill.EvHelp)},
		{user: "repeat", event: ev(skill.EvRepeat)},
		{user: "next", event: ev(skill.EvNext)},
		{user: "help", event: ev(skill.EvHelp)},
		{user: "go to step twelve", event: skill.Event{Kind: skill.EvGoToStep, Number: 12}},
		{user: "go to step five", event: skill.Event{Kind: skill.EvGoToStep, Number: 5}},
		{user: "should I use ice or heat", event: ev(skill.EvIceOrHeat)},
		{user: "I prefer heat", event: skill.Event{Kind: skill.EvPreferPack, Pack: skill.PackHeat}},
		{user: "ice or heat", event: ev(skill.EvIceOrHeat)},
		{user: "set a pack timer", event: ev(skill.EvSetPack)},
		{user: "no", event: ev(skill.EvNo)},
		{user: "go back", event: ev(skill.EvPrevious)},
		{user: "repeat", event: ev(skill.EvRepeat)},
		{user: "how long has it been", event: ev(skill.EvElapsed)},
		{user: "banana", event: ev(skill.EvFallback)},
		{user: "forget me", event: ev(skill.EvForgetMe)},
		{user: "no", event: ev(skill.EvNo)},
		{user: "cancel", event: ev(skill.EvCancel)},
	},
	"pack_permission": {
		{user: "open back spasm coach", event: ev(skill.EvLaunch)},
		{user: "continue", event: ev(skill.EvContinue)},
		{user: "set an ice pack timer for thirty minutes", event: skill.Event{Kind: skill.EvSetPack, Pack: skill.PackCold, Minutes: 30}},
		{user: "yes (the Timers API answers 401)", event: ev(skill.EvYes), answer: skill.EvTimerNoPermission},
		{user: "(permission: ACCEPTED)", event: skill.Event{Kind: skill.EvPermission, Permission: skill.PermTimers, Granted: true}},
		{user: "no", event: ev(skill.EvNo)},
		{user: "when is my next pack", event: ev(skill.EvNextPack), wait: 30 * time.Minute},
		{user: "how long is left on my pack", event: ev(skill.EvPackLeft)},
		{user: "cancel the pack timer", event: ev(skill.EvCancelPack)},
		{user: "set a heat pack timer", event: skill.Event{Kind: skill.EvSetPack, Pack: skill.PackHeat}, wait: 40 * time.Minute},
		{user: "yes (the device is offline)", event: ev(skill.EvYes), answer: skill.EvTimerFailed},
		{user: "I prefer heat", event: skill.Event{Kind: skill.EvPreferPack, Pack: skill.PackHeat}},
		{user: "set a pack timer", event: ev(skill.EvSetPack)},
		{user: "yes (permission: DENIED)", event: ev(skill.EvYes), answer: skill.EvTimerNoPermission},
		{user: "(permission: DENIED)", event: skill.Event{Kind: skill.EvPermission, Permission: skill.PermTimers}},
		{user: "I have numbness in my groin", event: skill.Event{Kind: skill.EvWarningSign, Locale: "en-AU"}},
	},
	// A person in pain, as issue 14 describes them: a one-shot request,
	// "yes" to the warning signs, "that hurts" mid-stretch, medicine, the
	// warning signs again, when it started, misunderstandings, the seated
	// twist early on, and an emergency.
	"person_in_pain": {
		{user: "ask back spasm coach to start the stretch", event: ev(skill.EvStartStretch)},
		{user: "yes", event: ev(skill.EvYes)},
		{user: "okay none of them, continue", event: ev(skill.EvContinue)},
		{user: "ow, that hurts", event: ev(skill.EvDistress)},
		{user: "no, I'll just lie here", event: ev(skill.EvNo)},
		{user: "what painkiller should I take", event: ev(skill.EvMedicine)},
		{user: "it started four days ago", event: skill.Event{Kind: skill.EvEpisodeStart, Start: t0.Add(-96 * time.Hour)}},
		{user: "what are the warning signs again", event: ev(skill.EvWarningSignsList)},
		{user: "mmm", event: ev(skill.EvFallback)},
		{user: "the thing, um", event: ev(skill.EvFallback)},
		{user: "huh", event: ev(skill.EvFallback)},
		{user: "yes", event: ev(skill.EvYes)},
		{user: "start the stretch", event: ev(skill.EvStartStretch)},
		{user: "I'm scared", event: ev(skill.EvDistress)},
		{user: "yes", event: ev(skill.EvYes)},
		{user: "start the seated twist", event: skill.Event{Kind: skill.EvStartExercise, Exercise: skill.ExerciseSeatedTwist}},
		{user: "no", event: ev(skill.EvNo)},
		{user: "I can't breathe", event: ev(skill.EvWarningSign)},
	},
	"fresh_after_two_weeks": {
		{user: "open back spasm coach", event: ev(skill.EvLaunch)},
		{user: "continue", event: ev(skill.EvContinue)},
		{user: "go to step seven", event: skill.Event{Kind: skill.EvGoToStep, Number: 7}},
		{user: "stop", event: ev(skill.EvStop)},
		{user: "open back spasm coach", event: ev(skill.EvLaunch), wait: 15 * 24 * time.Hour},
		{user: "yes", event: ev(skill.EvYes)},
		{user: "skip", event: ev(skill.EvContinue)},
	},
}

// TestGolden renders whole conversations and compares them with the golden
// transcripts and SSML in testdata/. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	rd := speech.Renderer{Model: speech.AlexaModel()}
	for name, lines := range conversations {
		t.Run(name, func(t *testing.T) {
			c := newConvo(t)
			var text, ssml strings.Builder
			for _, l := range lines {
				c.now = c.now.Add(l.wait)
				if l.wait > 0 {
					fmt.Fprintf(&text, "(%v later)\n", l.wait)
				}
				fmt.Fprintf(&text, "USER: %s\n", l.user)
				fmt.Fprintf(&ssml, "<!-- %s -->\n", l.user)
				c.answer = l.answer
				for _, r := range c.do(l.event) {
					writeTurn(&text, &ssml, rd, r)
				}
				fmt.Fprintf(&text, "      [step %d", c.s.Step)
				if c.s.Act.Kind != skill.ActNone {
					fmt.Fprintf(&text, ", %v", c.s.Act.Kind)
				}
				text.WriteString("]\n\n")
			}
			golden.Check(t, filepath.Join("testdata", name+".txt"), []byte(text.String()))
			golden.Check(t, filepath.Join("testdata", name+".ssml"), []byte(ssml.String()))
		})
	}
}

func writeTurn(text, ssml *strings.Builder, rd speech.Renderer, r skill.Reply) {
	if !r.Say.Empty() {
		fmt.Fprintf(text, "ALEXA: %s\n", rd.Transcript(r.Say))
		fmt.Fprintf(ssml, "%s\n", rd.SSML(r.Say))
	}
	if !r.Reprompt.Empty() {
		fmt.Fprintf(text, "      (if silent) %s\n", rd.Transcript(r.Reprompt))
	}
	if r.Card != nil {
		fmt.Fprintf(text, "      [card: %s]\n", r.Card.Title)
	}
	for _, e := range r.Effects {
		switch e.Kind {
		case skill.SetTimer:
			fmt.Fprintf(text, "      [set timer %q for %v, announcing %q]\n", e.Timer.Label, e.Timer.Duration, e.Timer.Announce)
		case skill.CancelTimer:
			fmt.Fprintf(text, "      [cancel timer %s]\n", e.TimerID)
		case skill.CheckTimer:
			fmt.Fprintf(text, "      [check timer %s]\n", e.TimerID)
		case skill.SetReminder:
			fmt.Fprintf(text, "      [set reminder in %v: %q]\n", e.Reminder.After, e.Reminder.Text)
		case skill.AskPermission:
			fmt.Fprintf(text, "      [ask permission %d by voice]\n", e.Permission)
		case skill.ConsentCard:
			fmt.Fprintf(text, "      [permission card %d]\n", e.Permission)
		case skill.Forget:
			text.WriteString("      [forget the user]\n")
		}
	}
	switch {
	case r.Say.Empty() && len(r.Effects) > 0:
		// Only effects: their outcome's reply follows and says what to do.
	case r.Listen:
		text.WriteString("      [listening]\n")
	default:
		text.WriteString("      [session ends]\n")
	}
}
