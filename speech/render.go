package speech

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Limits Alexa puts on speech.
const (
	// MaxChars bounds a response's speech: Alexa requires the whole ssml
	// string, markup included, to be fewer than MaxChars characters.
	MaxChars = 8000
	// MaxBreak is the longest single <break> Alexa accepts.
	MaxBreak = 10 * time.Second
)

// SSML is a complete SSML document: one <speak> element.
type SSML string

// Renderer turns Scripts into SSML and text. The zero Renderer renders
// text and pauses correctly but places paced cues as if they took no time
// to say.
type Renderer struct {
	// Model times paced cues: how long each cue takes to say, and so how
	// long the break after it must be for the next to land on its beat.
	Model Model
}

// SSML renders s as one <speak> document.
//
// Every line and cue is passed through Sanitize and then escaped, once.
// Lines follow one another separated by a space. A pause becomes <break>
// elements of at most MaxBreak each, in whole milliseconds (adjacent
// silences are merged first; nothing rounds to a zero-length break).
//
// A paced sequence becomes each cue's text (its Short where Model.CueTexts
// chooses it, so SSML says what APLA says) followed by a break that runs
// to the next cue's offset less the time the Model says the cue takes to
// say, and after the last cue to the sequence's Length. Beats count from
// the moment the first cue is heard, and a cue that begins with a stop
// consonant starts its Model.Onset early, because the stop's closure is
// silent: so each cue is heard on its beat. When a cue takes longer than
// its gap the next cue follows at once and the silences after it shrink
// until the beats are caught up (Model.Check reports such cues). Paced cues
// are spoken at the voice's normal rate: no prosody tag is added, so they
// are never faster than normal and the Model's timing applies as it is.
//
// SSML does not enforce the MaxChars limit; Validate does, and the script
// is the place to keep a response short.
func (r Renderer) SSML(s Script) SSML {
	var b strings.Builder
	b.Grow(sizeHint(s))
	b.WriteString("<speak>")
	e := emitter{m: r.Model, b: &b}
	for _, p := range s.Parts {
		e.part(p)
	}
	e.flush()
	b.WriteString("</speak>")
	return SSML(b.String())
}

// sizeHint guesses the length of s rendered, to allocate once.
func sizeHint(s Script) int {
	n := len("<speak></speak>")
	for _, p := range s.Parts {
		n += len(p.Say) + 8
		if p.Pause > 0 {
			n += len(`<break time="10000ms"/>`) * int(1+p.Pause/MaxBreak)
		}
		if p.Paced != nil {
			for _, c := range p.Paced.Cues {
				n += len(c.Text) + len(`<break time="1000ms"/>`) + 4
			}
		}
	}
	return n
}

// emitter walks a script on a millisecond timeline, writing SSML to b
// when b is not nil.
type emitter struct {
	m        Model
	b        *strings.Builder
	now      int64 // ms from the start, silences written or pending included
	pending  int64 // ms of silence not yet written
	wroteTxt bool  // the last thing written was text
}

func (e *emitter) part(p Part) {
	if p.Say != "" {
		e.say(p.Say)
	}
	if p.Pause > 0 {
		e.silence(ms(p.Pause))
	}
	if p.Paced != nil {
		// A cue starts when its offset comes, or as soon as the cue
		// before it has been said if that runs late; the silences after
		// a late cue shrink until the beats are caught up.
		// Beats count from the first cue's sound, which comes its
		// Onset after the sequence starts.
		// Each cue says what Model.CueTexts gives, as in APLA.
		cues := p.Paced.Cues
		texts := e.m.cueTexts(*p.Paced)
		start := e.now
		if len(cues) > 0 {
			start += ms(e.m.Onset(cueText(texts, cues, 0)))
		}
		for i, c := range cues {
			text := cueText(texts, cues, i)
			if at := start + ms(c.At) - ms(e.m.Onset(text)); at > e.now {
				e.silence(at - e.now)
			}
			e.say(text)
		}
		if end := start + ms(p.Paced.Length); end > e.now {
			e.silence(end - e.now)
		}
	}
}

func (e *emitter) say(text string) {
	if e.b != nil && needsSpace(text) {
		e.flush()
		if e.wroteTxt {
			e.b.WriteByte(' ')
		}
		escapeInto(e.b, text)
		e.wroteTxt = true
	}
	e.now += ms(e.m.Duration(text))
}

func (e *emitter) silence(d int64) {
	if d > 0 {
		e.pending += d
		e.now += d
	}
}

// flush writes the pending silence as breaks of at most MaxBreak.
func (e *emitter) flush() {
	if e.b == nil {
		e.pending = 0
		return
	}
	maxMS := int64(MaxBreak / time.Millisecond)
	for e.pending > 0 {
		d := min(e.pending, maxMS)
		e.pending -= d
		e.b.WriteString(`<break time="`)
		var buf [24]byte
		if d%1000 == 0 {
			e.b.Write(strconv.AppendInt(buf[:0], d/1000, 10))
			e.b.WriteString(`s"/>`)
		} else {
			e.b.Write(strconv.AppendInt(buf[:0], d, 10))
			e.b.WriteString(`ms"/>`)
		}
		e.wroteTxt = false
	}
}

