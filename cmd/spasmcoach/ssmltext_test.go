package main

import (
	"testing"
	"time"
)

func TestReadableSSML(t *testing.T) {
	tests := []struct {
		name string
		ssml string
		want string
	}{
		{"plain", `<speak>Hello there.</speak>`, `Hello there.`},
		{"break seconds", `<speak>Step three. Slow breathing.<break time="1.5s"/>Breathe in<break time="1s"/>two</speak>`,
			`Step three. Slow breathing. …(1.5s)… Breathe in (1s) two`},
		{"break milliseconds", `<speak>in<break time="750ms"/>out</speak>`, `in (0.75s) out`},
		{"consecutive breaks add up", `<speak>Hold.<break time="10s"/><break time="10s"/> <break time="5s"/>Release.</speak>`,
			`Hold. …(25s)… Release.`},
		{"break strength", `<speak>a<break strength="strong"/>b<break strength="none"/>c</speak>`, `a (1s) b c`},
		{"bare break is medium", `<speak>a<break/>b</speak>`, `a (0.75s) b`},
		{"leading and trailing pauses", `<speak><break time="2s"/>Ready.<break time="3s"/></speak>`, `…(2s)… Ready. …(3s)…`},
		{"entities", `<speak>Ice &amp; heat &lt;gently&gt;</speak>`, `Ice & heat <gently>`},
		{"whitespace collapsed", "<speak>\n  Lie   still.\n\t Breathe. </speak>", `Lie still. Breathe.`},
		{"prosody and emphasis keep words apart", `<speak><prosody rate="90%">Breathe <emphasis level="moderate">in</emphasis> slowly</prosody></speak>`,
			`Breathe in slowly`},
		{"sentences without spaces", `<speak><p><s>One.</s><s>Two.</s></p><p>Three</p></speak>`, `One. Two. Three`},
		{"tag inside a word", `<speak>re<emphasis>lax</emphasis>.</speak>`, `relax.`},
		{"sub shows the alias", `<speak>Take <sub alias="ibuprofen">IBU</sub> only as labelled.</speak>`, `Take ibuprofen only as labelled.`},
		{"say-as", `<speak>Step <say-as interpret-as="cardinal">3</say-as>.</speak>`, `Step 3.`},
		{"audio", `<speak><audio src="soundbank://soundlibrary/bell"/> Done.</speak>`, `[sound] Done.`},
		{"amazon namespace", `<speak><amazon:domain name="conversational">Hi</amazon:domain></speak>`, `Hi`},
		{"not XML falls back to stripping", `<speak>Broken <b>tag & more</speak>`, `Broken tag & more`},
		{"empty", `<speak></speak>`, ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := readableSSML(tc.ssml); got != tc.want {
				t.Errorf("readableSSML(%q)\n got %q\nwant %q", tc.ssml, got, tc.want)
			}
		})
	}
}

func TestParseBreakTime(t *testing.T) {
	tests := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"2s", 2 * time.Second, false},
		{"1.5s", 1500 * time.Millisecond, false},
		{"250ms", 250 * time.Millisecond, false},
		{" 10s ", 10 * time.Second, false},
		{"10", 0, true},
		{"-1s", 0, true},
		{"xs", 0, true},
	}
	for _, tc := range tests {
		got, err := parseBreakTime(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("parseBreakTime(%q) = %v, %v; want %v, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}
