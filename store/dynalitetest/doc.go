// Package dynalitetest runs dynalite, a real DynamoDB-API server written in
// Node (npm package dynalite, pinned in the repository's package.json), on
// loopback for tests, and gives them clients and fresh tables on it, so
// that the DynamoDB code is tested against the real API's behaviour
// (conditional writes, expressions, errors) instead of a mock.
//
// Any package's tests can use it:
//
//	func TestSomething(t *testing.T) {
//		endpoint := dynalitetest.Start(t)          // one server, stopped at cleanup
//		client := dynalitetest.Client(t, endpoint) // dummy credentials, us-east-1
//		table := dynalitetest.NewTable(t, client)  // fresh table, the store's schema
//		s, err := store.NewDynamoDB(client, table)
//		...
//	}
//
// or, for one table on its own server, [Open]. Start one server per
// top-level test and a table per subtest: starting Node takes a moment, a
// table does not. A program that looks up its table through the environment
// (like the Lambda entry point) can be pointed at the server with
// AWS_ENDPOINT_URL_DYNAMODB=endpoint and dummy AWS credentials; see [Env].
//
// The server needs node on PATH and node_modules/dynalite at the repository
// root (`npm ci` there; the Makefile's test target runs it). When either is
// missing the test fails if the environment variable CI is set, and is
// skipped with a loud message otherwise.
//
// [CountingClient] wraps a client to count the calls the store makes.
package dynalitetest
