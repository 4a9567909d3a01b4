package speech

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Errors that Validate wraps; test for them with errors.Is.
var (
	// ErrMalformed means the document is not well-formed XML with one
	// <speak> root.
	ErrMalformed = errors.New("speech: malformed SSML")
	// ErrUnsupported means the document uses a tag, an attribute or an
	// attribute value that Alexa does not accept, or breaks a limit on
	// one (a break over 10 s, more than five audio clips).
	ErrUnsupported = errors.New("speech: SSML Alexa does not support")
	// ErrTooLong means the document has MaxChars characters or more.
	ErrTooLong = errors.New("speech: SSML too long")
)

// maxAudio is the most <audio> elements one response may have.
const maxAudio = 5

// Validate checks ssml against Alexa's rules and returns the first problem
// found, or nil:
//
//   - well-formed XML (no DTD, comments or processing instructions) with
//     exactly one root, <speak>, and nothing but white space around it;
//   - only the tags Alexa supports (amazon:domain, amazon:effect,
//     amazon:emotion, audio, break, emphasis, lang, p, phoneme, prosody, s,
//     say-as, sub, voice, w), each with only its own attributes and
//     allowed values (for example a break's time has a unit, s or ms, and
//     is at most 10 s; a prosody rate is at least 20%), required
//     attributes present, break and audio empty, speak not nested;
//   - at most five <audio> elements;
//   - fewer than MaxChars characters in all, markup included. Characters
//     are counted as UTF-16 code units, as Alexa's Java service counts
//     them, so a character outside the Basic Multilingual Plane counts
//     twice.
//
// Structure is checked before length, so an error wrapping ErrTooLong
// means the document is otherwise valid. The errors wrap ErrMalformed,
// ErrUnsupported or ErrTooLong and name the tag, attribute and limit.
func Validate(ssml SSML) error {
	if err := validateStructure(string(ssml)); err != nil {
		return err
	}
	if n := chars(string(ssml)); n >= MaxChars {
		return fmt.Errorf("%d characters, the limit is fewer than %d: %w", n, MaxChars, ErrTooLong)
	}
	return nil
}

