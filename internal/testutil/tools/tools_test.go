package tools_test

import (
	"testing"

	"spasmcoach/internal/testutil/tools"
)

// recorder is a testing.TB that records how the test would have ended.
type recorder struct {
	testing.TB
	skipped, failed bool
}

func (r *recorder) Helper()              {}
func (r *recorder) Skip(...any)          { r.skipped = true }
func (r *recorder) Fatal(...any)         { r.failed = true }
func (r *recorder) Skipf(string, ...any) { r.skipped = true }

func TestNeed(t *testing.T) {
	if p := tools.Need(t, "go", ""); p == "" {
		t.Fatal("go, which runs this test, was not found")
	}
	for _, tc := range []struct {
		ci                  string
		wantSkip, wantFatal bool
	}{
		{"", true, false},
		{"true", false, true},
	} {
		t.Setenv("CI", tc.ci)
		r := &recorder{TB: t}
		if p := tools.Need(r, "no-such-program-spasmcoach", "for the test"); p != "" {
			t.Errorf("CI=%q: path %q for a missing program", tc.ci, p)
		}
		if r.skipped != tc.wantSkip || r.failed != tc.wantFatal {
			t.Errorf("CI=%q: skipped %v, failed %v; want %v, %v", tc.ci, r.skipped, r.failed, tc.wantSkip, tc.wantFatal)
		}
	}
}
