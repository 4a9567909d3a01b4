package skill

// Offer is an activity a step offers.
type Offer uint8

// Offers.
const (
	// OfferBreathing: the step offers paced breathing.
	OfferBreathing Offer = 1 << iota
	// OfferStretch: the step offers the gentle stretch.
	OfferStretch
	// OfferPack: the step offers a cold or heat pack timer.
	OfferPack
	// OfferExercise: the step offers the two exercises.
	OfferExercise
)

// StepInfo is one step of the routine: what to say about it and what it
// offers. Lines are short, one idea per breath.
type StepInfo struct {
	// Number is the step's number, FirstStep to LastStep.
	Number int
	// Title is the step's short name ("Slow breathing").
	Title string
	// Intro is said the first time in an episode that the user reaches
	// the step: with Prompt, at most about 20 seconds of speech.
	Intro []string
	// Short replaces Intro once the user has heard it.
	Short []string
	// Prompt ends the step's introduction with one clear thing to say.
	Prompt string
	// Reprompt adds guidance if the user stays silent.
	Reprompt string
	// Card is the step's full text for the Alexa app.
	Card string
	// Offers lists the activities the step offers.
	Offers Offer
	// Choices are the three things that make most sense to say on the
	// step with no activity in progress, as help lists them ("start
	// breathing, repeat, or next step").
	Choices string
}

// Has reports whether the step offers o.
func (s StepInfo) Has(o Offer) bool { return s.Offers&o != 0 }

