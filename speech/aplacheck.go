package speech

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// ErrAPLA is wrapped by every error ValidateAPLA returns.
var ErrAPLA = errors.New("speech: invalid APLA document")

// APLAComponent is a component of an inflated APLA document: what Alexa
// plays once the document's data binding is evaluated, conditional
// components left out and each Selector reduced to the child it plays.
type APLAComponent struct {
	// Type is Sequencer, Mixer, Selector, Silence, Speech or Audio.
	Type string
	// Trim is set when the component's duration is "trimToParent".
	Trim bool
	// Silence is a Silence's duration.
	Silence time.Duration
	// Content and ContentType are a Speech's (ContentType PlainText or
	// SSML).
	Content, ContentType string
	// Source is an Audio's URL.
	Source string
	// Items are a multiple-child component's children.
	Items []*APLAComponent
}

// The documented component set of APLA 0.91: every component's base
// properties, the multiple-child properties, and each type's own
// (https://developer.amazon.com/docs/alexa/alexa-presentation-language/apla-component.html,
// https://developer.amazon.com/docs/alexa-presentation-language/apla-multichild-component.html,
// https://developer.amazon.com/en-US/docs/alexa/alexa-presentation-language/apla-speech.html,
// apla-silence.html, apla-mixer.html, apla-sequencer.html, apla-selector.html
// and apla-audio.html beside them).
var (
	aplaBase       = []string{"type", "bind", "description", "duration", "id", "when"}
	aplaMultiChild = []string{"data", "item", "items"}
	aplaProps      = map[string][]string{
		"Sequencer": aplaMultiChild,
		"Mixer":     aplaMultiChild,
		"Selector":  append([]string{"strategy"}, aplaMultiChild...),
		"Silence":   nil,
		"Speech":    {"content", "contentType"},
		"Audio":     {"source", "filter", "filters"},
	}
	aplaDocProps = []string{"type", "version", "description", "mainTemplate"}
)

// ValidateAPLA checks a RenderDocument directive's document and
// datasources against the documented APLA 0.91 component set, inflates the
// document with its data as Alexa does, and returns what it plays:
//
//   - the document: type "APLA", version "0.91", a mainTemplate with
//     string parameters and an item or items; nothing else (this checker
//     does not follow compositions or resources, which this package never
//     writes);
//   - every component: a known type, only its documented properties,
//     each of its documented value type (before or, when bound with
//     ${...}, after evaluation), required ones present (a Silence's
//     duration, an Audio's source);
//   - after inflation: every Silence a positive whole number of
//     milliseconds, every Speech with content, its SSML valid as
//     outputSpeech must be (Validate), since one bad Speech fails the whole
//     document, and something to play.
//
// Data binding supports what a document of this package needs: the
// payload parameter bound to the whole datasources, data-array inflation
// (data, index, length), property paths, number and string literals,
// comparisons and &&.
func ValidateAPLA(document, datasources []byte) (*APLAComponent, error) {
	doc, err := decodeJSON(document)
	if err != nil {
		return nil, fmt.Errorf("document: %v: %w", err, ErrAPLA)
	}
	var data any = map[string]any{}
	if len(bytes.TrimSpace(datasources)) > 0 {
		if data, err = decodeJSON(datasources); err != nil {
			return nil, fmt.Errorf("datasources: %v: %w", err, ErrAPLA)
		}
	}
	ctx, item, err := checkDocument(doc, data)
	if err != nil {
		return nil, err
	}
	if err := checkStatic(item, "mainTemplate"); err != nil {
		return nil, err
	}
	c, err := inflateOne(item, ctx, "mainTemplate")
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, fmt.Errorf("the document plays nothing: %w", ErrAPLA)
	}
	return c, nil
}

func decodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("data after the JSON value")
	}
	return v, nil
}

// checkDocument checks the document's own properties and returns the
// data-binding context and the main template's item.
func checkDocument(v, data any) (map[string]any, any, error) {
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, nil, fmt.Errorf("document is not an object: %w", ErrAPLA)
	}
	for k := range doc {
		if !slices.Contains(aplaDocProps, k) {
			return nil, nil, fmt.Errorf("document property %q is not one this checker knows: %w", k, ErrAPLA)
		}
	}
	if doc["type"] != "APLA" || doc["version"] != APLAVersion {
		return nil, nil, fmt.Errorf("document type %v version %v, want APLA %s: %w", doc["type"], doc["version"], APLAVersion, ErrAPLA)
	}
	mt, ok := doc["mainTemplate"].(map[string]any)
	if !ok {
		return nil, nil, fmt.Errorf("no mainTemplate object: %w", ErrAPLA)
	}
	ctx := map[string]any{}
	params, _ := mt["parameters"].([]any)
	if _, has := mt["parameters"]; has && params == nil {
		return nil, nil, fmt.Errorf("mainTemplate.parameters is not an array: %w", ErrAPLA)
	}
	ds, _ := data.(map[string]any)
	for _, p := range params {
		name, ok := p.(string)
		if !ok || !isIdent(name) {
			return nil, nil, fmt.Errorf("mainTemplate parameter %v is not a name: %w", p, ErrAPLA)
		}
		if name == "payload" {
			ctx[name] = data
		} else {
			ctx[name] = ds[name]
		}
	}
	for k := range mt {
		if k != "parameters" && k != "item" && k != "items" {
			return nil, nil, fmt.Errorf("mainTemplate property %q: %w", k, ErrAPLA)
		}
	}
	item, items := mt["item"], mt["items"]
	if (item == nil) == (items == nil) {
		return nil, nil, fmt.Errorf("mainTemplate needs exactly one of item and items: %w", ErrAPLA)
	}
	if item == nil {
		item = items
	}
	return ctx, item, nil
}

