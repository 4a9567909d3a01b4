// Command bootstrap is Spasm Coach's AWS Lambda function, for the
// provided.al2023 runtime (built as `bootstrap`; see the Makefile's build
// target).
//
// At init it reads its configuration from the environment with package
// config's rules for Lambda (TABLE_NAME and SKILL_ID required; LOG_LEVEL,
// SPEECH_PACING), loads the AWS config the SDK's usual way (so AWS_REGION
// and AWS_ENDPOINT_URL_DYNAMODB work unchanged), and builds every client
// once: the DynamoDB client with the store's retry settings, the DynamoDB
// store, and the turn handler config builds for every program (with the
// Alexa API client). Then lambda.Start runs the Runtime API loop and
// hands each invocation's raw JSON to the intents handler, which answers
// every turn, failures included, with a spoken response.
//
// When init fails (no SKILL_ID, say) it logs the reason, reports it to
// the Runtime API's init-error endpoint so that Lambda shows it, and exits
// with status 1.
//
// Logs are JSON lines (log/slog) on standard error, which Lambda sends to
// CloudWatch. Nothing here logs access tokens or raw user IDs; the intents
// handler logs each turn.
package main

import (
	"context"
	"io"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"spasmcoach/config"
	"spasmcoach/intents"
	"spasmcoach/store"
)

func main() {
	h, logger, err := setup(context.Background(), os.Getenv, os.Stderr)
	// What libraries print with the log package (aws-lambda-go does)
	// comes out as JSON too.
	slog.SetDefault(logger)
	if err != nil {
		failInit(logger, err)
	}
	lambda.Start(h)
}

// setup does the whole init: configuration, logger, AWS config, clients,
// handler. On failure it still returns a logger (a default one when the
// configuration could not be read) for reporting the error.
func setup(ctx context.Context, getenv func(string) string, logOut io.Writer) (lambda.Handler, *slog.Logger, error) {
	cfg, err := config.Parse(getenv, config.Lambda)
	if err != nil {
		return nil, newLogger(logOut, slog.LevelInfo), &initError{kind: errTypeConfig, err: err}
	}
	logger := newLogger(logOut, cfg.LogLevel)
	db, err := config.NewDynamoDBClient(ctx)
	if err != nil {
		return nil, logger, &initError{kind: errTypeInit, err: err}
	}
	h, err := newHandler(cfg, db, logger)
	if err != nil {
		return nil, logger, &initError{kind: errTypeInit, err: err}
	}
	logger.Info("init done",
		slog.String("table", cfg.TableName),
		slog.Any("skillIds", cfg.SkillIDs),
		slog.String("logLevel", cfg.LogLevel.String()),
		slog.String("region", db.Options().Region),
		slog.Bool("customDynamoDBEndpoint", getenv("AWS_ENDPOINT_URL_DYNAMODB") != ""),
	)
	return h, logger, nil
}

// newHandler builds the DynamoDB store on db and the turn handler on it,
// as configured by cfg. It is main's wiring without the environment, so
// that tests build exactly what main builds around a client of their own.
func newHandler(cfg config.Config, db store.DynamoDBClient, logger *slog.Logger) (*intents.Handler, error) {
	st, err := store.NewDynamoDB(db, cfg.TableName)
	if err != nil {
		return nil, err
	}
	return cfg.NewHandler(st, logger)
}

// newLogger returns the JSON logger (to w, at level and above) for the
// whole process. Records logged with the context of an invocation carry
// its Lambda request ID as "awsRequestId". Every value is capped
// (logcap), so no input makes a line longer than logcap.MaxLine.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
	return config.NewLogger(requestIDHandler{h})
}

// requestIDHandler adds the Lambda request ID (lambdacontext) of the
// context a record is logged with.
type requestIDHandler struct{ slog.Handler }

// Handle adds "awsRequestId" when ctx belongs to an invocation.
func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc.AwsRequestID != "" {
		r = r.Clone()
		r.AddAttrs(slog.String("awsRequestId", lc.AwsRequestID))
	}
	return h.Handler.Handle(ctx, r)
}

// WithAttrs keeps the request ID on loggers derived with With.
func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

// WithGroup keeps the request ID on loggers derived with WithGroup.
func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

// failInit logs err, reports it to the Lambda Runtime API when there is
// one, and exits with status 1.
func failInit(logger *slog.Logger, err error) {
	logger.Error("init failed", slog.String("error", err.Error()))
	if api := os.Getenv(envRuntimeAPI); api != "" {
		if rerr := reportInitError(context.Background(), api, err); rerr != nil {
			logger.Error("report init error to the Lambda Runtime API", slog.String("error", rerr.Error()))
		}
	}
	os.Exit(1)
}
