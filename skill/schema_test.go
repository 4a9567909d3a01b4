package skill_test

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"spasmcoach/skill"
)

// fixtureV1 is the state stored in testdata/schema/v1.json: schema 1 as
// this code writes it today, with every field set. The file is never
// regenerated: it stands for items already in users' tables, so a change to
// the State layout (a renamed JSON key, a renumbered constant) fails this
// test instead of silently losing every user's place. A deliberate change
// of layout bumps SchemaVersion, migrates v1 in Decode, and adds a fixture.
var fixtureV1 = skill.State{
	Schema:  1,
	Version: 7,
	Updated: 1773151800,
	Step:    3,
	Act: skill.Activity{
		Kind: skill.ActBreathing, Set: 2, Done: 4, Target: 12, Paused: true,
	},
	Pattern:  skill.PatternLongExhale,
	Pace:     2,
	Episode:  1773151200,
	Pref:     skill.PackHeat,
	LastPack: 1773151500,
	Timer:    skill.Timer{ID: "amzn1.ask.timer.fixture", Pack: skill.PackCold, Ends: 1773152700},
	Briefed:  1773151260,
	Heard:    5,
	Ask:      skill.AskBriefing,
	Plan:     skill.PackPlan{Pack: skill.PackHeat, Minutes: 15},
}

// TestSchemaV1Fixture: a stored state of today's format decodes to exactly
// the state it was written from, keeps the invariants, and encodes back to
// the same bytes.
func TestSchemaV1Fixture(t *testing.T) {
	raw, err := os.ReadFile("testdata/schema/v1.json")
	if err != nil {
		t.Fatal(err)
	}
	raw = bytes.TrimSpace(raw)
	got, err := skill.Decode(raw)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	// Schema 2 only added fields: a schema 1 state migrates by its number.
	want := fixtureV1
	want.Schema = skill.SchemaVersion
	if got != want {
		t.Errorf("decoded\n %+v\nwant\n %+v", got, want)
	}
	if err := got.Check(); err != nil {
		t.Errorf("fixture breaks an invariant: %v", err)
	}
	enc, err := skill.Encode(fixtureV1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, raw) {
		t.Errorf("encoding changed:\n got %s\nwant %s", enc, raw)
	}
}

// TestDecodeMigrates: states of older or unknown schemas are brought to
// SchemaVersion or refused, never misread.
func TestDecodeMigrates(t *testing.T) {
	tests := []struct {
		name    string
		raw     string
		want    skill.State
		wantErr error
	}{
		{"empty is a first-time user", ``, skill.State{}, nil},
		{"schema 0 without a step stays the zero state", `{"sv":0}`, skill.State{}, nil},
		{"schema 0 with a step is stamped with today's schema",
			`{"st":4,"ep":1773151200}`,
			skill.State{Schema: skill.SchemaVersion, Step: 4, Episode: 1773151200}, nil},
		{"unknown keys from a newer minor change are ignored",
			`{"sv":2,"st":2,"ep":1773151200,"zz":1}`,
			skill.State{Schema: 2, Step: 2, Episode: 1773151200}, nil},
		{"schema 1 is stamped with schema 2: it only gained fields",
			`{"sv":1,"st":2,"ep":1773151200}`,
			skill.State{Schema: 2, Step: 2, Episode: 1773151200}, nil},
		{"a newer schema is refused", `{"sv":99,"st":2}`, skill.State{}, skill.ErrSchema},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := skill.Decode([]byte(tc.raw))
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Decode error %v, want %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("Decode = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// fixtureV2 is the state stored in testdata/schema/v2.json: schema 2 with
// every field set, the fields schema 2 added included. Like v1.json it is
// never regenerated.
var fixtureV2 = func() skill.State {
	s := fixtureV1
	s.Schema = 2
	s.Ask = skill.AskSeatedTwist
	s.Misses = 2
	s.Then = skill.Request{Kind: skill.EvSetPack, Number: 3, Minutes: 15, Pack: skill.PackCold, Exercise: skill.ExerciseLyingTwist}
	s.Hold = true
	s.PrevPack = 1773140000
	s.Reminder = "amzn1.ask.reminder.fixture"
	return s
}()

// TestSchemaV2Fixture: a stored schema 2 state decodes to exactly the state
// it was written from and encodes back to the same bytes.
func TestSchemaV2Fixture(t *testing.T) {
	raw, err := os.ReadFile("testdata/schema/v2.json")
	if err != nil {
		t.Fatal(err)
	}
	raw = bytes.TrimSpace(raw)
	got, err := skill.Decode(raw)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if got != fixtureV2 {
		t.Errorf("decoded\n %+v\nwant\n %+v", got, fixtureV2)
	}
	if err := got.Check(); err != nil {
		t.Errorf("fixture breaks an invariant: %v", err)
	}
	enc, err := skill.Encode(fixtureV2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, raw) {
		t.Errorf("encoding changed:\n got %s\nwant %s", enc, raw)
	}
}
