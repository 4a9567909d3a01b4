package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"spasmcoach/alexaverify"
	"spasmcoach/config"
	"spasmcoach/intents"
)

const serveUsage = `Usage: spasmcoach serve [flags]

Host the skill as a web service Alexa can call instead of the Lambda
function: POST requests to --path run the same turn as Lambda; GET /healthz
answers "ok" for load balancers and is never verified.

Every request is verified before anything is decoded or stored, as Amazon
requires of a web service: the SignatureCertChainUrl rules, the certificate
chain (downloaded once and cached until it expires; dates,
echo-api.amazon.com, a trusted root), the Signature-256 signature of the raw
body, a timestamp within 150 seconds (one hour for skill events) and the
SKILL_ID allow-list. A refused request gets HTTP 400 and one log line that
names the rule. Bodies over 256 KiB are refused too. The chain is checked
against the system's root certificates (Debian: package ca-certificates).

Alexa calls only https on port 443 with a certificate it trusts, so either:
  - serve HTTPS yourself: --addr :443 --tls-cert fullchain.pem --tls-key key.pem
    (the certificate's SAN must name the endpoint's host; in the developer
    console choose the certificate type that matches: trusted, wildcard, or
    self-signed for development only; binding port 443 needs root or
    CAP_NET_BIND_SERVICE); or
  - serve plain HTTP on loopback (the default, 127.0.0.1:8080) behind a
    TLS-terminating reverse proxy or tunnel on the same machine, and give
    Alexa the proxy's https URL. The proxy must pass the body and the
    Signature-256 and SignatureCertChainUrl headers through unchanged.

--dev turns verification off for local tools (curl, virtual-alexa, load
tests). It refuses to listen on anything but loopback (localhost,
127.0.0.0/8, ::1), checked on the address actually bound.

Environment: TABLE_NAME (DynamoDB instead of --db), SKILL_ID (the skill's ID,
or several comma-separated: the allow-list for verification and the
handler; required unless --dev, which accepts any skill without it and
logs a warning), LOG_LEVEL (default info), SPEECH_PACING (apla or ssml),
and the AWS SDK's variables. A value that is set but invalid stops serve.

Flags:
`

// Limits of the web service.
const (
	// maxRequestBody is the largest request body accepted. Alexa's requests
	// are a few kilobytes.
	maxRequestBody = alexaverify.DefaultMaxRequestBytes
	// alexaDeadline is how long Alexa waits for a skill's response.
	alexaDeadline = 8 * time.Second
	// verifyBudget is how long verification may take, waiting for a
	// certificate download slot and for the download included, so that
	// with the turn's budget the answer comes within alexaDeadline. A
	// download still running then completes (up to
	// alexaverify.DefaultCertFetchTimeout) and is cached for the next request.
	verifyBudget = alexaDeadline - intents.DefaultTurnBudget
	// The server's timeouts.
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 15 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 32 << 10
	// shutdownTimeout is how long a signal waits for requests in flight.
	shutdownTimeout = 10 * time.Second
	// healthPath is the load balancers' health check.
	healthPath = "/healthz"
)

// serveConfig is what the serve flags say.
type serveConfig struct {
	addr    string
	path    string
	tlsCert string
	tlsKey  string
	db      string
	dev     bool
}

