package speech

import (
	"testing"
)

func TestReadable(t *testing.T) {
	tests := []struct {
		name string
		ssml SSML
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
		{"a bad time falls back to the strength", `<speak>a<break time="-1s" strength="x-weak"/>b</speak>`, `a (0.25s) b`},
		{"a bad time without a strength is medium", `<speak>a<break time="10"/>b</speak>`, `a (0.75s) b`},
		{"leading and trailing pauses", `<speak><break time="2s"/>Ready.<break time="3s"/></speak>`, `…(2s)… Ready. …(3s)…`},
		{"entities", `<speak>Ice &amp; heat &lt;gently&gt;</speak>`, `Ice & heat <gently>`},
		{"whitespace collapsed", "<speak>\n  Lie   still.\n\t Breathe. </speak>", `Lie still. Breathe.`},
		{"prosody and emphasis keep words apart", `<speak><prosody rate="90%">Breathe <emphasis level="moderate">in</emphasis> slowly</prosody></speak>`,
			`Breathe in slowly`},
		{"sentences without spaces", `<speak><p><s>One.</s><s>Two.</s></p><p>Three</p></speak>`, `One. Two. Three`},
		{"tag inside a word", `<speak>re<emphasis>lax</emphasis>.</speak>`, `relax.`},
		{"sub shows the alias", `<speak>Lie on the <sub alias="floor">flr</sub> if you can.</speak>`, `Lie on the floor if you can.`},
		{"sub without an alias shows its text", `<speak>Lie on the <sub>floor</sub>.</speak>`, `Lie on the floor.`},
		{"say-as", `<speak>Step <say-as interpret-as="cardinal">3</say-as>.</speak>`, `Step 3.`},
		{"audio", `<speak><audio src="soundbank://soundlibrary/bell"/> Done.</speak>`, `[sound] Done.`},
		{"amazon namespace", `<speak><amazon:domain name="conversational">Hi</amazon:domain></speak>`, `Hi`},
		{"not XML falls back to stripping", `<speak>Broken <b>tag & more</speak>`, `Broken tag & more`},
		{"empty", `<speak></speak>`, ``},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Readable(tc.ssml); got != tc.want {
				t.Errorf("Readable(%q)\n got %q\nwant %q", tc.ssml, got, tc.want)
			}
		})
	}
}

func TestBreakMillis(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"2s", 2000, true},
		{"1.5s", 1500, true},
		{"250ms", 250, true},
		{"10", 0, false},
		{"-1s", 0, false},
		{"xs", 0, false},
		{" 10s ", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		got, ok := breakMillis(tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("breakMillis(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
