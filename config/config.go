// Package config is where Spasm Coach's programs (the Lambda function,
// `spasmcoach chat` and `spasmcoach serve`) read their configuration from
// the environment, with one set of rules for all of them, and where they
// build the turn handler from it, so that each runs the same handler with
// the same settings. Only the mains call it; nothing below them reads the
// environment.
package config

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"spasmcoach/alexaapi"
	"spasmcoach/intents"
	"spasmcoach/logcap"
	"spasmcoach/store"
)

// Environment variables of the skill's configuration, the same for every
// program:
//
//   - TABLE_NAME: the DynamoDB table that holds each user's state. The
//     Lambda function requires it; chat and serve keep state in an embedded
//     file when it is unset.
//   - SKILL_ID: the skill IDs whose requests are answered, comma-separated;
//     requests for any other skill are refused. The Lambda function and
//     serve (without --dev) require it; chat and serve --dev accept any
//     skill without it.
//   - LOG_LEVEL: debug, info, warn or error (any level log/slog parses,
//     such as "warn+2"); unset means info (chat: warn).
//   - SPEECH_PACING: apla or ssml (default apla): how paced cues (breathing
//     counts, holds, exercise counts) are sent. apla plays them as an APL
//     for Audio document of exact slots, on the beat with any voice; ssml
//     times them in the outputSpeech by the speech model, for devices or
//     regions where APLA misbehaves.
//
// A value that is set but not valid stops every program at start. The AWS
// SDK reads its own standard variables as well (AWS_REGION,
// AWS_ENDPOINT_URL_DYNAMODB, the credentials); they are not listed here.
//
// Keep each one a plain string constant: a test of the deployment template
// reads them from this file's source, and checks that the template sets
// every one.
const (
	EnvTableName = "TABLE_NAME"
	EnvSkillID   = "SKILL_ID"
	EnvLogLevel  = "LOG_LEVEL"
	EnvPacing    = "SPEECH_PACING"
)

// Program is the program reading the configuration: what it requires, and
// its default log level, depend on it.
type Program int

// The programs.
const (
	// Lambda, the deployed function: TABLE_NAME and SKILL_ID are required.
	Lambda Program = iota
	// Serve, `spasmcoach serve` verifying requests: SKILL_ID is required
	// (it is the verification's allow-list).
	Serve
	// ServeDev, `spasmcoach serve --dev` for local tools: nothing required.
	ServeDev
	// Chat, `spasmcoach chat`: nothing required, and the log level is warn
	// unless set, so that logs do not interrupt the conversation.
	Chat
)

// awsConfigTimeout bounds loading the AWS configuration. In Lambda it
// reads only the environment; the limit matters where the SDK would look
// further (an EC2 metadata service that is not there).
const awsConfigTimeout = 5 * time.Second

// Config is the skill's configuration, read from the environment by Parse.
type Config struct {
	// TableName is the DynamoDB table, from TABLE_NAME; "" means the
	// embedded store (never for Lambda).
	TableName string
	// SkillIDs are the accepted skill IDs, from SKILL_ID, in the order
	// given and without duplicates. Empty means any skill ID is accepted
	// (never for Lambda and Serve).
	SkillIDs []string
	// LogLevel is the least severe level logged, from LOG_LEVEL.
	LogLevel slog.Level
	// Pacing is how paced cues are sent, from SPEECH_PACING.
	Pacing intents.Pacing
}

