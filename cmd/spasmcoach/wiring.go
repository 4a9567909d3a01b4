package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"spasmcoach/alexaapi"
	"spasmcoach/intents"
	"spasmcoach/logcap"
	"spasmcoach/store"
)

// environment reads the configuration the environment holds. Only main's
// commands use it; nothing below them reads the environment.
type environment struct {
	getenv func(string) string
}

// tableName is the DynamoDB table to use, "" for the embedded store.
func (e environment) tableName() string { return strings.TrimSpace(e.getenv("TABLE_NAME")) }

// skillIDs is the allow-list of skill IDs, from the comma-separated
// SKILL_ID; empty means any.
func (e environment) skillIDs() []string {
	var ids []string
	for id := range strings.SplitSeq(e.getenv("SKILL_ID"), ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// logLevel is LOG_LEVEL, or def when it is unset or unknown.
func (e environment) logLevel(def slog.Level) slog.Level {
	var l slog.Level
	if v := strings.TrimSpace(e.getenv("LOG_LEVEL")); v != "" && l.UnmarshalText([]byte(v)) == nil {
		return l
	}
	return def
}

// pacing is SPEECH_PACING, how paced cues are sent: apla (the default) or
// ssml, as in the Lambda function.
func (e environment) pacing() (intents.Pacing, error) {
	p, err := intents.ParsePacing(e.getenv("SPEECH_PACING"))
	if err != nil {
		return 0, fmt.Errorf("SPEECH_PACING: %w", err)
	}
	return p, nil
}

// defaultDBPath is the default state file:
// $XDG_STATE_HOME/spasmcoach/state.db, else
// $HOME/.local/state/spasmcoach/state.db.
func (e environment) defaultDBPath() (string, error) {
	if dir := e.getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "spasmcoach", "state.db"), nil
	}
	home := e.getenv("HOME")
	if !filepath.IsAbs(home) {
		return "", errors.New("no state directory: neither XDG_STATE_HOME nor HOME is an absolute path; pass --db PATH")
	}
	return filepath.Join(home, ".local", "state", "spasmcoach", "state.db"), nil
}

// newLogger returns a text logger on w at level whose values are capped
// (logcap), so that no request makes a line longer than logcap.MaxLine.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(logcap.NewHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level})))
}

// stateStore is what the turn keeps state in: intents' store interface,
// with a way to release it.
type stateStore struct {
	intents.Store
	// desc says where state is kept, for the start-up log line.
	desc  string
	close func() error
}

// Close releases the store.
func (s *stateStore) Close() error {
	if s.close == nil {
		return nil
	}
	return s.close()
}

// openStore opens DynamoDB when TABLE_NAME is set, else the embedded store
// at dbPath (the default path when dbPath is empty). A dbPath whose
// directory does not exist is an error (a typo must not start a fresh
// state); only the default location's directories are created. When the
// state file was damaged, it says so once on stderr and in the log.
func openStore(ctx context.Context, env environment, dbPath string, stderr io.Writer, logger *slog.Logger) (*stateStore, error) {
	if table := env.tableName(); table != "" {
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, fmt.Errorf("load AWS configuration: %w", err)
		}
		client := dynamodb.NewFromConfig(cfg, store.DynamoDBClientOptions)
		db, err := store.NewDynamoDB(client, table)
		if err != nil {
			return nil, fmt.Errorf("open DynamoDB store: %w", err)
		}
		return &stateStore{Store: db, desc: "DynamoDB table " + table}, nil
	}
	if dbPath == "" {
		p, err := env.defaultDBPath()
		if err != nil {
			return nil, err
		}
		dbPath = p
	} else if err := checkDBDir(dbPath); err != nil {
		return nil, err
	}
	db, err := store.OpenEmbedded(dbPath)
	if err != nil {
		return nil, fmt.Errorf("open state file: %w", err)
	}
	if r := db.Recovery(); r != nil {
		fmt.Fprintf(stderr, "spasmcoach: the state file %s was damaged (%v); it was moved to %s and a fresh state file started\n",
			dbPath, r.Cause, r.MovedTo)
		logger.Error("state file damaged; moved aside and started afresh",
			"file", dbPath, "movedTo", r.MovedTo, "cause", r.Cause)
	}
	return &stateStore{Store: db, desc: "file " + dbPath, close: db.Close}, nil
}

// checkDBDir reports an error unless the directory of a --db path exists.
func checkDBDir(dbPath string) error {
	dir := filepath.Dir(dbPath)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("--db %s: the directory %s does not exist (a typo?); create it first", dbPath, dir)
	case err != nil:
		return fmt.Errorf("--db %s: %w", dbPath, err)
	case !fi.IsDir():
		return fmt.Errorf("--db %s: %s is not a directory", dbPath, dir)
	}
	return nil
}

// turnHandler runs one Alexa turn: request JSON in, response JSON out. It
// is what intents.Handler provides and what Lambda invokes.
type turnHandler interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

var _ turnHandler = (*intents.Handler)(nil)

// newTurnHandler builds the intents handler the way the Lambda does: the
// store, the Alexa API client (on alexaapi.NewHTTPClient, as in Lambda: no
// redirects, no proxy from the environment), the skill ID allow-list, the
// logger and the pacing.
func newTurnHandler(st intents.Store, skillIDs []string, logger *slog.Logger, pacing intents.Pacing) (*intents.Handler, error) {
	alerts := alexaapi.New(alexaapi.NewHTTPClient(), alexaapi.WithLogger(logger))
	h, err := intents.New(st,
		intents.WithAlerts(alerts),
		intents.WithLogger(logger),
		intents.WithSkillIDs(skillIDs...),
		intents.WithPacing(pacing),
	)
	if err != nil {
		return nil, fmt.Errorf("build the skill handler: %w", err)
	}
	return h, nil
}