// Steps is the routine, in order. Steps[i] is step i+1.
var Steps = [LastStep]StepInfo{
	{
		Number: 1,
		Title:  "Stop and rest",
		Intro: []string{
			"Step one. Stop and rest.",
			"Stop what you were doing. Don't push through the pain.",
			"Rest for a short while, and hold off work and lifting.",
			"Then gentle movement, as the pain allows, helps you recover.",
			"The same goes for sore hips, knees or neck.",
		},
		Short: []string{
			"Step one. Stop what you're doing, and rest for a little while. Don't push through it.",
		},
		Prompt:   "When you're ready to get somewhere flat, say next.",
		Reprompt: "Take your time. Say next when you're ready, or say help.",
		Card: "Stop the activity at once; don't push through the pain. Rest briefly, and hold off work and " +
			"heavy lifting for now. Long bed rest makes things worse: after a short rest, gentle movement as the " +
			"pain allows helps you recover. The same care holds for hips, knees and neck.",
		Choices: "next step, repeat, or go back",
	},
	{
		Number: 2,
		Title:  "Get to a flat surface",
		Intro: []string{
			"Step two. Get somewhere flat.",
			"Move slowly onto a bed or the floor.",
			"Lie on your back with a pillow under your knees,",
			"or on your side with one between them.",
			"Stay calm. You come first.",
			"This rest is brief. Gentle movement helps once it eases.",
		},
		Short: []string{
			"Step two. Lie somewhere flat, with a pillow under or between your knees.",
		},
		Prompt:   "Once you're comfortable, say next.",
		Reprompt: "Move slowly, there's no rush. Once you're settled, say next, and we'll slow your breathing.",
		Card: "Move carefully to a bed or the floor. Use pillows: on your back with one under your knees, " +
			"or on your side with one between your knees. Stay calm and make yourself the priority. " +
			"Lying still is only for a short time; gentle movement helps once the spasm eases. " +
			"Worth remembering for later: did it start while reaching or lifting, or out of the blue?",
		Offers:  OfferBreathing,
		Choices: "next step, repeat, or go back",
	},
	{
		Number: 3,
		Title:  "Slow breathing",
		Intro: []string{
			"Step three. Slow breathing.",
			"Quick, shallow breaths can set the back muscles off again.",
			"Slow breaths help them let go.",
			"You'll breathe in for five, hold for one, and breathe out for about three.",
			"Picture a tight knot loosening with every breath in.",
		},
		Short: []string{
			"Step three. Slow breathing, to help the muscle let go.",
		},
		Prompt:   "Say start breathing, and I'll count for you.",
		Reprompt: "I can count your breaths with you. Just say start breathing. Or say next step.",
		Card: "Breathe in for 5 seconds, pause for 1, breathe out for 3 to 4, with no pause after the out-breath. " +
			"About 6 breaths a minute. Picture a tight knot unravelling on each in-breath and the muscles " +
			"lengthening as your rib cage fills. Keep still. Say \"long exhale\" for in 4, out 6. " +
			"If you feel light-headed or short of air, stop and breathe normally.",
		Offers:  OfferBreathing,
		Choices: "start breathing, repeat, or next step",
	},
	{
		Number: 4,
		Title:  "Gentle stretch",
		Intro: []string{
			"Step four. A gentle stretch.",
			"Lie on your side, cross your arms, and curl forward, just a little.",
			"Move a tiny amount at a time, and hold each one.",
			"Only lengthen the muscle. Never force it.",
			"Rest between holds, and keep breathing slowly.",
		},
		Short: []string{
			"Step four. The gentle stretch: on your side, curling forward a tiny bit at a time.",
		},
		Prompt:   "Say start the stretch, and I'll time the holds.",
		Reprompt: "I'll guide each hold and each rest. Say start the stretch, or next step.",
		Card: "Lengthen the tight muscle by moving opposite to the contraction, in tiny increments, holding each. " +
			"Try lying on your side, arms crossed, curling forward. A helper can assist. Keep breathing slowly. " +
			"Only lengthen, never overstretch, and rest between holds without letting the muscle tighten again. " +
			"Easing can take minutes to hours. If it takes a very long time, get medical help.",
		Offers:  OfferStretch | OfferBreathing,
		Choices: "start the stretch, repeat, or next step",
	},
	{
		Number: 5,
		Title:  "Treat the area",
		Intro: []string{
			"Step five. Treat the area to keep it loose.",
			"Early on, twenty minutes of cold, in a thin towel.",
			"After three days, moist heat instead.",
			"Gentle massage helps, but not on the spine.",
			"For pain relief, follow the label and ask a pharmacist.",
		},
		Short: []string{
			"Step five. Treat the area with a cold or warm pack.",
		},
		Prompt:   "Say set a pack timer, or ask, ice or heat?",
		Reprompt: "I can time your pack on your Echo, so you can lie still. Say set a pack timer, or next step.",
		Card: "Cold pack in the first 48 to 72 hours: wrapped in a thin towel, 20 minutes on, again every 1 to 2 hours " +
			"as needed; take it off early if the skin goes numb, and skip cold if it only numbs while you stay stiff. " +
			"Moist heat after 72 hours: a warm wet towel or a warm shower. Not too much heat on a swollen joint, " +
			"and never fall asleep on a heating pad. Go with what works for you. Gentle massage along the muscle " +
			"helps, not directly over the spine, a joint or a nerve. Pain medicine only if needed: follow the label " +
			"and ask a pharmacist or doctor; it treats the pain, not the cause.",
		Offers:  OfferPack | OfferBreathing,
		Choices: "set a pack timer, repeat, or next step",
	},
	{
		Number: 6,
		Title:  "Drink some water",
		Intro: []string{
			"Step six. Drink some water, if you can reach it safely.",
			"Staying hydrated is simple comfort while you recover.",
			"For some people, low minerals play a part in spasms.",
			"Check with a doctor before taking any supplements.",
		},
		Short: []string{
			"Step six. Drink some water, and check with a doctor before any supplements.",
		},
		Prompt:   "When you're ready, say next.",
		Reprompt: "Say next to hear when to see a doctor, or say go back.",
		Card: "Drink enough fluids. Low calcium, magnesium or potassium can play a part in spasms for some people; " +
			"check with a doctor before taking supplements.",
		Choices: "next step, repeat, or go back",
	},
	{
		Number: 7,
		Title:  "When to see a doctor",
		Intro: []string{
			"Step seven. See a doctor soon, not urgently, if the pain is sharp, constant or worse at night, goes below the knee, or lasts past three days.",
			"Also if you've had cancer, an infection, unexplained weight loss, or weak bones or immunity.",
			"Or if it's new and you're under twenty or over fifty-five.",
		},
		Short: []string{
			"Step seven. See a doctor soon for sharp, constant or night pain, pain down a leg, or no change after three days.",
		},
		Prompt:   "Say next to go on.",
		Reprompt: "Say next for how to protect your back from here, or say repeat.",
		Card: "See a doctor soon (not an emergency): for sharp pain, when these steps don't help, with no improvement " +
			"after about 72 hours or not easing after a few weeks; if the pain is constant, worse at night or at rest, " +
			"or spreads down a leg below the knee; with a history of cancer, unexplained weight loss, a recent infection " +
			"or fever, a weakened immune system, long-term use of medicines that weaken it or the bones, or " +
			"osteoporosis; or if you are under about 20 or over about 55 and the back pain is new. A doctor can check " +
			"for causes such as a herniated or bulging disc, spinal stenosis, arthritis of the spine, lordosis, " +
			"scoliosis, spondylolysis or spondylolisthesis.",
		Choices: "next step, repeat, or go back",
	},
	{
		Number: 8,
		Title:  "Prevent the next one",
		Intro: []string{
			"Step eight. Prevent the next one.",
			"Don't rush into sit-ups, crunches or back extensions.",
			"Your back and hamstrings are likely tight already.",
			"And don't go straight back to what set it off.",
			"Long sitting shortens the muscles, so get up and move often.",
		},
		Short: []string{
			"Step eight. Ease back in: no sit-ups or crunches yet, and break up long sitting.",
		},
		Prompt:   "Say next for two gentle exercises.",
		Reprompt: "When you're ready, say next for the exercises, or say go back.",
		Card: "Two common mistakes: rushing into sit-ups, crunches or back extensions, and going straight back to " +
			"what you were doing. Watch your pelvic tilt: tight hip flexors or hamstrings can pull it and trigger " +
			"another spasm. Long hours of sitting at a desk, in a car or on a couch shorten the muscles.",
		Choices: "next step, repeat, or go back",
	},
	{
		Number: 9,
		Title:  "Two gentle exercises",
		Intro: []string{
			"Step nine. Two exercises to keep your spine loose.",
			"The lying twist is fine early on.",
			"The seated twist is for when you can move comfortably, and a doctor has checked your back.",
			"Never force the full range. Go a little further over several days.",
		},
		Short: []string{
			"Step nine. The lying twist, or later on, the seated twist.",
		},
		Prompt:   "Say start the lying twist, or start the seated twist.",
		Reprompt: "I'll talk you through each one. Say start the lying twist, or say help.",
		Card: "Lying twist (fine early): on your back, knees bent, roll both knees to one side, hold for one slow " +
			"breath, back to centre, then the other side; 5 repetitions to start. Seated twist (when you can move " +
			"comfortably and a doctor has checked your back): sit tall, turn gently to one side, hold, back to centre, other side; " +
			"small range, stop if pain increases. Never force the full range; work up a little over several days.",
		Offers:  OfferExercise | OfferBreathing,
		Choices: "start the lying twist, repeat, or go back",
	},
}