// checkStatic checks a component template (or an array of them) before
// data binding: types, property names, and the type of every value that
// is not bound.
func checkStatic(v any, path string) error {
	if arr, ok := v.([]any); ok {
		for i, e := range arr {
			if err := checkStatic(e, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		return nil
	}
	c, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: a component must be an object: %w", path, ErrAPLA)
	}
	typ, _ := c["type"].(string)
	own, known := aplaProps[typ]
	if !known {
		return fmt.Errorf("%s: component type %v is not an APLA component: %w", path, c["type"], ErrAPLA)
	}
	path += "(" + typ + ")"
	for k, val := range c {
		if !slices.Contains(aplaBase, k) && !slices.Contains(own, k) {
			return fmt.Errorf("%s: %s has no property %q: %w", path, typ, k, ErrAPLA)
		}
		if s, ok := val.(string); ok && strings.Contains(s, "${") && k != "content" {
			continue // checked after evaluation
		}
		if err := checkValue(typ, k, val); err != nil {
			return fmt.Errorf("%s: %v: %w", path, err, ErrAPLA)
		}
		if k == "item" || k == "items" {
			if err := checkStatic(val, path+"."+k); err != nil {
				return err
			}
		}
	}
	for _, req := range requiredProps[typ] {
		if _, ok := c[req]; !ok {
			return fmt.Errorf("%s: %s needs %q: %w", path, typ, req, ErrAPLA)
		}
	}
	return nil
}

var requiredProps = map[string][]string{"Silence": {"duration"}, "Audio": {"source"}}

// checkValue checks one property's value type.
func checkValue(typ, k string, v any) error {
	switch k {
	case "type", "description", "id", "content", "source":
		if _, ok := v.(string); !ok {
			return fmt.Errorf("%s must be a string, not %v", k, v)
		}
	case "when":
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("when must be a boolean, not %v", v)
		}
	case "duration":
		if typ == "Silence" {
			if _, err := wholeMS(v); err != nil {
				return err
			}
		} else if v != "auto" && v != "trimToParent" {
			return fmt.Errorf("duration must be auto or trimToParent, not %v", v)
		}
	case "contentType":
		if v != "PlainText" && v != "SSML" {
			return fmt.Errorf("contentType must be PlainText or SSML, not %v", v)
		}
	case "strategy":
		if !slices.Contains([]any{"normal", "randomItem", "randomData", "randomItemRandomData"}, v) {
			return fmt.Errorf("strategy %v", v)
		}
	case "data", "bind", "filter", "filters":
		if _, ok := v.([]any); !ok {
			return fmt.Errorf("%s must be an array, not %v", k, v)
		}
	case "item", "items":
		switch v.(type) {
		case []any, map[string]any:
		default:
			return fmt.Errorf("%s must be a component or an array of them", k)
		}
	}
	return nil
}

// wholeMS reads a Silence duration: a positive whole number of
// milliseconds.
func wholeMS(v any) (time.Duration, error) {
	var f float64
	switch n := v.(type) {
	case json.Number:
		x, err := n.Float64()
		if err != nil {
			return 0, fmt.Errorf("duration %v is not a number", v)
		}
		f = x
	case float64:
		f = n
	default:
		return 0, fmt.Errorf("a Silence's duration must be a number of milliseconds, not %v", v)
	}
	if f <= 0 || f != math.Trunc(f) || f > float64(time.Duration(math.MaxInt64)/time.Millisecond) {
		return 0, fmt.Errorf("a Silence's duration must be a positive whole number of milliseconds, not %v", v)
	}
	return time.Duration(f) * time.Millisecond, nil
}

// inflateOne inflates a template that is one component or an array of
// them, of which the first whose when is true is played (as in
// mainTemplate.items and a data-array item list).
func inflateOne(v any, ctx map[string]any, path string) (*APLAComponent, error) {
	arr, ok := v.([]any)
	if !ok {
		arr = []any{v}
	}
	for i, e := range arr {
		c, err := inflate(e.(map[string]any), ctx, fmt.Sprintf("%s[%d]", path, i))
		if err != nil || c != nil {
			return c, err
		}
	}
	return nil, nil
}