// Parse reads the configuration of program p through getenv (os.Getenv in
// main; a map in tests). It fails when a value is set but invalid (SKILL_ID
// that names no ID or has a space inside one, LOG_LEVEL that is not a
// level, SPEECH_PACING that is neither apla nor ssml) and when p requires a
// variable that is unset or blank.
func Parse(getenv func(string) string, p Program) (Config, error) {
	c := Config{TableName: strings.TrimSpace(getenv(EnvTableName))}
	if c.TableName == "" && p == Lambda {
		return Config{}, fmt.Errorf("config: %s is not set: it must name the DynamoDB table that holds the users' state", EnvTableName)
	}
	var err error
	if c.SkillIDs, err = parseSkillIDs(getenv(EnvSkillID)); err != nil {
		return Config{}, err
	}
	if len(c.SkillIDs) == 0 && (p == Lambda || p == Serve) {
		return Config{}, fmt.Errorf("config: %s is not set: it must list the skill's ID (amzn1.ask.skill....), "+
			"so that requests for other skills are refused (only chat and serve --dev run without one)", EnvSkillID)
	}
	def := slog.LevelInfo
	if p == Chat {
		def = slog.LevelWarn
	}
	if c.LogLevel, err = parseLogLevel(getenv(EnvLogLevel), def); err != nil {
		return Config{}, err
	}
	if c.Pacing, err = intents.ParsePacing(getenv(EnvPacing)); err != nil {
		return Config{}, fmt.Errorf("config: %s: %w", EnvPacing, err)
	}
	return c, nil
}

// parseSkillIDs splits a comma-separated SKILL_ID value. Blank or unset
// gives none. Spaces around each ID are dropped, and so are repeated IDs; a
// value that is set but holds no ID (",") or an ID with a space or control
// character inside is an error, so that a typo never turns the allow-list
// off.
func parseSkillIDs(v string) ([]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var ids []string
	for part := range strings.SplitSeq(v, ",") {
		id := strings.TrimSpace(part)
		if strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			return nil, fmt.Errorf("config: %s: skill ID %q has a space or control character in it", EnvSkillID, id)
		}
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("config: %s is set to %q, which names no skill ID", EnvSkillID, v)
	}
	return ids, nil
}

// parseLogLevel parses LOG_LEVEL: blank or unset is def; otherwise any
// name log/slog understands, in any case ("debug", "INFO", "warn",
// "error", "info+2").
func parseLogLevel(v string, def slog.Level) (slog.Level, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return def, nil
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(v)); err != nil {
		return 0, fmt.Errorf("config: %s=%q is not a log level (use debug, info, warn or error)", EnvLogLevel, v)
	}
	return l, nil
}

// NewLogger returns a program's logger writing to h (which applies the
// level and the format), with every value capped (logcap), so that no
// request makes a log line longer than logcap.MaxLine or splits it.
func NewLogger(h slog.Handler) *slog.Logger {
	return slog.New(logcap.NewHandler(h))
}

// NewDynamoDBClient loads the AWS configuration the SDK's usual way (the
// environment, and shared files where there are any) and returns a
// DynamoDB client with the store's retry settings. A configuration without
// a region is an error: every call would fail.
func NewDynamoDBClient(ctx context.Context) (*dynamodb.Client, error) {
	ctx, cancel := context.WithTimeout(ctx, awsConfigTimeout)
	defer cancel()
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	if cfg.Region == "" {
		return nil, errors.New("load AWS config: no region: set AWS_REGION (Lambda sets it)")
	}
	return dynamodb.NewFromConfig(cfg, store.DynamoDBClientOptions), nil
}

// NewHandler builds the turn handler every program runs, on st: the Alexa
// API client (alexaapi.NewHTTPClient: no redirects, no proxy from the
// environment), logger, c's skill IDs and pacing. When c accepts any skill
// ID it logs a warning: that is for local tools only.
func (c Config) NewHandler(st intents.Store, logger *slog.Logger) (*intents.Handler, error) {
	alerts := alexaapi.New(alexaapi.NewHTTPClient(), alexaapi.WithLogger(logger))
	h, err := intents.New(st,
		intents.WithAlerts(alerts),
		intents.WithLogger(logger),
		intents.WithSkillIDs(c.SkillIDs...),
		intents.WithPacing(c.Pacing),
	)
	if err != nil {
		return nil, fmt.Errorf("build the skill handler: %w", err)
	}
	if h.AcceptsAnySkillID() {
		logger.Warn(EnvSkillID + " is not set: requests for any skill ID are accepted; " +
			"that is for local tools only (chat, serve --dev)")
	}
	return h, nil
}
