package speech

import (
	"errors"
	"strings"
	"testing"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		ssml    string
		want    error  // nil for a valid document
		mention string // the error must mention this
	}{
		// Valid documents.
		{"empty speak", `<speak></speak>`, nil, ""},
		{"self-closed speak", `<speak/>`, nil, ""},
		{"white space around", "  \n<speak>Hi.</speak>\n", nil, ""},
		{"escaped text", `<speak>Ice &amp; heat &lt;3 &quot;ok&quot; &apos;s &#x263A; &#65;</speak>`, nil, ""},
		{"breaks", `<speak>a<break time="10s"/>b<break time="10000ms"/>c<break time="1.5s"/><break strength="x-strong"/><break/></speak>`, nil, ""},
		{"every supported tag", `<speak><p><s>One.</s></p><emphasis level="strong">two</emphasis>` +
			`<prosody rate="20%" pitch="-33.3%" volume="+4dB">three</prosody><prosody rate="x-slow" pitch="x-high" volume="silent">.</prosody>` +
			`<say-as interpret-as="date" format="mdy">1/2/2020</say-as><say-as interpret-as="cardinal">12</say-as>` +
			`<phoneme alphabet="ipa" ph="pɪˈkɑːn">pecan</phoneme><sub alias="aluminum">Al</sub><w role="amazon:VBD">read</w>` +
			`<lang xml:lang="fr-FR">bonjour</lang><voice name="Kendra">hi</voice>` +
			`<audio src="soundbank://soundlibrary/ui/gameshow/amzn_ui_sfx_gameshow_intro_01"/>` +
			`<amazon:effect name="whispered">psst</amazon:effect><amazon:emotion name="excited" intensity="high">yay</amazon:emotion>` +
			`<amazon:domain name="conversational">so</amazon:domain></speak>`, nil, ""},
		{"five audio clips", `<speak>` + strings.Repeat(`<audio src="https://example.com/a.mp3"/>`, 5) + `</speak>`, nil, ""},
		{"just under the limit", `<speak>` + strings.Repeat("a", MaxChars-16) + `</speak>`, nil, ""},

		// Not well-formed.
		{"not XML", `hello`, ErrMalformed, "outside <speak>"},
		{"empty string", ``, ErrMalformed, "no <speak>"},
		{"bare ampersand", `<speak>Ice & heat</speak>`, ErrMalformed, "&"},
		{"unclosed", `<speak>hi`, ErrMalformed, ""},
		{"mismatched", `<speak><s>hi</p></speak>`, ErrMalformed, "</p>"},
		{"two roots", `<speak>a</speak><speak>b</speak>`, ErrMalformed, "second root"},
		{"wrong root", `<p>hi</p>`, ErrMalformed, "root element <p>"},
		{"control character", "<speak>a\x01b</speak>", ErrMalformed, ""},
		{"invalid UTF-8", "<speak>a\xffb</speak>", ErrMalformed, "UTF-8"},
		{"undefined entity", `<speak>&nbsp;</speak>`, ErrMalformed, ""},
		{"duplicate attribute", `<speak><break time="1s" time="2s"/></speak>`, ErrMalformed, "twice"},

		// Not what Alexa supports.
		{"unknown tag", `<speak><b>bold</b></speak>`, ErrUnsupported, "<b>"},
		{"mark is not supported", `<speak><mark name="x"/></speak>`, ErrUnsupported, "<mark>"},
		{"unknown amazon tag", `<speak><amazon:breath/></speak>`, ErrUnsupported, "<amazon:breath>"},
		{"break over 10 s", `<speak><break time="10001ms"/></speak>`, ErrUnsupported, "at most 10s"},
		{"break without unit", `<speak><break time="500"/></speak>`, ErrUnsupported, "unit"},
		{"break negative", `<speak><break time="-1s"/></speak>`, ErrUnsupported, "time"},
		{"break strength", `<speak><break strength="huge"/></speak>`, ErrUnsupported, "strength"},
		{"break with content", `<speak><break time="1s">x</break></speak>`, ErrUnsupported, "empty"},
		{"break unknown attribute", `<speak><break duration="1s"/></speak>`, ErrUnsupported, "duration"},
		{"prosody too slow", `<speak><prosody rate="19%">x</prosody></speak>`, ErrUnsupported, "at least 20%"},
		{"prosody pitch too high", `<speak><prosody pitch="+51%">x</prosody></speak>`, ErrUnsupported, "pitch"},
		{"prosody pitch unsigned", `<speak><prosody pitch="10%">x</prosody></speak>`, ErrUnsupported, "pitch"},
		{"prosody volume", `<speak><prosody volume="+3">x</prosody></speak>`, ErrUnsupported, "volume"},
		{"prosody without attributes", `<speak><prosody>x</prosody></speak>`, ErrUnsupported, "rate, pitch or volume"},
		{"say-as value", `<speak><say-as interpret-as="currency">5</say-as></speak>`, ErrUnsupported, "interpret-as"},
		{"say-as without interpret-as", `<speak><say-as>5</say-as></speak>`, ErrUnsupported, "needs attribute interpret-as"},
		{"say-as format without date", `<speak><say-as interpret-as="cardinal" format="mdy">5</say-as></speak>`, ErrUnsupported, "format"},
		{"emphasis level", `<speak><emphasis level="loud">x</emphasis></speak>`, ErrUnsupported, "level"},
		{"emotion without intensity", `<speak><amazon:emotion name="excited">x</amazon:emotion></speak>`, ErrUnsupported, "intensity"},
		{"emotion name", `<speak><amazon:emotion name="angry" intensity="low">x</amazon:emotion></speak>`, ErrUnsupported, "name"},
		{"effect name", `<speak><amazon:effect name="shouted">x</amazon:effect></speak>`, ErrUnsupported, "name"},
		{"domain name", `<speak><amazon:domain name="sports">x</amazon:domain></speak>`, ErrUnsupported, "name"},
		{"phoneme alphabet", `<speak><phoneme alphabet="arpabet" ph="P">x</phoneme></speak>`, ErrUnsupported, "alphabet"},
		{"audio over http", `<speak><audio src="http://example.com/a.mp3"/></speak>`, ErrUnsupported, "https"},
		{"six audio clips", `<speak>` + strings.Repeat(`<audio src="https://example.com/a.mp3"/>`, 6) + `</speak>`, ErrUnsupported, "more than 5"},
		{"lang locale", `<speak><lang xml:lang="xx-YY">x</lang></speak>`, ErrUnsupported, "xml:lang"},
		{"nested speak", `<speak><speak>x</speak></speak>`, ErrUnsupported, "root only"},
		{"speak attribute", `<speak version="1.1">x</speak>`, ErrUnsupported, "version"},
		{"comment", `<speak><!-- hi --></speak>`, ErrUnsupported, "comment"},
		{"processing instruction", `<?xml version="1.0"?><speak/>`, ErrUnsupported, "processing instruction"},
		{"doctype", `<!DOCTYPE speak><speak/>`, ErrUnsupported, "directive"},

		// Too long.
		{"at the limit", `<speak>` + strings.Repeat("a", MaxChars-15) + `</speak>`, ErrTooLong, "8000"},
		{"counted in UTF-16", `<speak>` + strings.Repeat("😀", MaxChars/2) + `</speak>`, ErrTooLong, "limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Validate(SSML(tc.ssml))
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want == nil:
				return
			case err == nil:
				t.Fatalf("no error, want %v", tc.want)
			case !errors.Is(err, tc.want):
				t.Errorf("error %q, want one wrapping %v", err, tc.want)
			case !strings.Contains(err.Error(), tc.mention):
				t.Errorf("error %q does not mention %q", err, tc.mention)
			}
		})
	}
}

// TestValidateLengthLast checks that a long document with another problem
// reports that problem, so ErrTooLong means "valid but too long".
func TestValidateLengthLast(t *testing.T) {
	long := `<speak><b/>` + strings.Repeat("a", MaxChars) + `</speak>`
	if err := Validate(SSML(long)); !errors.Is(err, ErrUnsupported) {
		t.Errorf("got %v, want the unsupported tag reported first", err)
	}
}
