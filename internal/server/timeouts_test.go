package server_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hiregraph/hiregraph/internal/server"
)

// closedByServer reads from c until the server closes it, failing if the
// test's own generous bound (30 s) passes first: the server's timeouts are
// short, and what is asserted is the close, not its time.
func closedByServer(t *testing.T, c net.Conn) string {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	b, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server did not close the connection (read %q)", b)
	}
	return string(b)
}

// TestHTTPTimeouts: issue 11, acceptance 7. A request whose body never
// arrives, a request whose headers never end, and an idle keep-alive
// connection are each closed by the server (BODY_TIMEOUT,
// READ_HEADER_TIMEOUT, IDLE_TIMEOUT).
func TestHTTPTimeouts(t *testing.T) {
	a := newApp(t, func(o *server.Options) {
		o.BodyTimeout = 200 * time.Millisecond
		o.IdleTimeout = 200 * time.Millisecond
		o.ReadHeaderTimeout = 200 * time.Millisecond
	})
	srv := httptest.NewUnstartedServer(nil)
	srv.Config = a.Server.HTTPServer()
	srv.Start()
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL, "http://")
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}

	t.Run("body never arrives", func(t *testing.T) {
		c := dial()
		_, _ = io.WriteString(c, "POST /query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"query\":")
		got := closedByServer(t, c)
		if !strings.HasPrefix(got, "HTTP/1.1 408") || !strings.Contains(got, "BODY_TIMEOUT") {
			t.Errorf("answer: %q", got)
		}
	})
	t.Run("headers never end", func(t *testing.T) {
		c := dial()
		_, _ = io.WriteString(c, "POST /query HTTP/1.1\r\nHost: x\r\n")
		closedByServer(t, c)
	})
	t.Run("idle keep-alive", func(t *testing.T) {
		c := dial()
		_, _ = io.WriteString(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || res.StatusCode != http.StatusOK || res.Close {
			t.Fatalf("first request: %v %+v", err, res)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		// The connection is kept alive, then closed once idle too long.
		if rest := closedByServer(t, c); rest != "" {
			t.Errorf("unexpected bytes after the response: %q", rest)
		}
	})
}