// needsSpace reports whether Sanitize leaves anything of text.
func needsSpace(text string) bool { return firstByte(text) != 0 }

// keep reports whether Sanitize keeps r (as itself or, for white space,
// as a space): everything XML 1.0 allows except the C0 and C1 control
// characters and DEL; tab, newline and carriage return are white space.
func keep(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return false
	case r >= 0xd800 && r <= 0xdfff, r == 0xfffe, r == 0xffff:
		return false
	}
	return true
}

// Sanitize returns text as SSML, Text and Transcript say it: invalid UTF-8
// and characters that XML 1.0 forbids or discourages (control characters,
// DEL, U+FFFE, U+FFFF) removed, and each run of white space made a single
// space, with none at either end. Escaping is separate: Sanitize returns
// plain text.
func Sanitize(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	sanitizeTo(&b, text, false)
	return b.String()
}

// escapeInto writes text sanitized and XML-escaped to b and reports
// whether it wrote anything.
func escapeInto(b *strings.Builder, text string) bool {
	return sanitizeTo(b, text, true)
}

// sanitizeTo writes the sanitized text to b, escaped for XML if escape is
// set, and reports whether it wrote anything.
func sanitizeTo(b *strings.Builder, text string, escape bool) bool {
	wrote := false
	space := false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if r == utf8.RuneError && size == 1 {
			continue // invalid UTF-8
		}
		if !keep(r) {
			continue
		}
		if unicode.IsSpace(r) {
			space = wrote
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		wrote = true
		if escape {
			switch r {
			case '&':
				b.WriteString("&amp;")
				continue
			case '<':
				b.WriteString("&lt;")
				continue
			case '>':
				b.WriteString("&gt;")
				continue
			case '"':
				b.WriteString("&quot;")
				continue
			case '\'':
				b.WriteString("&apos;")
				continue
			}
		}
		b.WriteRune(r)
	}
	return wrote
}

// Text renders the lines of s as plain text (for cards): each line
// sanitized, joined by single spaces. Pauses and paced cues are left out.
func (r Renderer) Text(s Script) string {
	var b strings.Builder
	for _, p := range s.Parts {
		if p.Say == "" {
			continue
		}
		if b.Len() > 0 && needsSpace(p.Say) {
			b.WriteByte(' ')
		}
		sanitizeTo(&b, p.Say, false)
	}
	return b.String()
}

// Transcript renders s as one line of readable text for the local chat
// and golden transcripts: lines sanitized, a pause as "(pause 1.5s)", and
// a paced sequence in brackets, each cue (as Model.CueTexts has it)
// followed by its offset and the sequence's length at the end:
//
//	[Breathe in @0s · two @1s · three @2s | 3s]
//
// A cue with nothing to say shows only its offset.
func (r Renderer) Transcript(s Script) string {
	var b strings.Builder
	sep := func() {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
	}
	for _, p := range s.Parts {
		if p.Say != "" && needsSpace(p.Say) {
			sep()
			sanitizeTo(&b, p.Say, false)
		}
		if p.Pause > 0 {
			sep()
			b.WriteString("(pause ")
			writeSeconds(&b, p.Pause)
			b.WriteByte(')')
		}
		if p.Paced != nil {
			sep()
			b.WriteByte('[')
			texts := r.Model.cueTexts(*p.Paced)
			for i, c := range p.Paced.Cues {
				if i > 0 {
					b.WriteString(" · ")
				}
				if sanitizeTo(&b, cueText(texts, p.Paced.Cues, i), false) {
					b.WriteByte(' ')
				}
				b.WriteByte('@')
				writeSeconds(&b, c.At)
			}
			b.WriteString(" | ")
			writeSeconds(&b, p.Paced.Length)
			b.WriteByte(']')
		}
	}
	return b.String()
}

// writeSeconds writes d in seconds with at most three decimals: "1.5s",
// "10s", "0.25s".
func writeSeconds(b *strings.Builder, d time.Duration) {
	m := ms(d)
	if m < 0 {
		b.WriteByte('-')
		m = -m
	}
	var buf [24]byte
	b.Write(strconv.AppendInt(buf[:0], m/1000, 10))
	if frac := m % 1000; frac != 0 {
		digits := strconv.AppendInt(buf[:0], 1000+frac, 10)[1:] // three digits
		for digits[len(digits)-1] == '0' {
			digits = digits[:len(digits)-1]
		}
		b.WriteByte('.')
		b.Write(digits)
	}
	b.WriteByte('s')
}
