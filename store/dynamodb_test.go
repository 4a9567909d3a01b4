package store_test

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"spasmcoach/internal/testutil/clock"
	"spasmcoach/store"
	"spasmcoach/store/dynalitetest"
	"spasmcoach/store/storetest"
)

var _ storetest.Store = (*store.DynamoDB)(nil)

// MustNewDynamoDB returns a store on table through client.
func MustNewDynamoDB(tb testing.TB, client store.DynamoDBClient, table string, opts ...store.Option) *store.DynamoDB {
	tb.Helper()
	s, err := store.NewDynamoDB(client, table, opts...)
	if err != nil {
		tb.Fatalf("NewDynamoDB: %v", err)
	}
	return s
}

func TestDynamoDBContract(t *testing.T) {
	client := dynalitetest.Client(t, dynalitetest.Start(t))
	storetest.Run(t, func(t *testing.T, opts ...store.Option) storetest.Store {
		return MustNewDynamoDB(t, client, dynalitetest.NewTable(t, client), opts...)
	})
}

// recordingClient forwards to a real client and keeps every input.
type recordingClient struct {
	store.DynamoDBClient
	mu      sync.Mutex
	gets    []*dynamodb.GetItemInput
	puts    []*dynamodb.PutItemInput
	deletes []*dynamodb.DeleteItemInput
}

func (r *recordingClient) GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	r.mu.Lock()
	r.gets = append(r.gets, in)
	r.mu.Unlock()
	return r.DynamoDBClient.GetItem(ctx, in, optFns...)
}

func (r *recordingClient) PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	r.mu.Lock()
	r.puts = append(r.puts, in)
	r.mu.Unlock()
	return r.DynamoDBClient.PutItem(ctx, in, optFns...)
}

func (r *recordingClient) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	r.mu.Lock()
	r.deletes = append(r.deletes, in)
	r.mu.Unlock()
	return r.DynamoDBClient.DeleteItem(ctx, in, optFns...)
}

func TestDynamoDBItemLayout(t *testing.T) {
	client, table := dynalitetest.Open(t)
	clk := clock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	rec := &recordingClient{DynamoDBClient: client}
	s := MustNewDynamoDB(t, rec, table, store.WithClock(clk.Now))
	key := strings.Repeat("0f", 32)
	ctx := context.Background()

	storetest.MustPut(t, s, key, []byte(`{"step":1}`), 0)
	clk.Advance(time.Minute)
	storetest.MustPut(t, s, key, []byte(`{"step":2}`), 1)
	storetest.MustHave(t, s, key, []byte(`{"step":2}`), 2)
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	storetest.MustPut(t, s, key, []byte(`{"step":1}`), 0)

	// The item as DynamoDB holds it.
	out, err := client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(table),
		Key:            map[string]types.AttributeValue{store.KeyAttr: &types.AttributeValueMemberS{Value: key}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatal(err)
	}
	now := clk.Now().Unix()
	want := map[string]types.AttributeValue{
		store.KeyAttr:       &types.AttributeValueMemberS{Value: key},
		store.VersionAttr:   &types.AttributeValueMemberN{Value: "1"},
		store.StateAttr:     &types.AttributeValueMemberB{Value: []byte(`{"step":1}`)},
		store.UpdatedAtAttr: &types.AttributeValueMemberN{Value: strconv.FormatInt(now, 10)},
		store.TTLAttr:       &types.AttributeValueMemberN{Value: strconv.FormatInt(now+30*24*3600, 10)},
	}
	if !reflect.DeepEqual(out.Item, want) {
		t.Errorf("stored item:\n got %#v\nwant %#v", out.Item, want)
	}

	// The calls the store made: one per method call, reads consistent,
	// writes conditional on the version.
	if len(rec.gets) != 1 || len(rec.puts) != 3 || len(rec.deletes) != 1 {
		t.Fatalf("calls: %d GetItem, %d PutItem, %d DeleteItem; want 1, 3, 1", len(rec.gets), len(rec.puts), len(rec.deletes))
	}
	if g := rec.gets[0]; !aws.ToBool(g.ConsistentRead) || aws.ToString(g.TableName) != table {
		t.Errorf("GetItem: ConsistentRead %v, table %q; want true, %q", aws.ToBool(g.ConsistentRead), aws.ToString(g.TableName), table)
	}
	conditions := []struct {
		expr   string
		values map[string]types.AttributeValue
	}{
		{"attribute_not_exists(#id)", nil},
		{"#version = :expected", map[string]types.AttributeValue{":expected": &types.AttributeValueMemberN{Value: "1"}}},
		{"attribute_not_exists(#id)", nil},
	}
	for i, c := range conditions {
		p := rec.puts[i]
		if got := aws.ToString(p.ConditionExpression); got != c.expr {
			t.Errorf("PutItem %d: condition %q, want %q", i, got, c.expr)
		}
		if !reflect.DeepEqual(p.ExpressionAttributeValues, c.values) {
			t.Errorf("PutItem %d: values %#v, want %#v", i, p.ExpressionAttributeValues, c.values)
		}
	}
}

