package speech

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// APL for Audio (APLA) places audio to the millisecond: a Sequencer plays
// its children one after another, a Mixer plays them together and lasts as
// long as its longest child, a Silence lasts exactly its duration, and a
// child whose duration is "trimToParent" is cut to its parent's length
// (https://developer.amazon.com/docs/alexa/alexa-presentation-language/apla-component.html,
// https://developer.amazon.com/en-US/docs/alexa/alexa-presentation-language/apla-mixer.html).
// Amazon's announcement of APLA 0.91, which added that duration property,
// shows a 7 s Audio trimmed to a 6 s Speech
// (https://developer.amazon.com/docs/alexa-presentation-language/apl-changes-1-5.html).
// So a Mixer of a Silence of one beat and the cue's Speech trimmed to it is
// a slot of exactly one beat, whatever the voice's speed, and a Sequencer
// of such slots puts every cue on its beat by construction.
//
// Alexa speaks a response's outputSpeech first and then plays the APLA
// audio; the two never overlap
// (https://developer.amazon.com/docs/alexa-presentation-language/integrate-apl-audio-visual-response.html).
// All Alexa devices play APLA, and no manifest interface is needed for it
// (https://developer.amazon.com/en-US/docs/alexa/alexa-presentation-language/apl-for-audio-reference.html).

// Values of the APLA directive and document
// (https://developer.amazon.com/en-US/docs/alexa/alexa-presentation-language/apla-interface.html,
// https://developer.amazon.com/docs/alexa-presentation-language/apla-document.html).
const (
	// APLADirective is the type of the directive that plays a document.
	APLADirective = "Alexa.Presentation.APLA.RenderDocument"
	// APLAVersion is the document version this package writes.
	APLAVersion = "0.91"
	// APLAToken names the documents this package renders.
	APLAToken = "paced"
	// MaxAudio is the most audio one response may play: 240 seconds, the
	// limit Alexa puts on a response's audio
	// (https://developer.amazon.com/en-US/docs/alexa/custom-skills/request-and-response-json-reference.html#response-object).
	MaxAudio = 240 * time.Second
)

// Slot sizing: a cue must fit its slot even when the voice is slower than
// the Model, because a slot's Speech is cut at the slot's end.
const (
	// SlowerVoice is how many times longer than the Model says a voice
	// may take to say a cue's syllables: a voice speaking 30 % slower.
	SlowerVoice = 1.3
	// SlotMargin is the silence left after a cue said by the SlowerVoice.
	SlotMargin = 50 * time.Millisecond
)

// APLA is a document and its data, the two halves of a RenderDocument
// directive. Document is the same for every response (one composition
// for a timed cue); Data holds what differs, so a breathing set stays
// small.
type APLA struct {
	// Document is the APLA document, as JSON. Every APLA shares it:
	// never modify it.
	Document json.RawMessage
	// Data is the directive's datasources.
	Data APLAData
}

// APLAData is the directive's datasources. The document's one parameter,
// payload, is bound to the whole of it, as in Amazon's example of the
// directive, so the parts are ${payload.audio.parts}.
type APLAData struct {
	Audio APLAParts `json:"audio"`
}

// APLAParts lists the audio's parts, played one after another.
type APLAParts struct {
	Parts []APLAPart `json:"parts"`
}

// APLAPart is one part of the audio. With both fields set it is a slot: a
// Mixer of a Silence of MS milliseconds and the Speech of T trimmed to it.
// With only MS it is a Silence; with only T, a Speech of its own length (a
// line between timed parts). T is SSML content without its <speak>
// element: text, escaped.
type APLAPart struct {
	MS int64  `json:"ms"`
	T  string `json:"t"`
}

// aplaDocument is the document every APLA response carries: a Sequencer
// inflated from payload.audio.parts, each part a Selector of the three kinds of
// APLAPart. It is compact JSON, written once.
var aplaDocument = compactJSON(`{
  "type": "APLA",
  "version": "0.91",
  "mainTemplate": {
    "parameters": ["payload"],
    "item": {
      "type": "Sequencer",
      "data": "${payload.audio.parts}",
      "item": {
        "type": "Selector",
        "items": [
          {
            "type": "Mixer",
            "when": "${data.ms > 0 && data.t != ''}",
            "items": [
              {"type": "Silence", "duration": "${data.ms}"},
              {"type": "Speech", "contentType": "SSML", "content": "<speak>${data.t}</speak>", "duration": "trimToParent"}
            ]
          },
          {"type": "Silence", "when": "${data.ms > 0}", "duration": "${data.ms}"},
          {"type": "Speech", "contentType": "SSML", "content": "<speak>${data.t}</speak>"}
        ]
      }
    }
  }
}`)

