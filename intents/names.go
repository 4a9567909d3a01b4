package intents

// Intent names of the interaction model
// (infra/skill-package/interactionModels/custom/*.json). Every one is routed
// by this package, and a test checks the model holds exactly these.
const (
	IntentStartBreathing   = "StartBreathingIntent"   // slots: breaths, minutes (AMAZON.NUMBER)
	IntentStartStretch     = "StartStretchIntent"     // no slots
	IntentStartExercise    = "StartExerciseIntent"    // slot: exercise (EXERCISE)
	IntentSetPackTimer     = "SetPackTimerIntent"     // slots: pack (PACK), minutes (AMAZON.NUMBER)
	IntentCancelPackTimer  = "CancelPackTimerIntent"  // no slots
	IntentPackTimeLeft     = "PackTimeLeftIntent"     // no slots
	IntentNextPack         = "NextPackIntent"         // no slots
	IntentIceOrHeat        = "IceOrHeatIntent"        // no slots
	IntentPreferPack       = "PreferPackIntent"       // slot: pack (PACK)
	IntentSlower           = "SlowerIntent"           // no slots
	IntentFaster           = "FasterIntent"           // no slots
	IntentLongExhale       = "LongExhaleIntent"       // no slots
	IntentSteadyBreathing  = "SteadyBreathingIntent"  // no slots
	IntentGoToStep         = "GoToStepIntent"         // slot: step (AMAZON.NUMBER)
	IntentWhereAmI         = "WhereAmIIntent"         // no slots
	IntentElapsed          = "ElapsedIntent"          // no slots
	IntentWarningSign      = "WarningSignIntent"      // no slots
	IntentDistress         = "DistressIntent"         // no slots
	IntentMedicine         = "MedicineIntent"         // no slots
	IntentWarningSignsList = "WarningSignsListIntent" // no slots
	IntentEpisodeStart     = "EpisodeStartIntent"     // slots: duration (AMAZON.DURATION), date (AMAZON.DATE)
	IntentForgetMe         = "ForgetMeIntent"         // no slots
	IntentLightHeaded      = "LightHeadedIntent"      // no slots
	IntentCallSomeone      = "CallSomeoneIntent"      // no slots

	IntentNext         = "AMAZON.NextIntent"
	IntentPrevious     = "AMAZON.PreviousIntent"
	IntentRepeat       = "AMAZON.RepeatIntent"
	IntentStartOver    = "AMAZON.StartOverIntent"
	IntentPause        = "AMAZON.PauseIntent"
	IntentResume       = "AMAZON.ResumeIntent"
	IntentHelp         = "AMAZON.HelpIntent"
	IntentStop         = "AMAZON.StopIntent"
	IntentCancel       = "AMAZON.CancelIntent"
	IntentFallback     = "AMAZON.FallbackIntent"
	IntentNavigateHome = "AMAZON.NavigateHomeIntent"
	IntentYes          = "AMAZON.YesIntent"
	IntentNo           = "AMAZON.NoIntent"
)

// Slot names and custom slot types of the interaction model.
const (
	SlotBreaths  = "breaths"
	SlotMinutes  = "minutes"
	SlotExercise = "exercise"
	SlotPack     = "pack"
	SlotStep     = "step"
	SlotDuration = "duration"
	SlotDate     = "date"

	// TypePack values: "cold" (synonyms ice, ice pack, cold pack, frozen
	// peas, cold compress, ...) and "heat" (heat pack, warm towel, moist
	// heat, hot water bottle, heating pad, ...).
	TypePack = "PACK"
	// TypeExercise values: "lying twist" (knee rolls, ...) and "seated
	// twist" (sitting twist, chair twist, ...).
	TypeExercise = "EXERCISE"
)
