package speech

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// This file evaluates the part of APL's data-binding syntax that
// ValidateAPLA needs
// (https://developer.amazon.com/en-US/docs/alexa/alexa-presentation-language/apla-data-binding-evaluation.html):
// a string holding ${...} expressions is the value of its one expression
// when it is nothing else, or else the text with each expression's value
// in its place. An expression is a path (payload.audio.parts), a number,
// a quoted string, true, false or null, compared with == != < > <= >=,
// joined with && and ||, negated with !, grouped with ( ).

// evalValue evaluates a property's value in ctx.
func evalValue(v any, ctx map[string]any) (any, error) {
	s, ok := v.(string)
	if !ok || !strings.Contains(s, "${") {
		return v, nil
	}
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, "${")
		if i < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unclosed ${ in %q", s)
		}
		val, err := evalExpr(rest[i+2:i+j], ctx)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", s, err)
		}
		if i == 0 && i+j+1 == len(rest) && b.Len() == 0 {
			return val, nil // the whole string is one expression
		}
		b.WriteString(rest[:i])
		b.WriteString(stringOf(val))
		rest = rest[i+j+1:]
	}
}

// stringOf is a value as a string, the way APL joins it into text.
func stringOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

type exprParser struct {
	s   string
	ctx map[string]any
}

func evalExpr(s string, ctx map[string]any) (any, error) {
	p := &exprParser{s: s, ctx: ctx}
	v, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.skip(); p.s != "" {
		return nil, fmt.Errorf("unexpected %q", p.s)
	}
	return v, nil
}

func (p *exprParser) skip() { p.s = strings.TrimLeft(p.s, " \t\n") }

func (p *exprParser) eat(tok string) bool {
	p.skip()
	if strings.HasPrefix(p.s, tok) {
		p.s = p.s[len(tok):]
		return true
	}
	return false
}

func (p *exprParser) or() (any, error) {
	l, err := p.and()
	for err == nil && p.eat("||") {
		var r any
		if r, err = p.and(); truthy(l) {
			continue
		}
		l = r
	}
	return l, err
}

func (p *exprParser) and() (any, error) {
	l, err := p.cmp()
	for err == nil && p.eat("&&") {
		var r any
		if r, err = p.cmp(); !truthy(l) {
			continue
		}
		l = r
	}
	return l, err
}

func (p *exprParser) cmp() (any, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for _, op := range []string{"==", "!=", "<=", ">=", "<", ">"} {
		if p.eat(op) {
			r, err := p.unary()
			if err != nil {
				return nil, err
			}
			return compare(op, l, r), nil
		}
	}
	return l, nil
}

func (p *exprParser) unary() (any, error) {
	if p.eat("!") {
		v, err := p.unary()
		return !truthy(v), err
	}
	if p.eat("(") {
		v, err := p.or()
		if err == nil && !p.eat(")") {
			err = errors.New("missing )")
		}
		return v, err
	}
	return p.primary()
}

func (p *exprParser) primary() (any, error) {
	p.skip()
	if p.s == "" {
		return nil, errors.New("missing operand")
	}
	switch c := p.s[0]; {
	case c == '\'' || c == '"':
		end := strings.IndexByte(p.s[1:], c)
		if end < 0 {
			return nil, errors.New("unclosed string")
		}
		v := p.s[1 : 1+end]
		p.s = p.s[2+end:]
		return v, nil
	case c >= '0' && c <= '9':
		n := 0
		for n < len(p.s) && (p.s[n] >= '0' && p.s[n] <= '9' || p.s[n] == '.') {
			n++
		}
		f, err := strconv.ParseFloat(p.s[:n], 64)
		p.s = p.s[n:]
		return f, err
	}
	return p.path()
}

func (p *exprParser) path() (any, error) {
	name := p.ident()
	switch name {
	case "":
		return nil, fmt.Errorf("unexpected %q", p.s)
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	v, ok := p.ctx[name]
	if !ok {
		return nil, fmt.Errorf("%s is not bound", name)
	}
	for p.eat(".") {
		key := p.ident()
		if key == "" {
			return nil, errors.New("a name must follow the dot")
		}
		m, _ := v.(map[string]any)
		v = m[key] // a missing key, or a key of a non-object, is null
	}
	return v, nil
}

func (p *exprParser) ident() string {
	p.skip()
	n := 0
	for n < len(p.s) && (p.s[n] == '_' || p.s[n] >= 'a' && p.s[n] <= 'z' || p.s[n] >= 'A' && p.s[n] <= 'Z' || n > 0 && p.s[n] >= '0' && p.s[n] <= '9') {
		n++
	}
	id := p.s[:n]
	p.s = p.s[n:]
	return id
}

func isIdent(s string) bool {
	p := exprParser{s: s}
	return s != "" && p.ident() == s
}

// truthy is APL's truthiness: false, null, 0 and "" are false.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case float64:
		return x != 0
	case json.Number:
		f, _ := x.Float64()
		return f != 0
	}
	return true
}

func numberOf(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func compare(op string, l, r any) bool {
	ln, lok := numberOf(l)
	rn, rok := numberOf(r)
	if lok && rok {
		switch op {
		case "==":
			return ln == rn
		case "!=":
			return ln != rn
		case "<":
			return ln < rn
		case ">":
			return ln > rn
		case "<=":
			return ln <= rn
		}
		return ln >= rn
	}
	ls, lstr := l.(string)
	rs, rstr := r.(string)
	equal := lstr && rstr && ls == rs || l == nil && r == nil
	switch op {
	case "==":
		return equal
	case "!=":
		return !equal
	}
	return false // ordering only numbers
}

// SSMLDuration estimates how long the voice takes to say an SSML document:
// its text by the Model, plus its breaks. A document that does not parse
// takes no time.
func (m Model) SSMLDuration(ssml SSML) time.Duration {
	d := xml.NewDecoder(strings.NewReader(string(ssml)))
	var total time.Duration
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
			text.WriteByte(' ')
		case xml.StartElement:
			if t.Name.Local == "break" {
				total += m.Duration(text.String())
				text.Reset()
				total += breakTime(t.Attr)
			}
		}
	}
	return total + m.Duration(text.String())
}

func breakTime(attrs []xml.Attr) time.Duration {
	for _, a := range attrs {
		if a.Name.Local != "time" {
			continue
		}
		v, scale := a.Value, time.Second
		if strings.HasSuffix(v, "ms") {
			v, scale = strings.TrimSuffix(v, "ms"), time.Millisecond
		} else {
			v = strings.TrimSuffix(v, "s")
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return time.Duration(f * float64(scale))
		}
	}
	return 0
}
