package dynalitetest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"spasmcoach/store"
)

// Region is the AWS region of the clients this package builds; dynalite
// accepts any.
const Region = "us-east-1"

// How long Start waits for Node to start dynalite, and how often it tries a
// new port when the one it picked was taken meanwhile. Limits for a slow,
// busy machine, not expectations.
const (
	startTimeout = 60 * time.Second
	stopTimeout  = 10 * time.Second
	portAttempts = 5
)

// CLI returns the path of dynalite's command-line entry point (the "bin" of
// its package.json) under the repository root, and whether it is there.
func CLI(tb testing.TB) (string, bool) {
	tb.Helper()
	root, err := RepoRoot()
	if err != nil {
		tb.Fatalf("dynalitetest: %v", err)
	}
	cli := filepath.Join(root, "node_modules", "dynalite", "cli.js")
	_, err = os.Stat(cli)
	return cli, err == nil
}

// RepoRoot returns the directory of the go.mod enclosing the working
// directory (a package's directory under go test).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find repository root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find repository root: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Start runs a dynalite server on 127.0.0.1 on a free port, in memory, with
// tables active as soon as they are created, and returns its endpoint URL
// ("http://127.0.0.1:PORT"). The server is stopped (its whole process
// group) when tb's test ends. Without node or node_modules/dynalite, Start
// fails the test when CI is set and skips it otherwise.
func Start(tb testing.TB) string {
	tb.Helper()
	node, cli := requireTools(tb)
	var lastErr error
	for range portAttempts {
		port, err := freePort()
		if err != nil {
			tb.Fatalf("dynalitetest: %v", err)
		}
		endpoint, err := start(tb, node, cli, port)
		if err == nil {
			return endpoint
		}
		lastErr = err
		if !errors.Is(err, errPortTaken) {
			break
		}
	}
	tb.Fatalf("dynalitetest: start dynalite: %v", lastErr)
	return ""
}

// requireTools returns the paths of node and of dynalite's cli.js, or ends
// the test: fatally under CI, skipped elsewhere.
func requireTools(tb testing.TB) (node, cli string) {
	tb.Helper()
	cli, haveCLI := CLI(tb)
	node, err := exec.LookPath("node")
	var missing string
	switch {
	case err != nil:
		missing = "node is not on PATH (install Node.js 18 or later, then run `npm ci` at the repository root)"
	case !haveCLI:
		missing = cli + " is missing (run `npm ci` at the repository root)"
	default:
		return node, cli
	}
	if os.Getenv("CI") != "" {
		tb.Fatalf("dynalitetest: CI is set and dynalite cannot run: %s", missing)
	}
	tb.Skipf("\n\n*** SKIPPED: DynamoDB tests need dynalite: %s ***\n", missing)
	return "", ""
}

var errPortTaken = errors.New("port taken")

// freePort asks the kernel for a free loopback port. Another process may
// take it before dynalite binds it; Start then tries another.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer func() { _ = l.Close() }() // only its port was wanted
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start runs one dynalite process on port and waits until it listens.
func start(tb testing.TB, node, cli string, port int) (string, error) {
	tb.Helper()
	cmd := exec.Command(node, cli,
		"--host", "127.0.0.1",
		"--port", strconv.Itoa(port),
		"--createTableMs", "0",
		"--deleteTableMs", "0",
		"--updateTableMs", "0",
	)
	cmd.Dir = filepath.Dir(cli)
	setProcessGroup(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("run %s: %w", cli, err)
	}

	proc := watch(cmd, stdout)

	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	timeout := time.NewTimer(startTimeout)
	defer timeout.Stop()
	select {
	case <-proc.listening:
	case <-proc.exited:
		msg := strings.TrimSpace(stderr.String())
		if strings.Contains(msg, "EADDRINUSE") {
			return "", fmt.Errorf("%w: %s", errPortTaken, addr)
		}
		return "", fmt.Errorf("dynalite exited before listening (%v): %s", proc.waitErr, msg)
	case <-timeout.C:
		proc.stop()
		return "", fmt.Errorf("dynalite did not listen on %s within %v: %s", addr, startTimeout, stderr.String())
	}
	tb.Cleanup(proc.stop)
	conn, err := net.DialTimeout("tcp", addr, startTimeout)
	if err != nil {
		return "", fmt.Errorf("dynalite said it listens on %s, but: %w", addr, err)
	}
	_ = conn.Close()
	return "http://" + addr, nil
}

// process is a started dynalite, watched for the line that says it listens
// and for its exit.
type process struct {
	cmd       *exec.Cmd
	listening chan struct{} // closed when it has bound the port
	exited    chan struct{} // closed when it has exited; waitErr is then set
	waitErr   error
}

// watch reads cmd's standard output for the whole life of the process, so
// that its writes never block. dynalite prints "Dynalite listening at: ..."
// once it has bound the port: proof that the listener is this process and
// not another one that took the port first.
func watch(cmd *exec.Cmd, stdout io.Reader) *process {
	p := &process{cmd: cmd, listening: make(chan struct{}), exited: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			if !signalled && strings.Contains(sc.Text(), "listening at") {
				close(p.listening)
				signalled = true
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		p.waitErr = p.cmd.Wait()
		close(p.exited)
	}()
	return p
}

// stop ends the process (SIGTERM, then SIGKILL after stopTimeout) and
// waits for it.
func (p *process) stop() {
	select {
	case <-p.exited:
		return
	default:
	}
	terminate(p.cmd)
	select {
	case <-p.exited:
	case <-time.After(stopTimeout):
		kill(p.cmd)
		<-p.exited
	}
}

// Client returns a DynamoDB client for endpoint with static dummy
// credentials, region [Region] and the store's retry settings
// ([store.DynamoDBClientOptions]); optFns are applied after those.
func Client(tb testing.TB, endpoint string, optFns ...func(*dynamodb.Options)) *dynamodb.Client {
	tb.Helper()
	opts := dynamodb.Options{
		Region:       Region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("dummy", "dummy", ""),
	}
	fns := append([]func(*dynamodb.Options){store.DynamoDBClientOptions}, optFns...)
	return dynamodb.New(opts, fns...)
}

// NewTable creates a table with the store's schema and a fresh, unique
// name through client, and returns the name. Tables live as long as the
// server.
func NewTable(tb testing.TB, client store.DynamoDBTableClient) string {
	tb.Helper()
	var suffix [6]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		tb.Fatalf("dynalitetest: %v", err)
	}
	table := "spasmcoach-test-" + hex.EncodeToString(suffix[:])
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := store.CreateDynamoDBTable(ctx, client, table); err != nil {
		tb.Fatalf("dynalitetest: %v", err)
	}
	return table
}

// Open starts a server, builds a client for it and creates a fresh table:
// Start, Client and NewTable in one call.
func Open(tb testing.TB) (client *dynamodb.Client, table string) {
	tb.Helper()
	client = Client(tb, Start(tb))
	return client, NewTable(tb, client)
}

// Env returns the environment variables that point an AWS SDK program (for
// instance the Lambda entry point run as a subprocess) at endpoint with
// dummy credentials, to append to os.Environ().
func Env(endpoint string) []string {
	return []string{
		"AWS_ENDPOINT_URL_DYNAMODB=" + endpoint,
		"AWS_REGION=" + Region,
		"AWS_ACCESS_KEY_ID=dummy",
		"AWS_SECRET_ACCESS_KEY=dummy",
		"AWS_SESSION_TOKEN=",
		"AWS_PROFILE=",
		"AWS_EC2_METADATA_DISABLED=true",
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