func TestDynamoDBMalformedItems(t *testing.T) {
	client, table := dynalitetest.Open(t)
	s := MustNewDynamoDB(t, client, table)
	ctx := context.Background()
	n := func(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }
	tests := []struct {
		name    string
		attrs   map[string]types.AttributeValue
		wantErr string // "" for a live item
		version int64
	}{
		{"no version", map[string]types.AttributeValue{store.StateAttr: &types.AttributeValueMemberB{Value: []byte("x")}}, "attribute version", 0},
		{"version not a number", map[string]types.AttributeValue{store.VersionAttr: &types.AttributeValueMemberS{Value: "1"}}, "want N", 0},
		{"version not an integer", map[string]types.AttributeValue{store.VersionAttr: n("1.5")}, "attribute version", 0},
		{"state as a string", map[string]types.AttributeValue{store.VersionAttr: n("1"), store.StateAttr: &types.AttributeValueMemberS{Value: "x"}}, "want B", 0},
		{"expiresAt as a string", map[string]types.AttributeValue{store.VersionAttr: n("1"), store.TTLAttr: &types.AttributeValueMemberS{Value: "1"}}, "want N", 0},
		{"no expiresAt and no state: live, empty", map[string]types.AttributeValue{store.VersionAttr: n("4")}, "", 4},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "malformed-" + strconv.Itoa(i)
			item := map[string]types.AttributeValue{store.KeyAttr: &types.AttributeValueMemberS{Value: key}}
			for k, v := range tt.attrs {
				item[k] = v
			}
			if _, err := client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
				t.Fatal(err)
			}
			got, err := s.Get(ctx, key)
			if tt.wantErr == "" {
				if err != nil || got.Version != tt.version || got.Data == nil || len(got.Data) != 0 {
					t.Fatalf("Get = %#v, %v; want version %d, empty data", got, err, tt.version)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) ||
				!strings.HasPrefix(err.Error(), "store: get item: ") {
				t.Fatalf("Get error = %v, want a store: get item: error mentioning %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewDynamoDBErrors(t *testing.T) {
	client := dynamodb.New(dynamodb.Options{Region: "us-east-1"})
	tests := []struct {
		name   string
		client store.DynamoDBClient
		table  string
		opts   []store.Option
	}{
		{"nil client", nil, "t", nil},
		{"empty table", client, "", nil},
		{"TTL too short", client, "t", []store.Option{store.WithTTL(time.Millisecond)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := store.NewDynamoDB(tt.client, tt.table, tt.opts...); err == nil ||
				!strings.HasPrefix(err.Error(), "store: new DynamoDB store: ") {
				t.Fatalf("error = %v, want a store: new DynamoDB store: error", err)
			}
		})
	}
}

// The IAM policy allows exactly IAMActions; the backend can call nothing
// but the methods of DynamoDBClient. They must be the same list.
func TestIAMActionsMatchClientInterface(t *testing.T) {
	typ := reflect.TypeFor[store.DynamoDBClient]()
	var methods []string
	for i := range typ.NumMethod() {
		methods = append(methods, "dynamodb:"+typ.Method(i).Name)
	}
	got := slices.Sorted(slices.Values(store.IAMActions))
	slices.Sort(methods)
	if !slices.Equal(got, methods) {
		t.Errorf("IAMActions = %v, DynamoDBClient methods = %v", got, methods)
	}
}

func TestDynamoDBClientOptions(t *testing.T) {
	tests := []struct {
		name string
		base dynamodb.Options
	}{
		{"defaults", dynamodb.Options{Region: "us-east-1"}},
		{"AWS_MAX_ATTEMPTS from the config", dynamodb.Options{Region: "us-east-1", RetryMaxAttempts: 10}},
		{"adaptive mode from the config", dynamodb.Options{Region: "us-east-1", RetryMode: aws.RetryModeAdaptive}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := dynamodb.New(tt.base, store.DynamoDBClientOptions)
			r := client.Options().Retryer
			if got := r.MaxAttempts(); got != store.DynamoDBMaxAttempts {
				t.Errorf("MaxAttempts = %d, want %d", got, store.DynamoDBMaxAttempts)
			}
			throttle := &types.ProvisionedThroughputExceededException{Message: aws.String("slow down")}
			for attempt := 1; attempt < store.DynamoDBMaxAttempts+3; attempt++ {
				d, err := r.RetryDelay(attempt, throttle)
				if err != nil || d > store.DynamoDBMaxBackoff {
					t.Errorf("RetryDelay(%d, throttle) = %v, %v; want at most %v", attempt, d, err, store.DynamoDBMaxBackoff)
				}
			}
		})
	}
}
