package infra_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"spasmcoach/alexa"
	"spasmcoach/alexaapi"
	"spasmcoach/infra"
	"spasmcoach/skill"
	"spasmcoach/store"
	"spasmcoach/utterance"
)

// The skill manifest (skill-package/skill.json) decoded strictly into the
// fields this skill uses: a field not declared here, a typo included, fails
// the decode. Field names follow ask-smapi-model's skill manifest
// (github.com/alexa/alexa-apis-for-python, ask-smapi-model/.../manifest/skill_manifest.py).
type (
	manifestFile struct {
		Manifest manifestBody `json:"manifest"`
	}
	manifestBody struct {
		ManifestVersion       string               `json:"manifestVersion"`
		PublishingInformation manifestPublishing   `json:"publishingInformation"`
		PrivacyAndCompliance  manifestPrivacy      `json:"privacyAndCompliance"`
		Permissions           []manifestPermission `json:"permissions"`
		Events                *manifestEvents      `json:"events"`
		Apis                  manifestApis         `json:"apis"`
	}
	manifestPublishing struct {
		Locales               map[string]manifestLocale `json:"locales"`
		IsAvailableWorldwide  *bool                     `json:"isAvailableWorldwide"`
		DistributionCountries []string                  `json:"distributionCountries"`
		DistributionMode      string                    `json:"distributionMode"`
		TestingInstructions   string                    `json:"testingInstructions"`
		Category              string                    `json:"category"`
	}
	manifestLocale struct {
		Name           string   `json:"name"`
		Summary        string   `json:"summary"`
		Description    string   `json:"description"`
		ExamplePhrases []string `json:"examplePhrases"`
		Keywords       []string `json:"keywords"`
		SmallIconURI   string   `json:"smallIconUri"`
		LargeIconURI   string   `json:"largeIconUri"`
	}
	manifestPrivacy struct {
		AllowsPurchases   *bool                            `json:"allowsPurchases"`
		UsesPersonalInfo  *bool                            `json:"usesPersonalInfo"`
		IsChildDirected   *bool                            `json:"isChildDirected"`
		IsExportCompliant *bool                            `json:"isExportCompliant"`
		ContainsAds       *bool                            `json:"containsAds"`
		UsesHealthInfo    *bool                            `json:"usesHealthInfo"`
		Locales           map[string]manifestPrivacyLocale `json:"locales"`
	}
	manifestPrivacyLocale struct {
		PrivacyPolicyURL string `json:"privacyPolicyUrl"`
		TermsOfUseURL    string `json:"termsOfUseUrl"`
	}
	manifestPermission struct {
		Name string `json:"name"`
	}
	manifestEvents struct {
		Endpoint      *manifestEndpoint `json:"endpoint"`
		Subscriptions []struct {
			EventName string `json:"eventName"`
		} `json:"subscriptions"`
	}
	manifestApis struct {
		Custom *struct {
			Endpoint   *manifestEndpoint `json:"endpoint"`
			Interfaces []struct {
				Type string `json:"type"`
			} `json:"interfaces"`
		} `json:"custom"`
	}
	manifestEndpoint struct {
		URI string `json:"uri"`
	}
)

// Placeholders of values only the deployer has: infra/deploy.sh replaces
// each with an input (or drops the field), and fails if one is left.
const (
	phIconSmall = "__ICON_SMALL_URL__"
	phIconLarge = "__ICON_LARGE_URL__"
	phPrivacy   = "__PRIVACY_URL__"
	phTerms     = "__TERMS_URL__"
	phLambdaARN = "__LAMBDA_ARN__"
)

// Limits of the publishing fields (Alexa developer console; SMAPI rejects
// longer ones).
const (
	maxNameLen        = 50
	maxSummaryLen     = 160
	maxDescriptionLen = 4000
	maxExamplePhrases = 3
	maxKeywords       = 30
	maxTestingLen     = 4000
)

// decodeManifest decodes a skill.json strictly: unknown fields and trailing
// data are errors.
func decodeManifest(r io.Reader) (*manifestFile, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var m manifestFile
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the manifest")
	}
	return &m, nil
}

