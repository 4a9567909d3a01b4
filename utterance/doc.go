// Package utterance resolves typed text to an intent and slots the way
// Alexa's NLU would for the skill's interaction model, so that the local
// chat (cmd/spasmcoach chat) can turn what a developer types into the
// IntentRequest Alexa would send. It also recognises launch phrases
// ("open back spasm coach", "ask back spasm coach to start breathing").
//
// Resolution is by rule, not by machine learning: text is normalised
// (Normalize), then matched against the model's sample utterances as
// templates whose {slot} holes take slot values. The order of preference,
// best first (Resolver.Candidates lists every match in this order):
//
//  1. a sample without slots, word for word;
//  2. a common phrasing of a built-in intent the model declares ("yes",
//     "nope", "what can I say", ...), which Alexa knows without samples;
//  3. a sample with slots whose custom slot values are all values or
//     synonyms of their type; among several, the one with more words of
//     its own, then the one that comes first in the model;
//  4. steps 1 to 3 again, ignoring the words "a", "an", "the", "my" and
//     "some" and the intensifiers and fillers of speech ("really", "just",
//     "actually", "very", "so", "here", "then", "bit", "all", ...) in the
//     text and the samples;
//  5. a sample with slots where a custom slot holds words its type does not
//     list, word for word, then ignoring those words. Alexa treats slot
//     values as training data, not a closed list, and passes such words
//     through (with resolution status ER_SUCCESS_NO_MATCH), so the resolver
//     does too: for one to three words, and only in samples that have two
//     words or more besides their slots (counted as matched: without the
//     words step 4 ignores), and never words that the model uses only in
//     other intents' samples ("breathing" in "I'd like to try the
//     {exercise}");
//  6. steps 1 to 5 again without the lead-ins people say before a request
//     ("okay", "yeah", "all right", "so", "well", "oh", "help", "I think",
//     "can you", "I'd like to", "let's", ...), the tails they say after it ("for me", "thanks", "now",
//     "yesterday", "at all", ...) and hedges inside it ("kind of", "seem
//     to");
//  7. when the text is two things said at once, joined by "and", "but",
//     "or", "when" or "because", or with a new sentence starting at "I" ("my chest hurts and my
//     arm hurts", "it hurts so much I can't think"), or two requests of two
//     words or more one after the other that both match by steps 1 to 4
//     ("get me an ambulance ring nine nine nine"): steps 1 to 6 on each
//     part, and the first part that is an emergency (WarningSignIntent:
//     "I feel dizzy and my chest hurts" is about the chest), else the first
//     that is a custom intent, else the first ("I need help, I've fallen"
//     is about the fall);
//  8. anything else is AMAZON.FallbackIntent.
//
// Steps 1 to 3 give Confidence Exact, steps 4 to 7 Loose.
//
// An AMAZON.NUMBER slot takes one number, in digits or words ("fifteen",
// "twenty one", "a hundred and five"), and its value is digits, as Alexa
// sends it. Words that are not a number never fill it.
//
// An AMAZON.DURATION slot takes a length of time and its value is the
// ISO-8601 duration Alexa sends: "four days" is P4D, "three hours" PT3H,
// "a week" P1W, "a month" P1M, "an hour and a half" PT1H30M, "two days
// and three hours" P2DT3H. An AMAZON.DATE slot takes a day, week, month or
// year said relative to today, and its value is what Alexa sends: "today",
// "this morning" and "yesterday" are dates ("2026-12-05"); a weekday is
// the date on or after today that falls on it (Alexa's default for dates
// said without a year); "last monday" is the last Monday before today;
// "last week" is an ISO week ("2026-W48"), "this weekend" one with "-WE",
// "this month" is "2026-12". Today is the date of the clock given with
// WithClock; without a clock a DATE slot takes nothing. Words that these
// types cannot read never fill them (Alexa would send "?" or no value).
// A slot of another built-in type (the skill uses none) takes one to three
// words as said.
//
// A Match lists every slot its intent declares, filled or not, as the
// intent of an IntentRequest does; a custom slot's ID and Resolved are what
// entity resolution would report.
//
// # Where it differs from Alexa
//
// Alexa's language understanding is statistical: it generalises from the
// samples to phrasings that share none of their words, and weighs the
// whole utterance. This resolver only matches samples word for word, with
// the fixed lists of ignored words, lead-ins, tails and hedges above, so it
// is stricter: a phrasing far from every sample falls to the fallback here
// and may not on Alexa. Where it splits two things said at once it takes
// the first that matches; Alexa gives one intent for the whole. A custom
// slot takes unlisted words by the rules of step 5, where Alexa decides by
// its model. DATE reads only the forms listed above ("two days ago",
// "next monday", "the 3rd", seasons and "now" are Alexa's too, not this
// resolver's); a part of the day ("monday morning") is dropped; today is
// in the clock's time zone, where Alexa uses the device's. DURATION reads
// counts of units, "half an hour", "an hour and a half" (a half of a day,
// an hour or a minute) and "a couple of", not "a few". Typed text has no
// speech recognition errors.
package utterance
