package dynalitetest

import (
	"context"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"spasmcoach/store"
)

// CountingClient forwards every call to Client (a real client, for
// instance one from [Client]) and counts them, so that a test can assert
// how many DynamoDB calls a turn or a session made. Safe for concurrent
// use.
type CountingClient struct {
	// Client receives every call.
	Client store.DynamoDBClient

	gets, puts, deletes atomic.Int64
}

var _ store.DynamoDBClient = (*CountingClient)(nil)

// Calls is how many calls of each kind a [CountingClient] forwarded,
// whether they succeeded or not.
type Calls struct {
	GetItem, PutItem, DeleteItem int64
}

// NewCountingClient returns a CountingClient that forwards to client.
func NewCountingClient(client store.DynamoDBClient) *CountingClient {
	return &CountingClient{Client: client}
}

// GetItem counts the call and forwards it.
func (c *CountingClient) GetItem(ctx context.Context, in *dynamodb.GetItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	c.gets.Add(1)
	return c.Client.GetItem(ctx, in, optFns...)
}

// PutItem counts the call and forwards it.
func (c *CountingClient) PutItem(ctx context.Context, in *dynamodb.PutItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	c.puts.Add(1)
	return c.Client.PutItem(ctx, in, optFns...)
}

// DeleteItem counts the call and forwards it.
func (c *CountingClient) DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, optFns ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	c.deletes.Add(1)
	return c.Client.DeleteItem(ctx, in, optFns...)
}

// Calls returns the counts so far.
func (c *CountingClient) Calls() Calls {
	return Calls{GetItem: c.gets.Load(), PutItem: c.puts.Load(), DeleteItem: c.deletes.Load()}
}

// Reset sets the counts back to zero.
func (c *CountingClient) Reset() {
	c.gets.Store(0)
	c.puts.Store(0)
	c.deletes.Store(0)
}