// StepAt returns step n, clamped to the routine's range.
func StepAt(n int) StepInfo {
	switch {
	case n < FirstStep:
		n = FirstStep
	case n > LastStep:
		n = LastStep
	}
	return Steps[n-1]
}

// Disclaimer is the one-line health disclaimer said on first use; the skill
// description carries it too.
const Disclaimer = "I give information only, not medical advice or a diagnosis. " +
	"For advice, call your doctor, and in an emergency, your local emergency number."

// DisclaimerShort is the disclaimer's first sentence, said with the answer
// when a brand-new user's first words are a safety question: that answer
// already says how to get help, and the full Disclaimer follows on start.
const DisclaimerShort = "I give information only, not medical advice or a diagnosis."

// warningSigns are the signs that mean getting help right away, one breath
// each. Sources: the NHS back pain page and cauda equina warning cards,
// Mayo Clinic, and NICE CKS low back pain (red flags).
var warningSigns = []string{
	"The pain started after a fall, an accident, or a blow to your back.",
	"Numbness or tingling around your buttocks, genitals or inner thighs.",
	"New trouble peeing, or losing control of your bladder or bowels.",
	"Weakness, numbness or tingling in both legs, or a leg getting weaker.",
	"A fever, chest pain, or pain or throbbing in your belly.",
}

// emergencyNumbers maps a locale to its emergency number, written so that
// it is read digit by digit.
var emergencyNumbers = map[string]string{
	"en-US": "9 1 1",
	"en-CA": "9 1 1",
	"en-GB": "9 9 9",
	"en-AU": "0 0 0",
	"en-IN": "1 1 2",
}

// EmergencyNumber returns the emergency number to name for a locale, as
// digits separated by spaces; "" when the locale has none on record (then
// only "your local emergency number" is said).
func EmergencyNumber(locale string) string { return emergencyNumbers[locale] }