// runServe is the serve command.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) int {
	var cfg serveConfig
	fs := newCommandFlags("serve", serveUsage, stderr)
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "listen `address`; :443 to take Alexa's calls directly (with --tls-cert and --tls-key); port 0 picks a free port")
	fs.StringVar(&cfg.path, "path", "/", "URL `path` of the skill endpoint")
	fs.StringVar(&cfg.tlsCert, "tls-cert", "", "serve HTTPS with this certificate chain (PEM `file`)")
	fs.StringVar(&cfg.tlsKey, "tls-key", "", "the private key (PEM `file`) of --tls-cert")
	fs.StringVar(&cfg.db, "db", "", "state `file` (default as for chat; ignored when TABLE_NAME is set)")
	fs.BoolVar(&cfg.dev, "dev", false, "development mode: no request verification, loopback only")
	fs.BoolVar(&cfg.dev, "insecure-skip-verify", false, "same as --dev")
	if code, run := parseCommand(fs, args, stderr); !run {
		return code
	}
	if err := cfg.check(); err != nil {
		writef(stderr, "spasmcoach serve: %v\n", err)
		return exitUsage
	}
	if err := serveMain(ctx, cfg, stdout, stderr, env); err != nil {
		writef(stderr, "spasmcoach serve: %v\n", err)
		return exitError
	}
	return exitOK
}

// check reports flag combinations that cannot work.
func (c serveConfig) check() error {
	switch {
	case (c.tlsCert == "") != (c.tlsKey == ""):
		return errors.New("--tls-cert and --tls-key go together")
	case !strings.HasPrefix(c.path, "/") || strings.ContainsAny(c.path, " {}?#"):
		return fmt.Errorf("--path %q is not a plain URL path", c.path)
	case c.path == healthPath:
		return fmt.Errorf("--path cannot be %s, the health check", healthPath)
	}
	return nil
}

// serveMain opens the store, builds the handler and serves until ctx is
// done (SIGINT, SIGTERM), then shuts down gracefully.
func serveMain(ctx context.Context, cfg serveConfig, stdout, stderr io.Writer, env environment) (err error) {
	program := config.Serve
	if cfg.dev {
		program = config.ServeDev
	}
	conf, err := config.Parse(env.getenv, program)
	if err != nil {
		return err
	}
	logger := newLogger(stderr, conf.LogLevel)
	ln, err := listen(ctx, cfg.addr, cfg.dev)
	if err != nil {
		return err
	}
	defer func() { _ = ln.Close() }() // closed by the server's shutdown too

	st, err := openStore(ctx, env, conf.TableName, cfg.db, stderr, logger)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, st.Close()) }()

	turn, err := conf.NewHandler(st, logger)
	if err != nil {
		return err
	}
	srv := &skillServer{turn: turn, maxBody: maxRequestBody, logger: logger}
	if cfg.dev {
		logger.Warn("development mode: requests are NOT verified; loopback only")
	} else {
		srv.verifier = alexaverify.NewVerifier(
			alexaverify.WithApplicationIDs(conf.SkillIDs...),
			alexaverify.WithVerifyLogger(logger),
		)
	}
	hs := newHTTPServer(srv.Handler(cfg.path), logger)

	scheme := "http"
	if cfg.tlsCert != "" {
		scheme = "https"
		hs.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	url := fmt.Sprintf("%s://%s%s", scheme, ln.Addr(), cfg.path)
	logger.Info("listening", "url", url, "store", st.desc, "verify", !cfg.dev)
	// One line on stdout that scripts read to learn the port.
	writef(stdout, "spasmcoach serve: listening on %s\n", url)
	return serveUntilDone(ctx, hs, ln, cfg, logger)
}

