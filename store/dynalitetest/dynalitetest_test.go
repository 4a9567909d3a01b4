package dynalitetest_test

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"spasmcoach/store"
	"spasmcoach/store/dynalitetest"
	"spasmcoach/store/storetest"
)

func TestStartServesAndStops(t *testing.T) {
	var endpoint string
	t.Run("server", func(t *testing.T) {
		endpoint = dynalitetest.Start(t)
		if !strings.HasPrefix(endpoint, "http://127.0.0.1:") {
			t.Errorf("endpoint %q is not on loopback", endpoint)
		}
		client := dynalitetest.Client(t, endpoint)
		table := dynalitetest.NewTable(t, client)
		out, err := client.ListTables(context.Background(), &dynamodb.ListTablesInput{})
		if err != nil {
			t.Fatalf("ListTables: %v", err)
		}
		if len(out.TableNames) != 1 || out.TableNames[0] != table {
			t.Errorf("tables %v, want [%s]", out.TableNames, table)
		}
		if other := dynalitetest.NewTable(t, client); other == table {
			t.Errorf("NewTable returned %q twice", table)
		}
	})
	if endpoint == "" {
		return // skipped
	}
	// The subtest's cleanup stopped the server.
	if conn, err := net.Dial("tcp", strings.TrimPrefix(endpoint, "http://")); err == nil {
		_ = conn.Close()
		t.Errorf("%s still accepts connections after the test ended", endpoint)
	}
}

func TestServersAreIndependent(t *testing.T) {
	a, b := dynalitetest.Start(t), dynalitetest.Start(t)
	if a == b {
		t.Fatalf("two servers on %s", a)
	}
	ca := dynalitetest.Client(t, a)
	dynalitetest.NewTable(t, ca)
	out, err := dynalitetest.Client(t, b).ListTables(context.Background(), &dynamodb.ListTablesInput{})
	if err != nil || len(out.TableNames) != 0 {
		t.Errorf("second server's tables: %v, %v; want none", out.TableNames, err)
	}
}

func TestCountingClient(t *testing.T) {
	client, table := dynalitetest.Open(t)
	counting := dynalitetest.NewCountingClient(client)
	s, err := store.NewDynamoDB(counting, table)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	storetest.MustBeAbsent(t, s, "user", 0)
	storetest.MustPut(t, s, "user", []byte("a"), 0)
	if _, err := s.Put(ctx, "user", []byte("b"), 0); err == nil {
		t.Fatal("no conflict")
	}
	storetest.MustHave(t, s, "user", []byte("a"), 1)
	if err := s.Delete(ctx, "user"); err != nil {
		t.Fatal(err)
	}
	if got, want := counting.Calls(), (dynalitetest.Calls{GetItem: 2, PutItem: 2, DeleteItem: 1}); got != want {
		t.Errorf("Calls() = %+v, want %+v", got, want)
	}
	counting.Reset()
	if got := counting.Calls(); got != (dynalitetest.Calls{}) {
		t.Errorf("Calls() after Reset = %+v", got)
	}
}

// Env is how a program that loads the AWS config from the environment (the
// Lambda entry point) finds the server.
func TestEnvPointsTheSDKAtTheServer(t *testing.T) {
	endpoint := dynalitetest.Start(t)
	table := dynalitetest.NewTable(t, dynalitetest.Client(t, endpoint))
	for _, kv := range dynalitetest.Env(endpoint) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	client := dynamodb.NewFromConfig(cfg, store.DynamoDBClientOptions)
	out, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatalf("DescribeTable through the environment's config: %v", err)
	}
	if aws.ToString(out.Table.TableName) != table {
		t.Errorf("table %q, want %q", aws.ToString(out.Table.TableName), table)
	}
}

// fakeTB records how a helper ended the test instead of ending it.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestStartWithoutNode(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no node on it
	tests := []struct {
		name, ci   string
		wantFailed bool
	}{
		{"developer machine skips", "", false},
		{"CI fails", "true", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			f := &fakeTB{TB: t}
			done := make(chan struct{})
			go func() {
				defer close(done)
				dynalitetest.Start(f)
			}()
			<-done
			msg := f.skipped
			if tt.wantFailed {
				msg = f.failed
			}
			if msg == "" || (f.skipped != "") == tt.wantFailed {
				t.Fatalf("skipped %q, failed %q; want failed=%v", f.skipped, f.failed, tt.wantFailed)
			}
			if !strings.Contains(msg, "node") || !strings.Contains(msg, "npm ci") {
				t.Errorf("message %q does not say what is missing and how to install it", msg)
			}
		})
	}
}
