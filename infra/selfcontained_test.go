package infra_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// outsideDocs matches a citation of the project's background documents,
// which are not in the repository: a comment that cites one cannot be
// followed by a reader of the code. (The pattern is split so that this
// file does not match it.)
var outsideDocs = regexp.MustCompile(`\b(alexa|style|design|routine)` + `\.md\b`)

// skippedDirs are not the project's own files: dependencies, build output
// and git's store.
var skippedDirs = map[string]bool{".git": true, "node_modules": true, "dist": true, "bin": true, ".ask": true, ".deploy": true}

// TestCommentsSelfContained: no file of the repository (code, README,
// templates, scripts, end-to-end tests) cites a background document that
// is not in it; each states the fact and, where useful, its public source.
func TestCommentsSelfContained(t *testing.T) {
	root := ".."
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the repository root is not %s: %v", root, err)
	}
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skippedDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		for i, line := range strings.Split(string(data), "\n") {
			if m := outsideDocs.FindString(line); m != "" {
				t.Errorf("%s:%d cites %s, which is not in the repository: state the fact (and its public source) instead", path, i+1, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Errorf("checked %d files, want the whole repository (at least 100)", checked)
	}
}