// inflate inflates one component: nil when its when is false.
func inflate(c map[string]any, ctx map[string]any, path string) (*APLAComponent, error) {
	typ := c["type"].(string)
	path += "(" + typ + ")"
	get := func(k string) (any, error) {
		v, err := evalValue(c[k], ctx)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %v: %w", path, k, err, ErrAPLA)
		}
		if err := checkValue(typ, k, v); v != nil && err != nil {
			return nil, fmt.Errorf("%s: %v: %w", path, err, ErrAPLA)
		}
		return v, nil
	}
	if w, err := get("when"); err != nil {
		return nil, err
	} else if w == false {
		return nil, nil
	}
	out := &APLAComponent{Type: typ}
	d, err := get("duration")
	if err != nil {
		return nil, err
	}
	switch typ {
	case "Silence":
		if out.Silence, err = wholeMS(d); err != nil {
			return nil, fmt.Errorf("%s: %v: %w", path, err, ErrAPLA)
		}
	case "Speech":
		out.Trim = d == "trimToParent"
		err = inflateSpeech(out, get, path)
	case "Audio":
		out.Trim = d == "trimToParent"
		var src any
		if src, err = get("source"); err == nil {
			out.Source, _ = src.(string)
		}
	default:
		out.Trim = d == "trimToParent"
		err = inflateChildren(out, c, ctx, path)
	}
	return out, err
}

func inflateSpeech(out *APLAComponent, get func(string) (any, error), path string) error {
	content, err := get("content")
	if err != nil {
		return err
	}
	ct, err := get("contentType")
	if err != nil {
		return err
	}
	out.Content, _ = content.(string)
	out.ContentType = "PlainText"
	if ct != nil {
		out.ContentType = ct.(string)
	}
	text := out.Content
	if out.ContentType == "SSML" {
		if err := Validate(SSML(out.Content)); err != nil {
			return fmt.Errorf("%s: content: %w (%w)", path, err, ErrAPLA)
		}
		text, _ = SSMLText(SSML(out.Content))
	}
	if strings.TrimSpace(text) == "" {
		return fmt.Errorf("%s: a Speech with nothing to say: %w", path, ErrAPLA)
	}
	return nil
}

// inflateChildren inflates a multiple-child component: with data, the
// first of its items whose when is true once for each element (data,
// index and length bound); without, each of its items whose when is true.
// A Selector keeps only its first child.
func inflateChildren(out *APLAComponent, c map[string]any, ctx map[string]any, path string) error {
	tmpl := c["items"]
	if tmpl == nil {
		tmpl = c["item"]
	}
	arr, ok := tmpl.([]any)
	if !ok && tmpl != nil {
		arr = []any{tmpl}
	}
	if c["data"] != nil {
		dv, err := evalValue(c["data"], ctx)
		if err != nil {
			return fmt.Errorf("%s.data: %v: %w", path, err, ErrAPLA)
		}
		data, ok := dv.([]any)
		if !ok {
			return fmt.Errorf("%s.data is not an array: %w", path, ErrAPLA)
		}
		for i, d := range data {
			child := map[string]any{"data": d, "index": float64(i), "length": float64(len(data))}
			for k, v := range ctx {
				if _, ok := child[k]; !ok {
					child[k] = v
				}
			}
			k, err := inflateOne(arr, child, fmt.Sprintf("%s.data[%d]", path, i))
			if err != nil {
				return err
			}
			if k != nil {
				out.Items = append(out.Items, k)
			}
		}
	} else {
		for i, e := range arr {
			k, err := inflate(e.(map[string]any), ctx, fmt.Sprintf("%s.items[%d]", path, i))
			if err != nil {
				return err
			}
			if k != nil {
				out.Items = append(out.Items, k)
				if out.Type == "Selector" {
					break // it plays its first child whose when is true
				}
			}
		}
	}
	if out.Type == "Selector" && len(out.Items) > 1 {
		out.Items = out.Items[:1]
	}
	return nil
}

// APLADuration estimates how long c plays with the Model timing its speech:
// a Sequencer the sum of its children, a Mixer its longest child that is
// not trimmed, a Silence its duration, a Speech its words (its SSML's
// breaks included). An Audio counts as nothing: its length is unknown
// here.
func (m Model) APLADuration(c *APLAComponent) time.Duration {
	switch c.Type {
	case "Silence":
		return c.Silence
	case "Speech":
		if c.ContentType == "SSML" {
			return m.SSMLDuration(SSML(c.Content))
		}
		return m.Duration(c.Content)
	case "Sequencer":
		var d time.Duration
		for _, k := range c.Items {
			d += m.APLADuration(k)
		}
		return d
	case "Mixer", "Selector":
		var d time.Duration
		for _, k := range c.Items {
			if !k.Trim || c.Type == "Selector" {
				d = max(d, m.APLADuration(k))
			}
		}
		return d
	}
	return 0
}
