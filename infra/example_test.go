package infra_test

import (
	"fmt"
	"io/fs"
	"log"

	"spasmcoach/infra"
)

func ExampleModel() {
	m, err := infra.Model("en-GB")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.InvocationName)
	timer := m.Intent("SetPackTimerIntent")
	for _, s := range timer.Slots {
		fmt.Println(s.Name, s.Type)
	}
	for _, v := range m.SlotType(timer.Slot("pack").Type).Values {
		fmt.Println(v.ID, v.Name.Value)
	}
	// Output:
	// back spasm coach
	// pack PACK
	// minutes AMAZON.NUMBER
	// COLD cold
	// HEAT heat
}

func ExampleLocales() {
	fmt.Println(infra.Locales())
	// Output: [en-AU en-CA en-GB en-IN en-US]
}

func ExampleSkillPackage() {
	data, err := fs.ReadFile(infra.SkillPackage(), "interactionModels/custom/en-US.json")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(data) > 0)
	// Output: true
}
