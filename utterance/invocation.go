package utterance

import (
	"slices"
	"strings"
)

// Invocation is what ParseInvocation found in text.
type Invocation struct {
	// Launch reports whether the text opens the skill by its invocation
	// name, as a plain launch ("open back spasm coach") or a one-shot
	// request ("ask back spasm coach to start breathing").
	Launch bool
	// Utterance is the request of a one-shot, normalised ("start
	// breathing"); resolve it with Resolver.Resolve. It is empty for a plain
	// launch.
	Utterance string
}

// OneShot reports whether the invocation carries a request.
func (inv Invocation) OneShot() bool { return inv.Launch && inv.Utterance != "" }

// launchPhrases open a skill when said before its name.
var launchPhrases = [][]string{
	{"open"}, {"launch"}, {"start"}, {"begin"}, {"load"}, {"play"}, {"run"}, {"use"},
	{"resume"}, {"ask"}, {"tell"}, {"talk", "to"}, {"open", "up"}, {"start", "up"},
}

// connectors join the invocation name to a one-shot request after it:
// "ask X to ...", "ask X for ...", "tell X that ...", "open X and ...".
var connectors = [][]string{
	{"and", "then"}, {"to"}, {"for"}, {"about"}, {"if"}, {"whether"}, {"that"}, {"and"},
}

// suffixConnectors join a request to the invocation name after it:
// "start breathing with back spasm coach".
var suffixConnectors = []string{"using", "with", "from"}

// ParseInvocation recognises the ways Alexa lets a user open a custom skill
// by name, after an optional wake word "alexa" (and an optional "hey"):
//
//   - a launch word and the name: "open back spasm coach"; also launch,
//     start, begin, load, play, run, use, resume, ask, tell, talk to;
//   - one-shots, the same followed by a request, with or without a
//     connecting word: "ask back spasm coach to start breathing", "tell
//     back spasm coach I need help", "ask back spasm coach for the cold
//     pack timer", "open back spasm coach and start breathing";
//   - a request, a connecting word and the name: "start breathing with
//     back spasm coach" (using, with, from).
//
// Text that does not name the skill this way gives the zero Invocation.
func ParseInvocation(text, invocationName string) Invocation {
	words := tokenize(text)
	name := tokenize(invocationName)
	if len(name) == 0 {
		return Invocation{}
	}
	if len(words) > 0 && words[0] == "hey" {
		words = words[1:]
	}
	at := indexWords(words, name)
	if at < 0 {
		return Invocation{}
	}
	before, after := words[:at], words[at+len(name):]
	for _, lp := range launchPhrases {
		if !slices.Equal(before, lp) {
			continue
		}
		for _, c := range connectors {
			if hasPrefix(after, c) {
				after = after[len(c):]
				break
			}
		}
		return Invocation{Launch: true, Utterance: strings.Join(after, " ")}
	}
	if len(after) == 0 && len(before) > 1 && slices.Contains(suffixConnectors, before[len(before)-1]) {
		return Invocation{Launch: true, Utterance: strings.Join(before[:len(before)-1], " ")}
	}
	return Invocation{}
}

// indexWords returns where sub starts in words, or -1.
func indexWords(words, sub []string) int {
	for i := 0; i+len(sub) <= len(words); i++ {
		if slices.Equal(words[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// hasPrefix reports whether words starts with prefix.
func hasPrefix(words, prefix []string) bool {
	return len(words) >= len(prefix) && slices.Equal(words[:len(prefix)], prefix)
}
