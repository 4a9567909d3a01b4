package main

import (
	"fmt"
	"io"
)

// printer writes what a person reads: the chat transcript on standard
// output. It keeps the first write error, so that the many lines of a
// conversation need one check: a chat whose output has gone (a closed
// pipe) stops at its next line instead of talking on unheard.
type printer struct {
	w   io.Writer
	err error
}

// Write writes p unless an earlier write failed.
func (p *printer) Write(b []byte) (int, error) {
	if p.err != nil {
		return 0, p.err
	}
	n, err := p.w.Write(b)
	p.err = err
	return n, err
}

// printf formats to the output; a failure is kept for Err.
func (p *printer) printf(format string, a ...any) { _, _ = fmt.Fprintf(p, format, a...) }

// println prints a line to the output; a failure is kept for Err.
func (p *printer) println(a ...any) { _, _ = fmt.Fprintln(p, a...) }

// Err returns the first write error, wrapped, or nil.
func (p *printer) Err() error {
	if p.err != nil {
		return fmt.Errorf("write output: %w", p.err)
	}
	return nil
}

// writef writes what the person running the program reads (usage, notes),
// on standard output or error. When that fails there is nowhere left to say so.
func writef(w io.Writer, format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }
