package intents_test

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"
)

// tcpMode is what a tcpProxy does with connections.
type tcpMode int

const (
	// tcpForward passes connections through to the upstream server.
	tcpForward tcpMode = iota
	// tcpRefuse closes the port: connecting is refused, as to a server
	// that is down.
	tcpRefuse
	// tcpReset accepts each connection and closes it at once, with a
	// reset.
	tcpReset
	// tcpStall accepts each connection, reads what is sent and never
	// answers.
	tcpStall
)

var tcpModeNames = [...]string{tcpForward: "forward", tcpRefuse: "closed port", tcpReset: "reset", tcpStall: "stalled TCP"}

func (m tcpMode) String() string { return tcpModeNames[m] }

// tcpProxy is a TCP proxy on a fixed loopback address in front of a
// server, that can be switched between forwarding, refusing, resetting
// and stalling. Switching closes every connection it holds, so that a
// client's pooled connections do not outlive the mode they were made in.
type tcpProxy struct {
	tb       testing.TB
	addr     string // host:port the proxy listens on
	upstream string // host:port of the server

	mu    sync.Mutex
	mode  tcpMode
	ln    net.Listener // nil while refusing
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

// newTCPProxy starts a proxy forwarding to upstream (an http:// URL) and
// returns it; its URL is "http://" + addr. It is stopped at cleanup.
func newTCPProxy(tb testing.TB, upstream string) *tcpProxy {
	tb.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := &tcpProxy{tb: tb, addr: ln.Addr().String(), upstream: u.Host, conns: map[net.Conn]bool{}}
	p.serve(ln)
	tb.Cleanup(p.close)
	return p
}

// URL returns the proxy's endpoint URL.
func (p *tcpProxy) URL() string { return "http://" + p.addr }

// setMode switches the proxy to m, closing every connection it holds.
func (p *tcpProxy) setMode(m tcpMode) {
	p.tb.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mode = m
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
	switch {
	case m == tcpRefuse && p.ln != nil:
		_ = p.ln.Close()
		p.ln = nil
	case m != tcpRefuse && p.ln == nil:
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
		p.tb.Fatalf("tcp proxy: listen on %s again: %v", p.addr, err)
	}
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ln = ln
	p.serveLocked(ln)
}

// serveLocked accepts connections on ln until it is closed; p.mu is held.
func (p *tcpProxy) serveLocked(ln net.Listener) {
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.handle(c)
		}
	}()
}

// track adds c to the connections a mode switch closes; it reports false
// (and closes c) when the proxy has moved on to another mode than m.
func (p *tcpProxy) track(m tcpMode, c ...net.Conn) bool {
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

func (p *tcpProxy) handle(c net.Conn) {
	p.mu.Lock()
	m := p.mode
	p.mu.Unlock()
	switch m {
	case tcpReset, tcpRefuse:
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // a reset, not an orderly close
		}
		_ = c.Close()
	case tcpStall:
		if !p.track(m, c) {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			_, _ = io.Copy(io.Discard, c)
		}()
	default:
		up, err := net.DialTimeout("tcp", p.upstream, 5*time.Second)
		if err != nil {
			_ = c.Close()
			return
		}
		if !p.track(m, c, up) {
			return
		}
		p.wg.Add(2)
		pipe := func(dst, src net.Conn) {
			defer p.wg.Done()
			_, _ = io.Copy(dst, src) // ends when either side closes
			_ = dst.Close()
			_ = src.Close()
		}
		go pipe(up, c)
		go pipe(c, up)
	}
}

// close stops the proxy: the listener and every connection.
func (p *tcpProxy) close() {
	p.mu.Lock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	p.mode = tcpRefuse // a late connection is closed, not served
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
	p.mu.Unlock()
	p.wg.Wait()
}
