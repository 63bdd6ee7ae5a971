// Package natstest runs a real NATS server with JetStream inside the test
// process, so tests of the NATS transport run anywhere, with no NATS
// installed and nothing mocked.
package natstest

import (
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Server is an in-process NATS server that a test can stop and start again
// on the same port with the same JetStream storage (an outage).
type Server struct {
	tb   testing.TB
	opts server.Options
	srv  *server.Server
}

// Start runs a NATS server with JetStream on a free loopback port; it stops
// when the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	s := &Server{tb: tb, opts: server.Options{
		Host: "127.0.0.1", Port: port, NoLog: true, NoSigs: true,
		JetStream: true, StoreDir: tb.TempDir(),
	}}
	s.Restart()
	tb.Cleanup(s.Stop)
	return s
}

// URL is the server's client URL.
func (s *Server) URL() string { return fmt.Sprintf("nats://127.0.0.1:%d", s.opts.Port) }

// Stop shuts the server down (clients see it go away and try to reconnect).
func (s *Server) Stop() {
	if s.srv != nil {
		s.srv.Shutdown()
		s.srv.WaitForShutdown()
		s.srv = nil
	}
}

// Restart starts the server (again), on the same port and storage.
func (s *Server) Restart() {
	s.tb.Helper()
	opts := s.opts
	srv, err := server.NewServer(&opts)
	if err != nil {
		s.tb.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		s.tb.Fatal("NATS server did not start")
	}
	s.srv = srv
}
