// Command bootstrap is Spasm Coach's AWS Lambda function, for the
// provided.al2023 runtime (built as `bootstrap`; see the Makefile's build
// target).
//
// At init it reads its configuration from the environment (see the env*
// constants in config.go: TABLE_NAME, SKILL_ID, LOG_LEVEL), loads the AWS
// config the SDK's usual way (so AWS_REGION and AWS_ENDPOINT_URL_DYNAMODB
// work unchanged), and builds every client once: the DynamoDB client with
// the store's retry settings, the DynamoDB store, the Alexa API client,
// and the intents handler. Then lambda.Start runs the Runtime API loop and
// hands each invocation's raw JSON to the intents handler, which answers
// every turn, failures included, with a spoken response.
//
// When init fails (no TABLE_NAME, say) it logs the reason, reports it to
// the Runtime API's init-error endpoint so that Lambda shows it, and exits
// with status 1.
//
// Logs are JSON lines (log/slog) on standard error, which Lambda sends to
// CloudWatch. Nothing here logs access tokens or raw user IDs; the intents
// handler logs each turn.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"spasmcoach/alexaapi"
	"spasmcoach/intents"
	"spasmcoach/logcap"
	"spasmcoach/store"
)

// awsConfigTimeout bounds loading the AWS config at init. In Lambda it
// reads only the environment; the limit matters where the SDK would look
// further (an EC2 metadata service that is not there).
const awsConfigTimeout = 5 * time.Second

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
	cfg, err := parseConfig(getenv)
	if err != nil {
		return nil, newLogger(logOut, slog.LevelInfo), &initError{kind: errTypeConfig, err: err}
	}
	logger := newLogger(logOut, cfg.LogLevel)
	awsCfg, err := loadAWSConfig(ctx)
	if err != nil {
		return nil, logger, &initError{kind: errTypeInit, err: err}
	}
	db := dynamodb.NewFromConfig(awsCfg, store.DynamoDBClientOptions)
	h, err := newHandler(cfg, db, alexaapi.NewHTTPClient(), logger)
	if err != nil {
		return nil, logger, &initError{kind: errTypeInit, err: err}
	}
	logger.Info("init done",
		slog.String("table", cfg.TableName),
		slog.Any("skillIds", cfg.SkillIDs),
		slog.String("logLevel", cfg.LogLevel.String()),
		slog.String("region", awsCfg.Region),
		slog.Bool("customDynamoDBEndpoint", getenv("AWS_ENDPOINT_URL_DYNAMODB") != ""),
	)
	return h, logger, nil
}

// loadAWSConfig loads the AWS config from the environment (and shared
// files, where there are any), as every AWS SDK program does. A config
// without a region is an error: every DynamoDB call would fail.
func loadAWSConfig(ctx context.Context) (aws.Config, error) {
	ctx, cancel := context.WithTimeout(ctx, awsConfigTimeout)
	defer cancel()
	cfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS config: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("load AWS config: no region: set AWS_REGION (Lambda sets it)")
	}
	return cfg, nil
}

// newHandler builds the store on db, the Alexa API client on hc, and the
// intents handler that uses them, as configured by cfg. It is main's wiring
// without the environment, so that tests build exactly what main builds
// around a client of their own.
func newHandler(cfg config, db store.DynamoDBClient, hc *http.Client, logger *slog.Logger) (*intents.Handler, error) {
	st, err := store.NewDynamoDB(db, cfg.TableName)
	if err != nil {
		return nil, err
	}
	alerts := alexaapi.New(hc, alexaapi.WithLogger(logger))
	opts := []intents.Option{
		intents.WithAlerts(alerts),
		intents.WithLogger(logger),
		intents.WithPacing(cfg.Pacing),
	}
	if len(cfg.SkillIDs) > 0 {
		opts = append(opts, intents.WithSkillIDs(cfg.SkillIDs...))
	}
	h, err := intents.New(st, opts...)
	if err != nil {
		return nil, fmt.Errorf("build intents handler: %w", err)
	}
	if h.AcceptsAnySkillID() {
		logger.Warn(envSkillID + " is not set: requests for any skill ID are accepted; " +
			"that is for local tools only, and a deployed function must set it")
	}
	return h, nil
}

// newLogger returns the JSON logger (to w, at level and above) for the
// whole process. Records logged with the context of an invocation carry
// its Lambda request ID as "awsRequestId". Every value is capped
// (logcap), so no input makes a line longer than logcap.MaxLine.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	h := slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level})
	return slog.New(logcap.NewHandler(requestIDHandler{h}))
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
