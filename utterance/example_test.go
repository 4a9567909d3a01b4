package utterance_test

import (
	"fmt"
	"log"

	"spasmcoach/infra"
	"spasmcoach/utterance"
)

func ExampleResolver_Resolve() {
	m, err := infra.Model("en-US")
	if err != nil {
		log.Fatal(err)
	}
	r, err := utterance.NewResolver(m)
	if err != nil {
		log.Fatal(err)
	}
	match := r.Resolve("Set an ice pack timer for fifteen minutes, please.")
	fmt.Println(match.Intent, match.Confidence)
	fmt.Println("sample:", match.Sample)
	pack := match.Slots["pack"]
	fmt.Printf("pack: %q resolved to %q (id %s)\n", pack.Value, pack.Resolved, pack.ID)
	fmt.Printf("minutes: %q\n", match.Slots["minutes"].Value)

	fmt.Println(r.Resolve("what's the weather like").Intent)
	// Output:
	// SetPackTimerIntent exact
	// sample: set an {pack} timer for {minutes} minutes
	// pack: "ice pack" resolved to "cold" (id COLD)
	// minutes: "15"
	// AMAZON.FallbackIntent
}

func ExampleParseInvocation() {
	for _, text := range []string{
		"Alexa, open back spasm coach",
		"ask back spasm coach to start breathing",
		"next step",
	} {
		inv := utterance.ParseInvocation(text, "back spasm coach")
		fmt.Printf("%q: launch %v, one-shot %q\n", text, inv.Launch, inv.Utterance)
	}
	// Output:
	// "Alexa, open back spasm coach": launch true, one-shot ""
	// "ask back spasm coach to start breathing": launch true, one-shot "start breathing"
	// "next step": launch false, one-shot ""
}

func ExampleNormalize() {
	fmt.Println(utterance.Normalize("Alexa, what's step twenty-one?"))
	// Output: what is step 21
}
