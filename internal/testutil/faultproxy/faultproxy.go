// Package faultproxy holds the proxies that tests put between a client and
// its server to make calls fail: [Proxy], a loopback TCP proxy, for faults
// below HTTP (a closed port, reset connections, connections that never
// answer, answers lost after the server acted), and [HTTP], an HTTP proxy
// for faults a server reports (a status and an error body) or a request
// left without an answer. The store's and the turn's fault tests use them
// in front of DynamoDB (dynalite); package dynalitetest has DynamoDB's
// error answers as Faults.
package faultproxy

import (
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Mode is what a Proxy does with connections.
type Mode int

const (
	// Forward passes connections through to the upstream server.
	Forward Mode = iota
	// Refuse closes the port: connecting is refused, as to a server that
	// is down.
	Refuse
	// Reset accepts each connection and closes it at once, with a reset.
	Reset
	// Stall accepts each connection, reads what is sent and never answers.
	Stall
	// DropAnswers forwards what the client sends to the upstream server
	// but drops its answers: the server acts, the client never hears.
	// Answered is closed when the first answer byte arrives.
	DropAnswers
)

var modeNames = [...]string{Forward: "forward", Refuse: "closed port", Reset: "reset", Stall: "stalled TCP", DropAnswers: "answers dropped"}

// String names the mode, as a subtest name.
func (m Mode) String() string { return modeNames[m] }

// Proxy is a TCP proxy on a fixed loopback address in front of a server,
// switched between modes with SetMode. Switching closes every connection
// it holds, so that a client's pooled connections do not outlive the mode
// they were made in.
type Proxy struct {
	tb       testing.TB
	addr     string // host:port the proxy listens on
	upstream string // host:port of the server; "" for none
	answered chan struct{}
	once     sync.Once

	mu    sync.Mutex
	mode  Mode
	ln    net.Listener // nil while refusing
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

// New starts a proxy in mode m in front of upstream (a URL such as
// "http://127.0.0.1:8000", or host:port; "" when m and the modes it is
// switched to never forward). It is stopped at the test's cleanup.
func New(tb testing.TB, upstream string, m Mode) *Proxy {
	tb.Helper()
	if strings.Contains(upstream, "://") {
		u, err := url.Parse(upstream)
		if err != nil {
			tb.Fatal(err)
		}
		upstream = u.Host
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &Proxy{tb: tb, addr: ln.Addr().String(), upstream: upstream, answered: make(chan struct{}), conns: map[net.Conn]bool{}}
	p.mu.Lock()
	p.ln = ln
	p.serveLocked(ln)
	p.mu.Unlock()
	tb.Cleanup(p.close)
	p.SetMode(m)
	return p
}

// URL returns the proxy's endpoint URL, "http://" and its address.
func (p *Proxy) URL() string { return "http://" + p.addr }

// Answered is closed when, in DropAnswers mode, the upstream server first
// answers.
func (p *Proxy) Answered() <-chan struct{} { return p.answered }

// SetMode switches the proxy to m, closing every connection it holds.
func (p *Proxy) SetMode(m Mode) {
	p.tb.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = m
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
	switch {
	case m == Refuse && p.ln != nil:
		_ = p.ln.Close()
		p.ln = nil
	case m != Refuse && p.ln == nil:
		// Take the same port again; nothing else should have taken it
		// in the meantime, but give it a moment if the kernel is slow to
		// release it.
		var err error
		for range 50 {
			var ln net.Listener
			if ln, err = net.Listen("tcp", p.addr); err == nil {
				p.ln = ln
				p.serveLocked(ln)
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		p.tb.Fatalf("faultproxy: listen on %s again: %v", p.addr, err)
	}
}

// serveLocked accepts connections on ln until it is closed; p.mu is held.
func (p *Proxy) serveLocked(ln net.Listener) {
	p.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.handle(c)
		}
	})
}

// track adds c to the connections a mode switch closes; it reports false
// (and closes c) when the proxy has moved on to another mode than m.
func (p *Proxy) track(m Mode, c ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mode != m {
		for _, x := range c {
			_ = x.Close()
		}
		return false
	}
	for _, x := range c {
		p.conns[x] = true
	}
	return true
}

func (p *Proxy) handle(c net.Conn) {
	p.mu.Lock()
	m := p.mode
	p.mu.Unlock()
	switch m {
	case Reset, Refuse:
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // a reset, not an orderly close
		}
		_ = c.Close()
	case Stall:
		if p.track(m, c) {
			p.wg.Go(func() { _, _ = io.Copy(io.Discard, c) })
		}
	default:
		p.forward(m, c)
	}
}

// forward connects c to the upstream server; in DropAnswers mode the
// server's answers are read and dropped.
func (p *Proxy) forward(m Mode, c net.Conn) {
	up, err := net.DialTimeout("tcp", p.upstream, 5*time.Second)
	if err != nil {
		_ = c.Close()
		return
	}
	if !p.track(m, c, up) {
		return
	}
	pipe := func(dst io.Writer, src net.Conn) {
		_, _ = io.Copy(dst, src) // ends when either side closes
		_ = c.Close()
		_ = up.Close()
	}
	p.wg.Go(func() { pipe(up, c) })
	if m == DropAnswers {
		p.wg.Go(func() { pipe(answerSink{p}, up) })
		return
	}
	p.wg.Go(func() { pipe(c, up) })
}

// answerSink drops the server's answers, noting the first.
type answerSink struct{ p *Proxy }

func (s answerSink) Write(b []byte) (int, error) {
	if len(b) > 0 {
		s.p.once.Do(func() { close(s.p.answered) })
	}
	return len(b), nil
}

// close stops the proxy: the listener and every connection.
func (p *Proxy) close() {
	p.mu.Lock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	p.mode = Refuse // a late connection is closed, not served
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
	p.mu.Unlock()
	p.wg.Wait()
}

// ClosedPort returns an endpoint URL ("http://" and a loopback address)
// on which nothing listens: connecting is refused.
func ClosedPort(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}