func compactJSON(s string) json.RawMessage {
	var b strings.Builder
	inString, escaped := false, false
	for _, r := range s {
		switch {
		case inString:
			b.WriteRune(r)
			if escaped {
				escaped = false
			} else if r == '\\' {
				escaped = true
			} else if r == '"' {
				inString = false
			}
		case r == '"':
			inString = true
			b.WriteRune(r)
		case r == ' ' || r == '\n' || r == '\t':
		default:
			b.WriteRune(r)
		}
	}
	return json.RawMessage(b.String())
}

// APLADocument returns a copy of the document every APLA response
// carries.
func APLADocument() json.RawMessage { return append(json.RawMessage(nil), aplaDocument...) }

// APLA renders s for APL for Audio: the introduction, everything before
// the first paced sequence, as SSML for the outputSpeech; everything from
// the first paced sequence on as an APLA document. A script without a
// paced sequence renders as SSML alone, and the APLA is nil.
//
// A paced sequence becomes one slot per cue (see Slots); a line becomes a
// Speech of its own length (adjacent lines are one Speech); pauses become
// a Silence of their length, with no limit such as SSML's 10 s break. Text
// is sanitized and escaped exactly as Renderer.SSML does it.
func (r Renderer) APLA(s Script) (SSML, *APLA) {
	first := -1
	for i, p := range s.Parts {
		if p.Paced != nil {
			first = i
			break
		}
	}
	if first < 0 {
		return r.SSML(s), nil
	}
	intro := r.SSML(Script{Parts: s.Parts[:first]})
	if first == 0 {
		intro = ""
	}
	a := &APLA{Document: aplaDocument}
	w := aplaWriter{parts: make([]APLAPart, 0, aplaPartsHint(s.Parts[first:]))}
	for _, p := range s.Parts[first:] {
		w.part(r.Model, p)
	}
	w.flush()
	a.Data.Audio.Parts = w.parts
	return intro, a
}

func aplaPartsHint(parts []Part) int {
	n := 0
	for _, p := range parts {
		n++
		if p.Paced != nil {
			n += len(p.Paced.Cues)
		}
	}
	return n
}

// aplaWriter collects the parts of an APLA payload, merging adjacent lines
// and adjacent silences.
type aplaWriter struct {
	parts   []APLAPart
	text    strings.Builder // a line not yet written
	silence int64           // ms of silence not yet written
}

func (w *aplaWriter) part(m Model, p Part) {
	if p.Say != "" && needsSpace(p.Say) {
		w.flushSilence()
		if w.text.Len() > 0 {
			w.text.WriteByte(' ')
		}
		escapeInto(&w.text, p.Say)
	}
	if p.Pause > 0 {
		w.flushText()
		w.silence += ms(p.Pause)
	}
	if p.Paced != nil {
		w.flush()
		for _, sl := range m.Slots(*p.Paced) {
			w.parts = append(w.parts, APLAPart{MS: ms(sl.Length), T: escaped(sl.Text)})
		}
	}
}

// escaped returns text sanitized and escaped, as escapeInto writes it;
// plain text that needs neither is returned as it is, without copying.
func escaped(text string) string {
	plain := text != "" && text[0] != ' ' && text[len(text)-1] != ' '
	for i := 0; plain && i < len(text); i++ {
		c := text[i]
		plain = c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'' &&
			(c != ' ' || text[i+1] != ' ')
	}
	if plain {
		return text
	}
	var b strings.Builder
	escapeInto(&b, text)
	return b.String()
}

func (w *aplaWriter) flushText() {
	if w.text.Len() > 0 {
		w.parts = append(w.parts, APLAPart{T: w.text.String()})
		w.text.Reset()
	}
}

func (w *aplaWriter) flushSilence() {
	if w.silence > 0 {
		w.parts = append(w.parts, APLAPart{MS: w.silence})
		w.silence = 0
	}
}

func (w *aplaWriter) flush() {
	w.flushText()
	w.flushSilence()
}

