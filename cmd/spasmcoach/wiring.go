package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"spasmcoach/config"
	"spasmcoach/intents"
	"spasmcoach/store"
)

// environment is the process's environment. The skill's configuration in
// it is read by config.Parse; what is read here is the local program's own
// (where the default state file goes). Only main's commands use it;
// nothing below them reads the environment.
type environment struct {
	getenv func(string) string
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
// (config.NewLogger), so that no request makes a line longer than
// logcap.MaxLine.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return config.NewLogger(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
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

// openStore opens the DynamoDB table when there is one (TABLE_NAME), else
// the embedded store at dbPath (the default path when dbPath is empty). A
// dbPath whose directory does not exist is an error (a typo must not start
// a fresh state); only the default location's directories are created.
// When the state file was damaged, it says so once on stderr and in the
// log.
func openStore(ctx context.Context, env environment, table, dbPath string, stderr io.Writer, logger *slog.Logger) (*stateStore, error) {
	if table != "" {
		client, err := config.NewDynamoDBClient(ctx)
		if err != nil {
			return nil, err
		}
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
		writef(stderr, "spasmcoach: the state file %s was damaged (%v); it was moved to %s and a fresh state file started\n",
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
