package main

import (
	"archive/zip"
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMakeBuild runs `make build` exactly as a deployment does, into a
// temporary DIST, and checks what it produces: a static linux/arm64 ELF
// built with the contract's flags, and a zip with that bootstrap at its
// root, executable.
func TestMakeBuild(t *testing.T) {
	dist := t.TempDir()
	runMake(t, "build", "DIST="+dist)

	bin := filepath.Join(dist, "bootstrap")
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatalf("bootstrap is not an ELF file: %v", err)
	}
	defer func() { _ = f.Close() }()
	if f.Class != elf.ELFCLASS64 {
		t.Errorf("ELF class %v, want ELFCLASS64", f.Class)
	}
	if f.Machine != elf.EM_AARCH64 {
		t.Errorf("ELF machine %v, want EM_AARCH64", f.Machine)
	}
	if f.Type != elf.ET_EXEC {
		t.Errorf("ELF type %v, want ET_EXEC", f.Type)
	}
	if f.OSABI != elf.ELFOSABI_NONE && f.OSABI != elf.ELFOSABI_LINUX {
		t.Errorf("ELF OS ABI %v, want System V or Linux", f.OSABI)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("bootstrap has a program interpreter: it is not static (CGO_ENABLED=0)")
		}
	}
	// -ldflags "-s -w": no symbol table, no DWARF. (With -trimpath the
	// build info does not record -ldflags, so the sections are the proof.)
	for _, s := range f.Sections {
		if s.Name == ".symtab" || strings.HasPrefix(s.Name, ".debug") || strings.HasPrefix(s.Name, ".zdebug") {
			t.Errorf("bootstrap has section %s: not built with -ldflags \"-s -w\"", s.Name)
		}
	}

	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatalf("read build info: %v", err)
	}
	if info.Path != "spasmcoach/lambda" {
		t.Errorf("built package %q, want spasmcoach/lambda", info.Path)
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	for key, want := range map[string]string{
		"GOOS":        "linux",
		"GOARCH":      "arm64",
		"CGO_ENABLED": "0",
		"-tags":       "lambda.norpc",
		"-trimpath":   "true",
	} {
		if got := settings[key]; got != want {
			t.Errorf("build setting %s = %q, want %q", key, got, want)
		}
	}

	exe, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("linux/arm64 bootstrap: %d bytes", len(exe))
	zr, err := zip.OpenReader(filepath.Join(dist, "spasmcoach.zip"))
	if err != nil {
		t.Fatalf("open the zip: %v", err)
	}
	defer func() { _ = zr.Close() }()
	if len(zr.File) != 1 {
		var names []string
		for _, zf := range zr.File {
			names = append(names, zf.Name)
		}
		t.Errorf("zip holds %q, want only bootstrap", names)
	}
	zf := zr.File[0]
	if zf.Name != "bootstrap" {
		t.Fatalf("zip entry %q, want bootstrap at the root", zf.Name)
	}
	if mode := zf.Mode(); !mode.IsRegular() || mode.Perm()&0o111 != 0o111 {
		t.Errorf("bootstrap in the zip has mode %v, want a regular file executable by all", mode)
	}
	rc, err := zf.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rc.Close() }()
	inZip, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(inZip, exe) {
		t.Errorf("bootstrap in the zip (%d bytes) differs from %s (%d bytes)", len(inZip), bin, len(exe))
	}
}
