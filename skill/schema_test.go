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

// fixtureV2 is the state stored in testdata/schema/v2.json: schema 2 as
// this code writes it, with every field set, schema 2's time zones of
// devices, time of the last save, misses, kept request, hold, previous
// pack and reminder included. Like v1.json, the file is
// never regenerated.
var fixtureV2 = func() skill.State {
	s := fixtureV1
	s.Schema = 2
	s.Zones = skill.Zones{
		{Device: "0f3a9c2d5e7b41806a1c3e5f7d9b2a4c", Name: "Europe/Berlin", Read: 1773151200},
		{Device: "7c1e5a3f9d2b84600e4a2c6f8b1d3e5a", Name: "America/New_York", Read: 1772546400},
	}
	s.Written = 1773151800
	s.Ask = skill.AskSeatedTwist
	s.Misses = 2
	s.Then = skill.Request{Kind: skill.EvSetPack, Number: 3, Minutes: 15, Pack: skill.PackCold, Exercise: skill.ExerciseLyingTwist}
	s.Hold = true
	s.PrevPack = 1773140000
	s.Reminder = "amzn1.ask.reminder.fixture"
	return s
}()

// oldVersionKey is the store's version as the fixtures hold it: written
// when State had a Version field (key "v"). The version now travels beside
// the state (the store's own attribute; the session's "v" next to the
// state's keys), never inside it: a "v" in old data is ignored on
// decoding, and the state encodes to the fixture's bytes without it.
const oldVersionKey = `"v":7,`

// TestSchemaFixtures: a stored state of each format decodes to exactly
// the state it was written from (brought to SchemaVersion), keeps the
// invariants, and the state it was written from encodes back to the same
// bytes, apart from the old version key.
func TestSchemaFixtures(t *testing.T) {
	tests := []struct {
		file    string
		written skill.State
		decoded skill.State
	}{
		// Schema 1 has no time zones and no time of the last save: both
		// decode as unknown, which is what schema 1 meant.
		{"v1.json", fixtureV1, func() skill.State { s := fixtureV1; s.Schema = 2; return s }()},
		{"v2.json", fixtureV2, fixtureV2},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			raw, err := os.ReadFile("testdata/schema/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			raw = bytes.TrimSpace(raw)
			if !bytes.Contains(raw, []byte(oldVersionKey)) {
				t.Fatalf("fixture lacks %s: it was changed", oldVersionKey)
			}
			got, err := skill.Decode(raw)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got != tc.decoded {
				t.Errorf("decoded\n %+v\nwant\n %+v", got, tc.decoded)
			}
			if err := got.Check(); err != nil {
				t.Errorf("fixture breaks an invariant: %v", err)
			}
			enc, err := skill.Encode(tc.written)
			if err != nil {
				t.Fatal(err)
			}
			if want := bytes.Replace(raw, []byte(oldVersionKey), nil, 1); !bytes.Equal(enc, want) {
				t.Errorf("encoding changed:\n got %s\nwant %s", enc, want)
			}
		})
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
		{"schema 1 is stamped with today's schema, with no time zones",
			`{"sv":1,"st":2,"ep":1773151200}`,
			skill.State{Schema: skill.SchemaVersion, Step: 2, Episode: 1773151200}, nil},
		{"unknown keys from a newer minor change are ignored",
			`{"sv":2,"st":2,"ep":1773151200,"zz":1}`,
			skill.State{Schema: 2, Step: 2, Episode: 1773151200}, nil},
		{"schema 1 is stamped with schema 2: it only gained fields",
			`{"sv":1,"st":2,"ep":1773151200}`,
			skill.State{Schema: 2, Step: 2, Episode: 1773151200}, nil},
		{"time zones: a device's entry read last wins, in its first place; unused entries go last; beyond MaxZones are dropped",
			`{"sv":2,"st":2,"ep":1773151200,"tz":[` +
				`{"d":"a","z":"Europe/Berlin","r":50},{"z":"Asia/Tokyo","r":10},` +
				`{"d":"c","z":"Europe/Paris","r":40},{"d":"a","z":"Europe/London","r":60},` +
				`{"d":"d","z":"America/Denver","r":30},{"d":"e","z":"Africa/Cairo","r":20}]}`,
			skill.State{Schema: 2, Step: 2, Episode: 1773151200, Zones: skill.Zones{
				{Device: "a", Name: "Europe/London", Read: 60}, {Device: "c", Name: "Europe/Paris", Read: 40},
			}}, nil},
		{"time zones that are not an array are refused", `{"sv":2,"st":2,"ep":1773151200,"tz":{"d":"a"}}`,
			skill.State{}, errAny},
		{"a newer schema is refused", `{"sv":99,"st":2}`, skill.State{}, skill.ErrSchema},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := skill.Decode([]byte(tc.raw))
			if tc.wantErr == errAny {
				if err == nil {
					t.Fatalf("Decode = %+v, want an error", got)
				}
				return
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Decode error %v, want %v", err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("Decode = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// errAny stands for any error in TestDecodeMigrates.
var errAny = errors.New("any error")

// TestMigrate: a state decoded by the caller is migrated as Decode
// migrates it, and one of a newer schema is refused.
func TestMigrate(t *testing.T) {
	got, err := skill.Migrate(skill.State{Schema: 1, Step: 2, Episode: 1773151200})
	if want := (skill.State{Schema: skill.SchemaVersion, Step: 2, Episode: 1773151200}); err != nil || got != want {
		t.Errorf("Migrate(schema 1) = %+v, %v; want %+v", got, err, want)
	}
	if _, err := skill.Migrate(skill.State{Schema: skill.SchemaVersion + 1}); !errors.Is(err, skill.ErrSchema) {
		t.Errorf("Migrate(a newer schema): %v, want ErrSchema", err)
	}
}

// TestSchema2AddedFields: the fields added to schema 2 for the episode's
// unknown or unconfirmed start and the calming answers keep their values
// through Encode and Decode, and a schema 2 state without them decodes
// with their zero values (the v2.json fixture above).
func TestSchema2AddedFields(t *testing.T) {
	s := fixtureV2
	s.StartUnknown = true
	s.NewStart = 1773151000
	s.Calm = 1
	s.Ask = skill.AskStart
	enc, err := skill.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"su":true`, `"ns":1773151000`, `"ca":1`} {
		if !bytes.Contains(enc, []byte(key)) {
			t.Errorf("encoding lacks %s: %s", key, enc)
		}
	}
	got, err := skill.Decode(enc)
	if err != nil {
		t.Fatal(err)
	}
	if got != s {
		t.Errorf("decoded\n %+v\nwant\n %+v", got, s)
	}
	if err := got.Check(); err != nil {
		t.Errorf("breaks an invariant: %v", err)
	}
}