// manifestBytes is the committed skill.json, as the infra package embeds it.
func manifestBytes(t *testing.T) []byte {
	t.Helper()
	data, err := fs.ReadFile(infra.SkillPackage(), "skill.json")
	if err != nil {
		t.Fatalf("skill.json is not in the embedded skill package: %v", err)
	}
	return data
}

func loadManifest(t *testing.T) *manifestBody {
	t.Helper()
	m, err := decodeManifest(bytes.NewReader(manifestBytes(t)))
	if err != nil {
		t.Fatalf("decode skill.json strictly: %v", err)
	}
	return &m.Manifest
}

func TestManifestDecodeIsStrict(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field":   `{"manifest": {"manifestVersion": "1.0", "publishingInformaton": {}}}`,
		"misspelt locale": `{"manifest": {"publishingInformation": {"locales": {"en-US": {"nmae": "x"}}}}}`,
		"trailing data":   `{"manifest": {}} {}`,
	} {
		if _, err := decodeManifest(strings.NewReader(doc)); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

func TestManifestVersion(t *testing.T) {
	if v := loadManifest(t).ManifestVersion; v != "1.0" {
		t.Errorf("manifestVersion = %q, want 1.0", v)
	}
}

// TestManifestLocales: the manifest publishes, and has privacy answers for,
// exactly the locales that have an interaction model.
func TestManifestLocales(t *testing.T) {
	m := loadManifest(t)
	want := infra.Locales()
	if len(want) == 0 {
		t.Fatal("no interaction models")
	}
	if got := sortedMapKeys(m.PublishingInformation.Locales); !slices.Equal(got, want) {
		t.Errorf("publishingInformation.locales = %v, want the interaction models' %v", got, want)
	}
	if got := sortedMapKeys(m.PrivacyAndCompliance.Locales); !slices.Equal(got, want) {
		t.Errorf("privacyAndCompliance.locales = %v, want %v", got, want)
	}
}

// TestManifestDistribution: published (not private) in exactly the
// countries of the locales; a locale's region part is its country.
func TestManifestDistribution(t *testing.T) {
	p := loadManifest(t).PublishingInformation
	var want []string
	for _, loc := range infra.Locales() {
		_, country, ok := strings.Cut(loc, "-")
		if !ok {
			t.Fatalf("locale %q has no country", loc)
		}
		if !slices.Contains(want, country) {
			want = append(want, country)
		}
	}
	slices.Sort(want)
	got := slices.Sorted(slices.Values(p.DistributionCountries))
	if !slices.Equal(got, want) {
		t.Errorf("distributionCountries = %v, want %v", got, want)
	}
	if p.IsAvailableWorldwide == nil || *p.IsAvailableWorldwide {
		t.Error("isAvailableWorldwide must be false: the skill is distributed to its locales' countries")
	}
	if p.DistributionMode != "PUBLIC" {
		t.Errorf("distributionMode = %q, want PUBLIC", p.DistributionMode)
	}
	if p.Category != "HEALTH_AND_FITNESS" {
		t.Errorf("category = %q, want HEALTH_AND_FITNESS", p.Category)
	}
}

// disclaimerPoints are what Alexa's health policy wants in the description
// (the "Health" section of
// https://developer.amazon.com/en-US/docs/alexa/custom-skills/policy-requirements-for-an-alexa-skill.html,
// and reviewers' feedback to health skills): information and education
// only, not a substitute for professional advice, diagnosis or treatment,
// call a doctor, and the local emergency number in an emergency. The skill
// also never diagnoses and Alexa cannot call for help.
var disclaimerPoints = []string{
	"for information and education only",
	"does not give medical advice",
	"does not diagnose",
	"not a substitute for professional medical advice, diagnosis or treatment",
	"call your doctor",
	"your local emergency number",
	"alexa cannot call emergency services",
}

// claimsNotAllowed are claims Alexa's health policy rejects in a
// description (the policy page above): cures, life-saving help, prescriptions.
var claimsNotAllowed = []string{"cure", "cures", "cured", "heal", "heals", "life-saving", "lifesaving", "save your life", "saves lives", "guaranteed"}

// badClaims returns the claims of claimsNotAllowed that text makes, and
// any word about prescriptions.
func badClaims(text string) []string {
	var found []string
	lower, words := strings.ToLower(text), descriptionWords(text)
	for _, bad := range claimsNotAllowed {
		if strings.ContainsAny(bad, " -") && strings.Contains(lower, bad) || slices.Contains(words, bad) {
			found = append(found, bad)
		}
	}
	for _, w := range words {
		if strings.HasPrefix(w, "prescri") {
			found = append(found, w)
		}
	}
	return found
}

func TestManifestPublishingPerLocale(t *testing.T) {
	m := loadManifest(t)
	for _, loc := range infra.Locales() {
		t.Run(loc, func(t *testing.T) {
			p, ok := m.PublishingInformation.Locales[loc]
			if !ok {
				t.Fatal("no publishing information")
			}
			model, err := infra.Model(loc)
			if err != nil {
				t.Fatal(err)
			}
			// The name users see is the invocation name, capitalised.
			if !strings.EqualFold(p.Name, model.InvocationName) || p.Name != titleCase(model.InvocationName) {
				t.Errorf("name = %q, want %q (the invocation name %q in title case)", p.Name, titleCase(model.InvocationName), model.InvocationName)
			}
			if n := len([]rune(p.Name)); n == 0 || n > maxNameLen {
				t.Errorf("name has %d characters, want 1 to %d", n, maxNameLen)
			}
			if n := len([]rune(p.Summary)); n == 0 || n > maxSummaryLen {
				t.Errorf("summary has %d characters, want 1 to %d", n, maxSummaryLen)
			}
			if n := len([]rune(p.Description)); n == 0 || n > maxDescriptionLen {
				t.Errorf("description has %d characters, want 1 to %d", n, maxDescriptionLen)
			}
			desc := strings.ToLower(p.Description)
			for _, point := range disclaimerPoints {
				if !strings.Contains(desc, point) {
					t.Errorf("description lacks the disclaimer point %q", point)
				}
			}
			// The locale's emergency number, as the skill says it.
			if num := strings.ReplaceAll(skill.EmergencyNumber(loc), " ", ""); num != "" && !strings.Contains(desc, "call "+num+" or your local emergency number") {
				t.Errorf("description does not name %s, the emergency number the skill gives in %s", num, loc)
			}
			for _, text := range []string{p.Name, p.Summary, p.Description} {
				if bad := badClaims(text); len(bad) > 0 {
					t.Errorf("%q makes claims the health policy rejects: %q", textStart(text), bad)
				}
			}
			if n := len(p.Keywords); n == 0 || n > maxKeywords {
				t.Errorf("%d keywords, want 1 to %d", n, maxKeywords)
			}
			for _, k := range p.Keywords {
				if strings.TrimSpace(k) == "" || k != strings.ToLower(k) {
					t.Errorf("keyword %q: want non-blank lower case", k)
				}
			}
			if p.SmallIconURI != phIconSmall || p.LargeIconURI != phIconLarge {
				t.Errorf("icons = %q, %q, want the placeholders %s, %s that deploy.sh fills", p.SmallIconURI, p.LargeIconURI, phIconSmall, phIconLarge)
			}
		})
	}
}

// TestExamplePhrases: at most three; the first opens the skill; each says
// "Alexa, " and a launch phrase with the invocation name, and what follows
// it is one of the locale's sample utterances, word for word, with any
// custom slot value a known value of its type (Alexa's certification
// rule: example phrases come from the sample utterances).
func TestExamplePhrases(t *testing.T) {
	m := loadManifest(t)
	for _, loc := range infra.Locales() {
		t.Run(loc, func(t *testing.T) {
			phrases := m.PublishingInformation.Locales[loc].ExamplePhrases
			if n := len(phrases); n == 0 || n > maxExamplePhrases {
				t.Fatalf("%d example phrases, want 1 to %d", n, maxExamplePhrases)
			}
			model, r := modelResolver(t, loc)
			for i, phrase := range phrases {
				if err := checkExamplePhrase(model, r, phrase, i == 0); err != nil {
					t.Error(err)
				}
			}
		})
	}
}

func TestCheckExamplePhrase(t *testing.T) {
	model, r := modelResolver(t, "en-US")
	for _, c := range []struct {
		phrase string
		first  bool
		ok     bool
	}{
		{"Alexa, open back spasm coach", true, true},
		{"Alexa, ask back spasm coach to start breathing", false, true},
		{"Alexa, ask back spasm coach to set a cold pack timer", false, true},
		{"Alexa, ask back spasm coach to start breathing", true, false}, // first must be a plain launch
		{"open back spasm coach", true, false},                          // no wake word
		{"Alexa, open back pain coach", true, false},                    // not the invocation name
		{"Alexa, ask back spasm coach to cure my back", false, false},   // not a sample
		{"Alexa, ask back spasm coach to set a lava timer", false, false},
		{"Alexa, ask back spasm coach to help", false, false}, // built-in phrasing, not a sample
		{"Alexa, open back spasm coach.", true, false},
	} {
		err := checkExamplePhrase(model, r, c.phrase, c.first)
		if (err == nil) != c.ok {
			t.Errorf("checkExamplePhrase(%q, first=%v) = %v, want ok=%v", c.phrase, c.first, err, c.ok)
		}
	}
}

// modelResolver returns a locale's model and a resolver for it.
func modelResolver(t *testing.T, locale string) (*infra.LanguageModel, *utterance.Resolver) {
	t.Helper()
	model, err := infra.Model(locale)
	if err != nil {
		t.Fatal(err)
	}
	r, err := utterance.NewResolver(model)
	if err != nil {
		t.Fatal(err)
	}
	return model, r
}

// checkExamplePhrase checks one example phrase against the model (see
// TestExamplePhrases); first is set for the first phrase.
func checkExamplePhrase(model *infra.LanguageModel, r *utterance.Resolver, phrase string, first bool) error {
	rest, ok := strings.CutPrefix(phrase, "Alexa, ")
	if !ok {
		return fmt.Errorf("example phrase %q does not start with \"Alexa, \"", phrase)
	}
	if strings.ContainsAny(rest, ".,!?;:") {
		return fmt.Errorf("example phrase %q has punctuation besides the comma after Alexa", phrase)
	}
	inv := utterance.ParseInvocation(rest, model.InvocationName)
	if !inv.Launch {
		return fmt.Errorf("example phrase %q does not open the skill by its invocation name %q", phrase, model.InvocationName)
	}
	if first && inv.OneShot() {
		return fmt.Errorf("first example phrase %q: want a plain launch, such as \"Alexa, open %s\"", phrase, model.InvocationName)
	}
	if !inv.OneShot() {
		return nil
	}
	got := r.Resolve(inv.Utterance)
	in := model.Intent(got.Intent)
	if got.Confidence != utterance.Exact || in == nil || !slices.Contains(in.Samples, got.Sample) {
		return fmt.Errorf("example phrase %q: %q is not a sample utterance (resolves to %s %q, %s)", phrase, inv.Utterance, got.Intent, got.Sample, got.Confidence)
	}
	for name, v := range got.Slots {
		if v.Value != "" && v.Type != "AMAZON.NUMBER" && v.ID == "" {
			return fmt.Errorf("example phrase %q: slot %s = %q is not a value of %s", phrase, name, v.Value, v.Type)
		}
	}
	return nil
}

// TestManifestTestingInstructions: the certification team is told how to
// test what needs care: launching and continuing, the timers and
// reminders permissions (and that the simulator does not ring timers),
// the warning signs, and that no health information is collected.
func TestManifestTestingInstructions(t *testing.T) {
	ti := loadManifest(t).PublishingInformation.TestingInstructions
	if n := len([]rune(ti)); n == 0 || n > maxTestingLen {
		t.Fatalf("testingInstructions has %d characters, want 1 to %d", n, maxTestingLen)
	}
	lower := strings.ToLower(ti)
	for _, want := range []string{
		"open back spasm coach", "where you left off", "timers permission", "reminders permission",
		"simulator", "local emergency number", "never collects health information", "forget me",
		"skill_disabled", fmt.Sprintf("%d days", storeTTLDays()),
	} {
		if !strings.Contains(lower, want) {
			t.Errorf("testingInstructions does not mention %q", want)
		}
	}
}

// TestManifestPrivacy: the answers that are true for this skill. It keeps
// per-user data under a pseudonymous ID (a hash of the Alexa user ID) and
// routine progress, so it declares personal information, and its privacy
// policy URL is therefore required; it is not a HIPAA covered entity and
// collects no health information; no ads, purchases or children's content.
func TestManifestPrivacy(t *testing.T) {
	p := loadManifest(t).PrivacyAndCompliance
	for _, c := range []struct {
		name string
		got  *bool
		want bool
	}{
		{"allowsPurchases", p.AllowsPurchases, false},
		{"usesPersonalInfo", p.UsesPersonalInfo, true},
		{"isChildDirected", p.IsChildDirected, false},
		{"isExportCompliant", p.IsExportCompliant, true},
		{"containsAds", p.ContainsAds, false},
		{"usesHealthInfo", p.UsesHealthInfo, false},
	} {
		switch {
		case c.got == nil:
			t.Errorf("privacyAndCompliance.%s is missing", c.name)
		case *c.got != c.want:
			t.Errorf("privacyAndCompliance.%s = %v, want %v", c.name, *c.got, c.want)
		}
	}
	for _, loc := range infra.Locales() {
		l := p.Locales[loc]
		if l.PrivacyPolicyURL != phPrivacy {
			t.Errorf("%s privacyPolicyUrl = %q, want the placeholder %s", loc, l.PrivacyPolicyURL, phPrivacy)
		}
		if l.TermsOfUseURL != "" && l.TermsOfUseURL != phTerms {
			t.Errorf("%s termsOfUseUrl = %q, want the placeholder %s or none", loc, l.TermsOfUseURL, phTerms)
		}
	}
}

// TestManifestPermissions: exactly the scopes the code asks for, in order.
func TestManifestPermissions(t *testing.T) {
	var got []string
	for _, p := range loadManifest(t).Permissions {
		got = append(got, p.Name)
	}
	if !slices.Equal(got, alexaapi.Scopes) {
		t.Errorf("permissions = %v, want alexaapi.Scopes %v", got, alexaapi.Scopes)
	}
}

// manifestName turns a request type of the intents package into its
// manifest name: "CanFulfillIntentRequest" → "CAN_FULFILL_INTENT_REQUEST",
// "AlexaSkillEvent.SkillDisabled" → "SKILL_DISABLED".
func manifestName(requestType string) string {
	if _, after, ok := strings.Cut(requestType, "."); ok {
		requestType = after
	}
	var b strings.Builder
	for i, r := range requestType {
		if i > 0 && unicode.IsUpper(r) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

func TestManifestName(t *testing.T) {
	for in, want := range map[string]string{
		"CanFulfillIntentRequest":                 "CAN_FULFILL_INTENT_REQUEST",
		"AlexaSkillEvent.SkillDisabled":           "SKILL_DISABLED",
		"AlexaSkillEvent.SkillPermissionAccepted": "SKILL_PERMISSION_ACCEPTED",
	} {
		if got := manifestName(in); got != want {
			t.Errorf("manifestName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestManifestAPIs: a custom skill whose endpoint is the Lambda ARN the
// deploy fills in, declaring the interfaces the intents package answers:
// CanFulfillIntentRequest.
func TestManifestAPIs(t *testing.T) {
	c := loadManifest(t).Apis.Custom
	if c == nil {
		t.Fatal("apis.custom is missing")
	}
	if c.Endpoint == nil || c.Endpoint.URI != phLambdaARN {
		t.Errorf("apis.custom.endpoint = %+v, want uri %s (the ASK CLI writes the stack's SkillEndpoint there)", c.Endpoint, phLambdaARN)
	}
	var got []string
	for _, i := range c.Interfaces {
		got = append(got, i.Type)
	}
	want := []string{manifestName(alexa.RequestCanFulfillIntent)}
	if !slices.Equal(got, want) {
		t.Errorf("apis.custom.interfaces = %v, want %v", got, want)
	}
}

// TestManifestEvents: the skill subscribes to the skill-disabled event,
// which the intents package answers by deleting the user's record, and to
// nothing it ignores; events go to the same function.
func TestManifestEvents(t *testing.T) {
	e := loadManifest(t).Events
	if e == nil {
		t.Fatal("events is missing: the SKILL_DISABLED subscription deletes a user's data")
	}
	if e.Endpoint == nil || e.Endpoint.URI != phLambdaARN {
		t.Errorf("events.endpoint = %+v, want uri %s", e.Endpoint, phLambdaARN)
	}
	var got []string
	for _, s := range e.Subscriptions {
		got = append(got, s.EventName)
	}
	want := []string{manifestName(alexa.RequestSkillDisabled)}
	if !slices.Equal(got, want) {
		t.Errorf("events.subscriptions = %v, want %v", got, want)
	}
}

var placeholderRE = regexp.MustCompile(`__[A-Z0-9_]+__`)

// TestManifestPlaceholders: the committed manifest holds no URL at all
// (nothing fake that looks real), only the placeholders deploy.sh knows,
// and deploy.sh replaces each of them.
func TestManifestPlaceholders(t *testing.T) {
	data := manifestBytes(t)
	if bytes.Contains(data, []byte("http://")) || bytes.Contains(data, []byte("https://")) {
		t.Error("skill.json holds a URL; deployer values must be placeholders filled by deploy.sh")
	}
	got := slices.Compact(slices.Sorted(slices.Values(placeholderRE.FindAllString(string(data), -1))))
	want := slices.Sorted(slices.Values([]string{phIconSmall, phIconLarge, phPrivacy, phTerms, phLambdaARN}))
	if !slices.Equal(got, want) {
		t.Errorf("placeholders in skill.json = %v, want %v", got, want)
	}
	script, err := os.ReadFile("deploy.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, ph := range want {
		if !bytes.Contains(script, []byte(ph)) {
			t.Errorf("deploy.sh does not fill %s", ph)
		}
	}
}

// TestStackNameFitsFunctionName: the template names the function after the
// stack, which the ASK CLI's cfn-deployer names
// "ask-<skill name, alphanumerics only>-<Alexa region>-skillStack-<ms time>";
// a Lambda function name has at most 64 characters.
func TestStackNameFitsFunctionName(t *testing.T) {
	m := loadManifest(t)
	name := m.PublishingInformation.Locales["en-US"].Name
	var alnum strings.Builder
	for _, r := range name {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			alnum.WriteRune(r)
		}
	}
	for _, region := range []string{"default", "NA", "EU", "FE"} {
		stack := fmt.Sprintf("ask-%s-%s-skillStack-%d", alnum.String(), region, int64(9999999999999))
		if len(stack) > 64 {
			t.Errorf("stack name %q has %d characters; the function name (the stack name) allows 64", stack, len(stack))
		}
	}
}

func TestBadClaims(t *testing.T) {
	for text, want := range map[string]int{
		"Gentle help for a back spasm.":         0,
		"It cures back pain.":                   1,
		"Life-saving advice, and it heals you.": 2,
		"Your prescription, read aloud.":        1,
	} {
		if got := badClaims(text); len(got) != want {
			t.Errorf("badClaims(%q) = %q, want %d", text, got, want)
		}
	}
}

// storeTTLDays is how long a record lives after its last write, in days.
func storeTTLDays() int { return int(store.DefaultTTL.Hours() / 24) }

// sortedMapKeys returns m's keys, sorted.
func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// titleCase capitalises each word: "back spasm coach" → "Back Spasm Coach".
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// descriptionWords returns the lower-case words of text.
func descriptionWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	})
}

// textStart returns the start of text, for messages.
func textStart(text string) string {
	if r := []rune(text); len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return text
}
