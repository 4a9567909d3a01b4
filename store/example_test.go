package store_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"spasmcoach/store"
)

// How an entry point builds the production store: the client comes from the
// AWS config (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB, ...) with the store's
// retry settings, and every call gets a deadline.
func ExampleNewDynamoDB() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err) // in main; a library returns the error
	}
	client := dynamodb.NewFromConfig(cfg, store.DynamoDBClientOptions)
	s, err := store.NewDynamoDB(client, os.Getenv("TABLE_NAME"))
	if err != nil {
		log.Fatal(err)
	}

	callCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	item, err := s.Get(callCtx, "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")
	switch {
	case err != nil:
		// DynamoDB is unreachable, slow or throttling: apologise.
	case item.Data == nil:
		// A new user, or one away for more than 30 days: start afresh,
		// and write with item.Version as the expected version.
	}
	_ = item
}

// A read-modify-write that survives a concurrent writer: on a conflict,
// read again and redo the change.
func ExampleEmbedded_Put() {
	dir, err := os.MkdirTemp("", "spasmcoach-example")
	if err != nil {
		log.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	s, err := store.OpenEmbedded(filepath.Join(dir, "state.db"))
	if err != nil {
		fmt.Println("open:", err)
		return
	}
	defer func() { _ = s.Close() }()

	ctx := context.Background()
	key := "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"
	v, _ := s.Put(ctx, key, []byte("step 1"), 0)
	fmt.Println("version", v)

	// Another device writes first.
	_, _ = s.Put(ctx, key, []byte("step 2"), v)

	_, err = s.Put(ctx, key, []byte("step 2"), v)
	fmt.Println("conflict:", errors.Is(err, store.ErrConflict))

	item, _ := s.Get(ctx, key)
	v, _ = s.Put(ctx, key, []byte("step 3"), item.Version)
	fmt.Println("version", v)
	// Output:
	// version 1
	// conflict: true
	// version 3
}
