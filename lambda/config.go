package main

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"unicode"

	"spasmcoach/intents"
)

// Environment variables the function reads, the whole of its configuration
// (shared/design.md, "Contracts"):
//
//   - TABLE_NAME (required): the DynamoDB table that holds each user's
//     state.
//   - SKILL_ID: the skill IDs whose requests are answered, comma-separated;
//     requests for any other skill are refused. When unset, any skill ID is
//     accepted and a warning is logged at start-up: that is for local tools
//     only, and the deployment template always sets it.
//   - LOG_LEVEL: debug, info, warn or error (default info; any level
//     log/slog parses, such as "warn+2", is accepted).
//   - SPEECH_PACING: apla or ssml (default apla): how paced cues (breathing
//     counts, holds, exercise counts) are sent. apla plays them as an APL
//     for Audio document of exact slots, on the beat with any voice; ssml
//     times them in the outputSpeech by the speech model, for devices or
//     regions where APLA misbehaves.
//
// The AWS SDK reads its own standard variables as well (AWS_REGION,
// AWS_ENDPOINT_URL_DYNAMODB, the credentials); they are not listed here.
//
// Keep each one a plain string constant: a test of the deployment template
// reads them from this file's source.
const (
	envTableName = "TABLE_NAME"
	envSkillID   = "SKILL_ID"
	envLogLevel  = "LOG_LEVEL"
	envPacing    = "SPEECH_PACING"
)

// config is the function's configuration, read from the environment by
// parseConfig.
type config struct {
	// TableName is the DynamoDB table, from TABLE_NAME.
	TableName string
	// SkillIDs are the accepted skill IDs, from SKILL_ID, in the order
	// given and without duplicates. Empty means any skill ID is accepted.
	SkillIDs []string
	// LogLevel is the least severe level logged, from LOG_LEVEL.
	LogLevel slog.Level
	// Pacing is how paced cues are sent, from SPEECH_PACING.
	Pacing intents.Pacing
}

// errNoTableName is returned (wrapped) by parseConfig when TABLE_NAME is
// unset or blank.
var errNoTableName = errors.New("config: " + envTableName + " is not set: it must name the DynamoDB table that holds the users' state")

// parseConfig reads the configuration through getenv (os.Getenv in main; a
// map in tests). It fails when TABLE_NAME is missing, when SKILL_ID is set
// but names no usable skill ID, when LOG_LEVEL is not a level, or when
// SPEECH_PACING is neither apla nor ssml.
func parseConfig(getenv func(string) string) (config, error) {
	var c config
	c.TableName = strings.TrimSpace(getenv(envTableName))
	if c.TableName == "" {
		return config{}, errNoTableName
	}
	ids, err := parseSkillIDs(getenv(envSkillID))
	if err != nil {
		return config{}, err
	}
	c.SkillIDs = ids
	c.LogLevel, err = parseLogLevel(getenv(envLogLevel))
	if err != nil {
		return config{}, err
	}
	c.Pacing, err = intents.ParsePacing(getenv(envPacing))
	if err != nil {
		return config{}, fmt.Errorf("config: %s: %w", envPacing, err)
	}
	return c, nil
}

// parseSkillIDs splits a comma-separated SKILL_ID value. Blank or unset
// gives none (any skill accepted). Spaces around each ID are dropped, and
// so are repeated IDs; a value that is set but holds no ID (",") or an ID
// with a space or control character inside is an error, so that a typo
// never turns the allow-list off.
func parseSkillIDs(v string) ([]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var ids []string
	seen := map[string]bool{}
	for part := range strings.SplitSeq(v, ",") {
		id := strings.TrimSpace(part)
		if id == "" {
			continue
		}
		if strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			return nil, fmt.Errorf("config: %s: skill ID %q has a space or control character in it", envSkillID, id)
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("config: %s is set to %q, which names no skill ID (leave it unset to accept any)", envSkillID, v)
	}
	return ids, nil
}

// parseLogLevel parses LOG_LEVEL: blank or unset is info; otherwise any
// name log/slog understands, in any case ("debug", "INFO", "warn",
// "error", "info+2").
func parseLogLevel(v string) (slog.Level, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return slog.LevelInfo, nil
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(v)); err != nil {
		return 0, fmt.Errorf("config: %s=%q is not a log level (use debug, info, warn or error)", envLogLevel, v)
	}
	return l, nil
}
