// Package storetest is the contract test suite every store backend runs
// (see package store for the contract), so that the local file and
// DynamoDB behave alike and a test passing on one holds for the other. A
// backend's test calls [Run] with a
// function that opens a new, empty store:
//
//	func TestEmbeddedContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, opts ...store.Option) storetest.Store {
//			s, err := store.OpenEmbedded(filepath.Join(t.TempDir(), "state.db"), opts...)
//			...
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
//
// Opener functions for the backends live in package store's own tests.
package storetest
