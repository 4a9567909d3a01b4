package main

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"testing"

	"spasmcoach/intents"
)

// env is a getenv over a map, for parseConfig.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    config
		wantErr string // a substring of the error; "" for none
	}{
		{
			name: "table only: any skill, info",
			env:  map[string]string{envTableName: "spasmcoach-state"},
			want: config{TableName: "spasmcoach-state", LogLevel: slog.LevelInfo},
		},
		{
			name: "everything",
			env: map[string]string{
				envTableName: " spasmcoach-state ",
				envSkillID:   "amzn1.ask.skill.a, amzn1.ask.skill.b",
				envLogLevel:  "debug",
				envPacing:    " SSML ",
			},
			want: config{
				TableName: "spasmcoach-state",
				SkillIDs:  []string{"amzn1.ask.skill.a", "amzn1.ask.skill.b"},
				LogLevel:  slog.LevelDebug,
				Pacing:    intents.PacingSSML,
			},
		},
		{
			name: "pacing apla",
			env:  map[string]string{envTableName: "t", envPacing: "apla"},
			want: config{TableName: "t", LogLevel: slog.LevelInfo, Pacing: intents.PacingAPLA},
		},
		{
			name:    "ErrNoTableName",
			env:     map[string]string{envSkillID: "amzn1.ask.skill.a"},
			wantErr: envTableName + " is not set",
		},
		{
			name:    "ErrBlankTableName",
			env:     map[string]string{envTableName: "  "},
			wantErr: envTableName + " is not set",
		},
		{
			name:    "ErrBadSkillID",
			env:     map[string]string{envTableName: "t", envSkillID: " , "},
			wantErr: envSkillID,
		},
		{
			name:    "ErrBadLogLevel",
			env:     map[string]string{envTableName: "t", envLogLevel: "verbose"},
			wantErr: envLogLevel,
		},
		{
			name:    "ErrBadPacing",
			env:     map[string]string{envTableName: "t", envPacing: "fast"},
			wantErr: envPacing,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig(env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseConfig() error = %v, want one about %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseConfig() error = %v", err)
			}
			if got.TableName != tt.want.TableName || !slices.Equal(got.SkillIDs, tt.want.SkillIDs) || got.LogLevel != tt.want.LogLevel {
				t.Errorf("parseConfig() = %+v, want %+v", got, tt.want)
			}
		})
	}
	t.Run("ErrNoTableName is errNoTableName", func(t *testing.T) {
		if _, err := parseConfig(env(nil)); !errors.Is(err, errNoTableName) {
			t.Errorf("error %v is not errNoTableName", err)
		}
	})
}

func TestParseSkillIDs(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr bool
	}{
		{name: "unset", in: "", want: nil},
		{name: "blank", in: " \t ", want: nil},
		{name: "one", in: "amzn1.ask.skill.1", want: []string{"amzn1.ask.skill.1"}},
		{name: "two with spaces", in: " amzn1.ask.skill.1 ,amzn1.ask.skill.2 ", want: []string{"amzn1.ask.skill.1", "amzn1.ask.skill.2"}},
		{name: "empty parts dropped", in: "amzn1.ask.skill.1,,", want: []string{"amzn1.ask.skill.1"}},
		{name: "duplicates dropped", in: "a,b,a", want: []string{"a", "b"}},
		{name: "ErrOnlyCommas", in: ",,", wantErr: true},
		{name: "ErrSpaceInside", in: "amzn1.ask.skill.1 amzn1.ask.skill.2", wantErr: true},
		{name: "ErrControlInside", in: "amzn1.ask\x00.skill.1", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSkillIDs(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseSkillIDs(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("parseSkillIDs(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseLogLevel(t *testing.T) {
	tests := []struct {
		in      string
		want    slog.Level
		wantErr bool
	}{
		{in: "", want: slog.LevelInfo},
		{in: "debug", want: slog.LevelDebug},
		{in: "DEBUG", want: slog.LevelDebug},
		{in: "info", want: slog.LevelInfo},
		{in: " Warn ", want: slog.LevelWarn},
		{in: "error", want: slog.LevelError},
		{in: "info+2", want: slog.LevelInfo + 2},
		{in: "warning", wantErr: true},
		{in: "loud", wantErr: true},
		{in: "3", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(strconv.Quote(tt.in), func(t *testing.T) {
			got, err := parseLogLevel(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseLogLevel(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("parseLogLevel(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// TestEnvConstantsReadableFromSource checks what the deployment template's
// test relies on: config.go declares the environment variable names as
// plain string constants named env*, and its doc comment lists them all.
func TestEnvConstantsReadableFromSource(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "config.go", nil, parser.ParseComments)
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
				if !strings.HasPrefix(name.Name, "env") {
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
	want := map[string]string{envTableName: "TABLE_NAME", envSkillID: "SKILL_ID", envLogLevel: "LOG_LEVEL", envPacing: "SPEECH_PACING"}
	if len(found) != len(want) {
		t.Errorf("env constants in config.go: %v, want the values %v", found, want)
	}
	for _, v := range found {
		if want[v] != v {
			t.Errorf("unexpected env constant value %q", v)
		}
		if !strings.Contains(doc, v) {
			t.Errorf("the doc comment of the env constants does not list %s", v)
		}
	}
}
