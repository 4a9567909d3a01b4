// Command spasmcoach is the local program of Spasm Coach:
//
//	spasmcoach chat    talk to the skill by typing what you would say to Alexa
//	spasmcoach serve   host the skill as a web service Alexa can call over HTTPS
//
// Both run the same turn as the Lambda function (package intents), with
// state in an embedded file store by default, or in DynamoDB when
// TABLE_NAME is set. Run `spasmcoach help` for the flags and environment.
//
// Configuration is read here and nowhere below: flags; the skill's
// environment variables TABLE_NAME, SKILL_ID, LOG_LEVEL and SPEECH_PACING,
// with package config's rules (the Lambda function's); XDG_STATE_HOME and
// HOME for the default state file; and the AWS SDK's own (AWS_REGION,
// AWS_ENDPOINT_URL_DYNAMODB, ...).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// Exit codes of run.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// usage is the top-level help text.
const usage = `spasmcoach: the local program of Spasm Coach, an Alexa skill that coaches
you through an acute back spasm.

Usage:
  spasmcoach chat  [flags]   talk to the skill by typing what you would say to Alexa
  spasmcoach serve [flags]   host the skill as an HTTP(S) web service for Alexa
  spasmcoach help [command]  show this help, or a command's flags

Both commands run the same turn as the Lambda function. State is kept in an
embedded file (--db) unless TABLE_NAME is set, in which case it is kept in
that DynamoDB table (AWS SDK default configuration: AWS_REGION, credentials,
AWS_ENDPOINT_URL_DYNAMODB for a local DynamoDB-compatible server).

Environment:
  TABLE_NAME      DynamoDB table to keep state in, instead of the --db file
  SKILL_ID        skill IDs to accept, comma-separated (amzn1.ask.skill....);
                  required by serve; chat and serve --dev run without it
  LOG_LEVEL       debug, info, warn or error (default chat: warn, serve: info)
  SPEECH_PACING   apla (default) or ssml: how paced counts are sent
  XDG_STATE_HOME  where the default state file goes
                  (default $HOME/.local/state; file spasmcoach/state.db)

A variable that is set but not valid (SKILL_ID=",", LOG_LEVEL=loud) stops
the program, as it stops the Lambda function.
`

// run is the whole program: it parses args, runs the command, and returns
// the exit code. Everything it reads from outside comes in as arguments.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		writef(stderr, "%s", usage)
		return exitUsage
	}
	env := environment{getenv: getenv}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "chat":
		return runChat(ctx, rest, stdin, stdout, stderr, env)
	case "serve":
		return runServe(ctx, rest, stdout, stderr, env)
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			switch rest[0] {
			case "chat":
				return runChat(ctx, []string{"-h"}, stdin, stdout, stdout, env)
			case "serve":
				return runServe(ctx, []string{"-h"}, stdout, stdout, env)
			}
		}
		writef(stdout, "%s", usage)
		return exitOK
	default:
		writef(stderr, "spasmcoach: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
}

// printFlags prints fs's flags as PrintDefaults does, spelled with two
// dashes as the help texts spell them (the flag package takes both).
func printFlags(fs *flag.FlagSet) {
	var b bytes.Buffer
	out := fs.Output()
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(out)
	writef(out, "%s", strings.ReplaceAll("\n"+b.String(), "\n  -", "\n  --")[1:])
}

// newCommandFlags is the flag set of command name, which reports on stderr
// and shows usage, then the flags, for --help.
func newCommandFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		writef(fs.Output(), "%s", usage)
		printFlags(fs)
	}
	return fs
}

// parseCommand parses a command's flags. It reports false, with the exit
// code, when the command is not to run: help was asked for, or the
// arguments are wrong (said on stderr).
func parseCommand(fs *flag.FlagSet, args []string, stderr io.Writer) (code int, run bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		writef(stderr, "spasmcoach %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, false
	}
	return exitOK, true
}