// chars counts s in UTF-16 code units.
func chars(s string) int {
	n := 0
	for _, r := range s {
		if utf16.RuneLen(r) == 2 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func validateStructure(s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("invalid UTF-8: %w", ErrMalformed)
	}
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	var (
		stack  []string // open elements
		roots  int
		audios int
	)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%v: %w", err, ErrMalformed)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := qname(t.Name)
			if len(stack) == 0 {
				roots++
				if roots > 1 {
					return fmt.Errorf("a second root element <%s>, want exactly one <speak>: %w", name, ErrMalformed)
				}
				if name != "speak" {
					return fmt.Errorf("root element <%s>, want <speak>: %w", name, ErrMalformed)
				}
			} else {
				parent := stack[len(stack)-1]
				if parent == "break" || parent == "audio" {
					return fmt.Errorf("<%s> inside <%s>, which must be empty: %w", name, parent, ErrUnsupported)
				}
				if name == "speak" {
					return fmt.Errorf("<speak> inside <%s>; speak must be the root only: %w", parent, ErrUnsupported)
				}
			}
			if err := checkElement(name, t.Attr); err != nil {
				return err
			}
			if name == "audio" {
				audios++
				if audios > maxAudio {
					return fmt.Errorf("more than %d <audio> elements: %w", maxAudio, ErrUnsupported)
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			name := qname(t.Name)
			if len(stack) == 0 || stack[len(stack)-1] != name {
				return fmt.Errorf("unexpected </%s>: %w", name, ErrMalformed)
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				if strings.TrimSpace(string(t)) != "" {
					return fmt.Errorf("text outside <speak>: %w", ErrMalformed)
				}
				continue
			}
			if parent := stack[len(stack)-1]; parent == "break" || parent == "audio" {
				if strings.TrimFunc(string(t), unicode.IsSpace) != "" {
					return fmt.Errorf("text inside <%s>, which must be empty: %w", parent, ErrUnsupported)
				}
			}
		case xml.Comment:
			return fmt.Errorf("an XML comment: %w", ErrUnsupported)
		case xml.ProcInst:
			return fmt.Errorf("a processing instruction <?%s?>: %w", t.Target, ErrUnsupported)
		case xml.Directive:
			return fmt.Errorf("an XML directive <!%.20s>: %w", t, ErrUnsupported)
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("<%s> not closed: %w", stack[len(stack)-1], ErrMalformed)
	}
	if roots == 0 {
		return fmt.Errorf("no <speak> element: %w", ErrMalformed)
	}
	return nil
}

func qname(n xml.Name) string {
	if n.Space != "" {
		return n.Space + ":" + n.Local
	}
	return n.Local
}

// attrRule checks one attribute's value and describes what is allowed.
type attrRule struct {
	required bool
	check    func(string) bool
	allowed  string // for the error message
}

func oneOf(vals ...string) attrRule {
	return attrRule{
		check: func(v string) bool {
			for _, a := range vals {
				if v == a {
					return true
				}
			}
			return false
		},
		allowed: "one of " + strings.Join(vals, ", "),
	}
}

func required(r attrRule) attrRule { r.required = true; return r }

func or(a, b attrRule, allowed string) attrRule {
	return attrRule{check: func(v string) bool { return a.check(v) || b.check(v) }, allowed: allowed}
}

func pattern(ok func(string) bool, allowed string) attrRule {
	return attrRule{check: ok, allowed: allowed}
}

// elementRules lists, for each supported tag, its attributes. A tag with
// a rule may carry only those attributes.
var elementRules = map[string]map[string]attrRule{
	"speak": {},
	"p":     {},
	"s":     {},
	"break": {
		"strength": oneOf("none", "x-weak", "weak", "medium", "strong", "x-strong"),
		"time":     pattern(breakTimeOK, "a time with a unit, s or ms, of at most 10s (10000ms)"),
	},
	"emphasis": {
		"level": required(oneOf("strong", "moderate", "reduced")),
	},
	"prosody": {
		"rate":   or(oneOf("x-slow", "slow", "medium", "fast", "x-fast"), pattern(rateOK, ""), "x-slow, slow, medium, fast, x-fast or a percentage of at least 20%"),
		"pitch":  or(oneOf("x-low", "low", "medium", "high", "x-high"), pattern(pitchOK, ""), "x-low, low, medium, high, x-high or a signed percentage from -33.3% to +50%"),
		"volume": or(oneOf("silent", "x-soft", "soft", "medium", "loud", "x-loud"), pattern(volumeOK, ""), "silent, x-soft, soft, medium, loud, x-loud or a signed decibel change such as +2dB"),
	},
	"say-as": {
		"interpret-as": required(oneOf("characters", "spell-out", "cardinal", "number", "ordinal", "digits",
			"fraction", "unit", "date", "time", "telephone", "address", "interjection", "expletive")),
		"format": oneOf("mdy", "dmy", "ymd", "md", "dm", "ym", "my", "d", "m", "y"),
	},
	"phoneme": {
		"alphabet": required(oneOf("ipa", "x-sampa")),
		"ph":       required(pattern(nonEmpty, "a pronunciation")),
	},
	"sub": {
		"alias": required(pattern(nonEmpty, "the text to say")),
	},
	"w": {
		"role": required(oneOf("amazon:VB", "amazon:VBD", "amazon:NN", "amazon:SENSE_1")),
	},
	"lang": {
		"xml:lang": required(oneOf("en-US", "en-GB", "en-IN", "en-AU", "en-CA", "de-DE", "es-ES", "es-MX", "es-US",
			"it-IT", "ja-JP", "fr-FR", "fr-CA", "pt-BR", "hi-IN")),
	},
	"voice": {
		"name": required(pattern(voiceNameOK, "an Amazon Polly voice name")),
	},
	"audio": {
		"src": required(pattern(audioSrcOK, "an https:// URL or a soundbank://soundlibrary/ URL")),
	},
	"amazon:effect": {
		"name": required(oneOf("whispered", "drc")),
	},
	"amazon:emotion": {
		"name":      required(oneOf("excited", "disappointed")),
		"intensity": required(oneOf("low", "medium", "high")),
	},
	"amazon:domain": {
		"name": required(oneOf("conversational", "long-form", "music", "news", "fun")),
	},
}

func checkElement(name string, attrs []xml.Attr) error {
	rules, ok := elementRules[name]
	if !ok {
		return fmt.Errorf("<%s> is not a tag Alexa supports: %w", name, ErrUnsupported)
	}
	for i, a := range attrs {
		an := qname(a.Name)
		for _, prev := range attrs[:i] {
			if prev.Name == a.Name {
				return fmt.Errorf("<%s> has attribute %s twice: %w", name, an, ErrMalformed)
			}
		}
		rule, ok := rules[an]
		if !ok {
			return fmt.Errorf("<%s> does not take attribute %s: %w", name, an, ErrUnsupported)
		}
		if !rule.check(a.Value) {
			return fmt.Errorf("<%s %s=%q>: want %s: %w", name, an, a.Value, rule.allowed, ErrUnsupported)
		}
	}
	for an, rule := range rules {
		if rule.required && !hasAttr(attrs, an) {
			return fmt.Errorf("<%s> needs attribute %s (%s): %w", name, an, rule.allowed, ErrUnsupported)
		}
	}
	switch name {
	case "prosody":
		if len(attrs) == 0 {
			return fmt.Errorf("<prosody> needs a rate, pitch or volume: %w", ErrUnsupported)
		}
	case "say-as":
		if hasAttr(attrs, "format") && attrValue(attrs, "interpret-as") != "date" {
			return fmt.Errorf("<say-as format=...> is allowed only with interpret-as=\"date\": %w", ErrUnsupported)
		}
	}
	return nil
}

func hasAttr(attrs []xml.Attr, name string) bool {
	for _, a := range attrs {
		if qname(a.Name) == name {
			return true
		}
	}
	return false
}

func attrValue(attrs []xml.Attr, name string) string {
	for _, a := range attrs {
		if qname(a.Name) == name {
			return a.Value
		}
	}
	return ""
}

// number parses an unsigned decimal number: digits with an optional
// fraction.
func parseNumber(s string) (float64, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	dot := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '.' && !dot && i+1 < len(s):
			dot = true
		case s[i] < '0' || s[i] > '9':
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}

// breakTimeOK accepts "Ns" or "Nms" of at most 10 seconds.
func breakTimeOK(v string) bool {
	ms, ok := breakMillis(v)
	return ok && ms <= float64(MaxBreak.Milliseconds())
}

// breakMillis parses a break's time, "Ns" or "Nms", in milliseconds.
func breakMillis(v string) (float64, bool) {
	var (
		num   string
		scale float64
	)
	switch {
	case strings.HasSuffix(v, "ms"):
		num, scale = strings.TrimSuffix(v, "ms"), 1
	case strings.HasSuffix(v, "s"):
		num, scale = strings.TrimSuffix(v, "s"), 1000
	default:
		return 0, false
	}
	n, ok := parseNumber(num)
	return n * scale, ok
}

func rateOK(v string) bool {
	n, ok := parseNumber(strings.TrimSuffix(v, "%"))
	return ok && strings.HasSuffix(v, "%") && n >= 20
}

func pitchOK(v string) bool {
	if len(v) < 3 || (v[0] != '+' && v[0] != '-') || !strings.HasSuffix(v, "%") {
		return false
	}
	n, ok := parseNumber(v[1 : len(v)-1])
	if !ok {
		return false
	}
	if v[0] == '-' {
		return n <= 33.3
	}
	return n <= 50
}

func volumeOK(v string) bool {
	if len(v) < 4 || (v[0] != '+' && v[0] != '-') || !strings.HasSuffix(v, "dB") {
		return false
	}
	_, ok := parseNumber(v[1 : len(v)-2])
	return ok
}

func nonEmpty(v string) bool { return strings.TrimSpace(v) != "" }

func voiceNameOK(v string) bool {
	if v == "" {
		return false
	}
	for _, r := range v {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

func audioSrcOK(v string) bool {
	return (strings.HasPrefix(v, "https://") && len(v) > len("https://")) ||
		(strings.HasPrefix(v, "soundbank://soundlibrary/") && len(v) > len("soundbank://soundlibrary/"))
}
