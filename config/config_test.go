package config_test

import (
	"bytes"
	"context"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"spasmcoach/alexa"
	"spasmcoach/config"
	"spasmcoach/intents"
	"spasmcoach/intents/intentstest"
	"spasmcoach/store"
)

const (
	skillA = "amzn1.ask.skill.aaaaaaaa-0000-0000-0000-000000000001"
	skillB = "amzn1.ask.skill.bbbbbbbb-0000-0000-0000-000000000002"
)

// TestParse runs the rules over every program: the same value is valid or
// invalid for all of them; only what is required, and chat's default log
// level, differ.
func TestParse(t *testing.T) {
	all := []config.Program{config.Lambda, config.Serve, config.ServeDev, config.Chat}
	full := map[string]string{config.EnvTableName: "spasmcoach-state", config.EnvSkillID: skillA}
	with := func(k, v string) map[string]string {
		m := map[string]string{k: v}
		for key, val := range full {
			if key != k {
				m[key] = val
			}
		}
		return m
	}
	tests := []struct {
		name     string
		env      map[string]string
		programs []config.Program
		want     config.Config
		wantErr  string // a substring of the error; "" for none
	}{
		{
			name:     "table and one skill",
			env:      full,
			programs: all,
			want:     config.Config{TableName: "spasmcoach-state", SkillIDs: []string{skillA}, LogLevel: slog.LevelInfo},
		},
		{
			name: "everything, with spaces around",
			env: map[string]string{
				config.EnvTableName: " spasmcoach-state ",
				config.EnvSkillID:   " " + skillA + " , " + skillB + " ",
				config.EnvLogLevel:  " DEBUG ",
				config.EnvPacing:    " SSML ",
			},
			programs: all,
			want: config.Config{
				TableName: "spasmcoach-state",
				SkillIDs:  []string{skillA, skillB},
				LogLevel:  slog.LevelDebug,
				Pacing:    intents.PacingSSML,
			},
		},
		{
			name:     "several IDs: empty parts and repeats dropped, order kept",
			env:      with(config.EnvSkillID, skillB+",,"+skillA+","+skillB+","),
			programs: all,
			want:     config.Config{TableName: "spasmcoach-state", SkillIDs: []string{skillB, skillA}, LogLevel: slog.LevelInfo},
		},
		{
			name:     "log level with an offset",
			env:      with(config.EnvLogLevel, "warn+2"),
			programs: all,
			want:     config.Config{TableName: "spasmcoach-state", SkillIDs: []string{skillA}, LogLevel: slog.LevelWarn + 2},
		},
		{
			name:     "pacing apla",
			env:      with(config.EnvPacing, "apla"),
			programs: all,
			want:     config.Config{TableName: "spasmcoach-state", SkillIDs: []string{skillA}, LogLevel: slog.LevelInfo, Pacing: intents.PacingAPLA},
		},
		{
			name:     "empty environment, local tools",
			env:      nil,
			programs: []config.Program{config.ServeDev, config.Chat},
			want:     config.Config{LogLevel: slog.LevelInfo},
		},
		{
			name:     "no table: serve keeps an embedded file",
			env:      with(config.EnvTableName, "  "),
			programs: []config.Program{config.Serve},
			want:     config.Config{SkillIDs: []string{skillA}, LogLevel: slog.LevelInfo},
		},
		{
			name:     "ErrNoTable",
			env:      with(config.EnvTableName, " "),
			programs: []config.Program{config.Lambda},
			wantErr:  config.EnvTableName + " is not set",
		},
		{
			name:     "ErrNoSkillID",
			env:      with(config.EnvSkillID, ""),
			programs: []config.Program{config.Lambda, config.Serve},
			wantErr:  config.EnvSkillID + " is not set",
		},
		{
			name:     "ErrBlankSkillID",
			env:      with(config.EnvSkillID, " \t "),
			programs: []config.Program{config.Lambda, config.Serve},
			wantErr:  config.EnvSkillID + " is not set",
		},
		{
			name:     "ErrSkillIDOnlyComma",
			env:      with(config.EnvSkillID, ","),
			programs: all,
			wantErr:  config.EnvSkillID + ` is set to ",", which names no skill ID`,
		},
		{
			name:     "ErrSkillIDOnlyCommasAndSpaces",
			env:      with(config.EnvSkillID, " , ,"),
			programs: all,
			wantErr:  "names no skill ID",
		},
		{
			name:     "ErrSkillIDSpaceInside",
			env:      with(config.EnvSkillID, skillA+" "+skillB),
			programs: all,
			wantErr:  "has a space or control character",
		},
		{
			name:     "ErrSkillIDControlInside",
			env:      with(config.EnvSkillID, "amzn1.ask\x00.skill.1"),
			programs: all,
			wantErr:  "has a space or control character",
		},
		{
			name:     "ErrBadLogLevel",
			env:      with(config.EnvLogLevel, "loud"),
			programs: all,
			wantErr:  config.EnvLogLevel + `="loud" is not a log level`,
		},
		{
			name:     "ErrLogLevelWarning",
			env:      with(config.EnvLogLevel, "warning"),
			programs: all,
			wantErr:  config.EnvLogLevel,
		},
		{
			name:     "ErrBadPacing",
			env:      with(config.EnvPacing, "fast"),
			programs: all,
			wantErr:  config.EnvPacing,
		},
	}
	for _, tt := range tests {
		for _, p := range tt.programs {
			t.Run(tt.name+"/"+programName(p), func(t *testing.T) {
				got, err := config.Parse(func(k string) string { return tt.env[k] }, p)
				if tt.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
						t.Fatalf("Parse() = %+v, %v; want an error containing %q", got, err, tt.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatalf("Parse() error = %v", err)
				}
				want := tt.want
				if p == config.Chat && tt.env[config.EnvLogLevel] == "" {
					want.LogLevel = slog.LevelWarn // chat logs warnings only, unless told
				}
				if got.TableName != want.TableName || !slices.Equal(got.SkillIDs, want.SkillIDs) ||
					got.LogLevel != want.LogLevel || got.Pacing != want.Pacing {
					t.Errorf("Parse() = %+v, want %+v", got, want)
				}
			})
		}
	}
}

