// Package infra holds the deployment side of Spasm Coach (the CloudFormation
// template, the deploy script and the ASK CLI build hook) and embeds the
// Alexa skill package (ASK CLI layout: skill-package/skill.json and
// skill-package/interactionModels/custom/<locale>.json) so that Go code and
// tests can read it: chat resolves typed text through the same interaction
// model Alexa is given, and the tests check the manifest, the models and
// the template against what the code expects before a deploy does. The
// package lives inside infra/ because go:embed cannot reach parent folders.
//
// Model decodes one locale's interaction model strictly: a field the types
// here do not know is an error, so a typo in the JSON fails the tests instead
// of being silently ignored by Go and rejected later by the Alexa build.
// SkillPackage gives the raw files.
//
// The five locale models are generated from one source, modelsrc/model.txt,
// so that they stay in step with their local words (emergency numbers,
// "bum" or "butt", "heat pad" or "heating pad"): edit the source, then run
// `go test ./infra -run TestModelsGenerated -update`. The test fails when a
// model file differs from what the source gives. testdata/corpus.tsv holds
// what people in pain say, each line with the intent it must reach;
// TestCorpus resolves it through the resolver of spasmcoach chat and prints
// the figures.
package infra
