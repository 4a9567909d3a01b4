// Package store keeps each user's encoded state, with versioned conditional
// writes so that two devices talking at once never lose an update.
//
// Each backend lives in its own file and has the same three methods:
//
//   - [Embedded] (embedded.go): one bbolt file, the local default for
//     `spasmcoach chat` and tests.
//   - [DynamoDB] (dynamodb.go): production, one item per user in the table
//     that infra/template.yaml declares (see [KeyAttr] and [TTLAttr]).
//
// Both follow one contract, checked by one test suite (package
// spasmcoach/store/storetest):
//
//   - Keys are opaque, non-empty strings. The caller passes a hash (SHA-256
//     hex) of the Alexa user or person ID; the store never sees raw IDs.
//   - Get is a consistent read. Nothing stored gives the zero [Item] (nil
//     Data, Version 0) and no error. An item past its expiry time gives nil
//     Data too, but with the stored Version, so that the next Put (which
//     expects that version) succeeds: DynamoDB deletes expired items
//     lazily, up to days later, and the embedded store never deletes them
//     on its own. An error from Get always means the read failed.
//   - Put writes version expected+1 only if the stored version is expected
//     (0: nothing may be stored, not even an expired item). Otherwise it
//     fails with a [*ConflictError], which matches [ErrConflict] under
//     errors.Is. A Put expecting a version > 0 when nothing is stored is a
//     conflict as well, so a writer holding a stale version can never bring
//     back an item that was deleted ("forget me", skill disabled). Each Put
//     stamps the item with its update time and an expiry time, [DefaultTTL]
//     after the update unless [WithTTL] says otherwise.
//   - Delete removes the item; deleting nothing is not an error.
//   - Every method takes a context first and gives up when it is done.
//     Other failures are returned wrapped with the operation
//     ("store: get item: ..."), never as ErrConflict.
//   - A record the embedded store cannot decode (a damaged header) counts
//     as nothing stored: Get gives nil Data with Version 0,
//     so that the user's next write replaces it and "forget me" removes it;
//     a user is never locked out by one damaged record.
//
// The embedded store also checks its file before using it, moves a damaged
// file aside (never deleting it) and starts afresh, which
// [Embedded.Recovery] reports; and its Delete rewrites the file so that no
// old page keeps a copy of the deleted item.
//
// The store does not decide what to do about a conflict or a failure: the
// turn (package intents) reloads and applies once more, or apologises.
package store