func programName(p config.Program) string {
	return map[config.Program]string{config.Lambda: "lambda", config.Serve: "serve", config.ServeDev: "serve-dev", config.Chat: "chat"}[p]
}

// TestNewHandler builds the handler from a configuration and runs turns
// through it: the skill IDs decide which requests are answered, the pacing
// how the breathing counts are sent, and a handler for any skill says so
// in the log.
func TestNewHandler(t *testing.T) {
	tests := []struct {
		name     string
		cfg      config.Config
		appID    string
		wantErr  error
		wantAPLA bool
		wantWarn bool
	}{
		{name: "listed skill, APLA", cfg: config.Config{SkillIDs: []string{skillA}}, appID: skillA, wantAPLA: true},
		{name: "second listed skill, SSML", cfg: config.Config{SkillIDs: []string{skillA, skillB}, Pacing: intents.PacingSSML}, appID: skillB},
		{name: "other skill refused", cfg: config.Config{SkillIDs: []string{skillA}}, appID: skillB, wantErr: intents.ErrSkillID},
		{name: "any skill, with a warning", cfg: config.Config{}, appID: skillB, wantAPLA: true, wantWarn: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := store.OpenEmbedded(filepath.Join(t.TempDir(), "state.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer func() { _ = db.Close() }()
			var logs bytes.Buffer
			logger := config.NewLogger(slog.NewTextHandler(&logs, nil))
			h, err := tt.cfg.NewHandler(db, logger)
			if err != nil {
				t.Fatalf("NewHandler: %v", err)
			}
			if warned := strings.Contains(logs.String(), "level=WARN") && strings.Contains(logs.String(), config.EnvSkillID+" is not set"); warned != tt.wantWarn {
				t.Errorf("start-up warning %v, want %v:\n%s", warned, tt.wantWarn, logs.String())
			}
			// The first session of the day starts with the warning signs;
			// the second goes straight to the breathing.
			var out []byte
			for range 2 {
				out, err = h.Invoke(context.Background(), breathingRequest(tt.appID))
				if tt.wantErr != nil {
					if !errors.Is(err, tt.wantErr) {
						t.Fatalf("Invoke: %v, want %v", err, tt.wantErr)
					}
					return
				}
				if err != nil {
					t.Fatalf("Invoke: %v", err)
				}
				intentstest.CheckResponse(t, out)
			}
			if !bytes.Contains(out, []byte("Breathe in")) {
				t.Fatalf("the second session does not breathe: %s", out)
			}
			if got := bytes.Contains(out, []byte(alexa.DirectiveAPLA)); got != tt.wantAPLA {
				t.Errorf("APLA directive %v, want %v: %s", got, tt.wantAPLA, out)
			}
		})
	}
}

// breathingRequest is "ask back spasm coach to start breathing" for the
// skill appID. Its API endpoint is a closed loopback port: the Settings
// call for the time zone fails at once, which the turn survives.
func breathingRequest(appID string) []byte {
	return []byte(`{"version":"1.0",
"session":{"new":true,"sessionId":"amzn1.echo-api.session.config-test","application":{"applicationId":"` + appID + `"},"attributes":{},"user":{"userId":"amzn1.ask.account.CONFIG-TEST"}},
"context":{"System":{"application":{"applicationId":"` + appID + `"},"user":{"userId":"amzn1.ask.account.CONFIG-TEST"},
"device":{"deviceId":"amzn1.ask.device.CONFIG-TEST","supportedInterfaces":{}},"apiEndpoint":"http://127.0.0.1:9","apiAccessToken":"token"}},
"request":{"type":"IntentRequest","requestId":"amzn1.echo-api.request.config-test","timestamp":"2026-03-02T08:30:00Z","locale":"en-US",
"intent":{"name":"` + intents.IntentStartBreathing + `","confirmationStatus":"NONE","slots":{}}}}`)
}

// TestEnvConstantsReadableFromSource checks what the deployment template's
// test relies on: config.go declares the environment variable names as
// plain string constants named Env*, and their doc comment lists them all.
func TestEnvConstantsReadableFromSource(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "config.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	var doc string
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "Env") {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Errorf("%s is not a string literal", name.Name)
					continue
				}
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				found[name.Name] = v
				doc = gd.Doc.Text()
			}
		}
	}
	want := map[string]string{"EnvTableName": "TABLE_NAME", "EnvSkillID": "SKILL_ID", "EnvLogLevel": "LOG_LEVEL", "EnvPacing": "SPEECH_PACING"}
	if len(found) != len(want) {
		t.Errorf("Env constants in config.go: %v, want %v", found, want)
	}
	for name, v := range found {
		if want[name] != v {
			t.Errorf("%s = %q, want %q", name, v, want[name])
		}
		if !strings.Contains(doc, v) {
			t.Errorf("the doc comment of the Env constants does not list %s", v)
		}
	}
}
