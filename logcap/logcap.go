// Package logcap bounds what reaches a log line, so that text an attacker
// or a broken peer controls (a request header, a request ID, an intent
// name, an API's error message, a time-zone name) can neither make a line
// long nor break it in two.
//
// Text cuts one value to ValueLimit bytes of output and replaces control
// and other unprintable characters; NewHandler wraps a slog.Handler so
// that every attribute of every record is cut the same way and the
// record's values share LineBudget bytes. With the attribute keys and
// messages the code writes, no line of a wrapped handler exceeds MaxLine
// bytes, whatever the input (TestLineBound checks it for the JSON and text
// handlers).
package logcap

import (
	"context"
	"fmt"
	"log/slog"
	"unicode"
	"unicode/utf8"
)

// Limits of the values NewHandler and Text let through, counted in bytes
// as the JSON and text handlers write them (a quote or backslash costs
// two).
const (
	// ValueLimit is the most one value may take.
	ValueLimit = 512
	// LineBudget is the most all values of one record may take together;
	// values beyond it are cut to the marker.
	LineBudget = 1400
	// MaxLine is the line length the package guarantees for records whose
	// message and keys (which the code, not the input, chooses) are short.
	MaxLine = 2048
)

// cutMark ends a value that was cut.
const cutMark = "…"

// Text returns s made safe for a log line: each control, unprintable or
// invalid character becomes '?', and the result is cut (marked "…") so
// that it costs at most ValueLimit bytes when written.
func Text(s string) string { return capText(s, ValueLimit) }

// Cut is Text with a smaller limit, for an error message that names an
// untrusted value: it costs at most limit bytes when written.
func Cut(s string, limit int) string { return capText(s, limit) }

// String returns a string attribute whose value is Text(value).
func String(key, value string) slog.Attr { return slog.String(key, Text(value)) }

// Error returns a string attribute holding err's text cut by Text ("" for
// nil).
func Error(key string, err error) slog.Attr {
	if err == nil {
		return slog.String(key, "")
	}
	return String(key, err.Error())
}

// capText sanitises s and cuts it to a written cost of at most limit bytes.
// It allocates only when s has to change.
func capText(s string, limit int) string {
	limit = max(limit, len(cutMark))
	cost, clean := 0, true
	for i, r := range s {
		c := runeCost(s, i, r)
		if c < 0 {
			clean, c = false, 1
		}
		if cost += c; cost > limit {
			return rebuild(s, limit-len(cutMark), cutMark)
		}
	}
	if clean {
		return s
	}
	return rebuild(s, limit, "")
}

// runeCost is what the rune r at s[i] costs when written, or -1 when it
// must be replaced (by '?', which costs 1).
func runeCost(s string, i int, r rune) int {
	switch {
	case r == utf8.RuneError:
		if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
			return -1
		}
		return 3
	case r == '"' || r == '\\':
		return 2
	case r == ' ':
		return 1
	case !unicode.IsPrint(r):
		return -1
	}
	return utf8.RuneLen(r)
}

// writtenCost is what s costs when written (after capText).
func writtenCost(s string) int {
	cost := 0
	for i, r := range s {
		cost += max(runeCost(s, i, r), 1)
	}
	return cost
}

// rebuild copies s with unprintable characters replaced, up to a written
// cost of limit, and appends mark if it had to stop early.
func rebuild(s string, limit int, mark string) string {
	b := make([]byte, 0, min(len(s), limit)+len(mark))
	cost := 0
	for i, r := range s {
		c := runeCost(s, i, r)
		if c < 0 {
			r, c = '?', 1
		}
		if cost+c > limit {
			break
		}
		b = utf8.AppendRune(b, r)
		cost += c
	}
	return string(b) + mark
}

// Handler is a slog.Handler that caps every attribute value (see the
// package comment) before passing the record on. Build it with
// NewHandler.
type Handler struct {
	next slog.Handler
	used int // of LineBudget, by the attributes added with WithAttrs
}

// NewHandler returns h wrapped so that every value is capped; a handler
// already wrapped is returned as it is. Attributes added with WithAttrs
// are capped once, when they are added.
func NewHandler(h slog.Handler) slog.Handler {
	if c, ok := h.(*Handler); ok {
		return c
	}
	return &Handler{next: h}
}

// Enabled reports whether the wrapped handler handles level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle caps the record's message and values and passes it on.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	budget := LineBudget - h.used
	out := slog.NewRecord(r.Time, r.Level, capText(r.Message, ValueLimit/2), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(capAttr(a, &budget))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs returns a handler that adds the capped attrs to every record;
// they take at most a quarter of LineBudget, which records then lack.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	start := max(LineBudget/4-h.used, 0)
	budget := start
	capped := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		capped[i] = capAttr(a, &budget)
	}
	return &Handler{next: h.next.WithAttrs(capped), used: h.used + start - budget}
}

// WithGroup returns a handler that opens the group name (capped) on the
// wrapped handler.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(capText(name, 64)), used: h.used}
}

// capAttr caps a's key and value, charging the value to *budget.
func capAttr(a slog.Attr, budget *int) slog.Attr {
	a.Key = capText(a.Key, 64)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindGroup:
		group := v.Group()
		capped := make([]slog.Attr, len(group))
		for i, g := range group {
			capped[i] = capAttr(g, budget)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(capped...)}
	case slog.KindString:
		return slog.String(a.Key, spend(v.String(), budget))
	case slog.KindAny:
		return slog.String(a.Key, spend(fmt.Sprint(v.Any()), budget))
	default: // numbers, bools, times and durations have bounded text
		*budget -= 32
		return slog.Attr{Key: a.Key, Value: v}
	}
}

// spend caps s to what is left of *budget (and to ValueLimit) and charges
// it.
func spend(s string, budget *int) string {
	limit := min(ValueLimit, max(*budget, 0))
	s = capText(s, limit)
	*budget -= writtenCost(s) + 2 // and its quotes
	return s
}