// serveUntilDone serves on ln until ctx is done, then shuts hs down,
// waiting up to shutdownTimeout for the requests in flight.
func serveUntilDone(ctx context.Context, hs *http.Server, ln net.Listener, cfg serveConfig, logger *slog.Logger) error {
	errc := make(chan error, 1)
	go func() {
		if cfg.tlsCert != "" {
			errc <- hs.ServeTLS(ln, cfg.tlsCert, cfg.tlsKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// newHTTPServer returns a server for h with every timeout set.
func newHTTPServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// listen opens the listening socket. In development mode it accepts only
// loopback: the address must name localhost or a loopback IP, and the
// address actually bound must be loopback.
func listen(ctx context.Context, addr string, loopbackOnly bool) (net.Listener, error) {
	if loopbackOnly {
		if err := checkLoopback(ctx, addr); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	if loopbackOnly {
		tcp, ok := ln.Addr().(*net.TCPAddr)
		if !ok || !tcp.IP.IsLoopback() {
			_ = ln.Close() // never served
			return nil, fmt.Errorf("development mode listens on loopback only, and %s is not", ln.Addr())
		}
	}
	return ln, nil
}

// errNotLoopback is wrapped by checkLoopback.
var errNotLoopback = errors.New("development mode (no request verification) listens on loopback only: localhost, 127.0.0.0/8 or [::1]")

// checkLoopback refuses a listen address that is not loopback: no host
// (every interface), an unspecified or other non-loopback IP, or a name
// that resolves to anything but loopback.
func checkLoopback(ctx context.Context, addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if host == "" {
		return fmt.Errorf("%w; %q listens on every interface", errNotLoopback, addr)
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		if !ip.Unmap().IsLoopback() {
			return fmt.Errorf("%w; %s is not", errNotLoopback, host)
		}
		return nil
	}
	ips, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("%w; cannot resolve %q: %w", errNotLoopback, host, err)
	}
	for _, ip := range ips {
		if !ip.Unmap().IsLoopback() {
			return fmt.Errorf("%w; %s resolves to %s", errNotLoopback, host, ip)
		}
	}
	return nil
}

// requestVerifier checks that a request comes from Alexa and returns its
// body, or an *alexaverify.Error; *alexaverify.Verifier is one.
type requestVerifier interface {
	VerifyRequest(r *http.Request, maxBody int64) ([]byte, error)
}

var _ requestVerifier = (*alexaverify.Verifier)(nil)

// skillServer is the skill as an http.Handler.
type skillServer struct {
	turn turnHandler
	// verifier checks every request; nil in development mode.
	verifier requestVerifier
	maxBody  int64
	logger   *slog.Logger
}

// Handler routes the skill endpoint at path (POST only; other methods get
// 405) and the health check.
func (s *skillServer) Handler(path string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+healthPath, health)
	pattern := path
	if strings.HasSuffix(pattern, "/") {
		pattern += "{$}"
	}
	mux.HandleFunc("POST "+pattern, s.serveSkill)
	mux.HandleFunc(pattern, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed: the skill endpoint takes POST", http.StatusMethodNotAllowed)
	})
	return mux
}

// health answers the load balancers' health check: 200 "ok".
func health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, "ok")
}

// serveSkill verifies the request, runs the turn and writes its response.
func (s *skillServer) serveSkill(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	var (
		body []byte
		err  error
	)
	if s.verifier != nil {
		ctx, cancel := context.WithTimeout(r.Context(), verifyBudget)
		body, err = s.verifier.VerifyRequest(r.WithContext(ctx), s.maxBody)
		cancel()
	} else {
		body, err = alexaverify.ReadBody(r, s.maxBody)
	}
	if err != nil {
		s.refuse(w, r, string(alexaverify.RuleOf(err)), err)
		return
	}
	// The turn runs to its end even if the caller hangs up: it has its
	// own budget, and a state write cut off halfway helps nobody.
	out, err := s.turn.Invoke(context.WithoutCancel(r.Context()), body)
	if errors.Is(err, intents.ErrSkillID) {
		s.refuse(w, r, "skill-id", err)
		return
	}
	if err != nil {
		// The handler answers every other failure with speech; this is a
		// bug, and Alexa will say the skill had a problem.
		s.logger.LogAttrs(r.Context(), slog.LevelError, "turn failed", slog.String("err", err.Error()))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	_, _ = w.Write(out)
}

// refuse answers 400 and logs one line naming the rule the request broke.
func (s *skillServer) refuse(w http.ResponseWriter, r *http.Request, rule string, err error) {
	s.logger.LogAttrs(r.Context(), slog.LevelWarn, "request refused",
		slog.String("rule", rule),
		slog.String("remote", r.RemoteAddr),
		slog.String("err", err.Error()))
	http.Error(w, "bad request", http.StatusBadRequest)
}