// Slot is one cue of a paced sequence and the time it has.
type Slot struct {
	// Text is the cue's text, plain.
	Text string
	// Length is the slot's length, a positive whole number of
	// milliseconds.
	Length time.Duration
	// Cues is how many of the sequence's cues the slot spans: 1, or more
	// when the cue's words need more than one beat and the cues after it
	// are left out.
	Cues int
}

// Slots divides a paced sequence into slots, one per cue, each from its
// cue's offset to the next cue's, the last to the sequence's Length, so the
// slots add up to the Length (PlannedLength):
//
//   - Each cue says what CueTexts gives: its Text, or its Short where Text
//     does not fit its beat.
//   - A cue must fit its slot when said SlowerVoice times slower than the
//     Model, with SlotMargin to spare (FitsSlot). A cue that does not fit
//     (one without a Short, or whose Short is still too long) takes the
//     next beat as well, and the cue of that beat is left out, until it
//     fits; a last cue that still does not fit makes its slot, and so the
//     sequence, longer.
//   - A cue whose slot would not be at least a millisecond long (cues out
//     of order) is left out; its time goes to the cue before.
//
// Each Speech is synthesised on its own and starts at its slot's start. A
// cue that begins with a voiceless stop (p, t, k: "two") starts its
// Model.Onset early, because the stop's closure is silent; one that begins
// with a voiced stop (b, d, g: "Breathe in") does not, because said on its
// own its voicing is heard from the start (measured with espeak-ng: the t
// of "two" is heard 36 to 48 ms after its start, the b of "Breathe in" at
// once).
func (m Model) Slots(p Paced) []Slot {
	if len(p.Cues) == 0 {
		return nil
	}
	texts := m.cueTexts(p)
	starts := make([]int64, len(p.Cues))
	for i := range p.Cues {
		starts[i] = m.slotStart(p.Cues[i].At, cueText(texts, p.Cues, i))
	}
	end := ms(p.Length)
	slots := make([]Slot, 0, len(p.Cues))
	for i := 0; i < len(p.Cues); {
		text := cueText(texts, p.Cues, i)
		from := starts[i]
		if i == 0 {
			from = 0
		}
		silent, need := m.Duration(text) == 0, m.slotNeed(text)
		fits := func(d int64) bool { // FitsSlot(text, d ms), measured once
			if silent {
				return d > 0
			}
			return need <= time.Duration(d)*time.Millisecond
		}
		j := i + 1
		for j < len(p.Cues) && (starts[j] <= from || !fits(starts[j]-from)) {
			j++
		}
		to := end
		if j < len(p.Cues) {
			to = starts[j]
		}
		length := time.Duration(max(to-from, 1)) * time.Millisecond
		if j == len(p.Cues) {
			length = max(length, need)
		}
		slots = append(slots, Slot{Text: text, Length: length, Cues: j - i})
		i = j
	}
	return slots
}

// CueTexts returns what each cue of p says, in order: its Text, or its
// Short when the cue has one and Text does not fit the cue's slot (from
// its start to the next cue's start, the last cue's to the sequence's
// Length; see Slots and FitsSlot). Renderer.SSML, Renderer.APLA and
// Renderer.Transcript all say these words, so both pacings say the same
// thing, and a count is never left out for a long first cue that has a
// short form.
func (m Model) CueTexts(p Paced) []string {
	texts := m.cueTexts(p)
	if texts == nil {
		texts = make([]string, len(p.Cues))
		for i, c := range p.Cues {
			texts[i] = c.Text
		}
	}
	return texts
}

// cueTexts is CueTexts, or nil when no cue of p has a Short (every cue
// then says its Text), to spare the common case an allocation. It works
// from the last cue back, since a cue's slot ends where the next cue, as
// said, starts.
func (m Model) cueTexts(p Paced) []string {
	if !slices.ContainsFunc(p.Cues, func(c Cue) bool { return c.Short != "" }) {
		return nil
	}
	texts := make([]string, len(p.Cues))
	next := ms(p.Length)
	for i := len(p.Cues) - 1; i >= 0; i-- {
		c := p.Cues[i]
		from := func(text string) int64 {
			if i == 0 {
				return 0
			}
			return m.slotStart(c.At, text)
		}
		texts[i] = c.Text
		if c.Short != "" && !m.FitsSlot(c.Text, time.Duration(next-from(c.Text))*time.Millisecond) {
			texts[i] = c.Short
		}
		if i > 0 && p.Cues[i-1].Short != "" {
			next = from(texts[i]) // only a cue with a Short needs its end
		}
	}
	return texts
}

