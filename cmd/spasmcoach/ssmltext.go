package main

import (
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// longPause is the shortest pause that readableSSML frames with ellipses,
// so that the long silences of a breathing set stand out: "…(5s)…".
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

// readableSSML turns an SSML document into the text a listener would hear,
// with pauses shown: `Step three. …(1.5s)… Breathe in (1s) two`. Tags are
// dropped, entities decoded, whitespace collapsed; each <break> becomes its
// length in parentheses, consecutive breaks add up, and an <audio> clip
// becomes "[sound]". A <sub alias="..."> shows what is said (the alias).
// Text that is not well-formed XML has its tags stripped instead.
func readableSSML(ssml string) string {
	segs, err := ssmlSegments(ssml)
	if err != nil {
		return collapseSpace(html2text(ssml))
	}
	return renderSegments(segs)
}

// segment is a piece of speech: text, or a pause when text is empty.
type segment struct {
	text  string
	pause time.Duration
	brk   bool // a pause segment (possibly of zero length)
}

// ssmlSegments tokenises ssml into text and pause segments.
func ssmlSegments(ssml string) ([]segment, error) {
	dec := xml.NewDecoder(strings.NewReader(ssml))
	dec.Strict = true
	var (
		segs    []segment
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
			switch t.Name.Local {
			case "break":
				segs = append(segs, segment{brk: true, pause: breakLength(t.Attr)})
			case "audio":
				segs = append(segs, segment{text: "[sound]"})
			case "sub":
				if subSkip > 0 {
					subSkip++
				} else if alias, ok := attr(t.Attr, "alias"); ok {
					segs = append(segs, segment{text: alias})
					subSkip = 1
				}
			default:
				if subSkip > 0 {
					subSkip++
				}
			}
		case xml.EndElement:
			if subSkip > 0 {
				subSkip--
			}
		case xml.CharData:
			if subSkip == 0 {
				segs = append(segs, segment{text: string(t)})
			}
		}
	}
}

// breakLength is the pause a <break> element's attributes ask for.
func breakLength(attrs []xml.Attr) time.Duration {
	if v, ok := attr(attrs, "time"); ok {
		if d, err := parseBreakTime(v); err == nil {
			return d
		}
	}
	if v, ok := attr(attrs, "strength"); ok {
		if d, ok := breakStrengths[v]; ok {
			return d
		}
	}
	return breakStrengths["medium"]
}

// parseBreakTime parses an SSML time value: "2s", "1.5s", "500ms".
func parseBreakTime(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	unit := time.Second
	num, ok := strings.CutSuffix(v, "ms")
	if ok {
		unit = time.Millisecond
	} else if num, ok = strings.CutSuffix(v, "s"); !ok {
		return 0, errors.New("break time without unit")
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		return 0, errors.New("bad break time")
	}
	return time.Duration(f * float64(unit)), nil
}

// attr returns the value of the attribute with the given local name.
func attr(attrs []xml.Attr, name string) (string, bool) {
	for _, a := range attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// renderSegments joins segments into one line, adding up consecutive
// pauses.
func renderSegments(segs []segment) string {
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
		text := collapseSpace(s.text)
		if text == "" {
			spaceNext = spaceNext || s.text != ""
			continue
		}
		if havePause {
			if pending > 0 {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(formatPause(pending))
			}
			spaceNext = true // even a zero-length break separates words
		}
		havePause, pending = false, 0
		if b.Len() > 0 && (spaceNext || startsWithSpace(s.text) || afterSentence(b.String(), text)) {
			b.WriteByte(' ')
		}
		b.WriteString(text)
		spaceNext = endsWithSpace(s.text)
	}
	if havePause && pending > 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(formatPause(pending))
	}
	return b.String()
}

// startsWithSpace reports whether s begins with white space.
func startsWithSpace(s string) bool {
	return s != "" && strings.TrimLeft(s[:1], " \t\r\n") == ""
}

// endsWithSpace reports whether s ends with white space.
func endsWithSpace(s string) bool {
	return s != "" && strings.TrimRight(s[len(s)-1:], " \t\r\n") == ""
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

// formatPause shows a pause: "(1s)", "(0.75s)", or "…(5s)…" from
// longPause up.
func formatPause(d time.Duration) string {
	secs := float64(d.Round(10*time.Millisecond)) / float64(time.Second)
	s := "(" + strconv.FormatFloat(secs, 'f', -1, 64) + "s)"
	if d >= longPause {
		return "…" + s + "…"
	}
	return s
}

var spaceRun = regexp.MustCompile(`\s+`)

// collapseSpace trims s and turns every run of white space into one space.
func collapseSpace(s string) string {
	return strings.TrimSpace(spaceRun.ReplaceAllString(s, " "))
}

var anyTag = regexp.MustCompile(`<[^>]*>`)

// html2text is the fallback for text that is not XML: tags become spaces
// and the five predefined entities are decoded.
func html2text(s string) string {
	s = anyTag.ReplaceAllString(s, " ")
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&apos;", "'", "&amp;", "&").Replace(s)
}
