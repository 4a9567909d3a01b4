package speech

import (
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// longPause is the shortest pause that Readable frames with ellipses, so
// that the long silences of a breathing set stand out: "…(5s)…".
const longPause = 1500 * time.Millisecond

// breakStrengths are the pauses Alexa makes for <break strength="...">,
// approximately; a <break/> without attributes is "medium".
var breakStrengths = map[string]time.Duration{
	"none":     0,
	"x-weak":   250 * time.Millisecond,
	"weak":     500 * time.Millisecond,
	"medium":   750 * time.Millisecond,
	"strong":   time.Second,
	"x-strong": 1250 * time.Millisecond,
}

// Readable returns what an SSML document says as one line of readable
// text with its pauses shown: `Step three. …(1.5s)… Breathe in (1s) two`.
// Tags are dropped, entities decoded and white space collapsed as
// Sanitize does; each <break> becomes its length in parentheses (framed
// with ellipses from 1.5 s up), consecutive breaks add up, an <audio>
// clip becomes "[sound]" and a <sub> shows what is said, its alias. Text
// that is not well-formed XML has its tags stripped instead.
//
// SSMLText gives the words alone.
func Readable(ssml SSML) string {
	segs, err := readableSegments(string(ssml))
	if err != nil {
		return Sanitize(stripTags(string(ssml)))
	}
	return joinSegments(segs)
}

// heard is a piece of what a listener hears: text, or a pause when brk
// is set.
type heard struct {
	text  string
	pause time.Duration
	brk   bool // a pause (possibly of zero length)
}

// readableSegments tokenises ssml into pieces of text and pauses.
func readableSegments(ssml string) ([]heard, error) {
	dec := xml.NewDecoder(strings.NewReader(ssml))
	dec.Strict = true
	var (
		segs    []heard
		subSkip int // depth inside a <sub> whose alias was emitted
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return segs, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch {
			case subSkip > 0:
				subSkip++
			case t.Name.Local == "break":
				segs = append(segs, heard{brk: true, pause: breakLength(t.Attr)})
			case t.Name.Local == "audio":
				segs = append(segs, heard{text: "[sound]"})
			case t.Name.Local == "sub" && hasAttr(t.Attr, "alias"):
				segs = append(segs, heard{text: attrValue(t.Attr, "alias")})
				subSkip = 1
			}
		case xml.EndElement:
			if subSkip > 0 {
				subSkip--
			}
		case xml.CharData:
			if subSkip == 0 {
				segs = append(segs, heard{text: string(t)})
			}
		}
	}
}

// breakLength is the pause a <break> element's attributes ask for: its
// time, else its strength, else a medium pause.
func breakLength(attrs []xml.Attr) time.Duration {
	if ms, ok := breakMillis(attrValue(attrs, "time")); ok {
		return time.Duration(min(ms, float64(maxDuration.Milliseconds())) * float64(time.Millisecond))
	}
	if d, ok := breakStrengths[attrValue(attrs, "strength")]; ok {
		return d
	}
	return breakStrengths["medium"]
}

// joinSegments joins the pieces into one line, adding up consecutive
// pauses.
func joinSegments(segs []heard) string {
	var (
		b         strings.Builder
		pending   time.Duration
		havePause bool
		spaceNext bool // the last text ended in white space, or a pause was written
	)
	for _, s := range segs {
		if s.brk {
			pending += s.pause
			havePause = true
			continue
		}
		text := Sanitize(s.text)
		if text == "" {
			spaceNext = spaceNext || s.text != ""
			continue
		}
		if havePause {
			writePause(&b, pending)
			spaceNext = true // even a zero-length break separates words
		}
		havePause, pending = false, 0
		if b.Len() > 0 && (spaceNext || startsWithSpace(s.text) || afterSentence(b.String(), text)) {
			b.WriteByte(' ')
		}
		b.WriteString(text)
		spaceNext = endsWithSpace(s.text)
	}
	if havePause {
		writePause(&b, pending)
	}
	return b.String()
}

// writePause shows a pause of d, if any, after what b holds: "(1s)",
// "(0.75s)", or "…(5s)…" from longPause up.
func writePause(b *strings.Builder, d time.Duration) {
	if d <= 0 {
		return
	}
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	secs := float64(d.Round(10*time.Millisecond)) / float64(time.Second)
	s := "(" + strconv.FormatFloat(secs, 'f', -1, 64) + "s)"
	if d >= longPause {
		s = "…" + s + "…"
	}
	b.WriteString(s)
}

// startsWithSpace reports whether s begins with white space.
func startsWithSpace(s string) bool {
	return strings.TrimLeftFunc(s, unicode.IsSpace) != s
}

// endsWithSpace reports whether s ends with white space.
func endsWithSpace(s string) bool {
	return strings.TrimRightFunc(s, unicode.IsSpace) != s
}

// afterSentence reports whether text split from what was written by a tag
// alone ("<s>One.</s><s>Two.</s>") needs a space: after punctuation, unless
// more punctuation follows. Inside a word it does not.
func afterSentence(written, next string) bool {
	switch written[len(written)-1] {
	case '.', ',', '!', '?', ';', ':':
		return !strings.ContainsAny(next[:1], ".,!?;:")
	}
	return false
}

var anyTag = regexp.MustCompile(`<[^>]*>`)

// stripTags is the fallback for text that is not XML: tags become spaces
// and the five predefined entities are decoded.
func stripTags(s string) string {
	s = anyTag.ReplaceAllString(s, " ")
	return xmlEntities.Replace(s)
}

// xmlEntities decodes XML's five predefined entities.
var xmlEntities = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&amp;", "&")