// cueText is what cue i of cues says, given texts from cueTexts.
func cueText(texts []string, cues []Cue, i int) string {
	if texts != nil {
		return texts[i]
	}
	return cues[i].Text
}

// slotStart is when the slot of a cue at offset at that says text starts,
// in milliseconds: its Onset early when it begins with a voiceless stop.
func (m Model) slotStart(at time.Duration, text string) int64 {
	if voicelessStart(text) {
		return ms(at) - ms(max(m.StopClosure, 0)) // Onset(text), known to start with a stop
	}
	return ms(at)
}

// voicelessStart reports whether text starts with a voiceless stop (its
// first letter p, t, k, c or q, or a number said with a t) and so with a
// silent closure.
func voicelessStart(text string) bool {
	if !startsWithStop(text) {
		return false
	}
	first := firstByte(text)
	if first == 0 {
		return false
	}
	switch first | 0x20 {
	case 'b', 'd', 'g', 'j':
		return false
	}
	return true
}

// firstByte is the first byte of Sanitize(text), or 0 when Sanitize leaves
// nothing; unlike Sanitize it does not allocate.
func firstByte(text string) byte {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if (r != utf8.RuneError || size > 1) && keep(r) && !unicode.IsSpace(r) {
			return text[i]
		}
		i += size
	}
	return 0
}

// slotNeed is the shortest slot text fits, in whole milliseconds: the
// time the SlowerVoice takes to say it, plus SlotMargin.
func (m Model) slotNeed(text string) time.Duration {
	slow := m
	slow.SyllablesPerSecond = m.SyllablesPerSecond / SlowerVoice
	slow.Words = nil
	return (slow.Duration(text) + SlotMargin).Round(time.Millisecond)
}

// FitsSlot reports whether text fits a slot of length d: said by a voice
// SlowerVoice times slower than the Model (its syllables that much longer;
// the phrase's onset and release, its stop closure and its pauses as the
// Model has them), it leaves SlotMargin to spare. Text with nothing to say
// fits any slot.
func (m Model) FitsSlot(text string, d time.Duration) bool {
	if m.Duration(text) == 0 {
		return d > 0
	}
	return m.slotNeed(text) <= d
}

// PlannedLength is how long a paced sequence's slots last together: its
// Length, in whole milliseconds (see Slots).
func (m Model) PlannedLength(p Paced) time.Duration {
	return time.Duration(ms(p.Length)) * time.Millisecond
}

// CheckAPLA checks that c, a document ValidateAPLA inflated, plays the
// paced sequences of s on their beats: its slots (Mixers of an untrimmed
// Silence and a trimmed Speech, in order) say the sequences' cues in
// order, each as CueTexts has it, leaving out only cues that a longer cue
// before them needed the beat of; every cue fits its slot (FitsSlot); and
// each sequence's slots add up to its PlannedLength. It returns every problem found.
func (m Model) CheckAPLA(s Script, c *APLAComponent) error {
	slots, err := aplaSlots(c)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range s.Parts {
		if p.Paced == nil {
			continue
		}
		var sum time.Duration
		want := m.PlannedLength(*p.Paced)
		cue := 0
		texts := m.CueTexts(*p.Paced)
		for sum < want && len(slots) > 0 {
			sl := slots[0]
			slots = slots[1:]
			sum += sl.Length
			for cue < len(texts) && Sanitize(texts[cue]) != sl.Text {
				cue++
			}
			if cue == len(p.Paced.Cues) {
				errs = append(errs, fmt.Errorf("slot %q is not a cue of the sequence %q, in order: %w", sl.Text, texts, ErrAPLA))
				break
			}
			cue++
			if !m.FitsSlot(sl.Text, sl.Length) {
				errs = append(errs, fmt.Errorf("cue %q does not fit its %v slot: %w", sl.Text, sl.Length, ErrAPLA))
			}
		}
		if sum != want {
			errs = append(errs, fmt.Errorf("a paced sequence's slots last %v, want %v: %w", sum, want, ErrAPLA))
		}
	}
	if len(slots) > 0 {
		errs = append(errs, fmt.Errorf("%d slots beyond the script's paced sequences: %w", len(slots), ErrAPLA))
	}
	return errors.Join(errs...)
}

