package infra

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// skillPackage is the skill package exactly as the ASK CLI deploys it.
//
//go:embed skill-package
var skillPackage embed.FS

// modelDir is the folder of the interaction models inside the skill package.
const modelDir = "interactionModels/custom"

// Errors returned by this package.
var (
	// ErrNoModel: there is no interaction model for the locale asked for.
	ErrNoModel = errors.New("infra: no interaction model for this locale")
	// ErrBadModel: an interaction model file is not valid (unknown field,
	// trailing data, missing language model).
	ErrBadModel = errors.New("infra: invalid interaction model")
)

// SkillPackage returns the embedded skill package as a file system rooted at
// the skill-package folder: "interactionModels/custom/en-US.json", and
// "skill.json" once the manifest exists.
func SkillPackage() fs.FS {
	sub, err := fs.Sub(skillPackage, "skill-package")
	if err != nil {
		// fs.Sub fails only for an invalid path; this one is a constant.
		panic(err)
	}
	return sub
}

// Locales returns the locales that have an interaction model, such as
// "en-US", sorted.
func Locales() []string {
	entries, err := fs.ReadDir(SkillPackage(), modelDir)
	if err != nil {
		return nil
	}
	var locales []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok && !e.IsDir() {
			locales = append(locales, name)
		}
	}
	slices.Sort(locales)
	return locales
}

// Model returns the language model of a locale ("en-US", "en-GB", ...),
// decoded strictly. Each call returns a fresh copy the caller may change.
// It returns an error wrapping ErrNoModel when the locale has no model, and
// one wrapping ErrBadModel when the file does not decode.
func Model(locale string) (*LanguageModel, error) {
	if !slices.Contains(Locales(), locale) {
		return nil, fmt.Errorf("load model %q: %w", locale, ErrNoModel)
	}
	data, err := fs.ReadFile(SkillPackage(), path.Join(modelDir, locale+".json"))
	if err != nil {
		return nil, fmt.Errorf("load model %q: %w", locale, err)
	}
	doc, err := Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("load model %q: %w", locale, err)
	}
	return &doc.InteractionModel.LanguageModel, nil
}

// Decode reads one interaction model file strictly: unknown fields, trailing
// data and a missing language model are errors wrapping ErrBadModel.
func Decode(r io.Reader) (*Document, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var doc Document
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode interaction model: %w: %w", ErrBadModel, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("decode interaction model: %w: data after the model", ErrBadModel)
	}
	if doc.InteractionModel.LanguageModel.InvocationName == "" {
		return nil, fmt.Errorf("decode interaction model: %w: no languageModel.invocationName", ErrBadModel)
	}
	return &doc, nil
}
