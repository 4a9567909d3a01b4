package speech_test

import (
	"errors"
	"fmt"
	"time"

	"spasmcoach/speech"
)

// A paced count renders as each cue followed by the silence that brings
// the next cue onto its beat: the gap, less the time the cue takes to say.
// Beats count from the first cue's sound. "two" begins with a stop, whose
// closure is silent, so it starts 50 ms before its beat to be heard on it.
// The last gap runs to the sequence's length.
func ExampleRenderer_SSML_pacedCount() {
	var s speech.Script
	s.Pace([]speech.Cue{
		{At: 0, Text: "Breathe in"},
		{At: time.Second, Text: "two"},
		{At: 2 * time.Second, Text: "three"},
	}, 3*time.Second)

	m := speech.AlexaModel()
	for _, c := range s.Parts[0].Paced.Cues {
		fmt.Printf("%-10s takes %v\n", c.Text, m.Duration(c.Text))
	}
	fmt.Println(speech.Renderer{Model: m}.SSML(s))
	// Output:
	// Breathe in takes 700ms
	// two        takes 400ms
	// three      takes 417ms
	// <speak>Breathe in<break time="300ms"/>two<break time="650ms"/>three<break time="583ms"/></speak>
}

// Text is escaped exactly once, and a pause longer than Alexa's 10-second
// limit becomes several breaks.
func ExampleRenderer_SSML_escapingAndLongPauses() {
	var s speech.Script
	s.Say(`Ice & heat: "20 minutes", <never> more.`).Pause(25 * time.Second).Say("Time's up.")
	fmt.Println(speech.Renderer{Model: speech.AlexaModel()}.SSML(s))
	// Output:
	// <speak>Ice &amp; heat: &quot;20 minutes&quot;, &lt;never&gt; more.<break time="10s"/><break time="10s"/><break time="5s"/>Time&apos;s up.</speak>
}

// A transcript shows pauses and paced cues readably, each cue with its
// offset and the sequence with its length; Text keeps only the lines.
func ExampleRenderer_Transcript() {
	var s speech.Script
	s.Say("Let's breathe together.").Pause(1500 * time.Millisecond)
	s.Pace([]speech.Cue{
		{At: 0, Text: "Breathe in"},
		{At: time.Second, Text: "two"},
		{At: 5 * time.Second, Text: "hold"},
		{At: 6 * time.Second, Text: "out"},
		{At: 9500 * time.Millisecond, Text: "Breathe in"},
	}, 10*time.Second)
	s.Say("Nice and slow.")

	r := speech.Renderer{Model: speech.AlexaModel()}
	fmt.Println(r.Transcript(s))
	fmt.Println(r.Text(s))
	// Output:
	// Let's breathe together. (pause 1.5s) [Breathe in @0s · two @1s · hold @5s · out @6s · Breathe in @9.5s | 10s] Nice and slow.
	// Let's breathe together. Nice and slow.
}

// Check finds cues that cannot be said in the time they have.
func ExampleModel_Check() {
	m := speech.AlexaModel()
	err := m.Check(speech.Paced{
		Cues: []speech.Cue{
			{At: 0, Text: "Breathe in slowly through your nose"},
			{At: time.Second, Text: "two"},
		},
		Length: 2 * time.Second,
	})
	fmt.Println(err)
	fmt.Println(errors.Is(err, speech.ErrCueTooLong))
	// Output:
	// cue 0 "Breathe in slowly through your nose" at 0s takes 1.867s to say, but cue 1 starts 1s after it: speech: cue takes longer to say than its gap
	// true
}

// Validate checks a document against Alexa's SSML rules.
func ExampleValidate() {
	fmt.Println(speech.Validate(`<speak>Hold <break time="12s"/> still.</speak>`))
	fmt.Println(speech.Validate(`<speak>Rest &amp; relax.</speak>`))
	// Output:
	// <break time="12s">: want a time with a unit, s or ms, of at most 10s (10000ms): speech: SSML Alexa does not support
	// <nil>
}

// Sanitize is what happens to every line before it is escaped: invalid
// bytes and control characters go, white space runs become one space.
func ExampleSanitize() {
	fmt.Printf("%q\n", speech.Sanitize("  Lie\tstill,\x00 and\n\nrest.\xff "))
	// Output:
	// "Lie still, and rest."
}

// Readable shows what an SSML document says, with its pauses: the local
// chat prints replies this way. Long pauses stand out between ellipses.
func ExampleReadable() {
	fmt.Println(speech.Readable(`<speak>Step three. Slow breathing.<break time="1.5s"/>Breathe in<break time="1s"/>two<break time="500ms"/><break time="450ms"/>three</speak>`))
	fmt.Println(speech.Readable(`<speak>Hold it there.<break time="10s"/><break time="5s"/>And rest &amp; relax.</speak>`))
	// Output:
	// Step three. Slow breathing. …(1.5s)… Breathe in (1s) two (0.95s) three
	// Hold it there. …(15s)… And rest & relax.
}
