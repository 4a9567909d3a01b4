package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Attribute names of an item in the DynamoDB table. The
// deployment template declares KeyAttr as the partition key (type S) and
// TTLAttr as the table's TTL attribute.
const (
	// KeyAttr is the partition key (S): the opaque key the caller passes,
	// a SHA-256 hex of the user or person ID.
	KeyAttr = "id"
	// VersionAttr (N) is the item's version, 1 for the first write, one
	// more on each write; Put's condition compares it.
	VersionAttr = "version"
	// StateAttr (B) holds the encoded state exactly as the caller passed
	// it: binary, because the store treats it as opaque bytes.
	StateAttr = "state"
	// UpdatedAtAttr (N) is the time of the last write, in epoch seconds.
	UpdatedAtAttr = "updatedAt"
	// TTLAttr (N) is the expiry time in epoch seconds, the attribute the
	// table's TimeToLiveSpecification names.
	TTLAttr = "expiresAt"
)

// IAMActions are the DynamoDB actions the [DynamoDB] backend calls, one per
// method of [DynamoDBClient], and so exactly what the function's IAM policy
// must allow on the table. Do not modify.
var IAMActions = []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"}

// DynamoDBClient is the part of *dynamodb.Client the backend calls. Tests
// wrap a real client (for instance to count calls); production passes the
// client itself.
type DynamoDBClient interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
}

var (
	_ DynamoDBClient = (*dynamodb.Client)(nil)
	_ backend        = (*DynamoDB)(nil)
)

// Retry settings that [DynamoDBClientOptions] installs. A turn has 6 s and
// each call at most 2 s of it (intents.DefaultTurnBudget and
// DefaultCallBudget). The SDK's defaults (3
// attempts, backoff up to 20 s, throttling backoff starting at 1 s) would
// spend a whole call's budget sleeping; these keep a throttled or failing
// call to three quick tries, well inside 2 s, so the turn can still answer.
// The SDK never sleeps past the context's deadline either way: the caller's
// deadline is the hard limit.
const (
	// DynamoDBMaxAttempts is the number of tries per call, the first
	// included.
	DynamoDBMaxAttempts = 3
	// DynamoDBMaxBackoff caps each sleep between tries, throttling
	// included.
	DynamoDBMaxBackoff = 200 * time.Millisecond
)

// NewDynamoDBRetryer returns the SDK retryer that [DynamoDBClientOptions]
// installs: the standard retryer (with its retry quota, which stops retries
// while DynamoDB keeps failing) limited to [DynamoDBMaxAttempts] tries and
// [DynamoDBMaxBackoff] between them.
func NewDynamoDBRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = DynamoDBMaxAttempts
		o.MaxBackoff = DynamoDBMaxBackoff
	})
}

// DynamoDBClientOptions sets the client options the backend relies on:
// the retryer from [NewDynamoDBRetryer]. It replaces retry settings from
// the shared config or the environment (AWS_MAX_ATTEMPTS, AWS_RETRY_MODE),
// which are tuned for batch work, not for an 8-second voice turn. Use it
// when building the client:
//
//	client := dynamodb.NewFromConfig(cfg, store.DynamoDBClientOptions)
//
// Every call still needs a context with a deadline: the backend sets no
// timeout of its own.
func DynamoDBClientOptions(o *dynamodb.Options) {
	o.Retryer = NewDynamoDBRetryer()
	o.RetryMaxAttempts = 0 // else the SDK wraps the retryer with it
}

// DynamoDB is the production backend: one item per key in a DynamoDB table
// (attributes [KeyAttr], [VersionAttr], [StateAttr], [UpdatedAtAttr],
// [TTLAttr]). Reads are strongly consistent; writes are conditional
// PutItems on the version. Each method makes exactly one call (GetItem,
// PutItem or DeleteItem; see [IAMActions]), plus the SDK's own retries. It is
// safe for concurrent use.
type DynamoDB struct {
	client DynamoDBClient
	table  string
	opts   options
}

// NewDynamoDB returns the backend for the named table through client,
// which main builds (with [DynamoDBClientOptions]) from the AWS config.
func NewDynamoDB(client DynamoDBClient, table string, opts ...Option) (*DynamoDB, error) {
	if client == nil {
		return nil, errors.New("store: new DynamoDB store: nil client")
	}
	if table == "" {
		return nil, errors.New("store: new DynamoDB store: empty table name")
	}
	o, err := newOptions(opts)
	if err != nil {
		return nil, fmt.Errorf("store: new DynamoDB store: %w", err)
	}
	return &DynamoDB{client: client, table: table, opts: o}, nil
}

// Table returns the name of the table the store uses.
func (d *DynamoDB) Table() string { return d.table }

// Get reads the item stored under key with a strongly consistent GetItem.
// Data is nil when there is none, and also when the item has expired (its
// [TTLAttr] is not after now) but DynamoDB has not deleted it yet; then the
// returned Version is the stored one.
func (d *DynamoDB) Get(ctx context.Context, key string) (Item, error) {
	if err := checkCall(ctx, key); err != nil {
		return Item{}, fmt.Errorf("store: get item: %w", err)
	}
	out, err := d.client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(d.table),
		Key:            d.key(key),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return Item{}, fmt.Errorf("store: get item: %w", err)
	}
	if len(out.Item) == 0 {
		return Item{}, nil
	}
	version, err := numberAttr(out.Item, VersionAttr)
	if err != nil {
		return Item{}, fmt.Errorf("store: get item: %w", err)
	}
	expiresAt, err := numberAttr(out.Item, TTLAttr)
	if err != nil && !errors.Is(err, errNoAttr) {
		return Item{}, fmt.Errorf("store: get item: %w", err)
	}
	if expired(expiresAt, d.opts.now()) {
		return Item{Version: version}, nil
	}
	data := []byte{}
	if av, ok := out.Item[StateAttr]; ok {
		b, ok := av.(*types.AttributeValueMemberB)
		if !ok {
			return Item{}, fmt.Errorf("store: get item: attribute %s is %T, want B", StateAttr, av)
		}
		if b.Value != nil {
			data = b.Value
		}
	}
	return Item{Data: data, Version: version}, nil
}

