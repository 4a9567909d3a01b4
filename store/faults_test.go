package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"spasmcoach/internal/testutil/faultproxy"
	"spasmcoach/store"
	"spasmcoach/store/dynalitetest"
	"spasmcoach/store/storetest"
)

// callBudget is the most a turn gives one store call
// (intents.DefaultCallBudget).
const callBudget = 2 * time.Second

// stallDeadline is the deadline of calls to a server that never answers:
// any deadline proves the point, a short one keeps the test quick.
const stallDeadline = 300 * time.Millisecond

// fault is a server that fails calls, and the deadline to call it with.
type fault struct {
	endpoint string
	deadline time.Duration
	hits     func() int64 // requests the server saw, when it counts
}

// errorServer starts an HTTP server that answers every request with f, as
// DynamoDB does, and counts the requests.
func errorServer(t *testing.T, f *faultproxy.Fault) fault {
	p := faultproxy.NewHTTP(t, "", f)
	return fault{endpoint: p.URL(), deadline: callBudget, hits: p.Hits}
}

// carries reports whether err wraps an error of type T.
func carries[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

// TestDynamoDBFaults points the store at servers that fail in the ways
// DynamoDB or the network can, and checks that every call returns an error
// (wrapped with its operation, not a conflict) by its context's deadline,
// and that the data stored before is unchanged.
func TestDynamoDBFaults(t *testing.T) {
	client := dynalitetest.Client(t, dynalitetest.Start(t))

	tests := []struct {
		name    string
		setup   func(t *testing.T) fault
		stalls  bool             // the call can only end at its deadline
		wantErr func(error) bool // what the error must carry, or nil
	}{
		{
			name: "closed port",
			setup: func(t *testing.T) fault {
				return fault{endpoint: faultproxy.ClosedPort(t), deadline: callBudget}
			},
		},
		{
			name: "stalling TCP proxy",
			setup: func(t *testing.T) fault {
				return fault{endpoint: faultproxy.New(t, "", faultproxy.Stall).URL(), deadline: stallDeadline}
			},
			stalls: true,
		},
		{
			name: "HTTP 500",
			setup: func(t *testing.T) fault {
				return errorServer(t, dynalitetest.FaultInternalServerError)
			},
			wantErr: carries[*types.InternalServerError],
		},
		{
			name: "ProvisionedThroughputExceededException",
			setup: func(t *testing.T) fault {
				return errorServer(t, dynalitetest.FaultThroughputExceeded)
			},
			wantErr: carries[*types.ProvisionedThroughputExceededException],
		},
		{
			name: "ThrottlingException",
			setup: func(t *testing.T) fault {
				return errorServer(t, dynalitetest.FaultThrottling)
			},
			wantErr: carries[*types.ThrottlingException],
		},
	}
	ops := []struct {
		name, prefix string
		call         func(ctx context.Context, s *store.DynamoDB, key string) error
	}{
		{"Get", "store: get item: ", func(ctx context.Context, s *store.DynamoDB, key string) error {
			_, err := s.Get(ctx, key)
			return err
		}},
		{"Put", "store: put item: ", func(ctx context.Context, s *store.DynamoDB, key string) error {
			_, err := s.Put(ctx, key, []byte("after"), 1)
			return err
		}},
		{"Put stale", "store: put item: ", func(ctx context.Context, s *store.DynamoDB, key string) error {
			_, err := s.Put(ctx, key, []byte("after"), 0)
			return err
		}},
		{"Delete", "store: delete item: ", func(ctx context.Context, s *store.DynamoDB, key string) error {
			return s.Delete(ctx, key)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table := dynalitetest.NewTable(t, client)
			good := MustNewDynamoDB(t, client, table)
			for _, op := range ops {
				t.Run(op.name, func(t *testing.T) {
					f := tt.setup(t)
					faulty := MustNewDynamoDB(t, dynalitetest.Client(t, f.endpoint), table)
					key := "user-" + strings.ReplaceAll(op.name, " ", "-")
					storetest.MustPut(t, good, key, []byte("before"), 0)

					ctx, cancel := context.WithTimeout(context.Background(), f.deadline)
					defer cancel()
					err := op.call(ctx, faulty, key)

					if err == nil {
						t.Fatal("no error")
					}
					if errors.Is(err, store.ErrConflict) {
						t.Fatalf("error %v is a conflict", err)
					}
					if !strings.HasPrefix(err.Error(), op.prefix) {
						t.Errorf("error %q does not start with %q", err, op.prefix)
					}
					if tt.stalls {
						// Only the deadline could end it, and the call
						// noticed: it returned with the deadline's error.
						if !errors.Is(err, context.DeadlineExceeded) || ctx.Err() == nil {
							t.Errorf("error = %v (context: %v), want the context's deadline", err, ctx.Err())
						}
					} else {
						// The call gave up by itself, after the retryer's
						// attempts, inside the call's budget.
						var maxAttempts *retry.MaxAttemptsError
						if !errors.As(err, &maxAttempts) || maxAttempts.Attempt != store.DynamoDBMaxAttempts {
							t.Errorf("error = %v, want a MaxAttemptsError after %d attempts", err, store.DynamoDBMaxAttempts)
						}
						if ctx.Err() != nil {
							t.Errorf("the call outlasted its %v budget: %v", f.deadline, err)
						}
					}
					if f.hits != nil {
						if got := f.hits(); got != store.DynamoDBMaxAttempts {
							t.Errorf("server saw %d requests, want %d", got, store.DynamoDBMaxAttempts)
						}
					}
					if tt.wantErr != nil && !tt.wantErr(err) {
						t.Errorf("error %v does not carry DynamoDB's error", err)
					}
					storetest.MustHave(t, good, key, []byte("before"), 1)
				})
			}
		})
	}
}

// A Put whose answer is lost may still have been applied. The conditional
// write keeps that safe: the retry with the same expected version is a
// conflict, so the step is neither lost nor applied twice.
func TestDynamoDBPutAnswerLost(t *testing.T) {
	endpoint := dynalitetest.Start(t)
	client := dynalitetest.Client(t, endpoint)
	table := dynalitetest.NewTable(t, client)
	good := MustNewDynamoDB(t, client, table)
	proxy := faultproxy.New(t, endpoint, faultproxy.DropAnswers)
	faulty := MustNewDynamoDB(t, dynalitetest.Client(t, proxy.URL()), table)
	storetest.MustPut(t, good, "user", []byte("step 1"), 0)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-proxy.Answered() // dynalite has answered: the write is done
		cancel()
	}()
	_, err := faulty.Put(ctx, "user", []byte("step 2"), 1)
	if !errors.Is(err, context.Canceled) || errors.Is(err, store.ErrConflict) {
		t.Fatalf("Put with its answer lost: %v, want the context's error", err)
	}
	storetest.MustHave(t, good, "user", []byte("step 2"), 2)

	_, err = good.Put(context.Background(), "user", []byte("step 2"), 1)
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("retry of the lost Put: %v, want a conflict", err)
	}
	storetest.MustHave(t, good, "user", []byte("step 2"), 2)
}
