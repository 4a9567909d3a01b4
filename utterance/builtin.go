package utterance

// builtinPhrases are common ways of saying the standard built-in intents.
// Alexa knows these without sample utterances; the resolver uses them for
// each built-in intent the model declares. Samples in the model come first:
// a phrase here that is a sample of another intent resolves to that intent.
// "exit" is missing on purpose: Alexa ends the session on it with a
// SessionEndedRequest (reason USER_INITIATED), not with an intent.
var builtinPhrases = map[string][]string{
	"AMAZON.YesIntent": {
		"yes", "yeah", "yep", "yup", "yes please", "sure", "okay", "ok", "all right",
		"go ahead", "please do", "sounds good", "of course", "correct", "that's right",
		"i do", "yes i do", "definitely", "absolutely", "why not",
	},
	"AMAZON.NoIntent": {
		"no", "nope", "nah", "no thanks", "no thank you", "not now", "not really",
		"i don't think so", "i don't", "no i don't", "not yet", "no way",
	},
	"AMAZON.StopIntent": {
		"stop", "stop it", "quit", "enough", "that's enough", "i'm done", "be quiet",
		"quiet", "shut up", "goodbye", "good bye", "bye", "off", "turn off", "leave",
	},
	"AMAZON.CancelIntent": {
		"cancel", "cancel that", "never mind", "forget it",
	},
	"AMAZON.HelpIntent": {
		"help", "help me", "can you help me", "i need help", "what can i say",
		"what can i do", "what do i say", "what do i do", "how does this work",
		"what are my options", "options", "i'm confused", "i'm lost",
	},
	"AMAZON.NextIntent": {
		"next", "next one", "what's next", "move on", "go forward", "forward",
	},
	"AMAZON.PreviousIntent": {
		"back", "previous", "previous one", "go backwards", "back up",
	},
	"AMAZON.RepeatIntent": {
		"repeat", "repeat please", "can you repeat that", "pardon", "pardon me",
		"sorry", "come again", "say again",
	},
	"AMAZON.StartOverIntent": {
		"start over", "restart", "start again", "begin again", "reset",
		"start from scratch", "from the beginning",
	},
	"AMAZON.PauseIntent": {
		"pause", "wait", "hold on", "hang on", "one second", "one sec", "just a moment",
		"give me a second", "wait a minute", "wait a second",
	},
	"AMAZON.ResumeIntent": {
		"resume", "continue", "unpause", "go on", "keep going", "carry on", "let's go",
	},
	"AMAZON.NavigateHomeIntent": {
		"home", "go home", "main menu", "go to the main menu", "home screen",
	},
}