// Put writes data under key as version expected+1 with a PutItem
// conditional on the stored version: on "attribute_not_exists(id)" when
// expected is 0, else on "version = expected". When the condition fails
// (ConditionalCheckFailedException) it returns a [*ConflictError].
//
// An error other than a conflict (a deadline, a throttle, a lost
// connection) does not prove that nothing was written: DynamoDB may have
// applied the write and the answer been lost. That is safe: a retry with
// the same expected version then fails as a conflict, and the caller
// reloads.
func (d *DynamoDB) Put(ctx context.Context, key string, data []byte, expected int64) (int64, error) {
	if err := checkPut(ctx, key, expected); err != nil {
		return 0, fmt.Errorf("store: put item: %w", err)
	}
	if data == nil {
		data = []byte{}
	}
	next := expected + 1
	now := d.opts.now()
	in := &dynamodb.PutItemInput{
		TableName: aws.String(d.table),
		Item: map[string]types.AttributeValue{
			KeyAttr:       &types.AttributeValueMemberS{Value: key},
			VersionAttr:   numberValue(next),
			StateAttr:     &types.AttributeValueMemberB{Value: data},
			UpdatedAtAttr: numberValue(now.Unix()),
			TTLAttr:       numberValue(d.opts.expiresAt(now)),
		},
	}
	if expected == 0 {
		in.ConditionExpression = aws.String("attribute_not_exists(#id)")
		in.ExpressionAttributeNames = map[string]string{"#id": KeyAttr}
	} else {
		in.ConditionExpression = aws.String("#version = :expected")
		in.ExpressionAttributeNames = map[string]string{"#version": VersionAttr}
		in.ExpressionAttributeValues = map[string]types.AttributeValue{":expected": numberValue(expected)}
	}
	if _, err := d.client.PutItem(ctx, in); err != nil {
		var failed *types.ConditionalCheckFailedException
		if errors.As(err, &failed) {
			return 0, &ConflictError{Expected: expected, Err: err}
		}
		return 0, fmt.Errorf("store: put item: %w", err)
	}
	return next, nil
}

// Delete removes the item stored under key with an unconditional
// DeleteItem; deleting nothing is not an error.
func (d *DynamoDB) Delete(ctx context.Context, key string) error {
	if err := checkCall(ctx, key); err != nil {
		return fmt.Errorf("store: delete item: %w", err)
	}
	_, err := d.client.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String(d.table),
		Key:       d.key(key),
	})
	if err != nil {
		return fmt.Errorf("store: delete item: %w", err)
	}
	return nil
}

func (d *DynamoDB) key(key string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{KeyAttr: &types.AttributeValueMemberS{Value: key}}
}

func numberValue(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

var errNoAttr = errors.New("attribute missing")

// numberAttr reads the integer attribute name of item.
func numberAttr(item map[string]types.AttributeValue, name string) (int64, error) {
	av, ok := item[name]
	if !ok {
		return 0, fmt.Errorf("attribute %s: %w", name, errNoAttr)
	}
	n, ok := av.(*types.AttributeValueMemberN)
	if !ok {
		return 0, fmt.Errorf("attribute %s is %T, want N", name, av)
	}
	v, err := strconv.ParseInt(n.Value, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("attribute %s: %w", name, err)
	}
	return v, nil
}

// DynamoDBTableClient is the part of *dynamodb.Client that
// [CreateDynamoDBTable] calls.
type DynamoDBTableClient interface {
	CreateTable(ctx context.Context, in *dynamodb.CreateTableInput, optFns ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	dynamodb.DescribeTableAPIClient
}

var _ DynamoDBTableClient = (*dynamodb.Client)(nil)

// CreateDynamoDBTable creates a table with the store's key schema ([KeyAttr],
// type S, on-demand billing) and waits until it is active. It is for tests
// and local DynamoDB-compatible servers: the deployment template creates
// the real table and turns on TTL on [TTLAttr], which this does not (dynalite
// has no UpdateTimeToLive). The backend itself never calls it.
func CreateDynamoDBTable(ctx context.Context, client DynamoDBTableClient, table string) error {
	_, err := client.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String(KeyAttr), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String(KeyAttr), KeyType: types.KeyTypeHash},
		},
		BillingMode: types.BillingModePayPerRequest,
	})
	if err != nil {
		return fmt.Errorf("store: create table %s: %w", table, err)
	}
	w := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay = 20 * time.Millisecond
		o.MaxDelay = time.Second
	})
	wait := 2 * time.Minute
	if dl, ok := ctx.Deadline(); ok {
		wait = time.Until(dl)
	}
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)}, wait); err != nil {
		return fmt.Errorf("store: create table %s: wait until active: %w", table, err)
	}
	return nil
}