// aplaSlots lists the slots of an inflated document: the Mixers among the
// parts of its top Sequencer (each Selector stands for the child it plays).
func aplaSlots(c *APLAComponent) ([]Slot, error) {
	if c.Type != "Sequencer" {
		return nil, fmt.Errorf("the document plays a %s, want a Sequencer of parts: %w", c.Type, ErrAPLA)
	}
	var slots []Slot
	for _, part := range c.Items {
		for part.Type == "Selector" && len(part.Items) == 1 {
			part = part.Items[0]
		}
		if part.Type != "Mixer" {
			continue
		}
		if len(part.Items) != 2 || part.Items[0].Type != "Silence" || part.Items[0].Trim ||
			part.Items[1].Type != "Speech" || !part.Items[1].Trim {
			return nil, fmt.Errorf("a Mixer that is not a Silence and a trimmed Speech: %w", ErrAPLA)
		}
		text, err := SSMLText(SSML(part.Items[1].Content))
		if err != nil {
			return nil, fmt.Errorf("slot speech: %v: %w", err, ErrAPLA)
		}
		slots = append(slots, Slot{Text: text, Length: part.Items[0].Silence, Cues: 1})
	}
	return slots, nil
}

// SSMLText returns the text an SSML document says, without its markup,
// entities decoded and white space collapsed.
func SSMLText(ssml SSML) (string, error) {
	d := xml.NewDecoder(strings.NewReader(string(ssml)))
	var b strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return Sanitize(b.String()), nil
		}
		if err != nil {
			return "", err
		}
		if t, ok := tok.(xml.CharData); ok {
			b.Write(t)
		}
		b.WriteByte(' ')
	}
}

// TimedText is one entry of an APLA document's timeline: a cue, a line or
// a silence, and when it starts.
type TimedText struct {
	// At is when it starts, from the document's start.
	At time.Duration
	// Text is what is said, plain; empty for a silence.
	Text string
	// Slot is a cue's slot or a silence's length; zero for a line, which
	// lasts as long as the voice takes.
	Slot time.Duration
	// Estimated is set when At depends on how long the voice takes to say
	// a line before it (estimated with the Model).
	Estimated bool
}

// Timeline lists what an inflated document (see ValidateAPLA) plays, in
// order, with start times: the parts of its top Sequencer (or the
// component itself when it is not one). A line's length is estimated with
// the Model, so every time after a line is an estimate.
func (m Model) Timeline(c *APLAComponent) []TimedText {
	parts := []*APLAComponent{c}
	if c.Type == "Sequencer" {
		parts = c.Items
	}
	var (
		out       []TimedText
		now       time.Duration
		estimated bool
	)
	for _, p := range parts {
		for p.Type == "Selector" && len(p.Items) == 1 {
			p = p.Items[0]
		}
		e := TimedText{At: now, Estimated: estimated}
		switch {
		case p.Type == "Silence":
			e.Slot = p.Silence
		case p.Type == "Speech":
			e.Text, _ = SSMLText(SSML(p.Content))
			if p.ContentType != "SSML" {
				e.Text = Sanitize(p.Content)
			}
			estimated = true
		case p.Type == "Mixer" && len(p.Items) == 2 && p.Items[0].Type == "Silence" && p.Items[1].Type == "Speech":
			e.Text, _ = SSMLText(SSML(p.Items[1].Content))
			e.Slot = p.Items[0].Silence
		default:
			e.Text = "[" + p.Type + "]"
			estimated = true
		}
		now += m.APLADuration(p)
		out = append(out, e)
	}
	return out
}

// FormatTimeline writes a timeline on one line: each cue or line with its
// start, "~" marking an estimate, and silences as pauses:
//
//	Breathe in @0s · two @0.95s · (pause 10s @19s) · And rest. @~29s
func FormatTimeline(tl []TimedText) string {
	var b strings.Builder
	for i, e := range tl {
		if i > 0 {
			b.WriteString(" · ")
		}
		if e.Text == "" {
			b.WriteString("(pause ")
			writeSeconds(&b, e.Slot)
			b.WriteByte(' ')
		} else {
			b.WriteString(e.Text)
			b.WriteByte(' ')
		}
		b.WriteByte('@')
		if e.Estimated {
			b.WriteByte('~')
		}
		writeSeconds(&b, e.At.Round(time.Millisecond))
		if e.Text == "" {
			b.WriteByte(')')
		}
	}
	return b.String()
}
