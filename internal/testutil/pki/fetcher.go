package pki

import (
	"context"
	"fmt"
	"maps"
	"sync"
)

// Fetcher serves certificate files from a map by URL, as a verifier's
// certificate fetcher (a Fetch method), and counts the fetches of each
// URL. It is safe for concurrent use.
type Fetcher struct {
	mu    sync.Mutex
	files map[string][]byte
	calls map[string]int
}

// NewFetcher returns a Fetcher serving a copy of files (nil: nothing yet,
// until Set).
func NewFetcher(files map[string][]byte) *Fetcher {
	f := &Fetcher{files: maps.Clone(files), calls: map[string]int{}}
	if f.files == nil {
		f.files = map[string][]byte{}
	}
	return f
}

// Fetch returns the file at certURL, or an error like a 404's.
func (f *Fetcher) Fetch(_ context.Context, certURL string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[certURL]++
	data, ok := f.files[certURL]
	if !ok {
		return nil, fmt.Errorf("GET %s: 404 Not Found", certURL)
	}
	return data, nil
}

// Set serves data at certURL from now on.
func (f *Fetcher) Set(certURL string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[certURL] = data
}

// Count returns how many times certURL was fetched.
func (f *Fetcher) Count(certURL string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[certURL]
}

// Total returns how many fetches there were, of any URL.
func (f *Fetcher) Total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}
